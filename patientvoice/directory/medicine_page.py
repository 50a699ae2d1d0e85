"""The medicine page remembered per state (issue 5: a medicine with 10,000 reviews at
>= 1,000 requests/s for a member; decisions/0029, addendum).

Building the page afresh costs ~20 ms of CPU, nearly all of it Django building five
querysets, compiling them and turning rows into model instances; the SQL itself takes
~1 ms. So the page asks the same questions as plain rows, through queries compiled once
per shape (``core.prepared``): the medicine, its summary, the reader's own review, the
discussions the reader may read and the keys of the review cards on the page shown.
Those rows, with the reader's header and the address, are the page's key: the whole
page, rendered once per key, is kept in ``MEDICINE_PAGES`` cut at its CSRF slots, and a
request whose key was seen before is answered with one join.

The key must name everything the page shows. The differential test
(``tests/test_medicine_page.py``) renders pages remembered before each kind of change
and afresh after it, for each kind of reader: a value the page shows that is missing
here fails it. A page with something of this request alone (a message, a help panel,
the reader's own review that others cannot see) and the pages of acting staff (who see
reviews in every state) are rendered afresh and not kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import is_acting_staff
from patientvoice.communities.queries import tagged_threads
from patientvoice.communities.thread_page import header_key
from patientvoice.core.fragments import FragmentMemo, join_pieces
from patientvoice.core.models import ContentStatus
from patientvoice.core.prepared import PreparedValues, stand_in_reader
from patientvoice.expertnotes.presence import has_notes, may_offer_note
from patientvoice.expertnotes.queries import note_state_key, notes_for
from patientvoice.notifications.queries import header_unread_expression
from patientvoice.organizations.promotion import neutral_medicine_page
from patientvoice.organizations.sponsorship_queries import (
    labels_by_organization,
    site_sponsorships,
    sponsor_organization_id,
)
from patientvoice.professionals.queries import active_credential_id
from patientvoice.reviews.models import OLD_AFTER, Kind, RatingSummary, Review
from patientvoice.reviews.permissions import visible_reviews
from patientvoice.reviews.queries import DEFAULT_ORDER, ORDERS
from patientvoice.reviews.views import REVIEWS_PER_PAGE

from .models import Medicine

# The medicine page lists the most recently active discussions tagged with it.
DISCUSSIONS_ON_MEDICINE_PAGE = 10

# Whole pages cut at their CSRF slots: ~40 KB each, at most ~20 MB per process.
MEDICINE_PAGES = FragmentMemo[tuple[str, ...]]("medicine pages", size=500)


def _reader(shape: tuple[Any, ...], values: dict[str, Any]) -> Any:
    """The request's user as the visibility rules read it (acting staff never come here)."""
    return stand_in_reader(shape[0], values.get("user"), suspended=shape[1])


# Everything the page shows of the medicine (search_text follows from the rest).
_MEDICINE_COLUMNS = tuple(
    field.attname for field in Medicine._meta.concrete_fields if field.name != "search_text"
)
_PRESCRIPTION = _MEDICINE_COLUMNS.index("prescription")


def _summary_of(column: str, values: dict[str, Any]) -> Subquery:
    # reviews.queries.summary_for: the row for all conditions. Every change of the row
    # moves its updated_at (reviews.aggregates._locked_row); a rebuilt row is a new id.
    row = RatingSummary.objects.filter(
        kind=Kind.MEDICINE, medicine_id=OuterRef("pk"), condition__isnull=True
    )
    return Subquery(row.values(column)[:1])


def _medicine(shape: tuple[()], values: dict[str, Any]) -> QuerySet[Any, Any]:
    # medicine_detail answers 404 for an unknown or inactive medicine (active_medicine).
    return Medicine.objects.filter(slug=values["slug"], is_active=True).values_list(
        *_MEDICINE_COLUMNS,
        _summary_of("count", values),
        _summary_of("id", values),
        Cast(_summary_of("updated_at", values), CharField()),
    )


