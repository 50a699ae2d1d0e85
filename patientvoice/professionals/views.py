"""Pages of the professionals app (decisions/0033): the public professional card; a
member's verification page and application form; the verifiers' queue, one
application with its evidence and decision form, the list of current credentials;
staff's revocation.

Every refusal comes back with its translated message and status (400, 403, 409) and
the form keeps what was typed (a file input cannot be refilled by any browser: the
page asks for the file again).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import has_mfa, signed_in_user
from patientvoice.core import audit
from patientvoice.core.textchecks.address import check_street_address
from patientvoice.core.textchecks.base import CheckContext
from patientvoice.core.textchecks.personal_data import check_personal_data
from patientvoice.moderation.errors import MemberSanctioned

from . import actions
from .adviser_queries import card_adviser_communities, own_adviser_roles
from .errors import InvalidApplication, ProfessionalError, ReasonRequired, RequestDecided
from .evidence import open_evidence
from .forms import ApplicationForm, DecisionForm, RevokeForm
from .models import Credential, EvidenceKind, RequestStatus, VerificationRequest
from .permissions import (
    access_card,
    access_request,
    access_request_as_verifier,
    can_revoke,
    check_revoke,
    check_verifier,
    visible_credentials,
)
from .queries import (
    applicant_requests,
    credential_of,
    credentials_for_staff,
    latest_request,
    notices_for,
    own_requests,
    pending_request,
    successor_card,
    verification_queue,
)
from .registries import backends_for

PER_PAGE = 25


# --- everyone -----------------------------------------------------------------------------


@require_http_methods(["GET"])
def card(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The public professional card the badge links to: the name the professional
    chose to appear under, profession, specialty, "verified" with the date and the
    conflict-of-interest declaration; nothing from the private profile. Anyone may
    read it while the credential is active; a replaced credential's card sends on to
    the current one; otherwise 404."""
    try:
        credential = access_card(public_id)
    except Http404:
        successor = successor_card(public_id)
        if successor is None:
            raise
        return redirect("professionals:card", public_id=successor.public_id)
    return render(
        request,
        "professionals/card.html",
        {
            "credential": credential,
            # "Adviser to …": the communities the reader may know exist (decisions/0037).
            "advises": card_adviser_communities(request.user, credential),
        },
    )


# --- the member's side --------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def status(request: HttpRequest) -> HttpResponse:
    """The member's verification page: their credential (with a banner when it has
    expired or expires soon), the request that waits, earlier requests and notices."""
    user = signed_in_user(request)
    credential = credential_of(user)
    notices = list(notices_for(user).select_related("credential")[:20])
    return render(
        request,
        "professionals/status.html",
        {
            "credential": credential,
            "pending": pending_request(user),
            "requests": list(own_requests(user)[:10]),
            "notices": notices,
            "unread": sum(1 for n in notices if n.read_at is None),
            "warn_days": actions.WARN_DAYS,
            "has_mfa": has_mfa(user),
            # Adviser invitations and roles (decisions/0037).
            "adviser_roles": list(own_adviser_roles(user)),
        },
    )


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    actions.mark_notices_read(user=signed_in_user(request))
    return redirect("professionals:status")


def _apply_page(
    request: HttpRequest, form: ApplicationForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The form, or, for a person without two-step verification who has not sent it
    yet, the way to turn it on first (so nobody fills in the form to lose it). A
    refused POST always shows the form with the answers."""
    user = signed_in_user(request)
    mfa = has_mfa(user)
    return render(
        request,
        "professionals/apply.html",
        {
            "form": form,
            "has_mfa": mfa,
            "show_form": mfa or form.is_bound,
            "credential": credential_of(user),
            "apply_url": reverse("professionals:apply"),
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Ask to be verified, or re-confirm a credential: the earlier answers are filled
    in. A refused request comes back (400, 403 or 409) with every answer kept."""
    user = signed_in_user(request)
    if pending_request(user) is not None:
        messages.info(
            request,
            pgettext(
                "professional form", "Your request waits for a verifier. You can withdraw it here."
            ),
        )
        return redirect("professionals:status")
    if request.method == "GET":
        form = ApplicationForm(initial=ApplicationForm.initial_from(latest_request(user)))
        return _apply_page(request, form)
    form = ApplicationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _apply_page(request, form, status=400)
    try:
        actions.submit_request(applicant=user, **form.answers())
    except InvalidApplication as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _apply_page(request, form, status=error.status)
    except ProfessionalError as error:
        form.add_error(None, str(error))
        return _apply_page(request, form, status=error.status)
    except MemberSanctioned as error:
        form.add_error(None, str(error))
        return _apply_page(request, form, status=403)
    messages.success(
        request,
        pgettext(
            "professional form",
            "Thank you. A verifier will check your request and tell you what they decide.",
        ),
    )
    return redirect("professionals:status")


@login_required
@require_POST
def withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    found = access_request(user, public_id)
    if found.applicant_id != user.pk:
        raise Http404
    try:
        actions.withdraw_request(applicant=user, request=found)
    except ProfessionalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, pgettext("professional status", "Your request is withdrawn."))
    return redirect("professionals:status")


# --- verifiers ----------------------------------------------------------------------------

STATUS_TABS = [s.value for s in RequestStatus]


