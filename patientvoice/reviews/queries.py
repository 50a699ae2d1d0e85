"""Reads that pages, the API and exports share. Reviews pass through
``permissions.visible_reviews``; summaries count published reviews only, so they are
public as they are, and rankings read the summaries alone (one indexed query).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Exists, IntegerField, OuterRef, Q, QuerySet, Value

from patientvoice.accounts.permissions import is_acting_staff
from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import Clinic, Condition, Medicine
from patientvoice.expertnotes.presence import has_notes
from patientvoice.organizations.promotion import neutral_medicines, sponsor_controlled
from patientvoice.organizations.sponsorship_queries import sponsor_organization_id
from patientvoice.professionals.queries import active_credential_id

from .dimensions import KINDS, kind_for_entry
from .models import ClaimStatus, Kind, ProviderClaim, RatingSummary, Review
from .permissions import visible_reviews
from .statistics import SummaryView

# How an entry's reviews can be ordered; "helpful" comes with helpful marks.
ORDERS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}
DEFAULT_ORDER = "newest"


def reviews_for_entry(user: Any, entry: Any, order: str = DEFAULT_ORDER) -> QuerySet[Review]:
    """The reviews of ``entry`` that ``user`` may see (their own held one included),
    with author and condition, in ``order`` (an unknown order is the default). Page it:
    the query is the same whatever the number of reviews."""
    kind = kind_for_entry(entry)
    reviews = visible_reviews(user, Review.objects.filter(**{kind.entry_field: entry}))
    return _with_reply(user, kind.key, entry, reviews).order_by(
        *ORDERS.get(order, ORDERS[DEFAULT_ORDER])
    )


class PublishedReviews:
    """An entry's published reviews for a paginator, counted by the entry's summary
    (kept on write: it counts exactly the published reviews) rather than by a COUNT
    over the reviews table, so a page of a medicine with 10,000 reviews reads only the
    20 it shows (issue 5)."""

    def __init__(self, user: Any, entry: Any, count: int) -> None:
        kind = kind_for_entry(entry)
        published = visible_reviews(
            user,
            Review.objects.filter(status=ContentStatus.PUBLISHED, **{kind.entry_field: entry}),
        )
        self.reviews = _for_cards(user, kind.key, entry, published)
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[Review]:
        return list(self.reviews[index])


def own_unlisted_review(user: Any, entry: Any) -> Review | None:
    """The reader's own review of ``entry`` that others cannot see (held, or hidden by
    a moderator), with what its card shows, for the top of the entry's first page."""
    kind = kind_for_entry(entry)
    unlisted = visible_reviews(
        user,
        Review.objects.filter(
            author_id=getattr(user, "pk", None),
            status__in=(ContentStatus.HELD, ContentStatus.HIDDEN),
            **{kind.entry_field: entry},
        ),
    )
    return _for_cards(user, kind.key, entry, unlisted).first()


def _with_reply(user: Any, kind: str, entry: Any, reviews: QuerySet[Review]) -> QuerySet[Review]:
    # The provider's reply comes in the same query, and whether the reader speaks for
    # the entry (an approved claim: reply and dispute links) is one subquery, the same
    # on every row, so the review cards ask nothing more (decisions/0032).
    # The author's active credential as a verified professional (the badge) too, the
    # reader's own (the same on every row: "Add a note") and whether notes are attached.
    signed_in = bool(getattr(user, "is_authenticated", False))
    reader_credential: Any = (
        active_credential_id(user.pk) if signed_in else Value(None, output_field=IntegerField())
    )
    return reviews.select_related("author", "condition", "reply").annotate(
        viewer_is_provider=viewer_speaks_for(user, kind, entry),
        author_credential=active_credential_id(OuterRef("author_id")),
        reader_credential=reader_credential,
        has_notes=has_notes("review"),
        # The sponsor the author works for: "Works for X (sponsor)" (decisions/0038).
        sponsor_id=sponsor_organization_id(OuterRef("author_id")),
    )


def _for_cards(user: Any, kind: str, entry: Any, reviews: QuerySet[Review]) -> QuerySet[Review]:
    reviews = _with_reply(user, kind, entry, reviews)
    # Without what no card reads (the Markdown sources, the authors' accounts, the
    # conditions' search columns): building 20 rows of ~90 columns costs more than
    # the query.
    return reviews.defer(*NOT_ON_CARDS).order_by(*ORDERS[DEFAULT_ORDER])


NOT_ON_CARDS = (
    "body", "reply__body", "condition__synonyms_sv", "condition__synonyms_en",
    "condition__search_text", "condition__created_at",
    *(f"author__{name}" for name in (
        "password", "last_login", "is_superuser", "email", "handle_canonical", "bio",
        "presence", "preferred_language", "profile_audience", "age_confirmed_at",
        "is_trusted", "date_joined", "updated_at", "published_count",
        "erasure_requested_at", "erasure_mode", "consented_policy_version",
        "holds_organization_role",
    )),
)  # fmt: skip


