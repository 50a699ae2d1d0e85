"""Every write to expert notes: add, edit, mark helpful, reply, a moderator's change of
status, notices and erasure (decisions/0034).

Refusals are typed errors with translated messages (:mod:`.errors`), beside
``NotAProfessional`` and ``MemberSanctioned`` (403) and ``Http404``; forms show
``str(error)`` and keep what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.models import Content, ContentStatus
from patientvoice.core.publishing import PublishResult, publish, run_after_publish
from patientvoice.notifications.notices import forget_unread_notices
from patientvoice.search import indexing

from .errors import InvalidNote, NoteExists, ReplyExists
from .models import (
    MAX_SOURCE_TITLE,
    MAX_SOURCE_URL,
    MAX_SOURCES,
    EvidenceLevel,
    ExpertNote,
    ExpertNoteRevision,
    NoteAuthorReply,
    NoteHelpful,
    NoteKind,
    NoteNotice,
    NoteSource,
    NoticeKind,
)
from .permissions import (
    check_can_note,
    check_edit_note,
    check_edit_reply,
    check_mark_helpful,
    check_reply,
    target_author_id,
)
from .targets import kind_of_target


@dataclass
class NoteResult:
    """What the page tells the writer: the note or reply, whether it was published or
    held and why, and the help panels the pipeline asked for (crisis help)."""

    content: Content
    publish_result: PublishResult | None = None
    hold_messages: list[str | Promise] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.content.status == ContentStatus.PUBLISHED

    @property
    def held(self) -> bool:
        return self.content.status == ContentStatus.HELD

    @property
    def help_panels(self) -> list[str]:
        return self.publish_result.help_panels if self.publish_result is not None else []


@dataclass(frozen=True)
class Source:
    title: str
    url: str


_http_url = URLValidator(schemes=["http", "https"])


def clean_sources(sources: Iterable[Any]) -> list[Source]:
    """``sources`` as (title, url) pairs or mappings, rows left wholly empty dropped.

    Raises ``InvalidNote`` naming the row's field (``source_url_<row>``,
    ``source_title_<row>``), or ``sources`` for the whole list: none given, more than
    eight, a row with a title but no address (or the reverse), an address that is not
    http(s) or too long, a title that is too long."""
    cleaned: list[Source] = []
    # Each refusal names the form's field it is about (source_url_<row>,
    # source_title_<row>), so the page marks that field, not only the summary.
    for row, item in enumerate(sources):
        if isinstance(item, Source):
            title, url = item.title, item.url
        elif isinstance(item, dict):
            title, url = str(item.get("title") or ""), str(item.get("url") or "")
        else:
            title, url = (str(part or "") for part in item)
        title, url = title.strip(), url.strip()
        if not title and not url:
            continue
        if not url:
            raise InvalidNote(
                f"source_url_{row}",
                pgettext_lazy("expert note error", "Give the address of the source “%(title)s”."),
                title=title,
            )
        if not title:
            raise InvalidNote(
                f"source_title_{row}",
                pgettext_lazy("expert note error", "Give a title for the source %(url)s."),
                url=url,
            )
        if len(title) > MAX_SOURCE_TITLE:
            raise InvalidNote(
                f"source_title_{row}",
                pgettext_lazy(
                    "expert note error", "A source title can be at most %(limit)s characters."
                ),
                limit=MAX_SOURCE_TITLE,
            )
        if len(url) > MAX_SOURCE_URL:
            raise InvalidNote(
                f"source_url_{row}",
                pgettext_lazy(
                    "expert note error", "A source address can be at most %(limit)s characters."
                ),
                limit=MAX_SOURCE_URL,
            )
        try:
            _http_url(url)
        except ValidationError:
            raise InvalidNote(
                f"source_url_{row}",
                pgettext_lazy(
                    "expert note error",
                    "“%(url)s” is not a web address. Sources must start with https:// or http://.",
                ),
                url=url,
            ) from None
        cleaned.append(Source(title, url))
    if not cleaned:
        raise InvalidNote(
            "sources",
            pgettext_lazy(
                "expert note error",
                "Add at least one source: a title and its web address, for example from "
                "FASS, 1177 or Läkemedelsverket.",
            ),
        )
    if len(cleaned) > MAX_SOURCES:
        raise InvalidNote(
            "sources",
            pgettext_lazy("expert note error", "A note can have at most %(limit)s sources."),
            limit=MAX_SOURCES,
        )
    return cleaned


def _clean(kind: str, body: str, evidence_level: str, sources: Iterable[Any]) -> list[Source]:
    if kind not in NoteKind.values:
        raise InvalidNote(
            "kind",
            pgettext_lazy(
                "expert note error", "Choose the kind of note: correction, context or confirmation."
            ),
        )
    if evidence_level and evidence_level not in EvidenceLevel.values:
        raise InvalidNote(
            "evidence_level",
            pgettext_lazy("expert note error", "Choose a level of evidence from the list."),
        )
    if not body.strip():
        raise InvalidNote(
            "body", pgettext_lazy("expert note error", "Write what readers should know.")
        )
    if len(body) > ExpertNote.MAX_BODY_LENGTH:
        raise InvalidNote(
            "body",
            pgettext_lazy("expert note error", "A note can be at most %(limit)s characters."),
            limit=ExpertNote.MAX_BODY_LENGTH,
        )
    return clean_sources(sources)


def _check_text(body: str, sources: Sequence[Source]) -> str:
    # Source titles are shown too: the personal-data and crisis checks read them.
    return "\n\n".join([body, *(s.title for s in sources)])


def _save_sources(note: ExpertNote, sources: Sequence[Source]) -> None:
    NoteSource.objects.filter(note=note).delete()
    NoteSource.objects.bulk_create(
        [NoteSource(note=note, title=s.title, url=s.url, position=i) for i, s in enumerate(sources)]
    )


def _result(result: PublishResult) -> NoteResult:
    return NoteResult(
        content=result.content, publish_result=result, hold_messages=result.hold_messages
    )


@transaction.atomic
def add_note(
    *,
    author: User,
    target: Any,
    kind: str,
    body: str,
    sources: Iterable[Any],
    evidence_level: str = "",
    language: str = "sv",
) -> NoteResult:
    """Attach a note to ``target`` (a ``Post`` or ``Review`` fetched through
    ``targets.access_target``, so ``author`` may see it).

    Refuses as ``permissions.check_can_note`` does (``NotAProfessional``,
    ``MemberSanctioned``, ``TargetNotPublished``, ``OwnContent``, ``NoteExists``), then
    ``InvalidNote`` (kind, evidence level, empty or too long text, sources) and the
    pipeline's ``ContentTooLong``.

    Effects: the note, with the author's current credential and its sources, goes
    through the publishing pipeline (held for a moderator when a text check holds it;
    crisis language asks for the help panel). Once published, the after-publish hook
    tells the target's author (``notify.py``). Audited.
    """
    credential = check_can_note(author, target)
    cleaned = _clean(kind, body, evidence_level, sources)
    target_kind = kind_of_target(target)
    note = ExpertNote(
        author=author,
        kind=kind,
        body=body,
        evidence_level=evidence_level,
        credential=credential if credential.pk else None,
        language=language,
        **{target_kind.field: target},
    )
    try:
        with transaction.atomic():
            result = publish(note, check_text=_check_text(body, cleaned))
    except IntegrityError:  # the same professional, the same target, a moment ago
        raise NoteExists(
            ExpertNote.objects.filter(author=author, **{target_kind.field: target}).first()
        ) from None
    _save_sources(note, cleaned)
    audit.record(
        actor=author,
        action="expertnotes.note_added",
        target=note,
        data={"target": target_kind.key, "kind": kind, "status": note.status},
    )
    return _result(result)


@transaction.atomic
def edit_note(
    *,
    note: ExpertNote,
    editor: User,
    kind: str,
    body: str,
    sources: Iterable[Any],
    evidence_level: str = "",
) -> NoteResult:
    """Replace ``editor``'s own note with these answers (the whole form).

    Refuses: ``Http404`` (not the author, or removed), ``NoteNotEditable`` (hidden),
    ``NotAProfessional`` (expired, revoked, no second factor), ``MemberSanctioned``,
    then ``InvalidNote``. Unchanged answers change nothing. Otherwise the previous kind,
    text, evidence level and sources are kept as an ``ExpertNoteRevision``,
    ``edited_at`` is set, the credential becomes the one held now, and the note goes
    through the pipeline again (so an edit can be held)."""
    credential = check_edit_note(editor, note)
    cleaned = _clean(kind, body, evidence_level, sources)
    before = note.source_list()
    after = [{"title": s.title, "url": s.url} for s in cleaned]
    if (
        kind == note.kind
        and body == note.body
        and evidence_level == note.evidence_level
        and before == after
    ):
        return NoteResult(content=note)
    ExpertNoteRevision.objects.create(
        note=note,
        kind=note.kind,
        body=note.body,
        evidence_level=note.evidence_level,
        sources=before,
    )
    note.kind = kind
    note.body = body
    note.evidence_level = evidence_level
    note.credential = credential if credential.pk else note.credential
    note.edited_at = timezone.now()
    result = publish(note, check_text=_check_text(body, cleaned))
    _save_sources(note, cleaned)
    audit.record(
        actor=editor,
        action="expertnotes.note_edited",
        target=note,
        data={"kind": kind, "status": note.status},
    )
    return _result(result)


@transaction.atomic
def set_helpful(*, user: User, note: ExpertNote, helpful: bool) -> bool:
    """``user`` marks ``note`` helpful (``helpful=True``) or takes the mark back.

    Preconditions: ``note`` fetched through ``access_note``. Refuses ``Http404`` (a
    visitor, a note not published) and ``NotHelpfulToSelf``. Idempotent: returns
    whether anything changed; ``helpful_count`` follows in the same transaction."""
    check_mark_helpful(user, note)
    if helpful:
        _, created = NoteHelpful.objects.get_or_create(note=note, user=user)
        changed, delta = created, 1
    else:
        deleted, _ = NoteHelpful.objects.filter(note=note, user=user).delete()
        changed, delta = bool(deleted), -1
    if changed:
        ExpertNote.objects.filter(pk=note.pk).update(
            helpful_count=F("helpful_count") + delta, updated_at=timezone.now()
        )
        note.refresh_from_db(fields=["helpful_count", "updated_at"])
    return changed


@transaction.atomic
def reply_to_note(*, author: User, note: ExpertNote, body: str, language: str = "sv") -> NoteResult:
    """The target's author answers ``note`` (once; they edit it afterwards).

    Refuses as ``permissions.check_reply`` does (``NotTargetAuthor``,
    ``TargetNotPublished``, ``MemberSanctioned``, ``ReplyExists``), ``InvalidNote``
    for an empty text, and the pipeline's ``ContentTooLong``. Effects: the reply goes
    through the pipeline; once published the note's author is told."""
    check_reply(author, note)
    if not body.strip():
        raise InvalidNote(
            "body", pgettext_lazy("expert note error", "Write your reply to the note.")
        )
    reply = NoteAuthorReply(note=note, author=author, body=body, language=language)
    try:
        with transaction.atomic():
            result = publish(reply)
    except IntegrityError:
        raise ReplyExists from None
    return _result(result)


