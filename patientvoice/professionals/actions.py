"""Every write about verified professionals (issue 6, items 1-3; decisions/0033).

Applications and their decisions, credentials' revocation, expiry and the warning
before it, registry answers and the notices people get. Refusals are typed errors
(:mod:`.errors`) with a translated message and an HTTP status; permission refusals
are ``PermissionDenied`` with the reason. Every decision, revocation and expiry is
audited; the person concerned is told in the app and by e-mail.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import has_mfa
from patientvoice.core import audit
from patientvoice.core.tasks import send_email
from patientvoice.moderation.permissions import check_may_post
from patientvoice.notifications.notices import forget_unread_notices
from patientvoice.notifications.tokens import verified_address

from .countries import is_country_code
from .errors import (
    ApplicantWithoutMfa,
    ApplicationNeedsMfa,
    ApplicationPending,
    CredentialEnded,
    EvidenceUnavailable,
    InvalidApplication,
    ReasonRequired,
    RequestDecided,
)
from .evidence import CheckedEvidence, EvidenceNotStored, delete_evidence, store_evidence
from .models import (
    Credential,
    NoticeKind,
    Profession,
    ProfessionalNotice,
    RequestStatus,
    VerificationRequest,
)
from .permissions import PROFESSIONAL_GROUP, check_revoke, check_verifier
from .queries import forget_credential
from .registries import RegistryResult
from .search import reindex_cards_of

# The holder is told this many days before their credential expires (once).
WARN_DAYS = 30
_LICENCE = re.compile(r"^[\w .\-/]+$")


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months (31 January + 1 month = 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


# --- telling people -----------------------------------------------------------------------


def _notify(
    recipient: User,
    kind: str,
    *,
    text: str = "",
    request: VerificationRequest | None = None,
    credential: Credential | None = None,
) -> ProfessionalNotice | None:
    if not recipient.is_active:
        return None
    notice = ProfessionalNotice.objects.create(
        recipient=recipient, kind=kind, text=text, request=request, credential=credential
    )
    forget_unread_notices(recipient.pk)
    _email(recipient, notice, credential)
    return notice


def _email(recipient: User, notice: ProfessionalNotice, credential: Credential | None) -> None:
    """The notice by e-mail, in the person's language, to a verified primary address
    only, never while their erasure is pending (as the review notices)."""
    if recipient.erasure_requested_at is not None:
        return
    address = verified_address(recipient)
    if address is None:
        return
    with translation.override(recipient.preferred_language):
        what = str(NoticeKind(notice.kind).label)
        subject = pgettext("professional notice e-mail", "PatientVoice: %(what)s") % {"what": what}
        lines = [
            pgettext("professional notice e-mail", "Hello %(handle)s,")
            % {"handle": recipient.handle},
            "",
            what + ".",
        ]
        if credential is not None and notice.kind in (NoticeKind.APPROVED, NoticeKind.EXPIRING):
            lines.append(
                pgettext("professional notice e-mail", "Valid until %(date)s.")
                % {
                    "date": formats.date_format(
                        timezone.localtime(credential.expires_at), "DATE_FORMAT"
                    )
                }
            )
        if notice.kind in (NoticeKind.EXPIRING, NoticeKind.EXPIRED):
            lines.append(
                pgettext(
                    "professional notice e-mail",
                    "Re-confirm it on your verification page: your earlier answers are filled in.",
                )
            )
        if notice.text:
            lines += ["", notice.text]
        url = settings.SITE_URL + reverse("professionals:status")
        lines += [
            "",
            pgettext("professional notice e-mail", "Your verification page: %(url)s")
            % {"url": url},
        ]
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body="\n".join(lines) + "\n",
            to=[address],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
    )


def _forget(user_id: int) -> None:
    """After a change to the person's credentials: the cached badge goes and the
    search index follows (a new card enters, an ended one leaves)."""
    transaction.on_commit(lambda: forget_credential(user_id))
    transaction.on_commit(lambda: reindex_cards_of(user_id))


def _join_professionals(user: User) -> None:
    group, _ = Group.objects.get_or_create(name=PROFESSIONAL_GROUP)
    user.groups.add(group)


def _leave_professionals(user: User) -> None:
    group = Group.objects.filter(name=PROFESSIONAL_GROUP).first()
    if group is not None:
        user.groups.remove(group)


@transaction.atomic
def mark_notices_read(*, user: User) -> int:
    """Every unread professional notice of ``user`` is read now. Returns how many."""
    forget_unread_notices(user.pk)
    return ProfessionalNotice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- applications -------------------------------------------------------------------------


def _text(value: str, field: str, limit: int, *, required: bool) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise InvalidApplication(field, pgettext_lazy("professional form", "Please fill this in."))
    if len(value) > limit:
        raise InvalidApplication(
            field,
            pgettext_lazy("professional form", "Please keep it under %(limit)s characters."),
            limit=limit,
        )
    return value


def clean_application(
    *,
    profession: str,
    country: str = "SE",
    profession_text: str = "",
    licence_number: str,
    specialty: str = "",
    workplace: str,
    real_name: str,
    employer: str = "",
    industry_ties: str = "",
    no_industry_ties: bool = False,
) -> dict[str, Any]:
    """The application's answers, normalised, or :class:`InvalidApplication` naming
    the field. Forms and the API share it through :func:`submit_request`."""
    if profession not in Profession.values:
        raise InvalidApplication(
            "profession", pgettext_lazy("professional form", "Choose your profession.")
        )
    country = country.strip().upper()
    if profession == Profession.OUTSIDE_SWEDEN:
        if not is_country_code(country) or country == "SE":
            raise InvalidApplication(
                "country",
                pgettext_lazy(
                    "professional form",
                    "Give the country where you are licensed as its two-letter code, such "
                    "as NO, DK or DE. For a Swedish licence, choose your profession above.",
                ),
            )
        profession_text = _text(profession_text, "profession_text", 200, required=True)
    else:
        country, profession_text = "SE", ""
    licence_number = _text(
        licence_number, "licence_number", VerificationRequest.MAX_LICENCE, required=True
    )
    if not _LICENCE.match(licence_number):
        raise InvalidApplication(
            "licence_number",
            pgettext_lazy(
                "professional form",
                "Use only letters, digits, spaces, dots, dashes and slashes, as on your licence.",
            ),
        )
    ties = industry_ties.strip()
    if len(ties) > VerificationRequest.MAX_TIES:
        raise InvalidApplication(
            "industry_ties",
            pgettext_lazy("professional form", "Please keep it under %(limit)s characters."),
            limit=VerificationRequest.MAX_TIES,
        )
    if no_industry_ties and ties:
        raise InvalidApplication(
            "industry_ties",
            pgettext_lazy(
                "professional form",
                "You ticked “none” and also described ties. Untick “none”, or clear the text.",
            ),
        )
    if not no_industry_ties and not ties:
        raise InvalidApplication(
            "industry_ties",
            pgettext_lazy(
                "professional form",
                "Describe your ties to pharmaceutical or medical device companies in the "
                "last three years, or tick “none”.",
            ),
        )
    return {
        "profession": profession,
        "country": country,
        "profession_text": profession_text,
        "licence_number": licence_number,
        "specialty": _text(specialty, "specialty", 200, required=False),
        "workplace": _text(workplace, "workplace", 200, required=True),
        "real_name": _text(real_name, "real_name", 200, required=True),
        "employer": _text(employer, "employer", 200, required=False),
        "industry_ties": ties,
    }


@transaction.atomic
def submit_request(
    *,
    applicant: User,
    evidence: CheckedEvidence,
    shows_real_name: bool = True,
    **answers: Any,
) -> VerificationRequest:
    """``applicant`` asks to be verified, with their answers (see
    :func:`clean_application`) and an evidence file already checked by content.

    Refuses: ``MemberSanctioned`` for a suspended or banned member,
    :class:`InvalidApplication`, :class:`ApplicationNeedsMfa` without a second factor
    on the account, :class:`ApplicationPending` while another request waits,
    :class:`EvidenceUnavailable` when private storage fails. Effects: the evidence in
    private storage, a pending request in the verifiers' queue, audited
    (``professionals.request_submitted``); the registry backends are asked after
    commit, in the worker."""
    check_may_post(applicant, None)
    cleaned = clean_application(**answers)
    if not has_mfa(applicant):
        raise ApplicationNeedsMfa
    if VerificationRequest.objects.filter(
        applicant=applicant, status=RequestStatus.PENDING
    ).exists():
        raise ApplicationPending
    try:
        name = store_evidence(evidence)
    except EvidenceNotStored:
        raise EvidenceUnavailable from None
    try:
        with transaction.atomic():
            made = VerificationRequest.objects.create(
                applicant=applicant,
                shows_real_name=shows_real_name,
                evidence_name=name,
                evidence_kind=evidence.kind,
                evidence_sha256=evidence.sha256,
                evidence_size=evidence.size,
                **cleaned,
            )
    except IntegrityError:  # the same request twice at once
        delete_evidence(name)
        raise ApplicationPending from None
    audit.record(
        actor=applicant,
        action="professionals.request_submitted",
        target=made,
        data={
            "profession": made.profession,
            "country": made.country,
            "evidence_kind": made.evidence_kind,
            "evidence_sha256": made.evidence_sha256,
        },
    )
    if settings.PV_PROFESSIONAL_REGISTRIES:
        from .tasks import check_registries

        transaction.on_commit(partial(check_registries.enqueue, request_id=made.pk))
    return made


def _end_evidence(request: VerificationRequest) -> list[str]:
    """Forget the stored file after the decision (unless the policy keeps it); the
    file goes after commit. Returns the fields changed."""
    if not request.evidence_name or settings.PV_KEEP_VERIFICATION_EVIDENCE:
        return []
    name = request.evidence_name
    request.evidence_name = ""
    request.evidence_deleted_at = timezone.now()
    transaction.on_commit(lambda: delete_evidence(name))
    return ["evidence_name", "evidence_deleted_at"]


def _locked_pending(request: VerificationRequest) -> VerificationRequest:
    current = VerificationRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != RequestStatus.PENDING:
        raise RequestDecided
    return current


@transaction.atomic
def withdraw_request(*, applicant: User, request: VerificationRequest) -> VerificationRequest:
    """The applicant takes back their waiting request; the evidence is deleted."""
    if request.applicant_id != applicant.pk:
        raise PermissionDenied
    current = _locked_pending(request)
    current.status = RequestStatus.WITHDRAWN
    current.decided_at = timezone.now()
    fields = ["status", "decided_at", "updated_at", *_end_evidence(current)]
    current.save(update_fields=fields)
    audit.record(actor=applicant, action="professionals.request_withdrawn", target=current)
    return current


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if (required and not reason) or len(reason) > VerificationRequest.MAX_REASON:
        raise ReasonRequired(limit=VerificationRequest.MAX_REASON)
    return reason


@transaction.atomic
def decide_request(
    *, verifier: User, request: VerificationRequest, approve: bool, reason: str = ""
) -> VerificationRequest:
    """A verifier approves or rejects a waiting request. A rejection needs a
    ``reason``; an approval may carry a note. The applicant reads either.

    Refuses: ``PermissionDenied`` unless ``verifier`` is an active verifier (and not the
    applicant), :class:`ReasonRequired`, :class:`RequestDecided`,
    :class:`ApplicantWithoutMfa` (approving someone who turned two-step verification
    off). Effects: the request's status, who and when; on approval a credential valid
    for ``PV_CREDENTIAL_MONTHS`` (a current one is superseded) and the group "verified
    professional"; the evidence deleted after commit (unless
    ``PV_KEEP_VERIFICATION_EVIDENCE``); audited (``professionals.request_approved`` or
    ``_rejected``); the applicant told in the app and by e-mail."""
    check_verifier(verifier)
    if request.applicant_id == verifier.pk:
        raise PermissionDenied(
            pgettext("professional permission", "You cannot decide your own request.")
        )
    reason = _reason(reason, required=not approve)
    current = _locked_pending(request)
    applicant = current.applicant
    now = timezone.now()
    credential = None
    if approve:
        if not has_mfa(applicant):
            raise ApplicantWithoutMfa
        Credential.objects.filter(
            user=applicant, revoked_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now, updated_at=now)
        credential = Credential.objects.create(
            user=applicant,
            request=current,
            verified_by=verifier,
            verified_at=now,
            expires_at=add_months(now, settings.PV_CREDENTIAL_MONTHS),
            **{
                field: getattr(current, field)
                for field in (
                    "profession",
                    "country",
                    "profession_text",
                    "specialty",
                    "real_name",
                    "shows_real_name",
                    "employer",
                    "industry_ties",
                )
            },
        )
        _join_professionals(applicant)
        _forget(applicant.pk)
    current.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    current.decided_by = verifier
    current.decided_at = now
    current.reason = reason
    fields = ["status", "decided_by", "decided_at", "reason", "updated_at", *_end_evidence(current)]
    current.save(update_fields=fields)
    audit.record(
        actor=verifier,
        action=f"professionals.request_{current.status}",
        target=current,
        reason=reason,
        data={
            "profession": current.profession,
            "country": current.country,
            "credential": str(credential.public_id) if credential else "",
            "registry_results": len(current.registry_results),
        },
    )
    _notify(
        applicant,
        NoticeKind.APPROVED if approve else NoticeKind.REJECTED,
        text=reason,
        request=current,
        credential=credential,
    )
    return current


@transaction.atomic
def record_registry_results(
    *, request: VerificationRequest, results: list[RegistryResult]
) -> VerificationRequest:
    """Store what the registry backends answered (replacing an earlier run)."""
    request.registry_results = [result.as_json() for result in results]
    request.save(update_fields=["registry_results", "updated_at"])
    return request


# --- credentials --------------------------------------------------------------------------


def _locked_current(credential: Credential) -> Credential:
    current = Credential.objects.select_for_update().select_related("user").get(pk=credential.pk)
    if not current.is_current:
        raise CredentialEnded
    return current


@transaction.atomic
def revoke_credential(*, staff: User, credential: Credential, reason: str) -> Credential:
    """Site staff end a credential now, with a ``reason`` the holder reads.

    Refuses: ``PermissionDenied`` unless acting staff with a second factor,
    :class:`ReasonRequired`, :class:`CredentialEnded` (already revoked or replaced).
    Effects: ``revoked_at``/``by``/``reason``; the holder leaves the group "verified
    professional"; audited (``professionals.credential_revoked``); the holder told."""
    check_revoke(staff)
    reason = _reason(reason, required=True)
    current = _locked_current(credential)
    current.revoked_at = timezone.now()
    current.revoked_by = staff
    current.revoked_reason = reason
    current.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "updated_at"])
    _leave_professionals(current.user)
    _forget(current.user_id)
    audit.record(
        actor=staff,
        action="professionals.credential_revoked",
        target=current,
        reason=reason,
        data={
            "profession": current.profession,
            "was_active": current.expires_at > current.revoked_at,
        },
    )
    _notify(current.user, NoticeKind.REVOKED, text=reason, credential=current)
    return current


