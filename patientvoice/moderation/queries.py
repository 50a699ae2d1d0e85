"""Reads for the moderation pages, the API, the header badge and the transparency report.

Every list of cases, appeals, statements, notes and sanctions passes through
``permissions.visible_*``; a member's content through the kind's own visibility rule.
The queue is one query whatever its length (the case keeps what a row shows).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from patientvoice.communities.models import Community

from .models import (
    LEGAL_GROUNDS,
    Appeal,
    AppealStatus,
    Case,
    CaseSource,
    CaseStatus,
    ContentLabel,
    Decision,
    ModeratorNote,
    Report,
    Sanction,
    StatementOfReasons,
)
from .permissions import (
    check_see_member_history,
    visible_appeals,
    visible_cases,
    visible_notes,
    visible_sanctions,
    visible_statements,
)
from .registry import kinds

# The queue's order: urgent first, then severity, trusted flaggers, the oldest.
QUEUE_ORDER = ("-urgent", "-severity", "-trusted", "opened_at", "id")


def queue(
    user: Any, community: Community | None = None, *, site_only: bool = False
) -> QuerySet[Case]:
    """The open cases ``user`` may decide, in queue order, with what a row shows (its
    community, assignee, author and how many reports it has) in the same query. Narrowed
    to one ``community``, or with ``site_only`` to the site-wide queue (staff)."""
    reports = (
        Report.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("pk"))
    )
    qs = visible_cases(
        user,
        Case.objects.filter(status=CaseStatus.OPEN).select_related(
            "community", "assignee", "author"
        ),
    )
    if community is not None:
        qs = qs.filter(community=community)
    elif site_only:
        qs = qs.filter(community__isnull=True, organization__isnull=True)
    return qs.annotate(report_count=Coalesce(Subquery(reports.values("n")), 0)).order_by(
        *QUEUE_ORDER
    )


def open_count(user: Any) -> int:
    """The number on the moderators' header badge: one COUNT over the queue index."""
    return visible_cases(user, Case.objects.filter(status=CaseStatus.OPEN)).count()


def case_reports(user: Any, case: Case) -> QuerySet[Report]:
    """The reports that joined ``case``, for someone who may decide it (none otherwise).
    The senders' addresses are for the e-mails, not for moderators' eyes: pages show
    ``reporter_name`` and whether it was a notice."""
    cases = visible_cases(user, Case.objects.filter(pk=case.pk))
    return (
        Report.objects.filter(case__in=cases)
        .select_related("reporter")
        .order_by("-trusted", "created_at", "id")
    )


def appeal_queue(user: Any) -> QuerySet[Appeal]:
    """Open appeals ``user`` may decide: on cases they may decide, not against their own
    decision (DSA art. 20(6)), oldest first."""
    qs = visible_appeals(
        user,
        Appeal.objects.filter(status=AppealStatus.OPEN).select_related(
            "statement__decision__case__community", "appellant"
        ),
    )
    if getattr(user, "pk", None) is not None:
        qs = qs.exclude(statement__decision__moderator_id=user.pk)
    return qs.order_by("created_at", "id")


def statements_for(user: Any) -> QuerySet[StatementOfReasons]:
    """The member's own statements of reasons, newest first, with their appeals."""
    if not getattr(user, "is_authenticated", False):
        return StatementOfReasons.objects.none()
    return (
        visible_statements(user, StatementOfReasons.objects.filter(recipient_id=user.pk))
        .select_related("appeal")
        .order_by("-created_at", "-id")
    )


def _unread_statements_key(user_id: int) -> str:
    return f"pv:statements-unread:{user_id}"


def unread_statement_count(user: Any) -> int:
    """Statements the member has not opened yet (their in-app notification: counted
    in the header's notifications badge and listed in the notification centre),
    cached per person; ``forget_unread_statements`` when that changes."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_statements_key(user.pk)
    count = cache.get(key)
    if count is None:
        # The person's own statements: always theirs to see.
        mine = StatementOfReasons.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        count = mine.count()  # visibility: the recipient's own statements
        cache.set(key, count, UNREAD_STATEMENTS_SECONDS)
    return int(count)


UNREAD_STATEMENTS_SECONDS = 300


def forget_unread_statements(user_id: int) -> None:
    cache.delete(_unread_statements_key(user_id))


def reports_by(user: Any) -> QuerySet[Report]:
    """The reports ``user`` sent, newest first, with their case's status."""
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    return (
        Report.objects.filter(reporter_id=user.pk)
        .select_related("case")
        .order_by("-created_at", "-id")
    )


