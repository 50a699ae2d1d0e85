from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import translate_url

from patientvoice.core.tasks import send_email

from .handles import canonical_handle
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(
        self, request: HttpRequest, user: User, form: BaseForm, commit: bool = True
    ) -> User:
        # The handle must be on the row before its first save (it is unique, not null).
        data = form.cleaned_data
        user.handle = data["handle"]
        user.handle_canonical = canonical_handle(data["handle"])
        user.presence = data.get("presence") or user.presence
        user.preferred_language = data.get("preferred_language") or user.preferred_language
        user.email = (data.get("email") or "").lower()
        saved: User = super().save_user(request, user, form, commit=commit)
        return saved

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """After login, continue in the person's preferred language."""
        url = str(super().get_login_redirect_url(request))
        language = getattr(request.user, "preferred_language", "")
        return translate_url(url, language) if language else url

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # The same context allauth's own send_mail builds: without current_site the
        # messages read "Hello from !".
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []) or []:
            if mimetype == "text/html":
                html = str(content)
        subject, body = str(message.subject), str(message.body)
        to, from_email = list(message.to), str(message.from_email)
        # After commit: a worker must never send mail about a sign-up that rolled back.
        transaction.on_commit(
            lambda: send_email.enqueue(
                subject=subject, body=body, to=to, from_email=from_email, html=html
            )
        )
