"""Pages under /<language>/safety/ (decisions/0036)."""

from __future__ import annotations

from django.urls import path

from . import export_views, views

app_name = "safety"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("signals/<uuid:public_id>/", views.signal_detail, name="signal"),
    path("signals/<uuid:public_id>/follow-up/", views.follow_up, name="follow_up"),
    path("signals/<uuid:public_id>/case/", views.case_new, name="case_new"),
    path("cases/", views.cases, name="cases"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case"),
    path("cases/<uuid:public_id>/close/", views.case_close, name="case_close"),
    path("cases/<uuid:public_id>/e2b/", export_views.case_e2b, name="case_e2b"),
    path("cases/export/", export_views.cases_export, name="cases_export"),
    path("messages/", views.message_list, name="messages"),
    path("messages/<uuid:public_id>/", views.message_detail, name="message"),
]
