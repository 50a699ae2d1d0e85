from django.urls import URLPattern, URLResolver, path

from . import manage_views, views

app_name = "campaigns"

# "by" and "new" come before a campaign's slug; no campaign takes them
# (actions.campaigns.RESERVED_SLUGS).
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.campaign_list, name="list"),
    path("by/<slug:org_slug>/", views.organization_campaigns, name="organization"),
    path("new/<slug:org_slug>/", manage_views.create, name="create"),
    path("<slug:slug>/", views.landing, name="detail"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/gallery/", views.gallery, name="gallery"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/edit/", manage_views.edit, name="edit"),
    path("<slug:slug>/advance/", manage_views.advance, name="advance"),
    path("<slug:slug>/jury/", manage_views.jury, name="jury"),
    path("<slug:slug>/votes/held/", manage_views.held_votes, name="held_votes"),
    path("<slug:slug>/s/<uuid:public_id>/", views.submission_detail, name="submission"),
    path("<slug:slug>/s/<uuid:public_id>/vote/", views.vote, name="vote"),
    path("<slug:slug>/s/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/s/<uuid:public_id>/score/", manage_views.score, name="score"),
    path(
        "<slug:slug>/s/<uuid:public_id>/<str:variant>/",
        views.submission_file,
        name="submission_file",
    ),
]
