"""Every write in communities. Content goes through the publishing pipeline."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish

from .models import Community, Membership, MembershipRole, Post, Thread


@transaction.atomic
def join_community(*, user: User, community: Community) -> Membership:
    membership, created = Membership.objects.get_or_create(community=community, user=user)
    if created:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
    return membership


@transaction.atomic
def leave_community(*, user: User, community: Community) -> bool:
    deleted, _ = Membership.objects.filter(community=community, user=user).delete()
    if deleted:
        Community.objects.filter(pk=community.pk, member_count__gt=0).update(
            member_count=F("member_count") - 1
        )
    return bool(deleted)


@transaction.atomic
def create_thread(
    *, author: User, community: Community, title: str, body: str, language: str
) -> tuple[Thread, PublishResult]:
    """Open a thread with its first post. Preconditions: ``author`` may post there
    (``permissions.can_post_in``). The thread is visible to others only once its
    first post is published."""
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, title=title.strip(), author=author, last_post_at=now
    )
    post = Post(thread=thread, community=community, author=author, body=body, language=language)
    result = publish(post, check_text=f"{title}\n\n{body}")
    if result.published:
        thread.is_published = True
        thread.post_count = 1
        thread.save(update_fields=["is_published", "post_count", "updated_at"])
        Community.objects.filter(pk=community.pk).update(thread_count=F("thread_count") + 1)
    return thread, result


@transaction.atomic
def reply_to_thread(*, author: User, thread: Thread, body: str, language: str) -> PublishResult:
    """Add a reply. Preconditions: ``author`` may post in the thread's community."""
    post = Post(
        thread=thread, community_id=thread.community_id, author=author, body=body, language=language
    )
    result = publish(post)
    if result.published:
        Thread.objects.filter(pk=thread.pk).update(
            post_count=F("post_count") + 1, last_post_at=post.published_at
        )
    return result


@transaction.atomic
def make_moderator(*, community: Community, user: User) -> Membership:
    membership = join_community(user=user, community=community)
    membership.role = MembershipRole.MODERATOR
    membership.save(update_fields=["role", "updated_at"])
    return membership


def remove_posts_of(user: User) -> int:
    """Erasure in "remove" mode: the person's posts go, and so do threads they opened
    that nobody else has answered. Counts on the touched threads are recomputed."""
    others = Post.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    Thread.objects.filter(author=user).filter(~Exists(others)).delete()
    thread_ids = set(Post.objects.filter(author=user).values_list("thread_id", flat=True))
    count, _ = Post.objects.filter(author=user).delete()
    for thread in Thread.objects.filter(pk__in=thread_ids):
        thread.post_count = thread.posts.filter(status=ContentStatus.PUBLISHED).count()
        thread.save(update_fields=["post_count", "updated_at"])
    return count
