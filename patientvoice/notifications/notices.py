"""The in-app notices other apps keep for a person, counted once for the header.

Review notices (claims, provider replies, disputes), notes notices (a note on your
post, a reply to your note), verification notices (a decision, an expiry), the
safety officers' private questions about a side effect you wrote about and comments on
your stories are rows of
five models with the same shape: a ``recipient`` and a ``read_at``. Each app shows
its own list; the header's number counts the unread ones of all three, cached per
person (``unread_notice_count``) or as one SQL expression for a hot page that reads it
with its own row (``unread_notices_expression``). An action that creates a notice or
marks notices read calls ``forget_unread_notices`` (after commit).

The rows are the person's own, so counting them needs no visibility rule; a notice
whose subject they can no longer see still counts until they open their notices.
"""

from __future__ import annotations

from functools import cache as once
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Model, Subquery, Value
from django.db.models.functions import Coalesce

CACHE_SECONDS = 15 * 60

# "app_label.Model" of every notice model: a recipient foreign key and read_at, with an
# index on (recipient, read_at).
NOTICE_MODELS = (
    "reviews.ReviewNotice",
    "expertnotes.NoteNotice",
    "professionals.ProfessionalNotice",
    "safety.SafetyMessage",
    "stories.StoryNotice",
)


@once
def _models() -> tuple[type[Model], ...]:
    return tuple(apps.get_model(label) for label in NOTICE_MODELS)


def unread_notices_key(user_id: int) -> str:
    return f"pv:notices:unread:{user_id}"


def forget_unread_notices(user_id: int | None) -> None:
    """Drop the cached count of ``user_id`` once the surrounding transaction commits."""
    if user_id is None:
        return
    key = unread_notices_key(user_id)
    transaction.on_commit(lambda: cache.delete(key))


def unread_notice_count(user: Any) -> int:
    """The person's unread notices of every kind (cached; dropped by the actions)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = unread_notices_key(user.pk)
    count = cache.get(key)
    if count is None:
        # One query for every kind: the same scalar subqueries a hot page reads.
        from django.contrib.auth import get_user_model
        from django.db.models import OuterRef

        count = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list(unread_notices_expression(OuterRef("pk")), flat=True)
            .first()
        ) or 0
        cache.set(key, count, CACHE_SECONDS)
    return int(count)


def unread_notice_counts(user: Any) -> dict[str, int]:
    """The person's unread notices per model label ("stories.StoryNotice": 2), in one
    query: the notification centre shows where the header's remaining number is."""
    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef

    if not getattr(user, "is_authenticated", False):
        return {}
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(*(_unread_of(model, OuterRef("pk")) for model in _models()))
        .first()
    )
    return {label: int(n or 0) for label, n in zip(NOTICE_MODELS, row or (), strict=False)}


def _unread_of(model: type[Model], user_id: Any) -> Any:
    unread = (
        model._default_manager.filter(  # visibility: the person's own notices
            recipient_id=user_id, read_at__isnull=True
        )
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    return Coalesce(Subquery(unread), Value(0))


def unread_notices_expression(user_id: Any) -> Any:
    """``unread_notice_count`` as SQL: one scalar subquery per notice model, each on
    its (recipient, read_at) index."""
    total: Any = Value(0)
    for model in _models():
        total = total + _unread_of(model, user_id)
    return total
