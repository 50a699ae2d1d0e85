"""Where an expert note can be seen, for the visibility test helper
(core/testing/visibility.py): the page of its target's notes (404 when the reader may
not see the target) and the API list of the target's notes."""

from __future__ import annotations

from patientvoice.core.testing.visibility import ListSurface, public_id_and, register

from .models import ExpertNote

_MARKERS = public_id_and("body")


def _target_page(note: ExpertNote) -> str:
    return f"/sv/notes/{note.target_kind}/{note.target.public_id}/"


register(
    ExpertNote,
    ListSurface("expertnotes.target_page", url=_target_page, markers=_MARKERS),
    ListSurface(
        "expertnotes.api_target_notes",
        url=lambda n: f"/api/v1/notes/targets/{n.target_kind}/{n.target.public_id}",
        markers=_MARKERS,
    ),
)
