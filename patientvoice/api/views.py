"""The page where a person creates and revokes their personal access tokens."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import signed_in_user

from . import actions
from .forms import TokenForm
from .models import PersonalAccessToken

NEW_TOKEN_SESSION_KEY = "pv_new_token"  # noqa: S105 - a session key name, not a secret


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TokenForm(request.POST or None)
    # Shown once, after a redirect: reloading the page must not create another token.
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, "")
    if request.method == "POST" and form.is_valid():
        _, raw = actions.create_token(
            user=user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )
        request.session[NEW_TOKEN_SESSION_KEY] = raw
        return redirect("api_tokens")
    tokens = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True)
    return render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    token = get_object_or_404(
        PersonalAccessToken, user=user, public_id=public_id, revoked_at__isnull=True
    )
    actions.revoke_token(user=user, token=token)
    messages.success(request, pgettext("tokens", "The token is revoked and no longer works."))
    return redirect("api_tokens")
