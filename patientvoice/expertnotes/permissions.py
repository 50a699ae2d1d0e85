"""Who sees notes, who may write, edit, reply to and mark them (decisions/0034).

* **Seeing.** A published note is seen by whoever may see its target (the target's own
  rule: ``visible_posts``, ``visible_reviews``); its author also sees it held or hidden
  (not removed); acting staff see every note. A reply follows its note the same way.
* **Writing.** A verified professional acting as one (``check_professional``: an
  active credential, a second factor in this session) who may see the target, on a
  published target they did not write, once per target.
* **Replying.** The target's author, once per note, while the note is published.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from patientvoice.accounts.permissions import is_acting_staff
from patientvoice.communities.models import Community
from patientvoice.communities.permissions import can_moderate_community
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.permissions import check_may_post
from patientvoice.professionals.models import Credential
from patientvoice.professionals.permissions import check_professional

from .errors import (
    NoteExists,
    NoteNotEditable,
    NotHelpfulToSelf,
    NotTargetAuthor,
    OwnContent,
    ReplyExists,
    TargetNotPublished,
)
from .models import ExpertNote, NoteAuthorReply, NoteNotice
from .targets import TARGETS, kind_of_target


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _on_visible_target(user: Any) -> Q:
    """The note's target is one ``user`` may see: one subquery per kind of target,
    through that kind's own visibility rule."""
    return reduce(
        or_,
        (
            Q(
                **{
                    f"{kind.field}__in": kind.visible(
                        user, kind.model._default_manager.all()
                    ).values("pk")
                }
            )
            for kind in TARGETS.values()
        ),
    )


def visible_notes(user: Any, qs: QuerySet[ExpertNote]) -> QuerySet[ExpertNote]:
    """``qs`` narrowed to the notes ``user`` may see."""
    if is_acting_staff(user):
        return qs
    published = Q(status=ContentStatus.PUBLISHED) & _on_visible_target(user)
    if not _signed_in(user):
        return qs.filter(published)
    own = Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return qs.filter(published | own)


def visible_replies(user: Any, qs: QuerySet[NoteAuthorReply]) -> QuerySet[NoteAuthorReply]:
    """Published replies to notes ``user`` may see; their own reply in any state but
    removed (on a note they may see); everything for acting staff."""
    if is_acting_staff(user):
        return qs
    notes = visible_notes(user, ExpertNote.objects.all()).values("pk")
    shown = Q(status=ContentStatus.PUBLISHED)
    if _signed_in(user):
        shown |= Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return qs.filter(shown, note__in=notes)


def visible_notices(user: Any, qs: QuerySet[NoteNotice]) -> QuerySet[NoteNotice]:
    """The person's own notices about notes they may still see."""
    if not _signed_in(user):
        return qs.none()
    notes = visible_notes(user, ExpertNote.objects.all()).values("pk")
    return qs.filter(recipient_id=user.pk, note__in=notes)


def access_note(user: Any, public_id: Any) -> ExpertNote:
    """The note with ``public_id`` if ``user`` may see it, else ``Http404`` (Zulip's
    ``access_message``)."""
    note = (
        visible_notes(user, ExpertNote.objects.filter(public_id=public_id))
        .select_related(
            "author",
            "credential",
            "post__thread",
            "post__community",
            "post__author",
            "review__author",
            "review__medicine",
            "review__physician",
            "review__clinic",
        )
        .first()
    )
    if note is None:
        raise Http404
    return note


def target_author_id(target: Any) -> int | None:
    value: int | None = getattr(target, "author_id", None)
    return value


def _community_of(target: Any) -> int | None:
    return kind_of_target(target).community_id_of(target)


def check_can_note(user: Any, target: Any) -> Credential:
    """Raises unless ``user`` may add a note to ``target`` (fetched through
    ``targets.access_target``, so they may see it); returns their credential.

    In this order: ``NotAProfessional`` (403: none, expired, revoked, no second factor),
    ``MemberSanctioned`` (403), ``TargetNotPublished`` (409), ``OwnContent`` (403),
    ``NoteExists`` (409, with their note)."""
    credential = check_professional(user)
    check_may_post(user, _community_of(target))
    kind = kind_of_target(target)
    if not kind.is_published(target):
        raise TargetNotPublished
    if target_author_id(target) == user.pk:
        raise OwnContent
    existing = own_note_on(user, target)
    if existing is not None:
        raise NoteExists(existing)
    return credential


