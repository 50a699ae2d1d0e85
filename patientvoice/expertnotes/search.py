"""Published expert notes as a kind of the one search index
(:mod:`patientvoice.search.registry`; registered from ``ExpertNotesConfig.ready()``).

* What is indexed: a published note on published content. A note is read where its
  target is, so its audiences are the target's: a note on a post in a members-only
  community is for that community's members, a note on a review for everyone
  (``targets.TargetKind.community_id_of`` says where a target lives).
* Who finds it: every result passes ``permissions.visible_notes`` (the target's own
  visibility rule included) when the search runs; a note whose target was hidden
  later is never listed even while its row is still in the index.
* Kept current: the pipeline's after-publish hook ``search.index`` indexes a
  published note and takes out one whose edit was held; a moderator's hide or
  remove takes it out after commit (``actions.set_content_status``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.communities.models import Community, Visibility
from patientvoice.core.markup import text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.search.registry import PUBLIC, Document, Hit, SearchKind, register_kind

from .models import ExpertNote, NoteKind
from .permissions import visible_notes
from .targets import TARGETS, kind_of_target

NOTE_KIND = ExpertNote._meta.label_lower  # "expertnotes.expertnote"


def _with_targets(qs: QuerySet[ExpertNote]) -> QuerySet[ExpertNote]:
    related = [kind.field for kind in TARGETS.values()]
    related += [f"{kind.field}__{name}" for kind in TARGETS.values() for name in kind.related]
    return qs.select_related(*related)


def indexable_notes() -> QuerySet[ExpertNote]:
    # The indexer's rows; readers' hits pass visible_notes.
    return ExpertNote.objects.filter(status=ContentStatus.PUBLISHED)  # visibility: published only


def _audiences(community_id: int | None, public_ids: set[int]) -> tuple[str, ...]:
    if community_id is None:
        return (PUBLIC,)
    if community_id in public_ids:
        return (f"c{community_id}", PUBLIC)
    return (f"c{community_id}",)


def note_documents(qs: QuerySet[ExpertNote]) -> Iterator[Document]:
    notes = list(_with_targets(qs))
    places = {note.pk: kind_of_target(note.target).community_id_of(note.target) for note in notes}
    public_ids = set(
        Community.objects.filter(  # visibility: only which places are public
            pk__in={pk for pk in places.values() if pk is not None},
            visibility=Visibility.PUBLIC,
        ).values_list("pk", flat=True)
    )
    for note in notes:
        if not kind_of_target(note.target).is_published(note.target):
            continue  # read nowhere while its target is not shown
        yield Document(
            object_id=note.pk,
            title="",
            body=text_as_read(note.body_html),
            language=note.language,
            published_at=note.published_at or note.created_at,
            community_id=places[note.pk],
            audiences=_audiences(places[note.pk], public_ids),
            author_id=note.author_id,
        )


def searchable_notes(user: Any, qs: QuerySet[ExpertNote]) -> QuerySet[ExpertNote]:
    return visible_notes(user, qs.filter(status=ContentStatus.PUBLISHED))


def note_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    place = pgettext("search result", "Expert notes")
    hits = {}
    found = visible_notes(
        user, ExpertNote.objects.filter(pk__in=ids, status=ContentStatus.PUBLISHED)
    )
    for note in _with_targets(found):
        target_url = kind_of_target(note.target).url_of(note.target)
        hits[note.pk] = Hit(
            title=pgettext("search result", "Expert note: %(kind)s")
            % {"kind": NoteKind(note.kind).label},
            url=f"{target_url}#{note.anchor}",
            text=text_as_read(note.body_html),
            language=note.language,
            published_at=note.published_at,
            place=place,
            place_url=target_url,
        )
    return hits


NOTE_SEARCH_KIND = SearchKind(
    label=NOTE_KIND,
    name=pgettext_lazy("search kind", "Expert notes"),
    model=ExpertNote,
    indexable=indexable_notes,
    documents=note_documents,
    searchable=searchable_notes,
    hits=note_hits,
)


def register_note_search() -> None:
    register_kind(NOTE_SEARCH_KIND)
