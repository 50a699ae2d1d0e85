"""What the accounts app, allauth and Django's own apps hold about a person."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.db.models import Q

from patientvoice.core.models import AuditEntry

from .exporting import register_exporter, rows
from .models import ConsentRecord, PastHandle, User


@register_exporter("account", models=["accounts.User", "accounts.PastHandle"])
def export_account(user: User) -> dict[str, Any]:
    return {
        "public_id": str(user.public_id),
        "email": user.email,
        "handle": user.handle,
        "past_handles": [p.handle for p in PastHandle.objects.filter(user=user)],
        "bio": user.bio,
        "presence": user.presence,
        "preferred_language": user.preferred_language,
        "profile_audience": user.profile_audience,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "age_confirmed_at": user.age_confirmed_at.isoformat() if user.age_confirmed_at else None,
        "groups": list(user.groups.values_list("name", flat=True)),
    }


@register_exporter("consents", models=["accounts.ConsentRecord"])
def export_consents(user: User) -> list[dict[str, Any]]:
    return rows(
        ConsentRecord.objects.filter(user=user).order_by("at", "id"),
        "purpose", "granted", "policy__kind", "policy__version", "language", "at",
    )  # fmt: skip


@register_exporter(
    "security",
    models=["account.EmailAddress", "account.EmailConfirmation", "mfa.Authenticator"],
)
def export_security(user: User) -> dict[str, Any]:
    # Secrets (TOTP seeds, recovery codes) are never exported: only that they exist.
    return {
        "email_addresses": rows(
            EmailAddress.objects.filter(user=user), "email", "verified", "primary"
        ),
        "pending_confirmations": EmailConfirmation.objects.filter(email_address__user=user).count(),
        "second_factors": rows(
            Authenticator.objects.filter(user=user), "type", "created_at", "last_used_at"
        ),
    }


@register_exporter("audit", models=["core.AuditEntry", "admin.LogEntry"])
def export_audit(user: User) -> dict[str, Any]:
    return {
        "actions_by_you": rows(
            AuditEntry.objects.filter(actor=user), "at", "action", "target_type", "reason"
        ),
        # Decisions and changes about the person (moderation issues add their own).
        # Roles given to the person name them in ``data["user"]`` (moderator, staff).
        "actions_about_you": rows(
            AuditEntry.objects.filter(
                Q(target_type="accounts.user", target_id=str(user.public_id))
                | Q(data__user=str(user.public_id))
            ),
            "at",
            "action",
            "target_type",
            "reason",
        ),
        "admin_changes_by_you": rows(
            LogEntry.objects.filter(user=user), "action_time", "object_repr", "change_message"
        ),
    }