def _reader_row(shape: tuple[()], values: dict[str, Any]) -> QuerySet[Any, Any]:
    # The signed-in reader's own review (reviews.permissions.own_review_of: one per
    # member per entry) and the header's notifications number, which the header then
    # does not ask the cache for (request.header_unread, as on the thread page).
    own = Review.objects.filter(author_id=OuterRef("pk"), medicine_id=values["medicine"])
    return User.objects.filter(pk=values["user"]).values_list(
        Subquery(own.values("public_id")[:1]),
        Subquery(own.values("status")[:1]),
        header_unread_expression(OuterRef("pk")),
        # Their active credential as a professional: the cards' "Add a note".
        active_credential_id(OuterRef("pk")),
    )


def _discussions(shape: tuple[Any, ...], values: dict[str, Any]) -> QuerySet[Any, Any]:
    # What the page lists (communities.queries.tagged_threads) and shows of each.
    medicine = Medicine(pk=values["medicine"])
    return tagged_threads(_reader(shape, values), medicine).values_list(
        "public_id", "title", "post_count", "community__slug", "community__name",
        "community__language",
    )[:DISCUSSIONS_ON_MEDICINE_PAGE]  # fmt: skip


# What each review card shows (reviews.views._card_key) besides what follows from the
# reader: the row's state (every save moves updated_at), the author's handle, the
# condition's names, the reply's state. Times only tell states apart here: as text,
# which spares SQLite's driver parsing ~100 datetimes a page (published_at is read).
_AS_TEXT = {
    "updated_at", "edited_at", "reply__updated_at", "reply__edited_at", "reply__helped_at",
    "reply__change_made_at", "reply__voice_ended_at",
}  # fmt: skip
_CARD_COLUMNS = (
    "id", "updated_at", "status", "edited_at", "author_id", "author__handle",
    "condition__name_sv", "condition__name_en", "published_at",
    "reply__id", "reply__updated_at", "reply__status", "reply__edited_at", "reply__helped_at",
    "reply__change_made_at", "reply__change_note", "reply__author_role", "reply__author_id",
    "reply__voice_ended_at",
)  # fmt: skip
_AUTHOR, _PUBLISHED, _REPLY_AUTHOR = 4, 8, 17
_HAS_NOTES = len(_CARD_COLUMNS) + 1
_SPONSOR = len(_CARD_COLUMNS) + 2


def _card_columns() -> list[Any]:
    # And the author's active credential (the badge: reviews.queries._with_reply), and
    # whether expert notes are attached (then they are fetched: notes_for).
    return [
        *(Cast(c, CharField()) if c in _AS_TEXT else c for c in _CARD_COLUMNS),
        active_credential_id(OuterRef("author_id")),
        has_notes("review"),
        sponsor_organization_id(OuterRef("author_id")),
    ]


def _cards(shape: tuple[Any, ...], values: dict[str, Any]) -> QuerySet[Any, Any]:
    # reviews.queries.PublishedReviews, page by page (the slice is part of the SQL, so
    # the page number is part of the shape; it never exceeds the summary's pages).
    number = shape[2]
    published = visible_reviews(
        _reader(shape, values),
        Review.objects.filter(status=ContentStatus.PUBLISHED, medicine_id=values["medicine"]),
    )
    start = (number - 1) * REVIEWS_PER_PAGE
    return published.order_by(*ORDERS[DEFAULT_ORDER]).values_list(*_card_columns())[
        start : start + REVIEWS_PER_PAGE
    ]


MEDICINE_ROW = PreparedValues(_medicine)
READER_ROW = PreparedValues(_reader_row)
DISCUSSION_ROWS = PreparedValues(_discussions)
CARD_ROWS = PreparedValues(_cards)


