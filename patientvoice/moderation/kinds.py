"""The kinds registered by the moderation app itself: community posts and profiles.

Posts change through the same helpers communities' own actions use, so counters, the
thread's publication, the search index and notification counts stay right:
``recount_threads``/``recount_communities`` (as ``delete_post``), the search
``indexing`` functions and the notifications recount on commit, ``publish()`` for a
redaction (as ``edit_post``, the old text kept as a ``PostRevision``),
``lock_thread``/``move_thread`` for the thread tools. Every change moves the post's
``updated_at``: the thread page remembers rendered posts by pk and ``updated_at``
(decisions/0027).
"""

from __future__ import annotations

import re
import uuid
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import visible_users
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Post, PostRevision, Thread
from patientvoice.communities.permissions import visible_posts
from patientvoice.core.markup import plain_text, render_markdown
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import publish, run_after_publish
from patientvoice.notifications.tasks import reconcile_after_post_change
from patientvoice.search import indexing as search_indexing

from .errors import ContentGone, InvalidDecision
from .models import EXCERPT_LENGTH, Action, ContentLabel, Decision
from .registry import ModerationKind, register

POST = "post"
PROFILE = "profile"
POST_LABEL = "communities.post"


def excerpt(text: str) -> str:
    """Plain text cut to the length a case or statement keeps."""
    return Truncator(" ".join(text.split())).chars(EXCERPT_LENGTH)


# --- posts ------------------------------------------------------------------------------


def _post_url(post: Post) -> str:
    return reverse(
        "communities:post",
        kwargs={
            "slug": post.community.slug,
            "thread_id": post.thread.public_id,
            "post_id": post.public_id,
        },
    )


_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_POST_IN_URL = re.compile(rf"(?:/p/|#post-)({_UUID})")
_THREAD_IN_URL = re.compile(rf"/t/({_UUID})/?(?:[?#]|$)")


def _post_from_url(url: str) -> Post | None:
    """A post's permalink or its anchor on a thread page; a thread's address names its
    opening post."""
    found = _POST_IN_URL.search(url)
    posts = Post.objects.select_related("thread", "community")
    if found:
        return posts.filter(public_id=uuid.UUID(found.group(1))).first()
    found = _THREAD_IN_URL.search(url)
    if found:
        return (
            posts.filter(thread__public_id=uuid.UUID(found.group(1)))
            .order_by("created_at", "id")
            .first()
        )
    return None


