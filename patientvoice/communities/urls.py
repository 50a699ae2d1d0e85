from django.urls import path

from . import feeds, guidelines_views, invitation_views, membership_views, settings_views, views

app_name = "communities"
urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("latest/", views.latest, name="latest"),
    path("c/<slug:slug>/", views.community_detail, name="detail"),
    path("c/<slug:slug>/join/", membership_views.join, name="join"),
    path("c/<slug:slug>/leave/", membership_views.leave, name="leave"),
    path("c/<slug:slug>/ask/", membership_views.ask_to_join, name="ask"),
    path("c/<slug:slug>/requests/", membership_views.join_requests, name="join_requests"),
    path("c/<slug:slug>/members/", membership_views.member_list, name="members"),
    path("c/<slug:slug>/settings/", settings_views.community_settings, name="settings"),
    path("c/<slug:slug>/invitations/", invitation_views.invitation_list, name="invitations"),
    path("c/<slug:slug>/invite/<str:token>/", invitation_views.invitation_detail, name="invite"),
    path("invitations/", invitation_views.my_invitations, name="my_invitations"),
    path("invitations/answer/", invitation_views.answer_invitation, name="answer_invitation"),
    path(
        "c/<slug:slug>/guidelines/edit/", guidelines_views.guidelines_edit, name="guidelines_edit"
    ),
    path("c/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("c/<slug:slug>/t/<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("c/<slug:slug>/feed/", feeds.CommunityFeed(), name="community_feed"),
    path("c/<slug:slug>/t/<uuid:thread_id>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("c/<slug:slug>/t/<uuid:thread_id>/reply/", views.reply, name="reply"),
    path("c/<slug:slug>/t/<uuid:thread_id>/unread/", views.first_unread, name="first_unread"),
    path("c/<slug:slug>/t/<uuid:thread_id>/best/", views.best_answer, name="best_answer"),
    path("c/<slug:slug>/t/<uuid:thread_id>/moderate/", views.thread_moderate, name="moderate"),
    path("c/<slug:slug>/t/<uuid:thread_id>/move/", views.thread_move, name="move"),
    path(
        "c/<slug:slug>/t/<uuid:thread_id>/p/<uuid:post_id>/",
        views.post_permalink,
        name="post",
    ),
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
