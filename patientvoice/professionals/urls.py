"""Pages under /<language>/professionals/ (decisions/0033)."""

from __future__ import annotations

from django.urls import path

from . import adviser_views, question_views, views

app_name = "professionals"

urlpatterns = [
    path("", views.status, name="status"),
    path("apply/", views.apply, name="apply"),
    path("p/<uuid:public_id>/", views.card, name="card"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("requests/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("verify/", views.queue, name="queue"),
    path("verify/credentials/", views.credential_list, name="credentials"),
    path("verify/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("verify/<uuid:public_id>/decide/", views.decide, name="decide"),
    path("verify/<uuid:public_id>/registries/", views.recheck, name="recheck"),
    path("verify/<uuid:public_id>/evidence/", views.evidence, name="evidence"),
    path("credentials/<uuid:public_id>/revoke/", views.revoke, name="revoke"),
    # Questions for professionals and advisers (decisions/0037).
    path("questions/", question_views.queue, name="questions"),
    path("questions/ask/<uuid:thread_id>/", question_views.ask, name="ask"),
    path("advisers/", adviser_views.own_roles, name="adviser_roles"),
    path("advisers/<uuid:public_id>/accept/", adviser_views.accept, name="adviser_accept"),
    path("advisers/<uuid:public_id>/decline/", adviser_views.decline, name="adviser_decline"),
    path("advisers/<uuid:public_id>/end/", adviser_views.end, name="adviser_end"),
    path(
        "organisations/<slug:slug>/advisers/",
        adviser_views.organisation_page,
        name="organisation_advisers",
    ),
]