def viewer_speaks_for(user: Any, kind: str, entry: Any) -> Exists | Value:
    """An expression: whether ``user`` holds an approved claim on ``entry``."""
    if not getattr(user, "is_authenticated", False) or kind == Kind.MEDICINE:
        return Value(False, output_field=BooleanField())
    return Exists(
        ProviderClaim.objects.filter(  # visibility: the reader's own claims, as a yes/no
            user_id=user.pk, status=ClaimStatus.APPROVED, **{f"{kind}_id": entry.pk}
        )
    )


def _summary_row(entry: Any, condition: Condition | None) -> RatingSummary | None:
    kind = kind_for_entry(entry)
    return RatingSummary.objects.filter(
        kind=kind.key, **{kind.entry_field: entry}, condition=condition
    ).first()


def summary_for(entry: Any, condition: Condition | None = None) -> SummaryView:
    """The summary of ``entry``'s published reviews (one query), or of those that name
    ``condition`` (medicines). ``SummaryView.enough`` says whether to show it."""
    return SummaryView.from_row(_summary_row(entry, condition), kind_for_entry(entry))


@dataclass(frozen=True)
class Ranked:
    """One line of a ranking: the entry and its summary."""

    entry: Any
    summary: SummaryView


RANKING_ORDER = ("-adjusted", "-count", "id")


def _ranked(rows: QuerySet[RatingSummary], kind: str, limit: int, offset: int) -> list[Ranked]:
    # The page's lines are picked from narrow rows (id and the sort keys), then only
    # those are read whole: sorting 20,000 whole summaries (their JSON, the entry's
    # columns) for a page deep in the list spilled to disk on PostgreSQL
    # (bench/ranking.py). Still one query.
    page = rows.order_by(*RANKING_ORDER).values("pk")[offset : offset + limit]
    found = RatingSummary.objects.filter(pk__in=page).select_related(kind)
    return [
        Ranked(entry=getattr(row, kind), summary=SummaryView.from_row(row, KINDS[kind]))
        for row in found.order_by(*RANKING_ORDER)
    ]


def ranked_medicines_for_condition(
    condition: Condition | None, *, limit: int = 20, offset: int = 0
) -> list[Ranked]:
    """Medicines by the Bayesian-adjusted score of the reviews that name ``condition``
    (``None``: of all their reviews), best first; active medicines only. One query on
    the summaries' ranking index."""
    rows = _medicine_lines(condition)
    return _ranked(rows, Kind.MEDICINE, limit, offset)


def count_ranked_medicines_for_condition(condition: Condition | None) -> int:
    """How many lines ``ranked_medicines_for_condition`` has in all (to page it)."""
    return _medicine_lines(condition).count()


def _medicine_lines(condition: Condition | None) -> QuerySet[RatingSummary]:
    # Inactive medicines are left out against the few of them (an anti-join on a small
    # set), not by joining every line to its medicine: the ranking index is then read in
    # order, however deep the page (bench/ranking.py).
    inactive = Medicine.objects.filter(is_active=False).values("pk")
    lines = RatingSummary.objects.filter(kind=Kind.MEDICINE, condition=condition).exclude(
        medicine__in=inactive
    )
    if sponsor_controlled():
        # Sponsor-controlled deployments rank no prescription medicine (decisions/0038).
        lines = lines.exclude(medicine__in=neutral_medicines())
    return lines


def ranked_clinics(*, region: str = "", limit: int = 20, offset: int = 0) -> list[Ranked]:
    """Clinics by adjusted score, best first, in ``region`` when given. One query."""
    rows = RatingSummary.objects.filter(
        kind=Kind.CLINIC, condition__isnull=True, clinic__is_active=True
    )
    if region:
        rows = rows.filter(clinic__region=region)
    return _ranked(rows, Kind.CLINIC, limit, offset)


def summaries_for(entries: list[Medicine] | list[Clinic] | list[Any]) -> dict[int, SummaryView]:
    """Summaries of several entries of one kind, by entry pk (one query; for lists)."""
    if not entries:
        return {}
    kind = kind_for_entry(entries[0])
    rows = RatingSummary.objects.filter(
        kind=kind.key, condition__isnull=True, **{f"{kind.entry_field}__in": entries}
    )
    found = {getattr(row, f"{kind.entry_field}_id"): row for row in rows}
    return {entry.pk: SummaryView.from_row(found.get(entry.pk), kind) for entry in entries}


def page_of_review(user: Any, review: Review, per_page: int) -> int:
    """The page of its entry's reviews (newest first, ``per_page`` a page) on which
    ``user`` finds ``review``, which they may see. Acting staff page through every
    review; others through the published ones, with their own unpublished review at
    the top of the first page."""
    kind = review.review_kind
    if not is_acting_staff(user) and review.status != ContentStatus.PUBLISHED:
        return 1
    # Counted, never shown: staff page through all reviews, others the published ones.
    listed = Review.objects.filter(**{kind.entry_field: review.entry})  # visibility: counted
    if not is_acting_staff(user):
        listed = listed.filter(status=ContentStatus.PUBLISHED)
    newer = listed.filter(
        Q(created_at__gt=review.created_at) | Q(created_at=review.created_at, id__gt=review.id)
    ).count()
    return newer // per_page + 1
