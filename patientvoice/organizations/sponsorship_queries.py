"""Reads about sponsorships and the people who work for sponsors (decisions/0038).

For the hot pages (no query when the cache is warm; one cache read each):

* ``funding_disclosures(community)``: what the funding notice shows on a community's
  pages (the site's sponsorships, then the community's), as hashable
  :class:`FundingNotice` tuples a remembered page can put in its key;
  ``active_sponsorships_for(community)`` and ``site_sponsorships()`` are its halves.
  One cached list of every sponsorship that is not over, filtered by today's date when
  read, so a sponsorship starts and ends on its dates without any write.
* ``sponsor_labels()``: ``{user_id: SponsorLabel}`` for everyone who works for a
  sponsor (a handful of people); ``sponsor_label_of(user)``, ``is_sponsor_staff(user)``
  and ``sponsor_staff_ids()`` read it.
* ``sponsor_organization_id(OuterRef("author_id"))``: the same fact as an SQL
  expression for pages that read their rows' keys in one query (as
  ``professionals.queries.active_credential_id``); ``labels_by_organization(ids)``
  turns the ids found into labels from the cache.

Both caches are dropped after commit by every action that changes what they hold
(``forget_sponsorships``, ``forget_sponsor_labels``), and expire after an hour anyway.

For the transparency page and the organisation page: ``funding_record(user)``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q, Subquery
from django.utils import timezone

from .models import Organization, OrganizationKind, OrganizationStaff, Sponsorship

CACHE_SECONDS = 3600
# The number names the shape of what is cached: change it when the dataclasses change.
SPONSORSHIPS_KEY = "pv:organizations:sponsorships:1"
LABELS_KEY = "pv:organizations:sponsor-labels:1"


@dataclass(frozen=True)
class FundingNotice:
    """What a funding notice shows of one sponsorship."""

    public_id: str
    sponsor_name: str
    sponsor_slug: str
    # None: the whole site.
    community_id: int | None
    starts_on: date
    ends_on: date | None

    def is_active(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


@dataclass(frozen=True)
class SponsorLabel:
    """Whom a person works for: "Works for <name> (sponsor)"."""

    organization_id: int
    name: str
    slug: str


# --- the funding notice -----------------------------------------------------------------


def _not_over(today: date) -> tuple[FundingNotice, ...]:
    rows = (
        Sponsorship.objects.filter(ended_at__isnull=True)  # visibility: public record
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "id")
        .values_list(
            "public_id", "sponsor__name", "sponsor__slug", "community_id", "starts_on", "ends_on"
        )
    )
    return tuple(
        FundingNotice(str(public_id), name, slug, community_id, starts_on, ends_on)
        for public_id, name, slug, community_id, starts_on, ends_on in rows
    )


# The notices are read on every page (base.html, the thread and community pages): a
# few seconds in this process's memory on top of the shared cache spare each request a
# cache read (a file read with the embedded file cache). A write drops both here, and
# other processes see it within LOCAL_SECONDS.
LOCAL_SECONDS = 5.0
_local: tuple[float, tuple[FundingNotice, ...]] | None = None


def _current_notices() -> tuple[FundingNotice, ...]:
    global _local
    now = time.monotonic()
    held = _local
    if held is not None and now - held[0] < LOCAL_SECONDS:
        return held[1]
    found: tuple[FundingNotice, ...] | None = cache.get(SPONSORSHIPS_KEY)
    if found is None:
        found = _not_over(timezone.localdate())
        cache.set(SPONSORSHIPS_KEY, found, CACHE_SECONDS)
    _local = (now, found)
    return found


def forget_in_process() -> None:
    """Drop this process's copy of the notices (tests start from nothing)."""
    global _local
    _local = None


def forget_sponsorships() -> None:
    """Drop the cached sponsorships (call after commit)."""
    forget_in_process()
    cache.delete(SPONSORSHIPS_KEY)


