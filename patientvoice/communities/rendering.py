"""The thread page's posts, rendered once per state and remembered (core.fragments).

The thread page is the hot page (PERFORMANCE.md; the issue asks 1,000 requests/s for a
member on two cores). Rendering 50 posts through the template engine costs ~10 ms, so
a page is built in two steps:

1. One narrow query (``permissions.visible_entries_of``) returns, for each entry on
   the page, the columns that decide how it looks: its row version (``updated_at``,
   which every save moves), status, counts, author handle, and the post it answers.
   Together with what the reader may do (own post, reactions given, may mark, may
   reply) and the page's language, that tuple is the fragment's key. Whether an entry
   has expert notes comes with it; only then are the notes fetched (three queries,
   ``expertnotes.queries.notes_for``) and their state (``note_state_key``) joins the key.
2. Only entries whose key is not remembered are fetched in full (``page_entries``) and
   rendered with the template partial ``thread_detail.html#post``. After the first
   reader, a page costs the narrow query and string joins.

Everything shown is in the key, so a changed post is a new key: nothing is ever
invalidated. The visibility rule decides which entries are on the page in step 1;
step 2 fetches through it again (``queries.page_entries``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

from patientvoice.core.fragments import CSRF_SLOT, FragmentMemo, csrf_pieces
from patientvoice.core.models import ContentStatus
from patientvoice.core.prepared import PreparedValues
from patientvoice.expertnotes.presence import has_notes, may_offer_note
from patientvoice.expertnotes.queries import note_state_key, notes_for
from patientvoice.organizations.sponsorship_queries import (
    labels_by_organization,
    sponsor_organization_id,
)
from patientvoice.professionals.queries import active_credential_id, credentials_by_id
from patientvoice.safety.queries import own_signal_expression

from .models import POSTS_PER_PAGE, REACTION_COUNT_FIELDS, Post, Reaction, ReactionKind, Thread
from .permissions import Roles, can_mark_best_answer, is_site_staff, visible_entries_of
from .queries import own_reactions, page_entries

# ~2 KB each: at most ~20 MB per server process.
POST_FRAGMENTS = FragmentMemo[tuple[str, ...]]("thread posts", size=10_000)


class Entry(NamedTuple):
    """What decides how one entry of the page looks (``KEY_FIELDS``, in order)."""

    pk: int
    position: int
    version: Any  # updated_at, as text: a key, never shown
    status: str
    author_id: int | None
    author_handle: str | None
    helpful_count: int
    hug_count: int
    me_too_count: int
    reply_to_id: int | None
    reply_to_status: str | None
    reply_to_author_id: int | None
    reply_to_author_handle: str | None
    # The kinds of reaction the reader gave, as bits (REACTION_BITS); None for none.
    gave: int | None
    # The author's active credential as a verified professional (the badge), or None.
    credential_id: int | None
    # Whether expert notes are attached (in any state): only then are they fetched.
    has_notes: bool
    # The reader's own active credential (the same on every row): "Add a note".
    reader_credential: int | None
    # The reader wrote it and it raised a safety signal: "Report it yourself".
    signalled: bool
    # The sponsor the author works for (the label "Works for X (sponsor)"), or None.
    sponsor_id: int | None

    def given(self) -> tuple[str, ...]:
        """The kinds of reaction the reader gave, in REACTION_BITS order."""
        gave = self.gave or 0
        return tuple(kind for kind, bit in REACTION_BITS.items() if gave & bit)


KEY_FIELDS = (
    "pk", "position", "version", "status", "author_id", "author__handle",
    "helpful_count", "hug_count", "me_too_count",
    "reply_to_id", "reply_to__status", "reply_to__author_id", "reply_to__author__handle",
    "gave", "credential_id", "has_notes", "reader_credential", "signalled", "sponsor_id",
)  # fmt: skip
REACTION_BITS = {kind.value: 1 << index for index, kind in enumerate(ReactionKind)}


def _entry_keys(shape: tuple[bool, bool, bool], values: dict[str, Any]) -> QuerySet[Post, Any]:
    """The entries of a page and what decides how each looks, through the visibility
    rule, for a reader and thread of this shape (built once per shape)."""
    staff, signed_in, published = shape
    reader = SimpleNamespace(pk=values.get("user"), is_authenticated=signed_in, is_staff=staff)
    thread = SimpleNamespace(pk=values["thread"], is_published=published)
    entries = visible_entries_of(reader, thread)  # type: ignore[arg-type]
    # The reader's own reactions come in the same rows, as bits: one search of the
    # reaction table's unique index (post, user, kind) per post, not a second query.
    gave: Any = Value(None, output_field=IntegerField())
    reader_credential: Any = Value(None, output_field=IntegerField())
    signalled: Any = Value(False, output_field=BooleanField())
    if signed_in:
        # Not correlated with the row: both SQLite and PostgreSQL run it once.
        reader_credential = active_credential_id(values["user"])
        signalled = own_signal_expression("communities.post", values["user"])
        bits = Case(
            *(When(kind=kind, then=Value(bit)) for kind, bit in REACTION_BITS.items()),
            output_field=IntegerField(),
        )
        mine = (
            Reaction.objects.filter(post=OuterRef("pk"), user_id=values["user"])
            .order_by()
            .values("post")
            .annotate(bits=Sum(bits))
            .values("bits")
        )
        gave = Subquery(mine, output_field=IntegerField())
    # The row version as text: nobody reads it as a date, and SQLite would parse
    # each one in Python (a datetime column's converter) on the page asked most.
    version = Cast("updated_at", output_field=CharField())
    entries = entries.annotate(
        gave=gave,
        version=version,
        credential_id=active_credential_id(OuterRef("author_id")),
        has_notes=has_notes("post"),
        reader_credential=reader_credential,
        signalled=signalled,
        sponsor_id=sponsor_organization_id(OuterRef("author_id")),
    )
    return (
        entries.filter(position__gt=values["after"], position__lte=values["last"])
        .order_by("position")
        .values_list(*KEY_FIELDS)
    )


# Compiled once per shape (core.prepared): building the rule costs more than running it.
ENTRY_KEYS = PreparedValues(_entry_keys)


@dataclass
class PostsPage:
    """One page of a thread: the entries at 50 consecutive positions (decisions/0023),
    with their HTML. Has what ``includes/pagination.html`` reads, with no count query:
    the number of pages comes from the thread's last position."""

    number: int
    num_pages: int
    object_list: list[Entry] = field(default_factory=list)
    # Each post's HTML cut at its CSRF slots (core.fragments.csrf_pieces).
    parts: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def html(self) -> SafeString:
        """The posts' HTML, with the CSRF slot (CsrfSlotMiddleware fills it)."""
        return mark_safe("".join(CSRF_SLOT.join(pieces) for pieces in self.parts))

    @property
    def paginator(self) -> PostsPage:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(thread: Thread, user: Any, asked: str | None) -> tuple[int, int]:
    """(page, number of pages) for ``?page=``: ``last``, a number (clamped to the
    pages there are) or anything else (page 1). Visitors see no held posts, so their
    pages end at the last published one."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    last = thread.last_position if signed_in else thread.last_published_position
    num_pages = max(1, -(-last // POSTS_PER_PAGE))
    if asked == "last":
        return num_pages, num_pages
    try:
        number = int(asked or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), num_pages), num_pages


def posts_page(
    user: Any, thread: Thread, asked: str | None, roles: Roles, *, can_post: bool
) -> PostsPage:
    """Page ``asked`` of the thread for ``user``, its HTML built from remembered
    fragments: one query (the entries' keys, with the reader's reactions on them), three
    more when some entry has expert notes, and more only for entries nobody has seen in
    their present state."""
    number, num_pages = page_number(thread, user, asked)
    last = number * POSTS_PER_PAGE
    signed_in = bool(getattr(user, "is_authenticated", False))
    staff = is_site_staff(user)
    shape = (staff, signed_in, thread.is_published)
    values = {"thread": thread.pk, "after": last - POSTS_PER_PAGE, "last": last}
    if signed_in:  # (staff see every entry, but their own reactions are asked too)
        values["user"] = user.pk
    entries = [Entry(*row) for row in ENTRY_KEYS.rows(shape, values)]
    page = PostsPage(number=number, num_pages=num_pages, object_list=entries)
    if not entries:
        return page
    user_id = getattr(user, "pk", None)
    may_mark = can_mark_best_answer(user, thread, roles)
    question = getattr(thread, "pv_question_field", None) is not None
    asker = getattr(thread, "pv_question_asker", None) if question else False
    shared = (
        get_language(),
        timezone.get_current_timezone_name(),
        thread.get_absolute_url(),
        thread.best_answer_id,
        number,
        can_post,
        may_mark,
        user_id is not None,
        # A question for professionals: their answers are highlighted (decisions/0037).
        asker,
    )
    # Expert notes: fetched (three queries) only on a page where some entry has them,
    # and keyed by everything they show to this reader.
    noted = [entry.pk for entry in entries if entry.has_notes]
    notes = notes_for(user, "post", noted) if noted else {}
    # Sponsor staff are labelled (decisions/0038); the label's text is part of the key.
    labels = labels_by_organization(entry.sponsor_id for entry in entries)
    keys = [
        (
            entry,
            shared,
            entry.author_id is not None and entry.author_id == user_id,
            entry.reply_to_author_id is not None and entry.reply_to_author_id == user_id,
            note_state_key(notes.get(entry.pk)) if entry.has_notes else (),
            labels.get(entry.sponsor_id) if entry.sponsor_id is not None else None,
        )
        for entry in entries
    ]
    html = [POST_FRAGMENTS.get(key) for key in keys]
    missing = {entries[i].pk: i for i, fragment in enumerate(html) if fragment is None}
    if missing:
        posts = page_entries(user, thread, number, pks=list(missing))
        given = {entry.pk: set(entry.given()) for entry in entries}
        add_post_controls(user, thread, posts, roles, given=given)
        # The badges of the professionals among them (one query, only when there are).
        credentials = credentials_by_id(
            found for i in missing.values() if (found := entries[i].credential_id) is not None
        )
        template = get_template("communities/thread_detail.html#post")
        context = {
            "thread": thread,
            "thread_url": shared[2],
            "flag_url": flag_url(shared[0]),
            "can_post": can_post,
            "page": page,
            "csrf_token": CSRF_SLOT,
            "credentials": credentials,
        }
        for post in posts:
            index = missing[post.pk]
            entry = entries[index]
            post.shown_notes = notes.get(post.pk, [])  # type: ignore[attr-defined]
            post.report_yourself = bool(entry.signalled)  # type: ignore[attr-defined]
            post.sponsor_label = keys[index][5]  # type: ignore[attr-defined]
            post.professional_answer = (  # type: ignore[attr-defined]
                question
                and entry.credential_id is not None
                and post.position > 1
                and (asker is None or post.author_id != asker)
            )
            post.can_add_note = may_offer_note(  # type: ignore[attr-defined]
                reader_id=user_id,
                reader_is_professional=entry.reader_credential is not None,
                target_author_id=post.author_id,
                target_published=post.is_published and thread.is_published,
                notes=post.shown_notes,  # type: ignore[attr-defined]
            )
            pieces = csrf_pieces(template.render({**context, "post": post}))
            html[index] = pieces
            POST_FRAGMENTS.put(keys[index], pieces)
    page.parts = [pieces or ("",) for pieces in html]
    return page


@lru_cache(maxsize=8)
def flag_url(language: str) -> str:
    """The start of a post's "Report" address in ``language`` (the post's public id
    and a slash complete it): looked up once, not once per post."""
    blank = uuid.UUID(int=0)
    with override(language):
        return reverse("moderation:flag", args=["post", blank]).removesuffix(f"{blank}/")


def add_post_controls(
    user: Any,
    thread: Thread,
    posts: list[Post],
    roles: Roles | None = None,
    given: dict[int, set[str]] | None = None,
) -> None:
    """Give each post what its template needs to show: the reaction buttons (count,
    and whether the viewer pressed it; the viewer's own reactions come in one query
    for the page), whether the viewer may edit, delete or mark it, and whether the
    post it answers may be named. No query per post."""
    if given is None:
        given = own_reactions(user, [post.pk for post in posts])
    signed_in = bool(getattr(user, "is_authenticated", False))
    user_id = getattr(user, "pk", None)
    choices = ReactionKind.choices
    may_mark = roles is not None and can_mark_best_answer(user, thread, roles)
    for post in posts:
        mine = given.get(post.pk, ())
        post.reaction_buttons = [  # type: ignore[attr-defined]
            (kind, label, getattr(post, REACTION_COUNT_FIELDS[kind]), kind in mine)
            for kind, label in choices
        ]
        published = post.status == ContentStatus.PUBLISHED
        own = user_id is not None and post.author_id == user_id
        post.can_react = signed_in and published  # type: ignore[attr-defined]
        post.can_edit = own and published  # type: ignore[attr-defined]
        post.can_delete = own and post.status in (  # type: ignore[attr-defined]
            ContentStatus.PUBLISHED,
            ContentStatus.HELD,
        )
        post.can_mark = may_mark and published and post.position > 1  # type: ignore[attr-defined]
        answered = post.reply_to
        post.answered_visible = answered is not None and (  # type: ignore[attr-defined]
            answered.status == ContentStatus.PUBLISHED
            or (user_id is not None and answered.author_id == user_id)
        )
