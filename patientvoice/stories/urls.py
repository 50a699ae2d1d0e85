from django.urls import URLPattern, URLResolver, path

from . import feeds, guest_views, views, write_views

app_name = "stories"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.story_list_page, name="list"),
    path("feed/", feeds.story_feed, name="feed"),
    path("write/", write_views.compose, name="write"),
    path("autosave/", write_views.autosave, name="autosave"),
    path("mine/", write_views.mine, name="mine"),
    path("notices/", views.notices, name="notices"),
    path("drafts/<uuid:public_id>/", write_views.compose, name="draft"),
    path("drafts/<uuid:public_id>/delete/", write_views.draft_delete, name="draft_delete"),
    path("comment/<str:token>/", guest_views.guest_comment, name="guest_comment"),
    path("<uuid:public_id>/", views.story_permalink, name="permalink"),
    path("<uuid:public_id>/edit/", write_views.edit, name="edit"),
    path("<uuid:public_id>/delete/", write_views.delete, name="delete"),
    path("<uuid:public_id>/feature/", write_views.feature, name="feature"),
    path("<uuid:public_id>/comments/", views.comment, name="comment"),
    path("<uuid:public_id>/<str:slug>/", views.story_detail, name="detail"),
]