def _community_id(community: Any) -> int | None:
    if community is None or isinstance(community, int):
        return community
    pk: int | None = community.pk
    return pk


def site_sponsorships(*, today: date | None = None) -> tuple[FundingNotice, ...]:
    """The sponsorships of the whole site that apply today."""
    today = today or timezone.localdate()
    return tuple(n for n in _current_notices() if n.community_id is None and n.is_active(today))


def active_sponsorships_for(
    community: Any, *, today: date | None = None
) -> tuple[FundingNotice, ...]:
    """The sponsorships of ``community`` (a community or its id) that apply today, not
    counting the whole site's."""
    wanted = _community_id(community)
    if wanted is None:
        return ()
    today = today or timezone.localdate()
    return tuple(n for n in _current_notices() if n.community_id == wanted and n.is_active(today))


def funding_disclosures(
    community: Any = None, *, today: date | None = None
) -> tuple[FundingNotice, ...]:
    """Everything a page in ``community`` (or a site page: ``None``) must disclose:
    the site's sponsorships, then the community's. One cache read."""
    today = today or timezone.localdate()
    wanted = _community_id(community)
    notices = [n for n in _current_notices() if n.is_active(today)]
    site = [n for n in notices if n.community_id is None]
    own = [n for n in notices if wanted is not None and n.community_id == wanted]
    return (*site, *own)


def sponsored_community_ids(*, today: date | None = None) -> frozenset[int]:
    """Communities with a sponsorship of their own today (for a list's "funded" mark,
    or the safety screening's notion of a sponsored place)."""
    today = today or timezone.localdate()
    return frozenset(
        n.community_id
        for n in _current_notices()
        if n.community_id is not None and n.is_active(today)
    )


# --- sponsor staff ----------------------------------------------------------------------


def _labels_now() -> dict[int, SponsorLabel]:
    rows = (
        OrganizationStaff.objects.of_sponsors()  # visibility: public label
        .order_by("user_id", "organization__name", "organization_id")
        .values_list("user_id", "organization_id", "organization__name", "organization__slug")
    )
    labels: dict[int, SponsorLabel] = {}
    for user_id, organization_id, name, slug in rows:
        # Someone working for two sponsors is labelled with the first by name.
        labels.setdefault(user_id, SponsorLabel(organization_id, name, slug))
    return labels


def sponsor_labels() -> dict[int, SponsorLabel]:
    """``{user_id: SponsorLabel}`` for everyone who works for a sponsor (cached)."""
    found: dict[int, SponsorLabel] | None = cache.get(LABELS_KEY)
    if found is None:
        found = _labels_now()
        cache.set(LABELS_KEY, found, CACHE_SECONDS)
    return found


def forget_sponsor_labels() -> None:
    """Drop the cached labels (call after commit)."""
    cache.delete(LABELS_KEY)


def _user_id(user: Any) -> int | None:
    if user is None or isinstance(user, int):
        return user
    if not getattr(user, "is_authenticated", True):
        return None
    pk: int | None = getattr(user, "pk", None)
    return pk


def sponsor_label_of(user: Any) -> SponsorLabel | None:
    """The label of ``user`` (a user or an id), or None for everyone else."""
    user_id = _user_id(user)
    return sponsor_labels().get(user_id) if user_id is not None else None


def is_sponsor_staff(user: Any) -> bool:
    return sponsor_label_of(user) is not None


def sponsor_staff_ids() -> frozenset[int]:
    return frozenset(sponsor_labels())


def sponsor_organization_id(user_ref: Any) -> Subquery:
    """An SQL expression: the id of a sponsor the user ``user_ref`` names (an
    ``OuterRef``) works for, or NULL. One indexed subquery per row, for pages that
    read their keys in one query; the label's text comes from
    :func:`labels_by_organization`, so the page's key should hold that label too (a
    renamed sponsor must be shown renamed)."""
    roles = (
        OrganizationStaff.objects.of_sponsors()  # visibility: public label
        .filter(user_id=user_ref)
        .order_by("organization__name", "organization_id")
    )
    return Subquery(roles.values("organization_id")[:1])


