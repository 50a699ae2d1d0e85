from django.urls import path

from . import feeds, views

app_name = "communities"
urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("c/<slug:slug>/", views.community_detail, name="detail"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("c/<slug:slug>/ask/", views.ask_to_join, name="ask"),
    path("c/<slug:slug>/requests/", views.join_requests, name="join_requests"),
    path("c/<slug:slug>/members/", views.member_list, name="members"),
    path("c/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("c/<slug:slug>/t/<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("c/<slug:slug>/feed/", feeds.CommunityFeed(), name="community_feed"),
    path("c/<slug:slug>/t/<uuid:thread_id>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("c/<slug:slug>/t/<uuid:thread_id>/reply/", views.reply, name="reply"),
    path("c/<slug:slug>/t/<uuid:thread_id>/p/<uuid:post_id>/react/", views.react, name="react"),
    path(
        "c/<slug:slug>/t/<uuid:thread_id>/p/<uuid:post_id>/edit/", views.post_edit, name="post_edit"
    ),
    path(
        "c/<slug:slug>/t/<uuid:thread_id>/p/<uuid:post_id>/delete/",
        views.post_delete,
        name="post_delete",
    ),
]
