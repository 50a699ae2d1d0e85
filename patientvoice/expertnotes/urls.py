"""Pages under /<language>/notes/ (decisions/0034)."""

from __future__ import annotations

from django.urls import path, register_converter

from . import views
from .targets import TARGETS


class TargetKindConverter:
    """``post`` or ``review``: the kinds of target in ``targets.TARGETS``."""

    regex = "|".join(TARGETS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TargetKindConverter, "note_target")

app_name = "expertnotes"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("add/<note_target:kind>/<uuid:public_id>/", views.add, name="add"),
    path("<note_target:kind>/<uuid:public_id>/", views.target_notes, name="target"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/history/", views.history, name="history"),
    path("<uuid:public_id>/helpful/", views.helpful, name="helpful"),
    path("<uuid:public_id>/reply/", views.reply, name="reply"),
]