def can_note(user: Any, target: Any) -> bool:
    """Whether to offer "Add a note" (the same rule, as a bool)."""
    if not _signed_in(user):
        return False
    try:
        check_can_note(user, target)
    except Exception:  # every refusal above means "no link"
        return False
    return True


def own_note_on(user: Any, target: Any) -> ExpertNote | None:
    """``user``'s note on ``target`` in any state (one per professional per target)."""
    if not _signed_in(user):
        return None
    kind = kind_of_target(target)
    return ExpertNote.objects.filter(  # visibility: the person's own
        author_id=user.pk, **{kind.field: target}
    ).first()


def can_edit_note(user: Any, note: ExpertNote) -> bool:
    """The author, while the note is published or held (and they may act as a
    professional: checked by ``check_edit_note``)."""
    return (
        _signed_in(user)
        and note.author_id == user.pk
        and note.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
    )


def check_edit_note(user: Any, note: ExpertNote) -> Credential:
    """``Http404`` for anyone but the author (or a removed note), ``NoteNotEditable``
    for a hidden one, ``NotAProfessional`` when their credential has expired or was
    revoked, or this session has no second factor. Returns the credential."""
    if not _signed_in(user) or note.author_id != user.pk:
        raise Http404
    if note.status == ContentStatus.REMOVED:
        raise Http404
    if note.status == ContentStatus.HIDDEN:
        raise NoteNotEditable
    credential = check_professional(user)
    check_may_post(user, _community_of(note.target))
    return credential


def can_see_history(user: Any, note: ExpertNote) -> bool:
    """The note's author and moderators: acting staff, and for a note on a post the
    moderators of its community."""
    if not _signed_in(user):
        return False
    if note.author_id == user.pk or is_acting_staff(user):
        return True
    community_id = _community_of(note.target)
    if community_id is None:
        return False
    community = Community.objects.filter(pk=community_id).first()
    return community is not None and can_moderate_community(user, community)


def check_reply(user: Any, note: ExpertNote) -> None:
    """Raises unless ``user`` may reply to ``note`` (fetched through ``access_note``):
    ``NotTargetAuthor`` (403) for anyone but the target's author, ``TargetNotPublished``
    (409) while the note is not published, ``MemberSanctioned`` (403), ``ReplyExists``
    (409)."""
    if not _signed_in(user) or target_author_id(note.target) != user.pk:
        raise NotTargetAuthor
    if note.status != ContentStatus.PUBLISHED:
        raise TargetNotPublished
    check_may_post(user, _community_of(note.target))
    if NoteAuthorReply.objects.filter(note=note).exists():  # visibility: existence only
        raise ReplyExists


def can_reply(user: Any, note: ExpertNote) -> bool:
    return (
        _signed_in(user)
        and note.status == ContentStatus.PUBLISHED
        and target_author_id(note.target) == user.pk
    )


def check_edit_reply(user: Any, reply: NoteAuthorReply) -> None:
    """``Http404`` for anyone but the reply's author or a removed reply;
    ``NoteNotEditable`` for a hidden one."""
    if not _signed_in(user) or reply.author_id != user.pk:
        raise Http404
    if reply.status == ContentStatus.REMOVED:
        raise Http404
    if reply.status == ContentStatus.HIDDEN:
        raise NoteNotEditable
    check_may_post(user, _community_of(reply.note.target))


def check_mark_helpful(user: Any, note: ExpertNote) -> None:
    """A signed-in member other than the note's author, on a published note they may
    see (fetched through ``access_note``): ``Http404`` for a visitor or a note that is
    not published, ``NotHelpfulToSelf`` (403) for the author."""
    if not _signed_in(user) or note.status != ContentStatus.PUBLISHED:
        raise Http404
    if note.author_id == user.pk:
        raise NotHelpfulToSelf
