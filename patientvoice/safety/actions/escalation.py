"""Reminders to the safety officers as a case's deadline nears (decisions/0036).

``PV_SAFETY_ESCALATE_DAYS`` ("7,3,1" by default) lists the days before the deadline
at which every safety officer is told. :func:`escalate_due_cases` runs hourly
(``manage.py escalate_safety_cases``); each (case, day) is claimed by a unique row
before anything is sent, so running it twice, or in two workers, tells nobody twice.
A case found late (two days left) gets one reminder, for the nearest day passed; the
days already past are recorded with it and not sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import npgettext, pgettext

from patientvoice.accounts.models import User
from patientvoice.core.tasks import send_email

from ..models import CaseEscalation, CaseStatus, SafetyCase
from ..permissions import SAFETY_OFFICER_GROUP

logger = logging.getLogger(__name__)
DEFAULT_DAYS = "7,3,1"


def escalation_days() -> list[int]:
    """The configured days, largest first; parts that are not whole numbers from 0 to
    90 are ignored (and logged)."""
    raw = str(getattr(settings, "PV_SAFETY_ESCALATE_DAYS", DEFAULT_DAYS) or "")
    days: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if part.isdigit() and int(part) <= 90:
            days.add(int(part))
        else:
            logger.warning("PV_SAFETY_ESCALATE_DAYS: ignoring %r", part)
    return sorted(days, reverse=True)


def safety_officers() -> QuerySet[User]:
    """Active officers with a second factor (the role's powers), not leaving."""
    from allauth.mfa.models import Authenticator

    second_factor = Authenticator.objects.filter(
        user_id=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    return (
        User.objects.filter(
            is_active=True, erasure_requested_at__isnull=True, groups__name=SAFETY_OFFICER_GROUP
        )
        .filter(Exists(second_factor))
        .distinct()
    )


def _claim(case: SafetyCase, days: list[int], now: datetime) -> bool:
    """Record every day in ``days`` for ``case``; true when this run recorded any."""
    claimed = False
    for day in days:
        try:
            with transaction.atomic():
                CaseEscalation.objects.create(case=case, days_before=day, sent_at=now)
        except IntegrityError:
            continue
        claimed = True
    return claimed


def _tell(officers: list[User], case: SafetyCase, now: datetime) -> int:
    from patientvoice.notifications.tokens import verified_address

    told = 0
    url = settings.SITE_URL + reverse("safety:case", args=[case.public_id])
    left = max(0, (case.due_at - now).days)
    for officer in officers:
        address = verified_address(officer)
        if address is None:
            continue
        with translation.override(officer.preferred_language):
            due = formats.date_format(timezone.localtime(case.due_at), "DATE_FORMAT")
            if case.due_at <= now:
                line = pgettext(
                    "safety reminder e-mail",
                    "Safety case %(reference)s is past its deadline (%(date)s).",
                ) % {"reference": case.reference, "date": due}
            else:
                line = npgettext(
                    "safety reminder e-mail",
                    "Safety case %(reference)s is due in %(days)s day, on %(date)s.",
                    "Safety case %(reference)s is due in %(days)s days, on %(date)s.",
                    left,
                ) % {"reference": case.reference, "days": left, "date": due}
            subject = pgettext(
                "safety reminder e-mail", "PatientVoice: safety case %(reference)s"
            ) % {"reference": case.reference}
            body = "\n".join(
                [
                    line,
                    "",
                    pgettext(
                        "safety reminder e-mail",
                        "Open the case (log in with two-step verification):",
                    ),
                    url,
                ]
            )
        transaction.on_commit(
            partial(
                send_email.enqueue,
                subject=subject,
                body=body + "\n",
                to=[address],
                from_email=settings.DEFAULT_FROM_EMAIL,
            )
        )
        told += 1
    return told


def escalate_due_cases(*, now: datetime | None = None) -> int:
    """Tell the safety officers about every open case whose deadline is within one of
    the configured days and who were not told for that day yet. Returns how many cases
    were escalated. Idempotent per case and day."""
    days = escalation_days()
    if not days:
        return 0
    now = now or timezone.now()
    due = (
        SafetyCase.objects.filter(  # visibility: the worker, no reader
            status=CaseStatus.OPEN, due_at__lte=now + timedelta(days=days[0])
        )
        .prefetch_related("escalations")
        .order_by("due_at", "id")
    )
    officers: list[User] | None = None
    escalated = 0
    for case in due:
        left = case.due_at - now
        reached = [d for d in days if left <= timedelta(days=d)]
        done = {e.days_before for e in case.escalations.all()}
        new = [d for d in reached if d not in done]
        if not new:
            continue
        with transaction.atomic():
            if not _claim(case, new, now):
                continue
            if officers is None:
                officers = list(safety_officers())
            told = _tell(officers, case, now)
            CaseEscalation.objects.filter(case=case, days_before__in=new, sent_at=now).update(
                recipients=told
            )
        escalated += 1
    return escalated
