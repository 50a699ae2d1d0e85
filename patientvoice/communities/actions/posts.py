"""Replying, editing and deleting posts."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish
from patientvoice.moderation.permissions import check_may_post
from patientvoice.notifications.tasks import reconcile_after_post_change
from patientvoice.professionals.questions import answer_post_changed
from patientvoice.search import indexing as search_indexing

from ..models import (
    REACTION_COUNT_FIELDS,
    Post,
    PostRevision,
    Reaction,
    Thread,
)
from ..permissions import check_delete_post, check_edit_post, check_reply_to
from .counters import recount_communities, recount_threads


def _next_position(thread: Thread) -> int:
    """Take the thread's next post position. The UPDATE comes first, so the row is
    locked (PostgreSQL) or the database is (SQLite) before the value is read: two
    replies at once get consecutive positions."""
    Thread.objects.filter(pk=thread.pk).update(last_position=F("last_position") + 1)
    position: int = Thread.objects.filter(pk=thread.pk).values_list("last_position", flat=True)[0]
    return position


@transaction.atomic
def reply_to_thread(
    *,
    author: User,
    thread: Thread,
    body: str,
    language: str,
    reply_to: Post | None = None,
) -> PublishResult:
    """Add a reply, answering ``reply_to`` when given (a post of the same thread).

    Preconditions: ``author`` may post in the thread's community. Raises
    ``permissions.ThreadLocked`` when the thread is locked and ``author`` does not
    moderate it, ``ValueError`` when ``reply_to`` belongs to another thread.
    Effects: the post takes the thread's next position; when published, the thread's
    count, last activity and last published position move on."""
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ValueError("A reply answers a post of the same thread.")
    check_may_post(author, thread.community_id)
    if thread.is_locked:
        check_reply_to(author, thread)
    position = _next_position(thread)
    post = Post(
        thread=thread,
        community_id=thread.community_id,
        author=author,
        body=body,
        language=language,
        position=position,
        reply_to=reply_to,
    )
    result = publish(post)
    if result.published:
        Thread.objects.filter(pk=thread.pk).update(
            post_count=F("post_count") + 1,
            last_post_at=post.published_at,
            last_published_position=Greatest(F("last_published_position"), Value(position)),
            updated_at=timezone.now(),
        )
    return result


@transaction.atomic
def edit_post(*, user: User, post: Post, body: str) -> PublishResult:
    """Replace the text of ``user``'s own published post. Raises ``Http404`` unless
    ``permissions.can_edit_post``.

    Effects: the previous text is kept as a ``PostRevision`` (seen by staff only); the
    new text goes through the publishing pipeline again (rendered and checked), so an
    edit that adds, say, a phone number is held for a moderator, and the thread's
    counts are recomputed. ``edited_at`` is set. An unchanged text changes nothing."""
    check_edit_post(user, post)
    check_may_post(user, post.community_id)
    if body == post.body:
        return PublishResult(content=post)
    PostRevision.objects.create(post=post, body=post.body, edited_by=user)
    post.body = body
    post.edited_at = timezone.now()
    result = publish(post)
    if not result.published:
        recount_threads({post.thread_id})
    return result


@transaction.atomic
def delete_post(*, user: User, post: Post) -> None:
    """Delete ``user``'s own published or held post. Raises ``Http404`` unless
    ``permissions.can_delete_post``.

    Effects: the text, its earlier versions and the reactions to it are gone; the row
    stays with status ``removed`` and ``deleted_at`` set, so the thread shows a
    placeholder in its place and its anchors stay put. Thread and community counts are
    recomputed. When it was the thread's first post and nobody else has written there,
    the thread disappears (``is_published`` False). Audited, without the text."""
    check_delete_post(user, post)
    thread = post.thread
    first_id = (
        Post.objects.filter(thread_id=post.thread_id)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    PostRevision.objects.filter(post=post).delete()
    Reaction.objects.filter(post=post).delete()
    post.body = ""
    post.body_html = ""
    post.status = ContentStatus.REMOVED
    post.hold_reasons = []
    post.deleted_at = timezone.now()
    for field in REACTION_COUNT_FIELDS.values():
        setattr(post, field, 0)
    post.save(
        update_fields=[
            "body", "body_html", "status", "hold_reasons", "deleted_at",
            *REACTION_COUNT_FIELDS.values(), "updated_at",
        ]
    )  # fmt: skip
    others = Post.objects.filter(thread_id=post.thread_id, deleted_at__isnull=True).exclude(
        pk=post.pk
    )
    # The best answer is gone with its text.
    Thread.objects.filter(pk=thread.pk, best_answer=post).update(
        best_answer=None, updated_at=timezone.now()
    )
    if first_id == post.pk and thread.is_published and not others.exists():
        Thread.objects.filter(pk=thread.pk).update(is_published=False, updated_at=timezone.now())
        thread.is_published = False
    recount_threads({post.thread_id})
    recount_communities({post.community_id})
    # A question's first professional answer, deleted: the next answer takes over.
    answer_post_changed(post_id=post.pk)
    audit.record(
        actor=user,
        action="communities.post_deleted",
        target=post,
        data={"thread": str(thread.public_id)},
    )
    # The text leaves the search index as soon as the deletion commits.
    transaction.on_commit(partial(search_indexing.remove, "communities.post", [post.pk]))
    transaction.on_commit(partial(reconcile_after_post_change.enqueue, post_id=post.pk))
