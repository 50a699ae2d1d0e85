"""Pages of the provider's voice, added to the ``reviews`` namespace by reviews/urls.py
(decisions/0032). Review and reply addresses start with the review's public id, so the
review cards build them from one prefix (no ``{% url %}`` per review)."""

from __future__ import annotations

from django.urls import path

from . import provider_views as views

urlpatterns = [
    path("claim/<str:kind>/<slug:slug>/", views.claim_request, name="claim"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<uuid:public_id>/decide/", views.claim_decide, name="claim_decide"),
    path("claims/<uuid:public_id>/revoke/", views.claim_revoke, name="claim_revoke"),
    path("<uuid:public_id>/reply/", views.reply_write, name="reply"),
    path("<uuid:public_id>/reply/edit/", views.reply_edit, name="reply_edit"),
    path("<uuid:public_id>/reply/helped/", views.reply_helped, name="reply_helped"),
    path("<uuid:public_id>/reply/change/", views.reply_change, name="reply_change"),
    path("<uuid:public_id>/dispute/", views.dispute_write, name="dispute"),
    path("disputes/<uuid:public_id>/context/", views.dispute_context, name="dispute_context"),
    path("disputes/<uuid:public_id>/ask/", views.dispute_ask, name="dispute_ask"),
    path("notices/", views.notice_list, name="notices"),
]
