"""The reply that helped most: one per thread, marked by its author or a moderator."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.models import ContentStatus

from ..models import Post, Thread
from ..permissions import check_mark_best_answer


@transaction.atomic
def mark_best_answer(*, actor: User, thread: Thread, post: Post) -> bool:
    """Mark ``post`` as the reply that helped most in ``thread``, in place of any
    earlier one. Raises ``PermissionDenied`` unless ``actor`` wrote the thread or
    moderates its community; ``ValueError`` unless ``post`` is a published reply in
    ``thread`` (not its opening post). Effects: ``Thread.best_answer``; a moderator
    marking someone else's thread is audited. Returns whether it changed."""
    check_mark_best_answer(actor, thread)
    if post.thread_id != thread.pk or post.position == 1:
        raise ValueError("The best answer is a reply in the same thread.")
    if post.status != ContentStatus.PUBLISHED:
        raise ValueError("Only a published reply can be the best answer.")
    if thread.best_answer_id == post.pk:
        return False
    Thread.objects.filter(pk=thread.pk).update(best_answer=post, updated_at=timezone.now())
    thread.best_answer = post
    if thread.author_id != actor.pk:
        audit.record(
            actor=actor,
            action="communities.best_answer_marked",
            target=thread,
            data={"post": str(post.public_id)},
        )
    return True


@transaction.atomic
def unmark_best_answer(*, actor: User, thread: Thread) -> bool:
    """Take the mark away. Raises as ``mark_best_answer``. Returns whether there was
    one."""
    check_mark_best_answer(actor, thread)
    if thread.best_answer_id is None:
        return False
    Thread.objects.filter(pk=thread.pk).update(best_answer=None, updated_at=timezone.now())
    thread.best_answer = None
    if thread.author_id != actor.pk:
        audit.record(actor=actor, action="communities.best_answer_unmarked", target=thread)
    return True
