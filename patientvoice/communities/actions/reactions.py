"""Reactions: one of each kind per person, counts kept on write."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from patientvoice.accounts.models import User

from ..models import (
    REACTION_COUNT_FIELDS,
    Post,
    Reaction,
)
from ..permissions import (
    check_react_to,
)


def _count_field(kind: str) -> str:
    try:
        return REACTION_COUNT_FIELDS[kind]
    except KeyError:
        raise ValueError(f"Unknown reaction: {kind!r}") from None


@transaction.atomic
def react(*, user: User, post: Post, kind: str) -> bool:
    """Add ``user``'s reaction of ``kind`` to ``post``. Raises ``Http404`` when the
    person may not read the post, ``PermissionDenied`` when it is not published (or
    they are not signed in), ``ValueError`` for an unknown kind.

    Effects: one reaction of each kind per person (reacting twice changes nothing);
    the post's count of that kind goes up once. Returns whether a reaction was added."""
    field = _count_field(kind)
    check_react_to(user, post)
    _reaction, created = Reaction.objects.get_or_create(post=post, user=user, kind=kind)
    if created:
        Post.objects.filter(pk=post.pk).update(**{field: F(field) + 1})
    return created


@transaction.atomic
def unreact(*, user: User, post: Post, kind: str) -> bool:
    """Take back ``user``'s reaction of ``kind`` to ``post``. Idempotent: without
    such a reaction nothing changes. Effects: the post's count of that kind goes down
    once. Returns whether a reaction was taken back."""
    field = _count_field(kind)
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, **{f"{field}__gt": 0}).update(**{field: F(field) - 1})
    return bool(deleted)
