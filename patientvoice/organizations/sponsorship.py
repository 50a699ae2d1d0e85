"""Writes about sponsorships: recording and ending them (decisions/0038).

Site staff alone record what a sponsor funds; a sponsor never writes here. A
sponsorship is never edited: a changed agreement is ended and recorded again, so the
public record keeps what was disclosed when.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.core import audit

from .models import Organization, OrganizationKind, Sponsorship
from .permissions import check_administer_organizations
from .sponsorship_queries import forget_sponsorships

if TYPE_CHECKING:
    from patientvoice.accounts.models import User
    from patientvoice.communities.models import Community

MAX_PURPOSE_LENGTH = 2000
MAX_SUMMARY_LENGTH = 5000
MAX_END_REASON_LENGTH = 500
CURRENCY = re.compile(r"^[A-Z]{3}$")


class SponsorshipError(ValueError):
    """What ``record_sponsorship`` or ``end_sponsorship`` refuses, said in the person's
    language; ``field`` names the form field it is about ("" for the whole form)."""

    def __init__(self, message: str | Promise, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


def _validate(
    *,
    sponsor: Organization,
    purpose: str,
    agreement_summary: str,
    starts_on: date,
    ends_on: date | None,
    amount: Decimal | None,
    currency: str,
    agreement_url: str,
    language: str,
) -> None:
    if sponsor.kind != OrganizationKind.SPONSOR:
        raise SponsorshipError(
            pgettext_lazy(
                "sponsorship form",
                "Only an organisation of the kind sponsor can fund. Choose a sponsor, or "
                "ask site staff to register the funder as a sponsor.",
            ),
            "sponsor",
        )
    if not purpose or len(purpose) > MAX_PURPOSE_LENGTH:
        raise SponsorshipError(
            pgettext_lazy("sponsorship form", "Say what the money pays for."), "purpose"
        )
    if not agreement_summary or len(agreement_summary) > MAX_SUMMARY_LENGTH:
        raise SponsorshipError(
            pgettext_lazy("sponsorship form", "Summarise the agreement for the public."),
            "agreement_summary",
        )
    if ends_on is not None and ends_on < starts_on:
        raise SponsorshipError(
            pgettext_lazy("sponsorship form", "The end date cannot be before the start date."),
            "ends_on",
        )
    if amount is not None and (amount < 0 or not CURRENCY.match(currency)):
        raise SponsorshipError(
            pgettext_lazy(
                "sponsorship form",
                "Give the amount as a number of zero or more, with its currency as three "
                "capital letters, such as SEK or EUR.",
            ),
            "amount",
        )
    if amount is None and currency:
        raise SponsorshipError(
            pgettext_lazy("sponsorship form", "A currency needs an amount."), "amount"
        )
    if agreement_url:
        try:
            URLValidator(schemes=["http", "https"])(agreement_url)
        except ValidationError:
            raise SponsorshipError(
                pgettext_lazy(
                    "sponsorship form", "The link must be a web address starting with https://."
                ),
                "agreement_url",
            ) from None
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise SponsorshipError(
            pgettext_lazy("sponsorship form", "Choose the language of the texts."), "language"
        )


@transaction.atomic
def record_sponsorship(
    *,
    actor: User | None,
    sponsor: Organization,
    community: Community | None,
    purpose: str,
    agreement_summary: str,
    starts_on: date,
    ends_on: date | None = None,
    amount: Decimal | None = None,
    currency: str = "",
    agreement_url: str = "",
    language: str = "sv",
) -> Sponsorship:
    """Record that ``sponsor`` funds ``community`` (``None``: the whole site).

    Preconditions: ``actor`` is site staff with their powers active (checked:
    ``PermissionDenied``), or ``None`` for the system (demo data, imports).
    ``SponsorshipError`` (with the field) when the organisation is not a sponsor, a
    text is missing or too long, the dates are in the wrong order, an amount lacks its
    currency (or the reverse) or the link is not http(s).

    Effects: the sponsorship exists and applies from ``starts_on``; audited as
    ``organizations.sponsorship_recorded``; the cached notices are dropped after
    commit, so the funding notice appears on the next request."""
    if actor is not None:
        check_administer_organizations(actor)
    purpose, agreement_summary = purpose.strip(), agreement_summary.strip()
    currency, agreement_url = currency.strip().upper(), agreement_url.strip()
    _validate(
        sponsor=sponsor,
        purpose=purpose,
        agreement_summary=agreement_summary,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
        currency=currency,
        agreement_url=agreement_url,
        language=language,
    )
    sponsorship = Sponsorship.objects.create(
        sponsor=sponsor,
        community=community,
        purpose=purpose,
        language=language,
        amount=amount,
        currency=currency if amount is not None else "",
        starts_on=starts_on,
        ends_on=ends_on,
        agreement_summary=agreement_summary,
        agreement_url=agreement_url,
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor,
        action="organizations.sponsorship_recorded",
        target=sponsorship,
        data={
            "sponsor": sponsor.slug,
            "community": community.slug if community is not None else "",
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else "",
            "amount": str(amount) if amount is not None else "",
            "currency": sponsorship.currency,
        },
    )
    transaction.on_commit(forget_sponsorships)
    return sponsorship


@transaction.atomic
def end_sponsorship(*, actor: User | None, sponsorship: Sponsorship, reason: str) -> bool:
    """End ``sponsorship`` now, before its end date (or when it has none).

    Preconditions as ``record_sponsorship``; ``reason`` is required (the audit log keeps
    it; the public record says the sponsorship ended early). Effects: ``ended_at``,
    ``ended_by`` and ``end_reason`` set; a sponsorship under way gets today as its end
    date (one that had not started keeps its dates and reads "cancelled"); the funding
    notice disappears on the next request; audited as ``organizations.sponsorship_ended``.
    Already ended: nothing changes, returns False."""
    if actor is not None:
        check_administer_organizations(actor)
    reason = reason.strip()
    if not reason or len(reason) > MAX_END_REASON_LENGTH:
        raise SponsorshipError(
            pgettext_lazy("sponsorship form", "Say why the sponsorship ends."), "reason"
        )
    current = Sponsorship.objects.select_for_update().get(pk=sponsorship.pk)
    if current.ended_at is not None:
        return False
    today = timezone.localdate()
    current.ended_at = timezone.now()
    current.ended_by = actor if actor is not None and actor.pk else None
    current.end_reason = reason
    if current.starts_on <= today and (current.ends_on is None or current.ends_on > today):
        current.ends_on = today
    current.save(update_fields=["ended_at", "ended_by", "end_reason", "ends_on", "updated_at"])
    sponsorship.ended_at, sponsorship.ended_by = current.ended_at, current.ended_by
    sponsorship.end_reason, sponsorship.ends_on = current.end_reason, current.ends_on
    audit.record(
        actor=actor, action="organizations.sponsorship_ended", target=current, reason=reason
    )
    transaction.on_commit(forget_sponsorships)
    return True
