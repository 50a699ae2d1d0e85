"""Every write about questions for professionals (issue 6, item 5; decisions/0037).

A thread's author marks it as a question for verified professionals in a field
(:func:`mark_question`, when starting it or later), changes the field, or stops asking
(:func:`unmark_question`). The first professional answer is kept on the question, on
write, by :func:`recompute_first_answer`:

    the earliest published reply (not the opening post, not by the asker) whose author
    held a credential that was active when the reply was published.

It is recomputed from the thread's posts whenever something may change it: a post in
the thread is published (the after-publish hook in :mod:`.answer_hooks`, which also
runs when a moderator keeps a held post or restores a hidden one), a moderator decides
on the post that is the first answer (a decision listener, same module), the thread is
marked, or the answering professional is erased. A reply its author deletes
(``communities.actions.delete_post`` has no hook) is seen at the next of these; until
then the thread still says it was answered. The rule reads the credential's history, so
a recomputation never depends on who holds a credential *now*: an answer given while
verified stays an answer after the credential expires or is revoked, as an expert note
does (decisions/0034).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.communities.models import Post, Thread
from patientvoice.core.models import ContentStatus

from .errors import InvalidQuestionField, QuestionThreadLocked
from .models import Credential, ProfessionalQuestion, QuestionField
from .permissions import check_question_thread


def clean_field(field: str) -> str:
    """``field`` if it is one of :class:`QuestionField`, else :class:`InvalidQuestionField`."""
    if field not in QuestionField.values:
        raise InvalidQuestionField
    return field


@transaction.atomic
def mark_question(*, asker: User, thread: Thread, field: str) -> ProfessionalQuestion:
    """``asker`` asks verified professionals in ``field``, on the thread they started.

    Refuses: ``Http404`` when ``asker`` may not see the thread, ``PermissionDenied``
    when it is someone else's, :class:`InvalidQuestionField`,
    :class:`QuestionThreadLocked`. Effects: the question (asked now), or for a thread
    already marked its field changed (``asked_at`` stays); answers professionals had
    already given count at once. Idempotent."""
    check_question_thread(asker, thread)
    field = clean_field(field)
    if thread.is_locked:
        raise QuestionThreadLocked
    question, made = ProfessionalQuestion.objects.select_for_update().get_or_create(
        thread=thread,
        defaults={"field": field, "asked_by": asker, "asked_at": timezone.now()},
    )
    if not made and question.field != field:
        question.field = field
        question.save(update_fields=["field", "updated_at"])
    if made:
        recompute_first_answer(question)
    return question


@transaction.atomic
def unmark_question(*, asker: User, thread: Thread) -> bool:
    """``asker`` stops asking professionals on the thread they started (the replies
    stay; the thread leaves the professionals' queue and loses its label). Refuses as
    :func:`mark_question`. Returns whether it was marked."""
    check_question_thread(asker, thread)
    deleted, _ = ProfessionalQuestion.objects.filter(thread=thread).delete()
    return deleted > 0


def _credential_at(moment_ref: str) -> Any:
    """The credentials of the post's author (``OuterRef("author_id")``) that were active
    at the post's ``moment_ref`` column: verified before, not yet expired, revoked or
    superseded then. The newest first."""
    moment = OuterRef(moment_ref)
    return (
        Credential.objects.filter(  # visibility: an author's credential history, read by the rule
            user_id=OuterRef("author_id"), verified_at__lte=moment, expires_at__gt=moment
        )
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment))
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment))
        .order_by("-verified_at", "-id")
    )


def first_answer(
    question: ProfessionalQuestion, *, excluding_user: int | None = None
) -> dict[str, Any] | None:
    """The first professional answer of ``question`` by the rule above (one query):
    ``{"pk", "published_at", "credential_id", "profession"}``, or ``None``.
    ``excluding_user``: a person whose answers no longer count (being erased)."""
    posts = Post.objects.filter(  # visibility: published replies only, for a kept field
        thread_id=question.thread_id,
        status=ContentStatus.PUBLISHED,
        position__gt=1,
        author__isnull=False,
        published_at__isnull=False,
    )
    if question.asked_by_id is not None:
        posts = posts.exclude(author_id=question.asked_by_id)
    if excluding_user is not None:
        posts = posts.exclude(author_id=excluding_user)
    held = _credential_at("published_at")
    found: Any = (
        posts.annotate(
            credential_id=Subquery(held.values("pk")[:1]),
            profession=Subquery(held.values("profession")[:1]),
        )
        .filter(credential_id__isnull=False)
        .order_by("published_at", "id")
        .values("pk", "published_at", "credential_id", "profession")
        .first()
    )
    return dict(found) if found is not None else None


def _waited(asked_at: datetime, answered_at: datetime) -> int:
    return max(0, int((answered_at - asked_at).total_seconds()))


@transaction.atomic
def recompute_first_answer(
    question: ProfessionalQuestion, *, excluding_user: int | None = None
) -> bool:
    """Set (or clear) the first professional answer of ``question`` from the thread's
    posts. Writes only when it changed; returns whether it did. Idempotent."""
    found = first_answer(question, excluding_user=excluding_user)
    if found is None:
        wanted: dict[str, Any] = {
            "first_answer_post_id": None,
            "first_answer_at": None,
            "first_answer_credential_id": None,
            "first_answer_profession": "",
            "answer_seconds": None,
        }
    else:
        wanted = {
            "first_answer_post_id": found["pk"],
            "first_answer_at": found["published_at"],
            "first_answer_credential_id": found["credential_id"],
            "first_answer_profession": found["profession"],
            "answer_seconds": _waited(question.asked_at, found["published_at"]),
        }
    if all(getattr(question, name) == value for name, value in wanted.items()):
        return False
    for name, value in wanted.items():
        setattr(question, name, value)
    ProfessionalQuestion.objects.filter(pk=question.pk).update(**wanted, updated_at=timezone.now())
    return True


def answer_published(*, post: Post) -> bool:
    """After ``post`` is published (the after-publish hook): recompute the first answer
    of its thread when the thread is a question. One query for any other thread.
    Every reply recomputes, not only professionals' ones, so an answer its author
    deleted meanwhile is noticed at the thread's next reply."""
    if post.status != ContentStatus.PUBLISHED:
        return False
    question = ProfessionalQuestion.objects.filter(thread_id=post.thread_id).first()
    if question is None:
        return False
    return recompute_first_answer(question)


def answer_post_changed(*, post_id: int) -> bool:
    """After a moderator's decision on the post ``post_id``: when it is a question's
    first answer, recompute (a hidden or removed answer hands over to the next one)."""
    question = ProfessionalQuestion.objects.filter(first_answer_post_id=post_id).first()
    if question is None:
        return False
    return recompute_first_answer(question)


def forget_answers_by(user: User) -> int:
    """At erasure: the questions first answered by ``user`` are recomputed without
    them (their credentials go with the account). Returns how many changed."""
    changed = 0
    for question in ProfessionalQuestion.objects.filter(first_answer_post__author=user):
        changed += recompute_first_answer(question, excluding_user=user.pk)
    return changed
