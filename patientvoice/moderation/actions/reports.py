"""Members flag content; visitors send notices of illegal content (DSA art. 16)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User

from .. import emails
from ..errors import FlagLimit, InvalidReport, NoticeTargetNotFound
from ..models import (
    REASON_SEVERITY,
    CaseSource,
    CaseStatus,
    IllegalType,
    Report,
    ReportReason,
    Severity,
)
from ..permissions import can_see_for_notice, check_flag, is_trusted_flagger
from ..registry import ModerationKind, UnknownKind, resolve_url
from ..registry import get as get_kind
from .cases import open_case


def _registered(kind: str, obj: Any) -> ModerationKind:
    registered = get_kind(kind)
    if not isinstance(obj, registered.model):
        raise UnknownKind(f"{kind} is not {type(obj).__name__}")
    return registered


def _validate(reason: str, explanation: str, illegal_type: str) -> None:
    if reason not in ReportReason.values:
        raise InvalidReport(pgettext_lazy("moderation", "Choose why you report this."))
    if len(explanation) > Report.MAX_EXPLANATION_LENGTH:
        raise InvalidReport(
            pgettext_lazy("moderation", "Please keep the explanation under %(limit)s characters."),
            limit=Report.MAX_EXPLANATION_LENGTH,
        )
    if reason == ReportReason.OTHER and not explanation.strip():
        raise InvalidReport(pgettext_lazy("moderation", "Tell us what is wrong with it."))
    if reason == ReportReason.ILLEGAL and illegal_type not in IllegalType.values:
        raise InvalidReport(
            pgettext_lazy("moderation", "Choose what kind of illegal content it is.")
        )


def _over_limit(**sender: Any) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = Report.objects.filter(created_at__gte=since, **sender).count()
    return recent >= int(settings.PV_FLAGS_PER_HOUR)


def _create(**fields: Any) -> Report:
    """Insert the report, then give it its reference (PV-<year>-<number>)."""
    report = Report.objects.create(reference=f"new-{uuid.uuid4().hex[:24]}", **fields)
    report.reference = f"PV-{timezone.localtime(report.created_at).year}-{report.pk:06d}"
    Report.objects.filter(pk=report.pk).update(reference=report.reference)
    return report


@transaction.atomic
def flag(
    *,
    reporter: User,
    kind: str,
    obj: Any,
    reason: str,
    explanation: str = "",
    illegal_type: str = "",
) -> Report:
    """``reporter`` flags ``obj`` (of registered ``kind``) for ``reason``.

    Raises ``Http404`` when they cannot see it, ``PermissionDenied`` for their own
    content, ``InvalidReport`` for a missing reason, type or explanation ("other" needs
    one; illegal content a type), ``FlagLimit`` after ``PV_FLAGS_PER_HOUR`` flags in an
    hour (the earlier ones stay). Effects: a report, joined to the item's open case
    (opened when there is none), at the reason's severity, trusted when the reporter
    acts for a trusted-flagger organisation, urgent for a risk of self-harm. Flagging an
    item again while its case is open returns the first report and adds nothing.
    Returns the report."""
    registered = _registered(kind, obj)
    check_flag(reporter, obj)
    explanation = explanation.strip()
    illegal_type = illegal_type if reason == ReportReason.ILLEGAL else ""
    _validate(reason, explanation, illegal_type)
    earlier = _open_report_of(reporter, kind, obj)
    if earlier is not None:
        return earlier
    if _over_limit(reporter=reporter):
        raise FlagLimit
    trusted = is_trusted_flagger(reporter)
    case = open_case(
        kind=kind,
        obj=obj,
        source=CaseSource.FLAG,
        severity=REASON_SEVERITY[reason],
        trusted=trusted,
        urgent=reason == ReportReason.SELF_HARM,
    )
    try:
        with transaction.atomic():
            return _create(
                kind=kind,
                object_id=obj.pk,
                excerpt=registered.excerpt_of(obj),
                url=registered.url_of(obj)[:500],
                reporter=reporter,
                language=reporter.preferred_language,
                reason=reason,
                illegal_type=illegal_type,
                explanation=explanation,
                case=case,
                trusted=trusted,
            )
    except IntegrityError:
        # The same person's second click, a moment after the first (one report per
        # person and case).
        earlier = _open_report_of(reporter, kind, obj)
        if earlier is None:
            raise
        return earlier


def _open_report_of(reporter: User, kind: str, obj: Any) -> Report | None:
    return (
        Report.objects.filter(
            reporter=reporter, kind=kind, object_id=obj.pk, case__status=CaseStatus.OPEN
        )
        .order_by("created_at", "id")
        .first()
    )


def _language() -> str:
    active = (translation.get_language() or "")[:2]
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@transaction.atomic
def send_notice(
    *,
    name: str,
    email: str,
    explanation: str,
    illegal_type: str,
    good_faith: bool,
    kind: str = "",
    obj: Any = None,
    url: str = "",
    sender: User | None = None,
) -> Report:
    """A notice of illegal content (DSA art. 16) from anyone, signed in or not.

    The content is ``obj`` (of ``kind``) or found from ``url``, the address the sender
    copied; either way it must be something the sender could see
    (``NoticeTargetNotFound`` otherwise, the same for a private item as for nothing at
    all). Raises ``InvalidReport`` without the type, the explanation, the good-faith
    statement, or a name and an e-mail address (not needed for child sexual abuse
    material, art. 16(2)(c)); ``FlagLimit`` after ``PV_FLAGS_PER_HOUR`` notices from one
    address in an hour. Effects: a report marked as a notice, in the active language,
    joined to the item's case at high severity; after commit, an acknowledgement with
    the reference to ``email``. Returns the report."""
    viewer: Any = sender if sender is not None else AnonymousUser()
    if obj is None:
        found = resolve_url(url.strip())
        if found is None:
            raise NoticeTargetNotFound
        registered, obj = found
    else:
        registered = _registered(kind, obj)
    if not can_see_for_notice(viewer, registered, obj):
        raise NoticeTargetNotFound
    name, email, explanation = name.strip(), email.strip().lower(), explanation.strip()
    if illegal_type not in IllegalType.values:
        raise InvalidReport(
            pgettext_lazy("moderation", "Choose what kind of illegal content it is.")
        )
    if not good_faith:
        raise InvalidReport(
            pgettext_lazy(
                "moderation",
                "Please confirm that you believe the information in your notice is "
                "accurate and complete.",
            )
        )
    if not explanation:
        raise InvalidReport(
            pgettext_lazy("moderation", "Explain why you believe the content is illegal.")
        )
    if illegal_type != IllegalType.CHILD_SAFETY and not (name and email):
        raise InvalidReport(pgettext_lazy("moderation", "Give your name and e-mail address."))
    _validate(ReportReason.ILLEGAL, explanation, illegal_type)
    if email and _over_limit(reporter_email=email):
        raise FlagLimit
    trusted = is_trusted_flagger(sender) if sender is not None else False
    case = open_case(
        kind=registered.kind,
        obj=obj,
        source=CaseSource.NOTICE,
        severity=Severity.HIGH,
        trusted=trusted,  # a trusted flagger's notice goes first (DSA art. 22)
    )
    report = _create(
        kind=registered.kind,
        object_id=obj.pk,
        excerpt=registered.excerpt_of(obj),
        url=(url.strip() or registered.url_of(obj))[:500],
        reporter=sender,
        reporter_name=name[:150],
        reporter_email=email,
        language=_language(),
        reason=ReportReason.ILLEGAL,
        illegal_type=illegal_type,
        explanation=explanation,
        good_faith=True,
        is_notice=True,
        case=case,
        trusted=trusted,
    )
    emails.send_notice_acknowledgement(report)
    return report
