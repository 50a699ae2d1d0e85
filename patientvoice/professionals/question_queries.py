"""Reads about questions for professionals (decisions/0037): the professionals' queue,
the thread list's label, the thread page's question state and the organisations'
answer times. Every list passes through the communities' visibility rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import npgettext, pgettext

from patientvoice.communities.models import Thread
from patientvoice.communities.permissions import visible_threads
from patientvoice.organizations.models import Organization

from .models import (
    FIELDS_BY_PROFESSION,
    AdviserRole,
    AdviserStatus,
    Credential,
    Profession,
    ProfessionalQuestion,
    QuestionField,
)

# The organisations' statistics cover the questions asked in this many days.
STATS_DAYS = 90


# --- the professionals' queue ---------------------------------------------------------------


def fields_for(credential: Credential) -> frozenset[str]:
    """The fields whose questions ``credential``'s holder sees by default."""
    return FIELDS_BY_PROFESSION.get(credential.profession, frozenset(QuestionField.values))


def question_queue(
    user: Any, credential: Credential, *, all_fields: bool = False
) -> QuerySet[ProfessionalQuestion]:
    """The questions ``user`` (acting as a professional with ``credential``) may see
    and answer: published, unlocked threads they may read (``visible_threads``; a
    members-only or private community's questions only for its members), not their
    own; in the fields of their profession unless ``all_fields``. Questions of the
    communities they advise first (``advised``), then unanswered before answered,
    then the oldest first. One query (with the thread and its community)."""
    threads = visible_threads(
        user, Thread.objects.filter(is_published=True, is_locked=False)
    ).values("pk")
    questions = ProfessionalQuestion.objects.filter(thread_id__in=threads).exclude(
        asked_by_id=user.pk
    )
    if not all_fields:
        questions = questions.filter(field__in=sorted(fields_for(credential)))
    advised = AdviserRole.objects.filter(
        professional_id=user.pk,
        status=AdviserStatus.ACTIVE,
        community_id=OuterRef("thread__community_id"),
    )
    return (
        questions.annotate(
            advised=Exists(advised),
            answered=ExpressionWrapper(
                Q(first_answer_at__isnull=False), output_field=BooleanField()
            ),
        )
        .select_related("thread", "thread__community")
        .order_by("-advised", "answered", "asked_at", "id")
    )


# --- labels -----------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    """ "Registered nurse" -> "registered nurse"; a word in capitals stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def answered_label(profession: str) -> str:
    """ "Answered by a verified registered nurse" (the profession of the credential the
    first answer was given with), in the active language."""
    if profession in Profession.values and profession != Profession.OUTSIDE_SWEDEN:
        return pgettext("professional question", "Answered by a verified %(profession)s") % {
            "profession": _lower_first(str(Profession(profession).label))
        }
    return pgettext("professional question", "Answered by a verified healthcare professional")


def unanswered_label() -> str:
    return pgettext("professional question", "Question for professionals")


def field_label(field: str) -> str:
    return str(QuestionField(field).label) if field in QuestionField.values else ""


def with_question_labels(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Annotate each thread with ``pv_question_field`` (``None`` when it is not a
    question for professionals) and ``pv_answer_profession`` (empty while unanswered),
    in the list's own query (a left join): ``{% question_label thread %}`` reads them."""
    return threads.annotate(
        pv_question_field=F("professional_question__field"),
        pv_answer_profession=F("professional_question__first_answer_profession"),
    )


# --- the thread page --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionState:
    """What a thread page shows of a question for professionals. ``key`` is everything
    in it, for a remembered fragment's key."""

    field: str
    asked_by_id: int | None
    asked_at: datetime
    first_answer_post_id: int | None
    first_answer_at: datetime | None
    first_answer_profession: str

    @property
    def is_answered(self) -> bool:
        return self.first_answer_at is not None

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    @property
    def label(self) -> str:
        """ "Answered by a verified …" or "Question for professionals"."""
        if self.is_answered:
            return answered_label(self.first_answer_profession)
        return unanswered_label()

    @property
    def key(self) -> tuple[Any, ...]:
        return (
            self.field,
            self.asked_by_id,
            self.first_answer_post_id,
            self.first_answer_profession,
        )


_STATE_FIELDS = (
    "field", "asked_by_id", "asked_at", "first_answer_post_id", "first_answer_at",
    "first_answer_profession",
)  # fmt: skip


def question_state(thread: Thread | int) -> QuestionState | None:
    """The question state of a thread the caller has already authorised (the thread
    page's ``access_thread``/``thread_for_page``), or ``None`` when it is not a
    question for professionals. One query."""
    thread_id = thread if isinstance(thread, int) else thread.pk
    row = (
        ProfessionalQuestion.objects.filter(  # visibility: the caller authorised the thread
            thread_id=thread_id
        )
        .values(*_STATE_FIELDS)
        .first()
    )
    return QuestionState(**row) if row is not None else None


# --- the organisations' answer times ---------------------------------------------------------


def wait_text(seconds: int) -> str:
    """A wait in words: "45 minutes", "5 hours", "3 days"."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return npgettext("answer time", "%(count)d minute", "%(count)d minutes", minutes) % {
            "count": minutes
        }
    hours = round(seconds / 3600)
    if hours < 48:
        return npgettext("answer time", "%(count)d hour", "%(count)d hours", hours) % {
            "count": hours
        }
    days = round(seconds / 86400)
    return npgettext("answer time", "%(count)d day", "%(count)d days", days) % {"count": days}


@dataclass(frozen=True)
class AnswerStats:
    """Questions for professionals asked in an organisation's communities in the last
    ``days`` days: how many were answered by a professional, how many wait, and the
    median time to the first professional answer."""

    days: int
    answered: int
    unanswered: int
    median_seconds: float | None

    @property
    def asked(self) -> int:
        return self.answered + self.unanswered

    @property
    def median_text(self) -> str:
        return wait_text(int(self.median_seconds)) if self.median_seconds is not None else ""


def organisation_answer_stats(
    organization: Organization, *, days: int = STATS_DAYS, now: datetime | None = None
) -> AnswerStats:
    """:class:`AnswerStats` for the communities ``organization`` hosts (counts only,
    for its administrators: no thread is named). Two queries (one when nothing was
    answered): the counts, then the middle value or two of the kept answer times, by
    offset, so no list of answers is read whatever their number."""
    since = (now or timezone.now()) - timedelta(days=days)
    asked = ProfessionalQuestion.objects.filter(  # visibility: counts for the hosting organisation
        thread__community__organization=organization,
        thread__is_published=True,
        asked_at__gte=since,
    )
    counts = asked.aggregate(
        answered=Count("pk", filter=Q(first_answer_at__isnull=False)), total=Count("pk")
    )
    answered, total = counts["answered"] or 0, counts["total"] or 0
    median: float | None = None
    if answered:
        middle = [
            seconds or 0
            for seconds in asked.filter(first_answer_at__isnull=False)
            .order_by("answer_seconds", "id")
            .values_list("answer_seconds", flat=True)[(answered - 1) // 2 : answered // 2 + 1]
        ]
        median = sum(middle) / len(middle)
    return AnswerStats(
        days=days, answered=answered, unanswered=total - answered, median_seconds=median
    )