def labels_for(kind: str, object_ids: list[int]) -> dict[int, list[str]]:
    """The labels shown with these items of ``kind`` (one query), by object id."""
    found: dict[int, list[str]] = {}
    labels = ContentLabel.objects.filter(
        kind=kind, object_id__in=object_ids, removed_at__isnull=True
    ).values_list("object_id", "text")
    for object_id, text in labels.order_by("created_at", "id"):
        found.setdefault(object_id, []).append(text)
    return found


# --- a member's history ---------------------------------------------------------------


HISTORY_ITEMS = 20
HISTORY_RECORDS = 50


@dataclass
class MemberHistory:
    """What a moderator may see of a member: their latest content per kind, the cases
    about them with the decisions, their sanctions and the notes about them."""

    content: dict[str, list[Any]] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    notes: list[ModeratorNote] = field(default_factory=list)


def member_history(moderator: Any, member: Any) -> MemberHistory:
    """``member``'s history as ``moderator`` may see it: content by the kinds' own
    visibility rules, cases and decisions on cases the moderator may decide, sanctions
    in their communities or site-wide, notes of their organisations (site notes for
    staff). Raises ``PermissionDenied`` for someone who moderates nothing. A fixed
    number of queries: one per kind and one per list."""
    check_see_member_history(moderator)
    history = MemberHistory()
    for registered in kinds():
        if registered.authored_by is None:
            continue
        items = registered.authored_by(moderator, member).order_by("-created_at", "-pk")
        history.content[registered.kind] = list(items[:HISTORY_ITEMS])
    cases = visible_cases(moderator, Case.objects.filter(author=member))
    history.cases = list(
        cases.select_related("community").order_by("-opened_at", "-id")[:HISTORY_RECORDS]
    )
    history.decisions = list(
        Decision.objects.filter(case__in=cases.values("pk"))
        .select_related("case", "moderator")
        .order_by("-created_at", "-id")[:HISTORY_RECORDS]
    )
    history.sanctions = list(
        visible_sanctions(moderator, Sanction.objects.filter(user=member))
        .select_related("community")
        .order_by("-created_at", "-id")[:HISTORY_RECORDS]
    )
    history.notes = list(
        visible_notes(moderator, ModeratorNote.objects.filter(subject=member))
        .select_related("author", "organization")
        .order_by("-created_at", "-id")[:HISTORY_RECORDS]
    )
    return history


# --- transparency (DSA arts. 15 and 24) -------------------------------------------------


def _counts(qs: QuerySet[Any], field_name: str) -> dict[str, int]:
    rows = qs.order_by().values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    return {str(key): n for key, n in sorted(rows, key=lambda row: str(row[0]))}


def _median_hours(durations: list[float]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(durations) / 3600, 2)


