"""Pages under /<language>/professionals/ (decisions/0033)."""

from __future__ import annotations

from django.urls import path

from . import views

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
]
