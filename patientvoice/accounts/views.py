from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import actions
from .exporting import build_export
from .forms import ConsentForm, DeleteAccountForm, HandleForm, ProfileForm
from .models import REQUIRED_PURPOSES, ConsentPurpose, ErasureMode
from .permissions import check_view_profile, has_mfa, signed_in_user
from .queries import consent_state, current_policy, person_by_handle


@login_required
@require_http_methods(["GET"])
def settings_home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "accounts/settings_home.html",
        {"has_mfa": has_mfa(user), "consents": consent_state(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {
        "bio": user.bio,
        "presence": user.presence,
        "preferred_language": user.preferred_language,
        "profile_audience": user.profile_audience,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user=user, **form.cleaned_data)
        messages.success(request, pgettext("profile", "Your profile is saved."))
        return redirect("accounts:profile_edit")
    return render(
        request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def handle_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = HandleForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        actions.change_handle(user=user, handle=form.cleaned_data["handle"])
        messages.success(request, pgettext("profile", "Your handle is changed."))
        return redirect("accounts:settings")
    return render(
        request, "accounts/handle_edit.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """Give or withdraw consents. Also where a new policy version is asked for again."""
    user = signed_in_user(request)
    state = consent_state(user)
    policy = current_policy()
    initial = {purpose: bool(record and record.granted) for purpose, record in state.items()}
    # Not "request.POST or None": unticking every box posts no fields at all (htmx sends
    # the CSRF token as a header), and that is a withdrawal, not a page view.
    form = ConsentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        granted = form.granted()
        if ConsentPurpose.HEALTH_DATA not in granted and initial.get(ConsentPurpose.HEALTH_DATA):
            # Withdrawing the required consent: explain and confirm before closing.
            request.session["pending_optional_consents"] = sorted(granted)
            return redirect("accounts:consent_withdraw")
        if ConsentPurpose.HEALTH_DATA not in granted:
            form.add_error(
                "health_data",
                pgettext(
                    "consent",
                    "To take part you need to agree to this. If you do not want to, "
                    "you can delete your account instead.",
                ),
            )
        else:
            actions.record_consents(user=user, granted=granted, language=get_language() or "sv")
            messages.success(request, pgettext("consent", "Your choices are saved."))
            return redirect(_safe_next(request) or "accounts:consent")
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "policy": policy, "state": state},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            language = get_language() or "sv"
            mode = request.POST.get("mode", "")
            if mode not in ErasureMode.values:  # a tampered form must not fail halfway
                mode = ErasureMode.ANONYMISE
            # The optional boxes still ticked when health_data was unticked on the
            # consent page: the others were withdrawn in the same step.
            optional_kept = request.session.pop("pending_optional_consents", None)
            with transaction.atomic():
                if optional_kept is not None:
                    actions.record_consents(
                        user=user,
                        granted=set(optional_kept),
                        asked={p.value for p in ConsentPurpose if p not in REQUIRED_PURPOSES},
                        language=language,
                    )
                actions.withdraw_consent(
                    user=user, purpose=ConsentPurpose.HEALTH_DATA, language=language
                )
                actions.request_erasure(user=user, mode=mode)
            logout(request)
            return redirect("accounts:deleted")
        return redirect("accounts:consent")
    return render(request, "accounts/consent_withdraw.html", {"grace_days": _grace_days()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        archive = build_export(user)
        response = HttpResponse(
            json.dumps(archive, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="patientvoice-{stamp}.json"'
        return response
    return render(request, "accounts/data_export.html")


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _grace_days() -> int:
    from django.conf import settings

    return int(settings.PV_ERASURE_GRACE_DAYS)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DeleteAccountForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        actions.request_erasure(user=user, mode=form.cleaned_data["mode"])
        logout(request)
        return redirect("accounts:deleted")
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "grace_days": _grace_days()},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/deleted.html", {"grace_days": _grace_days()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erasure_pending(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not user.erasure_pending:
        return redirect("home")
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            actions.cancel_erasure(user=user)
            messages.success(request, pgettext("delete account", "Your account is kept."))
            return redirect("accounts:settings")
        logout(request)
        return redirect("home")
    return render(
        request,
        "accounts/erasure_pending.html",
        {"grace_days": _grace_days(), "erasure_due": actions.erasure_due_at(user)},
    )


@require_http_methods(["GET"])
def profile_detail(request: HttpRequest, handle: str) -> HttpResponse:
    profile = person_by_handle(handle)
    if profile is None:
        raise Http404
    check_view_profile(request.user, profile)
    return render(request, "accounts/profile_detail.html", {"profile": profile})