@never_cache
@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Verifiers: the requests waiting, oldest first (or the decided ones)."""
    user = signed_in_user(request)
    check_verifier(user)
    shown = request.GET.get("status", RequestStatus.PENDING)
    if shown not in STATUS_TABS:
        shown = RequestStatus.PENDING
    page = Paginator(verification_queue(user, shown), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "professionals/queue.html",
        {"page": page, "shown": shown, "tabs": RequestStatus.choices},
    )


def public_text_findings(found: VerificationRequest) -> list[tuple[str, str]]:
    """The publishing pipeline's personal-data checks over what the badge and profile
    would show, for the verifier to weigh (these fields are short plain text, shown
    escaped, public only once a verifier approves them)."""
    context = CheckContext(kind="professionals.credential")
    shown: list[tuple[str, str]] = []
    for name in ("specialty", "employer", "industry_ties", "profession_text"):
        text = getattr(found, name)
        if not text:
            continue
        label = str(getattr(VerificationRequest._meta.get_field(name), "verbose_name", name))
        for finding in [*check_personal_data(text, context), *check_street_address(text, context)]:
            shown.append((label, str(finding.message)))
    return shown


def _detail_page(
    request: HttpRequest, found: VerificationRequest, form: DecisionForm, *, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    others = list(applicant_requests(user, found.applicant_id).exclude(pk=found.pk)[:10])
    return render(
        request,
        "professionals/request_detail.html",
        {
            "found": found,
            "form": form,
            "findings": public_text_findings(found),
            "others": others,
            "own": found.applicant_id == user.pk,
            "is_pdf": found.evidence_kind == EvidenceKind.PDF,
            "applicant_has_mfa": has_mfa(found.applicant),
            "can_ask_registers": bool(backends_for(found)),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One request with its evidence and the decision form. The form posts here, so a
    refused decision comes back on an address that also answers GET (the language
    switch links to the same address in the other language)."""
    user = signed_in_user(request)
    found = access_request_as_verifier(user, public_id)
    if request.method == "POST":
        return _decide(request, found)
    return _detail_page(request, found, DecisionForm())


@login_required
@require_POST
def decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The same decision, at its own address (kept for links and clients that post
    here)."""
    user = signed_in_user(request)
    return _decide(request, access_request_as_verifier(user, public_id))


def _decide(request: HttpRequest, found: VerificationRequest) -> HttpResponse:
    """Approve or reject, with the reason the applicant reads (required to reject)."""
    user = signed_in_user(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, found, form, status=400)
    try:
        actions.decide_request(
            verifier=user,
            request=found,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ReasonRequired as error:
        form.add_error("reason", str(error))
        return _detail_page(request, found, form, status=error.status)
    except ProfessionalError as error:
        form.add_error(None, str(error))
        return _detail_page(request, found, form, status=error.status)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return _detail_page(request, found, form, status=403)
    messages.success(request, pgettext("verification decision", "Decided. The applicant is told."))
    return redirect("professionals:queue")


@login_required
@require_POST
def recheck(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Ask the registry backends again (in the worker), when one covers the request's
    country and profession; otherwise say that none can be asked."""
    user = signed_in_user(request)
    found = access_request_as_verifier(user, public_id)
    if not found.is_pending:
        messages.error(request, str(RequestDecided()))
    elif not backends_for(found):
        messages.error(
            request,
            pgettext(
                "verification decision",
                "No register can be asked automatically for this country and profession. "
                "Check the licence by hand.",
            ),
        )
    else:
        from .tasks import check_registries

        check_registries.enqueue(request_id=found.pk)
        messages.info(
            request,
            pgettext("verification decision", "The registers are being asked. Reload in a moment."),
        )
    return redirect("professionals:request_detail", public_id=found.public_id)


@never_cache
@login_required
@require_http_methods(["GET"])
def evidence(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """The evidence file, for verifiers only, always as a download (never shown in the
    page's origin), ``nosniff``, never cached. Each download is audited."""
    user = signed_in_user(request)
    found = access_request_as_verifier(user, public_id)
    if not found.evidence_name:
        raise Http404
    try:
        handle = open_evidence(found.evidence_name)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    audit.record(actor=user, action="professionals.evidence_viewed", target=found, request=request)
    is_pdf = found.evidence_kind == EvidenceKind.PDF
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"evidence-{found.public_id}.{'pdf' if is_pdf else 'webp'}",
        content_type="application/pdf" if is_pdf else "image/webp",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET"])
def credential_list(request: HttpRequest) -> HttpResponse:
    """Verifiers and staff: current credentials, soonest to expire first."""
    user = signed_in_user(request)
    check_verifier(user)
    page = Paginator(credentials_for_staff(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "professionals/credential_list.html",
        {"page": page, "can_revoke": can_revoke(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Staff revoke a credential now, with the reason its holder reads."""
    user = signed_in_user(request)
    check_revoke(user)
    credential = (
        visible_credentials(user, Credential.objects.filter(public_id=public_id))
        .select_related("user")
        .first()
    )
    if credential is None:
        raise Http404
    form = RevokeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.revoke_credential(
                    staff=user, credential=credential, reason=form.cleaned_data["reason"]
                )
            except ReasonRequired as error:
                form.add_error("reason", str(error))
                status = error.status
            except ProfessionalError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request, pgettext("credential revocation", "Revoked. The professional is told.")
                )
                return redirect("professionals:credentials")
    return render(
        request,
        "professionals/revoke.html",
        {"form": form, "credential": credential},
        status=status,
    )
