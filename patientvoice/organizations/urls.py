from django.urls import path

from . import medical_information_views, sponsor_views, views

app_name = "organizations"
# "manage", "new" and "funding" come first and are never given to an organisation
# (actions.RESERVED_SLUGS).
urlpatterns = [
    path("manage/", views.organization_manage, name="manage"),
    path("manage/new/", views.organization_create, name="create"),
    path("funding/", sponsor_views.funding, name="funding"),
    path("funding/new/", sponsor_views.sponsorship_new, name="sponsorship_new"),
    path("funding/approvals/", sponsor_views.sponsor_approvals, name="sponsor_approvals"),
    path(
        "funding/approvals/<uuid:case_id>/",
        sponsor_views.sponsor_approve,
        name="sponsor_approve",
    ),
    path("funding/<uuid:public_id>/end/", sponsor_views.sponsorship_end, name="sponsorship_end"),
    path(
        "funding/my-questions/",
        medical_information_views.mine,
        name="medical_information_mine",
    ),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/ask/", medical_information_views.ask, name="medical_information_ask"),
    path("<slug:slug>/edit/", views.organization_edit, name="edit"),
    path("<slug:slug>/verify/", views.organization_verify, name="verify"),
    path("<slug:slug>/staff/", views.staff_list, name="staff"),
    path("<slug:slug>/staff/<uuid:user_id>/remove/", views.staff_remove, name="staff_remove"),
]