def _is_opening_post(post: Post) -> bool:
    """The thread's first post, by the same order ``delete_post`` uses."""
    first_id = (
        Post.objects.filter(thread_id=post.thread_id)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return first_id == post.pk


def _post_state(post: Post) -> dict[str, Any]:
    return {
        "status": post.status,
        "community": post.community_id,
        "thread_locked": post.thread.is_locked,
    }


def _set_post_status(post: Post, status: str) -> bool:
    """Give ``post`` a new status as a moderator: hidden, removed or published (a held
    post a moderator keeps, or one restored). The thread mirrors its opening post: it
    is published with it, and hidden with it when nobody else's post is left. Counters
    are recomputed; on commit the post is indexed or taken out of the index and the
    unread counts of people told of it are recounted, and a post published now runs the
    after-publish hooks (search, notifications) as any publication does. A post its
    author deleted stays deleted. Returns whether anything changed."""
    if post.deleted_at is not None or post.status == status:
        return False
    first_publication = status == ContentStatus.PUBLISHED and post.published_at is None
    post.status = status
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        post.hold_reasons = []
        fields.append("hold_reasons")
        if first_publication:
            post.published_at = timezone.now()
            fields.append("published_at")
    post.save(update_fields=fields)
    if first_publication and post.author_id is not None:
        User.objects.filter(pk=post.author_id).update(published_count=F("published_count") + 1)
    thread_changed = _mirror_thread(post)
    community_actions.recount_threads({post.thread_id})
    community_actions.recount_communities({post.community_id})
    if status == ContentStatus.PUBLISHED:
        transaction.on_commit(partial(run_after_publish.enqueue, POST_LABEL, post.pk))
    else:
        transaction.on_commit(partial(search_indexing.index, POST_LABEL, [post.pk]))
        transaction.on_commit(partial(reconcile_after_post_change.enqueue, post_id=post.pk))
    if thread_changed:
        transaction.on_commit(partial(search_indexing.schedule_reindex_thread, post.thread_id))
    return True


def _mirror_thread(post: Post) -> bool:
    """Publish or unpublish the thread with its opening post. Returns whether it changed."""
    thread = post.thread
    if not _is_opening_post(post):
        return False
    if post.status == ContentStatus.PUBLISHED:
        publish_thread = True
    else:
        others = Post.objects.filter(
            thread_id=post.thread_id, status=ContentStatus.PUBLISHED
        ).exclude(pk=post.pk)
        publish_thread = others.exists()
    if thread.is_published == publish_thread:
        return False
    Thread.objects.filter(pk=thread.pk).update(
        is_published=publish_thread, updated_at=timezone.now()
    )
    thread.is_published = publish_thread
    return True


def _touch_post(post: Post) -> None:
    """Something shown with the post changed (a label): move ``updated_at`` so the
    thread page renders it again."""
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(updated_at=now)
    post.updated_at = now


def _redact_post(post: Post, text: str, moderator: User | None) -> None:
    """Replace the text with the moderator's version (personal data replaced by the
    visible mark), as an edit: the old text is kept as a revision (staff only) and the
    new one goes through the publishing pipeline, so it is checked again. A post its
    author deleted has no text left to redact."""
    if post.deleted_at is not None:
        raise ContentGone
    PostRevision.objects.create(post=post, body=post.body, edited_by=moderator)
    post.body = text
    result = publish(post)
    _mirror_thread(post)
    community_actions.recount_threads({post.thread_id})
    community_actions.recount_communities({post.community_id})
    if not result.published:
        transaction.on_commit(partial(reconcile_after_post_change.enqueue, post_id=post.pk))


def _unredact_post(post: Post, decision: Decision, actor: User | None) -> None:
    """Put back the text a redaction replaced (the revision it kept), without holding it
    again: a moderator has just decided it may be shown."""
    revision = (
        PostRevision.objects.filter(post=post, created_at__gte=decision.created_at)
        .order_by("created_at", "id")
        .first()
    )
    if revision is None or post.deleted_at is not None:
        return
    PostRevision.objects.create(post=post, body=post.body, edited_by=actor)
    post.body = revision.body
    post.body_html = render_markdown(revision.body)
    post.save(update_fields=["body", "body_html", "updated_at"])
    if not _set_post_status(post, ContentStatus.PUBLISHED):
        transaction.on_commit(partial(run_after_publish.enqueue, POST_LABEL, post.pk))


def _apply_to_post(post: Post, action: str, decision: Decision, text: str) -> None:
    if action == Action.KEEP:
        # Automated holds are decided by a person: keeping a held post publishes it.
        if post.status == ContentStatus.HELD:
            _set_post_status(post, ContentStatus.PUBLISHED)
    elif action == Action.HIDE:
        _set_post_status(post, ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        _set_post_status(post, ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        _set_post_status(post, ContentStatus.PUBLISHED)
    elif action == Action.REDACT:
        _redact_post(post, text, decision.moderator)
    elif action == Action.LABEL:
        ContentLabel.objects.create(
            kind=POST, object_id=post.pk, text=decision.label_text, decision=decision
        )
        _touch_post(post)
    elif action == Action.LOCK:
        community_actions.lock_thread(actor=decision.moderator, thread=post.thread, locked=True)
    elif action == Action.MOVE:
        if decision.moderator is None:
            raise InvalidDecision(pgettext_lazy("moderation", "Only a person can move a thread."))
        target = Community.objects.get(pk=decision.details["move_to"])
        community_actions.move_thread(actor=decision.moderator, thread=post.thread, to=target)
    elif action == Action.MERGE:
        # Merging threads needs a merge in communities first (positions, read states,
        # subscriptions); left for a later change (decisions/0028).
        raise NotImplementedError("Merging threads is not built yet.")


def _undo_on_post(post: Post, decision: Decision, actor: User | None) -> None:
    action = decision.action
    if action in (Action.HIDE, Action.REMOVE):
        _set_post_status(post, ContentStatus.PUBLISHED)
    elif action == Action.REDACT:
        _unredact_post(post, decision, actor)
    elif action == Action.LABEL:
        ContentLabel.objects.filter(decision=decision, removed_at__isnull=True).update(
            removed_at=timezone.now(), updated_at=timezone.now()
        )
        _touch_post(post)
    elif action == Action.LOCK:
        community_actions.lock_thread(actor=actor, thread=post.thread, locked=False)
    elif action == Action.MOVE:
        origin = Community.objects.filter(pk=decision.details.get("community")).first()
        if origin is not None and actor is not None:
            community_actions.move_thread(actor=actor, thread=post.thread, to=origin)


def _posts_of(moderator: Any, member: Any) -> QuerySet[Post]:
    return visible_posts(
        moderator, Post.objects.filter(author=member).select_related("thread", "community")
    )


POST_KIND = ModerationKind(
    kind=POST,
    model=Post,
    noun=pgettext_lazy("moderated item", "post"),
    visible=visible_posts,
    community_of=lambda post: post.community,
    author_of=lambda post: post.author,
    excerpt_of=lambda post: excerpt(plain_text(post.body_html) or post.body),
    url_of=_post_url,
    state_of=_post_state,
    apply=_apply_to_post,
    undo=_undo_on_post,
    actions=frozenset(
        {
            Action.HIDE,
            Action.REMOVE,
            Action.REDACT,
            Action.LABEL,
            Action.LOCK,
            Action.MOVE,
            Action.MERGE,
            Action.RESTORE,
        }
    ),
    authored_by=_posts_of,
    from_url=_post_from_url,
)


# --- profiles ---------------------------------------------------------------------------

_PROFILE_IN_URL = re.compile(r"/u/([^/?#]+)/?")


def _profile_from_url(url: str) -> User | None:
    found = _PROFILE_IN_URL.search(url)
    if not found:
        return None
    return User.objects.filter(handle_canonical=canonical_handle(found.group(1))).first()


def _profile_url(user: User) -> str:
    try:
        return reverse("accounts:profile", kwargs={"handle": user.handle})
    except NoReverseMatch:
        return ""


def _apply_to_profile(user: User, action: str, decision: Decision, text: str) -> None:
    """Hiding or removing a profile clears its "about me" text; a redaction replaces it.
    The handle stays (it is reserved and names the person's posts)."""
    if action in (Action.HIDE, Action.REMOVE):
        user.bio = ""
    elif action == Action.REDACT:
        user.bio = text[: User._meta.get_field("bio").max_length]
    else:
        return
    user.save(update_fields=["bio", "updated_at"])


def _undo_on_profile(user: User, decision: Decision, actor: User | None) -> None:
    """The text a hide, remove or redaction cleared was not kept (a profile is
    personal data; decisions/0028): the member writes it again."""


PROFILE_KIND = ModerationKind(
    kind=PROFILE,
    model=User,
    noun=pgettext_lazy("moderated item", "profile text"),
    visible=visible_users,
    community_of=lambda user: None,
    author_of=lambda user: user,
    excerpt_of=lambda user: excerpt(user.bio or user.handle),
    url_of=_profile_url,
    apply=_apply_to_profile,
    undo=_undo_on_profile,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.REDACT}),
    from_url=_profile_from_url,
)


def register_builtin_kinds() -> None:
    """Called from ``ModerationConfig.ready()``."""
    register(POST_KIND)
    register(PROFILE_KIND)
