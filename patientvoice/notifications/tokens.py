"""Signed one-click unsubscribe links (RFC 8058): no login, no CSRF token, so the
link itself must say who it is for and that we made it.

Besides the person's public id the token carries a keyed hash of the address the
e-mail went to and of ``NotificationState.unsubscribe_version``: a link in an old,
forwarded e-mail stops working once the person changes their address or turns
e-mails on again (decisions/0022)."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac

from patientvoice.accounts.models import User

from .models import NotificationState

SALT = "patientvoice.notifications.unsubscribe"


def verified_address(user: User) -> str | None:
    """The person's verified primary address (allauth), the only one we e-mail."""
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(user_id=user.pk, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )
    return str(address) if address else None


def _version(user: User) -> int:
    return (
        NotificationState.objects.filter(user_id=user.pk)
        .values_list("unsubscribe_version", flat=True)
        .first()
    ) or 0


def _fingerprint(address: str, version: int) -> str:
    # Keyed (SECRET_KEY): the token is signed, not encrypted, and must not let anyone
    # test guesses of the address against it.
    return salted_hmac(SALT, f"{address.casefold()}:{version}", algorithm="sha256").hexdigest()[:20]


def unsubscribe_token(user: User, *, address: str | None = None) -> str:
    """The token for an e-mail to ``address`` (the verified primary address by
    default)."""
    address = address if address is not None else verified_address(user) or ""
    payload = {"u": str(user.public_id), "k": _fingerprint(address, _version(user))}
    return signing.dumps(payload, salt=SALT, compress=True)


def user_for_token(token: str) -> User | None:
    """The person the token was made for, or None when it was altered, is unknown, or
    was made for an address or a subscription that has changed since."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    public_id, fingerprint = data.get("u"), data.get("k")
    if not isinstance(public_id, str) or not isinstance(fingerprint, str):
        return None
    try:
        user = User.objects.filter(public_id=public_id).first()
    except (ValueError, ValidationError):
        return None
    if user is None:
        return None
    address = verified_address(user) or ""
    if not constant_time_compare(fingerprint, _fingerprint(address, _version(user))):
        return None
    return user
