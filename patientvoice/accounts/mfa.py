"""Two-step verification: secrets encrypted at rest, and kept while a role needs them."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from patientvoice.core import audit

_PREFIX = "fernet:"


def _fernet() -> Fernet:
    # A key derived from SECRET_KEY: rotating SECRET_KEY means people re-enrol TOTP
    # (docs/decisions/0005-accounts-allauth.md).
    digest = hashlib.sha256(f"patientvoice-mfa:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def has_privileged_role(user: Any) -> bool:
    """Roles that require a second factor: staff, organisation staff, community
    moderators, and the role groups later issues add (verified professional, safety
    officer, verifier)."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    if user.organization_roles.exists() or user.groups.exists():
        return True
    from patientvoice.communities.models import MembershipRole

    return bool(user.memberships.filter(role=MembershipRole.MODERATOR).exists())


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _PREFIX + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            return encrypted_text  # written before encryption was configured
        try:
            return _fernet().decrypt(encrypted_text[len(_PREFIX) :].encode()).decode()
        except InvalidToken:
            return ""  # SECRET_KEY changed: the factor no longer verifies

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A person with a privileged role keeps at least one real second factor."""
        user = authenticator.user
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        if not has_privileged_role(user):
            return True
        others = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exclude(pk=authenticator.pk)
        return bool(others.exists())


def audit_authenticator_change(action: str) -> Callable[..., None]:
    """A receiver for allauth's authenticator signals that writes ``action`` to the log."""

    def receiver(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any) -> None:
        audit.record(
            actor=user, action=action, target=user,
            data={"type": authenticator.type}, request=request,
        )  # fmt: skip

    return receiver


record_authenticator_added = audit_authenticator_change("accounts.mfa_added")
record_authenticator_removed = audit_authenticator_change("accounts.mfa_removed")