@transaction.atomic
def edit_reply(*, reply: NoteAuthorReply, editor: User, body: str) -> NoteResult:
    """The reply's author changes it (``Http404`` for anyone else or a removed reply,
    ``NoteNotEditable`` for a hidden one). It goes through the pipeline again."""
    check_edit_reply(editor, reply)
    if not body.strip():
        raise InvalidNote(
            "body", pgettext_lazy("expert note error", "Write your reply to the note.")
        )
    if body == reply.body:
        return NoteResult(content=reply)
    reply.body = body
    reply.edited_at = timezone.now()
    return _result(publish(reply))


# --- notices (from the after-publish hook, notify.py) ------------------------------------


def tell(recipient_id: int | None, note: ExpertNote, kind: str) -> bool:
    """Create one notice (once per recipient, note and kind). Returns whether it is
    new."""
    if recipient_id is None:
        return False
    _, created = NoteNotice.objects.get_or_create(recipient_id=recipient_id, note=note, kind=kind)
    if created:
        forget_unread_notices(recipient_id)
    return created


@transaction.atomic
def notify_about_note(*, note: ExpertNote) -> bool:
    """A published note tells its target's author (not when they wrote it, which the
    rules forbid anyway). Idempotent: an edit or a retried hook tells nobody again."""
    if note.status != ContentStatus.PUBLISHED:
        return False
    recipient = target_author_id(note.target)
    if recipient is None or recipient == note.author_id:
        return False
    if not User.objects.filter(pk=recipient, is_active=True).exists():
        return False
    return tell(recipient, note, NoticeKind.NOTE_ADDED)


