"""The professional's badge, wherever a person appears (decisions/0033).

``{% load professionals %}``

* ``{% professional_badge user %}``: the badge of ``user`` (profession, specialty,
  "verified" with the date, and the real name when they chose to show it), or nothing.
  Costs no query when the person's credential is cached (``queries.credential_of``),
  one when cold.
* ``{% professional_badge user credentials %}``: the same from a dictionary made by
  ``queries.active_credentials(user_ids)`` for a whole page of authors (one query for
  the page; a missing id means "no badge"). Use this on lists.
* ``{% professional_profile profile %}``: the profile page's block: the badge, the real
  name and the public conflict-of-interest declaration.
* ``{% professional_account_links user as links %}``: what the account page links to
  (``queries.account_links``, one query).

The badge links to the public professional card (``professionals:card``), which anyone
may read while the credential is active: the badge's HTML depends on the credential
(and the language) only, as remembered fragments expect.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from .. import queries
from ..models import Credential
from ..queries import credential_of

register = template.Library()


def _credential(user: Any, credentials: dict[int, Credential] | None) -> Credential | None:
    if user is None:
        return None
    if credentials is not None:
        return credentials.get(getattr(user, "pk", None) or 0)
    credential = credential_of(user)
    return credential if credential is not None and credential.is_active() else None


def badge_html(credential: Credential) -> SafeString:
    """The badge of an active credential: the same HTML for every page."""
    verified = formats.date_format(timezone.localtime(credential.verified_at), "DATE_FORMAT")
    what = credential.profession_label()
    if credential.specialty:
        what = f"{what} · {credential.specialty}"
    name = (
        format_html('<span class="professional-name">{}</span>, ', credential.real_name)
        if credential.shows_real_name
        else ""
    )
    return format_html(
        '<span class="badge badge-verified badge-professional" title="{title}">'
        '<span aria-hidden="true">✓</span> <a href="{card}">{name}{label}</a> '
        '<span class="meta">{verified}</span></span>',
        title=pgettext(
            "professional badge",
            "PatientVoice has checked this person's licence as a healthcare professional.",
        ),
        card=reverse("professionals:card", args=[credential.public_id]),
        name=name,
        label=pgettext("professional badge", "%(profession)s, verified") % {"profession": what},
        verified=pgettext("professional badge", "since %(date)s") % {"date": verified},
    )


@register.filter
def is_verified_professional(user: Any) -> bool:
    """Whether ``user`` holds an active credential now (the profile's "here as a
    healthcare professional (not yet verified)" gives way to the badge)."""
    return queries.is_verified_professional(user)


@register.simple_tag
def professional_badge(user: Any, credentials: dict[int, Credential] | None = None) -> str:
    credential = _credential(user, credentials)
    return badge_html(credential) if credential is not None else ""


@register.inclusion_tag("professionals/profile_credential.html", takes_context=True)
def professional_profile(context: template.Context, profile: Any) -> dict[str, Any]:
    """The profile page's block. Its owner also sees an expired credential, with the
    way to re-confirm it."""
    credential = credential_of(profile)
    viewer = context.get("user")
    own = getattr(viewer, "pk", None) == profile.pk
    if credential is not None and not credential.is_active() and not own:
        credential = None
    return {
        "credential": credential,
        "badge": badge_html(credential)
        if credential is not None and credential.is_active()
        else "",
        "own": own,
        "profile": profile,
    }


@register.simple_tag
def professional_account_links(user: Any) -> queries.AccountLinks:
    return queries.account_links(user)
