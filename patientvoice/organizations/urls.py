from django.urls import path

from . import views

app_name = "organizations"
# "manage" and "new" come first and are never given to an organisation
# (actions.RESERVED_SLUGS).
urlpatterns = [
    path("manage/", views.organization_manage, name="manage"),
    path("manage/new/", views.organization_create, name="create"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/edit/", views.organization_edit, name="edit"),
    path("<slug:slug>/verify/", views.organization_verify, name="verify"),
    path("<slug:slug>/staff/", views.staff_list, name="staff"),
    path("<slug:slug>/staff/<uuid:user_id>/remove/", views.staff_remove, name="staff_remove"),
]