def labels_by_organization(ids: Iterable[int | None]) -> dict[int, SponsorLabel]:
    """``{organization_id: SponsorLabel}`` for the sponsors among ``ids`` (None
    ignored): from the cached labels, one query only for a sponsor nobody works for
    any more in the cache's view (a race with a change)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    known = {label.organization_id: label for label in sponsor_labels().values()}
    found = {pk: known[pk] for pk in wanted if pk in known}
    missing = wanted - set(found)
    if missing:
        for pk, name, slug in Organization.objects.filter(
            pk__in=missing, kind=OrganizationKind.SPONSOR
        ).values_list("pk", "name", "slug"):
            found[pk] = SponsorLabel(pk, name, slug)
    return found


# --- the transparency page --------------------------------------------------------------


@dataclass(frozen=True)
class FundingLine:
    """One sponsorship as the transparency page shows it to one reader."""

    sponsorship: Sponsorship
    # Whether the reader may know the funded community (a private one is named only to
    # those who may know it exists; the others read "a private community").
    community_known: bool

    @property
    def amount(self) -> Decimal | None:
        return self.sponsorship.amount


@dataclass
class FundingRecord:
    current: list[FundingLine] = field(default_factory=list)
    upcoming: list[FundingLine] = field(default_factory=list)
    past: list[FundingLine] = field(default_factory=list)
    # The sponsors with a line above, and the staff accounts of each that the reader
    # may see (their profiles' own visibility rule).
    sponsors: list[Organization] = field(default_factory=list)
    staff: dict[int, list[Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.current or self.upcoming or self.past)


def funding_record(
    user: Any, *, sponsor: Organization | None = None, today: date | None = None
) -> FundingRecord:
    """Every sponsorship (of ``sponsor`` only, when given), as ``user`` may see it:
    current ones, those that start later, and past ones (ended or run out). Three
    queries at most, whatever the number of sponsorships."""
    from patientvoice.accounts.models import User
    from patientvoice.accounts.permissions import visible_users
    from patientvoice.communities.models import Community
    from patientvoice.communities.permissions import visible_communities

    today = today or timezone.localdate()
    rows = Sponsorship.objects.select_related(
        "sponsor", "community"
    ).order_by(  # visibility: public record
        "-starts_on", "-id"
    )
    if sponsor is not None:
        rows = rows.filter(sponsor=sponsor)
    sponsorships = list(rows)
    community_ids = {s.community_id for s in sponsorships if s.community_id is not None}
    known: set[int] = set()
    if community_ids:
        known = set(
            visible_communities(user, Community.objects.filter(pk__in=community_ids)).values_list(
                "pk", flat=True
            )
        )
    record = FundingRecord()
    sponsors: dict[int, Organization] = {}
    for sponsorship in sponsorships:
        line = FundingLine(
            sponsorship=sponsorship,
            community_known=sponsorship.community_id is None or sponsorship.community_id in known,
        )
        ended = sponsorship.ended_at is not None
        ran_out = sponsorship.ends_on is not None and sponsorship.ends_on < today
        if ended or ran_out:
            record.past.append(line)
        elif sponsorship.starts_on > today:
            record.upcoming.append(line)
        else:
            record.current.append(line)
        sponsors.setdefault(sponsorship.sponsor_id, sponsorship.sponsor)
    record.sponsors = sorted(sponsors.values(), key=lambda o: o.name.casefold())
    if sponsors:
        # Their profiles' own rule decides whom the reader sees listed (one query).
        readable = visible_users(user, User.objects.all())
        staff = (
            OrganizationStaff.objects.filter(organization_id__in=list(sponsors))
            .filter(user__in=readable)
            .select_related("user")
            .order_by("user__handle")
        )
        for role in staff:
            record.staff.setdefault(role.organization_id, []).append(role.user)
    return record
