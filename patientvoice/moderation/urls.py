"""Moderation pages under /<language>/moderation/: each views module lists its own
routes (members' flags, notices, statements and appeals; the moderators' queues and
decisions; the moderators' records; the public transparency report)."""

from __future__ import annotations

from . import member_views, queue_views, records_views, report_views

app_name = "moderation"

urlpatterns = [
    *member_views.urlpatterns,
    *records_views.urlpatterns,  # before queue_views' "queue/<case id>/"
    *queue_views.urlpatterns,
    *report_views.urlpatterns,
]
