"""``{% load moderation %}``: the header's "Moderation" link and its open-case count.

The header is on every page, the thread page above all (the hot page), so the count
must cost ordinary members nothing:

* a visitor, and a session that did not log in with a second factor (nearly every
  member: ``PrivilegeMiddleware`` sets ``privileges_suspended``), are answered without
  a query or a cache read;
* for the rest, whether the person moderates anything
  (``permissions.can_moderate_anything``, one query) is remembered in the cache for
  :data:`MODERATES_SECONDS`, so a member with two-step verification who moderates
  nothing costs nothing on a warm cache either;
* a moderator's count (``queries.open_count``, one COUNT) is remembered for
  :data:`COUNT_SECONDS`; the queue pages forget it for the moderator who just decided
  (:func:`forget_open_count`), other moderators see it catch up within that time.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache

from ..permissions import can_moderate_anything
from ..queries import open_count

register = template.Library()

# A role given or taken shows in the header within this time.
MODERATES_SECONDS = 300
# A case opened or decided by someone else shows in the count within this time.
COUNT_SECONDS = 60


def _moderates_key(user_id: int) -> str:
    return f"moderation:moderates:{user_id}"


def _count_key(user_id: int) -> str:
    return f"moderation:open-count:{user_id}"


def _acting(user: Any) -> bool:
    """Signed in, with powers not suspended for this request: no query."""
    return bool(getattr(user, "is_authenticated", False)) and not getattr(
        user, "privileges_suspended", False
    )


def moderates(user: Any) -> bool:
    """Whether ``user`` moderates anything now, remembered per person (the header's
    question, not a permission check: pages check with the permissions functions)."""
    if not _acting(user):
        return False
    key = _moderates_key(user.pk)
    answer = cache.get(key)
    if answer is None:
        answer = can_moderate_anything(user)
        cache.set(key, answer, MODERATES_SECONDS)
    return bool(answer)


def header_count(user: Any) -> int | None:
    """The open cases ``user`` may decide, or ``None`` when they moderate nothing
    (then the header shows no link at all; a moderator with an empty queue gets the
    link without a number)."""
    if not moderates(user):
        return None
    key = _count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = open_count(user)
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def forget_open_count(user: Any) -> None:
    """After ``user`` decided or claimed something: their next page counts anew."""
    if getattr(user, "pk", None) is not None:
        cache.delete(_count_key(user.pk))


@register.simple_tag(takes_context=True)
def moderation_open_count(context: template.Context) -> int | None:
    """``{% moderation_open_count as moderation_open %}`` for the header: ``None`` for
    people who moderate nothing, without a query for members whose session has no
    second factor (see the module's docstring)."""
    request = context.get("request")
    return header_count(getattr(request, "user", None))