def transparency(start: datetime, end: datetime) -> dict[str, Any]:
    """Aggregates for ``start`` <= time < ``end``, as plain values: notices by type of
    illegal content (and those from trusted flaggers), members' flags by reason, actions
    by kind and by ground, automated detection and decisions against manual ones, the
    median time from a case's opening to its decision, appeals by outcome and the median
    time to decide them. Counts only: no person and no content."""
    reports = Report.objects.filter(created_at__gte=start, created_at__lt=end)
    notices = reports.filter(is_notice=True)
    flags = reports.filter(is_notice=False)
    decisions = Decision.objects.filter(created_at__gte=start, created_at__lt=end)
    automated_sources = [CaseSource.PIPELINE, CaseSource.CRISIS]
    detection = decisions.aggregate(
        automated=Count("pk", filter=Q(case__source__in=automated_sources)),
        total=Count("pk"),
    )
    decided = decisions.aggregate(automated=Count("pk", filter=Q(automated=True)))
    waits = [
        (decided_at - opened_at).total_seconds()
        for opened_at, decided_at in decisions.values_list("case__opened_at", "created_at")
    ]
    appeals = Appeal.objects.filter(created_at__gte=start, created_at__lt=end)
    appeal_waits = [
        (decided_at - made_at).total_seconds()
        for made_at, decided_at in appeals.filter(decided_at__isnull=False).values_list(
            "created_at", "decided_at"
        )
        if decided_at is not None
    ]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "notices": {
            "total": notices.count(),
            "by_type": _counts(notices, "illegal_type"),
            "from_trusted_flaggers": notices.filter(trusted=True).count(),
        },
        "flags": {
            "total": flags.count(),
            "by_reason": _counts(flags, "reason"),
            "from_trusted_flaggers": flags.filter(trusted=True).count(),
        },
        "actions": {
            "total": detection["total"],
            "by_action": _counts(decisions, "action"),
            "by_reason": _counts(decisions, "reason_code"),
            "on_legal_grounds": decisions.filter(reason_code__in=LEGAL_GROUNDS).count(),
        },
        "automation": {
            "automated_detection": detection["automated"],
            "automated_decisions": decided["automated"],
            "manual_decisions": detection["total"] - decided["automated"],
        },
        "median_hours_to_action": _median_hours(waits),
        "appeals": {
            "total": appeals.count(),
            "by_outcome": _counts(appeals, "status"),
            "median_hours_to_decision": _median_hours(appeal_waits),
        },
    }


CSV_HEADER = [
    "decision_id",
    "statement_reference",
    "decided_at",
    "case_opened_at",
    "hours_to_action",
    "content_type",
    "action",
    "ground",
    "ground_type",
    "report_reason",
    "illegal_content_type",
    "source",
    "trusted_flagger",
    "automated_detection",
    "automated_decision",
    "appealed",
    "appeal_outcome",
]


def transparency_rows(start: datetime, end: datetime) -> Iterator[list[str]]:
    """The decisions of a period as CSV rows (header first), with the fields of DSA
    arts. 15 and 24 (as the Commission's transparency database names them): no person,
    no content, no community. Streamed in chunks: a year of decisions never sits in
    memory."""
    first_report = Report.objects.filter(case=OuterRef("case_id")).order_by("created_at", "id")
    rows = (
        Decision.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(
            opened_at=F("case__opened_at"),
            kind=F("case__kind"),
            source=F("case__source"),
            trusted=F("case__trusted"),
            report_reason=Subquery(first_report.values("reason")[:1]),
            illegal_type=Subquery(first_report.values("illegal_type")[:1]),
            statement_reference=F("statement__reference"),
            appeal_status=F("statement__appeal__status"),
        )
        .order_by("created_at", "id")
        .values(
            "public_id",
            "statement_reference",
            "created_at",
            "opened_at",
            "kind",
            "action",
            "reason_code",
            "report_reason",
            "illegal_type",
            "source",
            "trusted",
            "automated",
            "appeal_status",
        )
    )
    yield list(CSV_HEADER)
    automated_sources = {CaseSource.PIPELINE.value, CaseSource.CRISIS.value}
    for row in rows.iterator(chunk_size=500):
        hours = (row["created_at"] - row["opened_at"]).total_seconds() / 3600
        yield [
            str(row["public_id"]),
            row["statement_reference"] or "",
            row["created_at"].isoformat(),
            row["opened_at"].isoformat(),
            f"{hours:.2f}",
            row["kind"],
            row["action"],
            row["reason_code"],
            "illegal" if row["reason_code"] in LEGAL_GROUNDS else "terms_of_service",
            row["report_reason"] or "",
            row["illegal_type"] or "",
            row["source"],
            _yes(row["trusted"]),
            _yes(row["source"] in automated_sources),
            _yes(row["automated"]),
            _yes(row["appeal_status"] is not None),
            row["appeal_status"] or "",
        ]


def _yes(value: bool) -> str:
    return "yes" if value else "no"