@transaction.atomic
def notify_about_reply(*, reply: NoteAuthorReply) -> bool:
    """A published reply tells the note's author, once."""
    if reply.status != ContentStatus.PUBLISHED:
        return False
    note = reply.note
    if note.author_id is None or note.author_id == reply.author_id:
        return False
    return tell(note.author_id, note, NoticeKind.NOTE_REPLY)


@transaction.atomic
def mark_notices_read(*, user: User) -> int:
    """Mark all of ``user``'s notices read. Returns how many were unread."""
    forget_unread_notices(user.pk)
    return NoteNotice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- moderation ---------------------------------------------------------------------------


@transaction.atomic
def set_content_status(content: ExpertNote | NoteAuthorReply, status: str) -> bool:
    """A moderator's change (through the moderation kinds, inside their audited
    decision): hidden, removed, or published (restored, or a held note kept). Content
    published now for the first time counts for its author and runs the after-publish
    hooks (so the target's author is told). Returns whether anything changed."""
    if content.status == status:
        return False
    first_publication = status == ContentStatus.PUBLISHED and content.published_at is None
    content.status = status
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        content.hold_reasons = []
        fields.append("hold_reasons")
        if first_publication:
            content.published_at = timezone.now()
            fields.append("published_at")
    content.save(update_fields=fields)
    if first_publication and content.author_id is not None:
        User.objects.filter(pk=content.author_id).update(published_count=F("published_count") + 1)
    if status == ContentStatus.PUBLISHED:
        label, pk = content._meta.label, content.pk
        transaction.on_commit(partial(run_after_publish.enqueue, label, pk))
    elif isinstance(content, ExpertNote):  # hidden or removed: out of search now
        transaction.on_commit(partial(indexing.remove, content._meta.label_lower, [content.pk]))
    return True


# --- erasure ------------------------------------------------------------------------------


@transaction.atomic
def remove_notes_of(user: User, *, published_too: bool) -> int:
    """Erasure: ``user``'s helpful marks and notices go; their notes and replies that
    were never shown (held, hidden, removed) go, and with ``published_too`` (remove
    mode) the published ones as well. In anonymise mode published notes and replies
    stay as a former member's (the author becomes empty when the account goes). Helpful
    counts stay right. Returns how many notes and replies were deleted."""
    for note_id in NoteHelpful.objects.filter(user=user).values_list("note_id", flat=True):
        ExpertNote.objects.filter(pk=note_id).update(helpful_count=F("helpful_count") - 1)
    NoteHelpful.objects.filter(user=user).delete()
    NoteNotice.objects.filter(recipient=user).delete()
    notes = ExpertNote.objects.filter(author=user)
    replies = NoteAuthorReply.objects.filter(author=user)
    if not published_too:
        notes = notes.exclude(status=ContentStatus.PUBLISHED)
        replies = replies.exclude(status=ContentStatus.PUBLISHED)
    count = 0
    for qs in (replies, notes):
        _deleted, per_model = qs.delete()
        count += per_model.get(qs.model._meta.label, 0)
    return count