def _to_expire(now: datetime) -> Any:
    return Credential.objects.filter(
        revoked_at__isnull=True,
        superseded_at__isnull=True,
        expiry_handled_at__isnull=True,
        expires_at__lte=now,
    )


@transaction.atomic
def expire_credentials(*, now: datetime | None = None) -> int:
    """End every current credential whose time has passed and that was not handled
    yet: the holder leaves the group "verified professional" (a credential past its
    expiry is not active even before this runs), is told, and it is audited
    (``professionals.credential_expired``, by "system"). Idempotent. Returns how many."""
    now = now or timezone.now()
    handled = 0
    for credential in _to_expire(now).select_related("user").select_for_update().order_by("pk"):
        credential.expiry_handled_at = now
        credential.save(update_fields=["expiry_handled_at", "updated_at"])
        _leave_professionals(credential.user)
        _forget(credential.user_id)
        audit.record(
            actor=None,
            action="professionals.credential_expired",
            target=credential,
            data={
                "profession": credential.profession,
                "expired_at": credential.expires_at.isoformat(),
            },
        )
        _notify(credential.user, NoticeKind.EXPIRED, credential=credential)
        handled += 1
    return handled


@transaction.atomic
def warn_expiring_credentials(*, now: datetime | None = None, days: int = WARN_DAYS) -> int:
    """Tell each holder once, ``days`` before their credential expires, to re-confirm
    it. Idempotent (``expiry_warned_at``). Returns how many were told."""
    now = now or timezone.now()
    due = Credential.objects.filter(
        revoked_at__isnull=True,
        superseded_at__isnull=True,
        expiry_warned_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=days),
    )
    told = 0
    for credential in due.select_related("user").select_for_update().order_by("pk"):
        credential.expiry_warned_at = now
        credential.save(update_fields=["expiry_warned_at", "updated_at"])
        _notify(credential.user, NoticeKind.EXPIRING, credential=credential)
        told += 1
    return told


# --- erasure ------------------------------------------------------------------------------


def erase_professional_data(user: User) -> None:
    """At erasure (both modes): the person's evidence files go after commit, their
    requests, credentials and notices are deleted (their audit entries stay, labelled
    without names). Run inside the erasure transaction."""
    names = list(
        VerificationRequest.objects.filter(applicant=user)
        .exclude(evidence_name="")
        .values_list("evidence_name", flat=True)
    )
    ProfessionalNotice.objects.filter(recipient=user).delete()
    Credential.objects.filter(user=user).delete()
    VerificationRequest.objects.filter(applicant=user).delete()
    _leave_professionals(user)
    _forget(user.pk)
    for name in names:
        transaction.on_commit(partial(delete_evidence, name))
