"""Pseudonymous handles: what is allowed, and when two handles are "the same".

A handle is refused with a specific reason when it contains invisible or
direction-changing characters, letters from outside the Latin script (the usual
look-alike attack: Cyrillic "а" for Latin "a"), or when its *canonical* form —
case-folded, accents removed, look-alike characters folded (0→o, 1/i/l→l, rn→m,
vv→w) and separators dropped — equals that of a current or past handle.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import pgettext, pgettext_lazy

MIN_LENGTH = 3
MAX_LENGTH = 30

_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}
_ALLOWED_PUNCTUATION = {"_", "-", "."}
_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "j": "l", "|": "l", "5": "s", "$": "s"})
_MULTI = [("rn", "m"), ("vv", "w"), ("cl", "d")]

RESERVED = {
    "admin", "administrator", "moderator", "moderatorer", "staff", "support", "patientvoice",
    "system", "root", "api", "anonymous", "anonym", "former-member", "tidigare-medlem",
    "1177", "vardguiden", "lakemedelsverket", "fass", "safety", "sakerhet",
}  # fmt: skip

HANDLE_HELP = pgettext_lazy(
    "handle help",
    "3–30 characters: letters (a–z, å, ä, ö and other Latin letters), digits, dots, "
    "dashes or underscores. Choose a name that does not reveal who you are.",
)


def canonical_handle(handle: str) -> str:
    text = unicodedata.normalize("NFKD", handle.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_FOLD)
    text = "".join(c for c in text if c not in _ALLOWED_PUNCTUATION)
    for a, b in _MULTI:
        text = text.replace(a, b)
    return text[:MAX_LENGTH]


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def validate_handle_shape(raw: str) -> str:
    """Return the handle as it will be stored, or raise ValidationError with a reason."""
    if any(unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in raw):
        raise ValidationError(
            pgettext(
                "handle error",
                "The handle contains invisible or direction-changing characters. "
                "Type it again without copying it from elsewhere.",
            ),
            code="invisible",
        )
    handle = unicodedata.normalize("NFC", raw.strip())
    if any(c.isspace() for c in handle):
        raise ValidationError(
            pgettext("handle error", "The handle cannot contain spaces."), code="space"
        )
    if not MIN_LENGTH <= len(handle) <= MAX_LENGTH:
        raise ValidationError(
            pgettext("handle error", "The handle must be between 3 and 30 characters long."),
            code="length",
        )
    for char in handle:
        if char.isdigit() and not char.isascii():
            raise ValidationError(
                pgettext("handle error", "Use the digits 0–9 only."), code="digits"
            )
        if not (_is_latin_letter(char) or char.isdigit() or char in _ALLOWED_PUNCTUATION):
            raise ValidationError(
                pgettext(
                    "handle error",
                    "“%(char)s” cannot be used in a handle. Use Latin letters, digits, "
                    "dots, dashes or underscores.",
                )
                % {"char": char},
                code="character",
            )
    if not any(_is_latin_letter(c) for c in handle):
        raise ValidationError(
            pgettext("handle error", "The handle must contain at least one letter."),
            code="no_letter",
        )
    if re.search(r"[._-]{2,}", handle) or handle[0] in "._-" or handle[-1] in "._-":
        raise ValidationError(
            pgettext(
                "handle error",
                "Dots, dashes and underscores cannot start or end the handle or come in a row.",
            ),
            code="punctuation",
        )
    if canonical_handle(handle) in {canonical_handle(r) for r in RESERVED}:
        raise ValidationError(
            pgettext("handle error", "That handle is reserved. Choose another one."),
            code="reserved",
        )
    return handle


def validate_handle_available(handle: str, *, user_id: int | None = None) -> str:
    """Full validation: shape, then uniqueness against current and past handles."""
    from .models import PastHandle, User

    handle = validate_handle_shape(handle)
    canonical = canonical_handle(handle)
    taken = User.objects.filter(handle_canonical=canonical)
    past = PastHandle.objects.filter(handle_canonical=canonical)
    if user_id is not None:
        taken = taken.exclude(pk=user_id)
        past = past.exclude(user_id=user_id)
    if taken.exists() or past.exists():
        raise ValidationError(
            pgettext(
                "handle error",
                "That handle, or one that looks too much like it, is already taken. "
                "Choose another one.",
            ),
            code="taken",
        )
    return handle
