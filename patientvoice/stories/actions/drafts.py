"""Drafts: saved as they are typed (htmx autosave) and by "Save draft"; not content yet
(not published, not screened, not in search). Publishing one runs the pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.http import Http404

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community
from patientvoice.core.images import ProcessedImage, discard_stored, store_image
from patientvoice.directory.models import Condition

from ..covers import STORY_COVER, delete_after_commit, set_cover_fields
from ..models import StoryDraft
from ..permissions import check_audience


@transaction.atomic
def save_draft(
    *,
    author: User,
    draft: StoryDraft | None,
    title: str,
    body: str,
    language: str,
    community: Community | None,
    keep_audience: bool = False,
    conditions: Iterable[Condition] | None = None,
    cover: ProcessedImage | None = None,
    remove_cover: bool = False,
    cover_alt: str = "",
) -> StoryDraft:
    """Create ``author``'s draft (``draft`` None) or save over their ``draft`` (fetched
    through ``permissions.access_draft``). Nothing is checked but the audience
    (``PermissionDenied`` for a community they are not a member of) and the field
    lengths the form enforces. ``keep_audience`` leaves the draft's audience as it is
    (the author has not chosen again after losing it: ``audience_lost``; the form's
    ``audience_kept``); any other call sets ``community`` and clears that flag.
    ``conditions`` None leaves the tags as they are (the
    autosave sends them, but an older form might not). A new ``cover`` is stored first;
    the old file is deleted after commit."""
    if not keep_audience:
        check_audience(author, community)
    stored = store_image(cover, spec=STORY_COVER) if cover is not None else None
    try:
        if draft is None:
            draft = StoryDraft(author=author)
        draft.title = title
        draft.body = body
        draft.language = language
        if not keep_audience:
            draft.community = community
            draft.audience_lost = False
        draft.cover_alt = cover_alt
        old = ""
        if stored is not None or remove_cover:
            old = set_cover_fields(draft, stored)
        draft.save()
        if conditions is not None:
            draft.conditions.set(list(conditions))
    except BaseException:
        if stored is not None:
            discard_stored(stored.name)
        raise
    delete_after_commit(old)
    return draft


@transaction.atomic
def discard_draft(*, author: User, draft: StoryDraft) -> None:
    """Delete ``author``'s own draft and its picture (after commit)."""
    if draft.author_id != author.pk:
        raise Http404
    name = draft.cover.name if draft.cover else ""
    draft.delete()
    delete_after_commit(name)