def _hashable(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """``row`` as a key: JSON the database gives as lists or dicts (PostgreSQL) as text."""
    try:
        hash(row)
    except TypeError:
        pass
    else:
        return row
    return tuple(v if isinstance(v, str | int | float | None) else repr(v) for v in row)


def _is_old(published_at: Any, cutoff: datetime) -> bool:
    """``Review.is_older_than_two_years`` on the raw value (SQLite gives text)."""
    if published_at is None:
        return False
    if isinstance(published_at, str):
        published_at = datetime.fromisoformat(published_at)
    if timezone.is_naive(published_at):
        published_at = published_at.replace(tzinfo=UTC)
    return bool(published_at < cutoff)


def _page_number(request: HttpRequest, count: int) -> int:
    """The page ``entry_reviews``' paginator shows for ``?page=`` among ``count``
    reviews (the summary's count): the same ``Paginator.get_page``, over a range."""
    return Paginator(range(count), REVIEWS_PER_PAGE).get_page(request.GET.get("page")).number


class Missing(Exception):
    """No active medicine has the slug (the page answers 404)."""


def page_key(request: HttpRequest, slug: str) -> tuple[Any, ...] | None:
    """The key of the medicine page this request sees, or None when it is rendered
    afresh and not kept. Raises ``Missing`` for an unknown or inactive medicine."""
    user = request.user
    signed_in = bool(user.is_authenticated)
    if is_acting_staff(user) or messages.get_messages(request):
        return None
    if signed_in and "pv_help_panels" in request.session:
        return None
    found = MEDICINE_ROW.rows((), {"slug": slug})
    if not found:
        raise Missing
    medicine = _hashable(found[0])
    medicine_id, count = medicine[0], int(medicine[len(_MEDICINE_COLUMNS)] or 0)
    values: dict[str, Any] = {"medicine": medicine_id}
    own: tuple[Any, ...] = ()
    professional = False
    if signed_in:
        values["user"] = user.pk
        reader = READER_ROW.rows((), values)
        if not reader:  # the account went away during the request
            return None
        public_id, status, unread, credential = reader[0]
        professional = credential is not None
        request.header_unread = unread  # type: ignore[attr-defined]
        if public_id is not None:
            own = (str(public_id), status)
            if status != ContentStatus.PUBLISHED:
                return None  # their held or hidden review opens the first page
    suspended = bool(getattr(user, "privileges_suspended", False))
    number = _page_number(request, count)
    shape = (signed_in, suspended)
    cutoff = timezone.now() - OLD_AFTER
    user_id = user.pk if signed_in else None
    rows = CARD_ROWS.rows((*shape, number), values) if count else []
    # The expert notes on the cards, as this reader sees them (only when there are).
    noted = [row[0] for row in rows if row[_HAS_NOTES]]
    notes = notes_for(user, "review", noted) if noted else {}
    # The label's text, not only the sponsor's id: a renamed sponsor shows renamed.
    labels = labels_by_organization(row[_SPONSOR] for row in rows)
    cards = tuple(
        (
            *_hashable(row),
            row[_AUTHOR] == user_id,  # the reader's own (edit links)
            _is_old(row[_PUBLISHED], cutoff),
            row[_REPLY_AUTHOR] is not None and row[_REPLY_AUTHOR] == user_id,
            note_state_key(notes.get(row[0])),
            may_offer_note(
                reader_id=user_id,
                reader_is_professional=professional,
                target_author_id=row[_AUTHOR],
                target_published=True,  # the cards of this query are published ones
                notes=notes.get(row[0]),
            ),
            labels.get(row[_SPONSOR]) if row[_SPONSOR] is not None else None,
        )
        for row in rows
    )
    return (
        get_language(),
        timezone.get_current_timezone_name(),
        request.get_full_path(),  # the language switch and the pages' links
        header_key(request),
        signed_in,
        medicine,  # with its summary's count, id and version
        own,
        number,
        cards,
        tuple(_hashable(row) for row in DISCUSSION_ROWS.rows(shape, values)),
        site_sponsorships(),  # the site's funding notice (base.html, decisions/0038)
        neutral_medicine_page(SimpleNamespace(prescription=medicine[_PRESCRIPTION])),
    )


def respond(request: HttpRequest, pieces: tuple[str, ...]) -> HttpResponse:
    """The remembered page with this request's CSRF token, joined once."""
    response = HttpResponse(join_pieces(request, [pieces]))
    response.csrf_filled = True  # type: ignore[attr-defined]
    return response
