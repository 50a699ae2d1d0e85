"""Opening threads."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core.publishing import PublishResult, publish
from patientvoice.directory.models import Condition, Medicine
from patientvoice.moderation.permissions import check_may_post

from ..models import (
    Community,
    Post,
    Thread,
)


@transaction.atomic
def create_thread(
    *,
    author: User,
    community: Community,
    title: str,
    body: str,
    language: str,
    conditions: Iterable[Condition] | None = None,
    medicines: Iterable[Medicine] | None = None,
) -> tuple[Thread, PublishResult]:
    """Open a thread with its first post, tagged with ``conditions`` and ``medicines``.
    Preconditions: ``author`` may post there (``permissions.can_post_in``). The thread
    is visible to others only once its first post is published."""
    check_may_post(author, community.pk)
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, title=title.strip(), author=author, last_post_at=now, last_position=1
    )
    if conditions:
        thread.conditions.set(list(conditions))
    if medicines:
        thread.medicines.set(list(medicines))
    post = Post(
        thread=thread,
        community=community,
        author=author,
        body=body,
        language=language,
        position=1,
    )
    result = publish(post, check_text=f"{title}\n\n{body}")
    if result.published:
        thread.is_published = True
        thread.post_count = 1
        thread.last_post_at = post.published_at
        thread.last_published_position = 1
        thread.save(
            update_fields=[
                "is_published", "post_count", "last_post_at", "last_published_position",
                "updated_at",
            ]
        )  # fmt: skip
        Community.objects.filter(pk=community.pk).update(thread_count=F("thread_count") + 1)
    return thread, result
