"""Telling people in the app: the story's author of a new published comment, a
commenter of a reply. Never about a comment the recipient cannot see."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.notifications.notices import forget_unread_notices

from ..models import NoticeKind, StoryComment, StoryNotice
from ..permissions import visible_comments


def _may_see(user: User, comment: StoryComment) -> bool:
    if not user.is_active or user.erasure_requested_at is not None:
        return False
    return visible_comments(user, StoryComment.objects.filter(pk=comment.pk)).exists()


@transaction.atomic
def notify_about_comment(*, comment: StoryComment) -> int:
    """Run by the after-publish hook: once per comment (claimed with ``notified_at``),
    for a published comment only. A reply tells the author of the comment it answers;
    every comment tells the story's author; nobody hears of their own comment, and only
    people who may see the comment are told. Returns how many were told."""
    if comment.status != ContentStatus.PUBLISHED:
        return 0
    claimed = StoryComment.objects.filter(pk=comment.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    story = comment.story
    recipients: dict[int, str] = {}
    if comment.parent_id is not None:
        parent = StoryComment.objects.filter(pk=comment.parent_id).first()  # visibility: author
        if parent is not None and parent.author_id is not None:
            recipients[parent.author_id] = NoticeKind.REPLY
    if story.author_id is not None:
        recipients.setdefault(story.author_id, NoticeKind.COMMENT)
    recipients.pop(comment.author_id or 0, None)
    told = 0
    for user in User.objects.filter(pk__in=recipients):
        if not _may_see(user, comment):
            continue
        _, created = StoryNotice.objects.get_or_create(
            recipient=user, comment=comment, defaults={"kind": recipients[user.pk]}
        )
        if created:
            told += 1
            forget_unread_notices(user.pk)
    return told


@transaction.atomic
def mark_notices_read(*, user: User) -> int:
    """Everything on the person's notices page is read once they open it."""
    changed = StoryNotice.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        forget_unread_notices(user.pk)
    return changed
