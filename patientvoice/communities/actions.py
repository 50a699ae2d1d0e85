"""Every write in communities. Content goes through the publishing pipeline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role
from patientvoice.core import audit
from patientvoice.core.markup import render_markdown
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish
from patientvoice.core.slugs import free_slug
from patientvoice.directory.models import Condition
from patientvoice.organizations.models import Organization

from .models import (
    REACTION_COUNT_FIELDS,
    Community,
    CommunityGuidelines,
    GuidelinesAcceptance,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Post,
    PostRevision,
    Reaction,
    Thread,
    Visibility,
)
from .permissions import (
    check_delete_post,
    check_edit_post,
    check_moderate_community,
    check_react_to,
    check_tag_thread,
    is_site_staff,
)


@transaction.atomic
def create_community(
    *,
    actor: User | None,
    name: str,
    slug: str = "",
    visibility: str = Visibility.PUBLIC,
    description: str = "",
    teaser: str = "",
    language: str = "sv",
    organization: Organization | None = None,
    join_questions: str = "",
    accepts_requests: bool = True,
) -> Community:
    """Open a community. Effects: the community exists with no members; audited.
    Without ``slug`` one is made from ``name`` that no other community uses."""
    community = Community.objects.create(
        name=name,
        slug=slug or free_slug(Community, name, fallback="community"),
        visibility=visibility,
        description=description,
        teaser=teaser,
        language=language,
        organization=organization,
        join_questions=join_questions,
        accepts_requests=accepts_requests,
    )
    audit.record(actor=actor, action="communities.created", target=community)
    return community


@transaction.atomic
def join_community(*, user: User, community: Community) -> Membership:
    membership, created = Membership.objects.get_or_create(community=community, user=user)
    if created:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
    return membership


@transaction.atomic
def request_to_join(*, user: User, community: Community, answer: str) -> JoinRequest:
    """Ask to join ``community`` (private: a moderator decides), answering its join
    questions. Preconditions: the person is not a member, and the caller has checked
    that they may ask (the community's ask page is open to them). Effects: one pending
    request per person and community; asking again while one is pending updates its
    answer. The answer is cut at ``JoinRequest.MAX_ANSWER_LENGTH``."""
    answer = answer.strip()[: JoinRequest.MAX_ANSWER_LENGTH]
    pending = (
        JoinRequest.objects.select_for_update()
        .filter(community=community, user=user, status=JoinRequestStatus.PENDING)
        .first()
    )
    if pending is not None:
        if pending.answer != answer:
            pending.answer = answer
            pending.save(update_fields=["answer", "updated_at"])
        return pending
    return JoinRequest.objects.create(community=community, user=user, answer=answer)


def _decide(*, actor: User, join_request: JoinRequest, status: str) -> JoinRequest:
    check_moderate_community(actor, join_request.community)
    updated = JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequestStatus.PENDING
    ).update(status=status, decided_by=actor, decided_at=timezone.now(), updated_at=timezone.now())
    if not updated:
        raise ValueError("This request was decided already.")
    join_request.refresh_from_db()
    audit.record(
        actor=actor,
        action=f"communities.join_request_{status}",
        target=join_request.community,
        data={"user": str(join_request.user.public_id), "request": join_request.pk},
    )
    return join_request


@transaction.atomic
def approve_join_request(*, actor: User, join_request: JoinRequest) -> Membership:
    """Let the person in. Raises ``Http404`` unless ``actor`` may moderate the
    community (``permissions.can_moderate_community``), ``ValueError`` when the request
    was decided already. Effects: the request is approved (who, when), the person
    joins through ``join_community``; audited."""
    _decide(actor=actor, join_request=join_request, status=JoinRequestStatus.APPROVED)
    return join_community(user=join_request.user, community=join_request.community)


@transaction.atomic
def decline_join_request(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    """Say no. Raises as ``approve_join_request``. Effects: the request is declined
    (who, when) and the person may ask again later; audited."""
    return _decide(actor=actor, join_request=join_request, status=JoinRequestStatus.DECLINED)


@transaction.atomic
def leave_community(*, user: User, community: Community) -> bool:
    deleted, _ = Membership.objects.filter(community=community, user=user).delete()
    if deleted:
        Community.objects.filter(pk=community.pk, member_count__gt=0).update(
            member_count=F("member_count") - 1
        )
    return bool(deleted)


@transaction.atomic
def publish_guidelines(
    *, actor: User | None, community: Community, body: str
) -> CommunityGuidelines:
    """Publish ``body`` (Markdown) as the next version of the community's guidelines.
    Preconditions: the caller has checked that ``actor`` may manage the community (site
    staff in the admin, seed data with ``actor=None``); ``body`` is not blank.

    Effects: a new version numbered one above the latest, rendered by core.markup, and
    an audit entry; from then on everyone who posts there accepts it first. A body equal
    to the current version's publishes nothing and returns the current version, so
    nobody is asked to accept the same text twice."""
    body = body.strip()
    if not body:
        raise ValueError("Guidelines need a text.")
    # Lock the community row so two people publishing at once get consecutive versions
    # rather than one of them failing on the unique constraint.
    Community.objects.select_for_update().filter(pk=community.pk).values_list("pk").first()
    latest = CommunityGuidelines.objects.filter(community=community).order_by("-version").first()
    if latest is not None and latest.body == body:
        return latest
    guidelines = CommunityGuidelines.objects.create(
        community=community,
        version=(latest.version if latest is not None else 0) + 1,
        body=body,
        body_html=render_markdown(body),
        published_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor,
        action="communities.guidelines_published",
        target=community,
        data={"version": guidelines.version},
    )
    return guidelines


@transaction.atomic
def accept_guidelines(*, user: User, guidelines: CommunityGuidelines) -> GuidelinesAcceptance:
    """Record that ``user`` accepted this version of a community's guidelines.
    Idempotent: accepting the same version again keeps the first acceptance (and its
    time)."""
    acceptance, _created = GuidelinesAcceptance.objects.get_or_create(
        user=user, guidelines=guidelines
    )
    return acceptance


@transaction.atomic
def create_thread(
    *,
    author: User,
    community: Community,
    title: str,
    body: str,
    language: str,
    conditions: Iterable[Condition] | None = None,
) -> tuple[Thread, PublishResult]:
    """Open a thread with its first post, tagged with ``conditions``. Preconditions:
    ``author`` may post there (``permissions.can_post_in``). The thread is visible to
    others only once its first post is published."""
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, title=title.strip(), author=author, last_post_at=now
    )
    if conditions:
        thread.conditions.set(list(conditions))
    post = Post(thread=thread, community=community, author=author, body=body, language=language)
    result = publish(post, check_text=f"{title}\n\n{body}")
    if result.published:
        thread.is_published = True
        thread.post_count = 1
        thread.last_post_at = post.published_at
        thread.save(update_fields=["is_published", "post_count", "last_post_at", "updated_at"])
        Community.objects.filter(pk=community.pk).update(thread_count=F("thread_count") + 1)
    return thread, result


def _slugs(conditions: Iterable[Condition]) -> list[str]:
    return sorted(c.slug for c in conditions)


@transaction.atomic
def set_community_conditions(
    *, actor: User | None, community: Community, conditions: Iterable[Condition]
) -> bool:
    """Tag ``community`` with exactly ``conditions``. Preconditions: the caller has
    checked that ``actor`` may manage the community (staff, its organisation's staff,
    seed data with ``actor=None``). Effects: the tags are replaced and the change is
    audited with the slugs added and removed. Returns whether anything changed."""
    change = _replace_conditions(community.conditions, conditions)
    if change is None:
        return False
    audit.record(
        actor=actor, action="communities.conditions_changed", target=community, data=change
    )
    return True


@transaction.atomic
def set_thread_conditions(*, actor: User, thread: Thread, conditions: Iterable[Condition]) -> bool:
    """Tag ``thread`` with exactly ``conditions``. Raises ``PermissionDenied`` unless
    ``actor`` wrote the thread or is site staff with powers active. Effects: the tags
    are replaced; staff changing someone else's thread is audited. Returns whether
    anything changed."""
    check_tag_thread(actor, thread)
    change = _replace_conditions(thread.conditions, conditions)
    if change is None:
        return False
    if thread.author_id != actor.pk and is_site_staff(actor):
        audit.record(
            actor=actor, action="communities.thread_conditions_changed", target=thread, data=change
        )
    return True


def _replace_conditions(
    related: Any, conditions: Iterable[Condition]
) -> dict[str, list[str]] | None:
    """Set a many-to-many of conditions to exactly ``conditions``. Returns the slugs
    added and removed, or None when nothing changed."""
    wanted = {c.pk: c for c in conditions}
    current = {c.pk: c for c in related.all()}
    if wanted.keys() == current.keys():
        return None
    related.set(list(wanted.values()))
    return {
        "added": _slugs(c for pk, c in wanted.items() if pk not in current),
        "removed": _slugs(c for pk, c in current.items() if pk not in wanted),
    }


@transaction.atomic
def reply_to_thread(*, author: User, thread: Thread, body: str, language: str) -> PublishResult:
    """Add a reply. Preconditions: ``author`` may post in the thread's community."""
    post = Post(
        thread=thread, community_id=thread.community_id, author=author, body=body, language=language
    )
    result = publish(post)
    if result.published:
        Thread.objects.filter(pk=thread.pk).update(
            post_count=F("post_count") + 1,
            last_post_at=post.published_at,
            updated_at=timezone.now(),
        )
    return result


@transaction.atomic
def make_moderator(*, actor: User | None, community: Community, user: User) -> Membership:
    """Make ``user`` a moderator. Raises PermissionDenied without a second factor."""
    check_mfa_for_privileged_role(user)
    membership = join_community(user=user, community=community)
    membership.role = MembershipRole.MODERATOR
    membership.save(update_fields=["role", "updated_at"])
    audit.record(
        actor=actor, action="communities.moderator_added", target=community,
        data={"user": str(user.public_id)},
    )  # fmt: skip
    return membership


@transaction.atomic
def leave_all_communities(user: User) -> int:
    """Erasure, both modes: end every membership of ``user`` and keep each
    community's ``member_count`` right (deleting the user row would cascade the
    memberships away without touching the counts). Returns how many were ended."""
    community_ids = list(
        Membership.objects.filter(user=user).values_list("community_id", flat=True)
    )
    Membership.objects.filter(user=user).delete()
    Community.objects.filter(pk__in=community_ids, member_count__gt=0).update(
        member_count=F("member_count") - 1
    )
    return len(community_ids)


def recount_threads(thread_ids: set[int]) -> None:
    """Recompute ``post_count`` and ``last_post_at`` of threads from their published
    posts (a thread left with none keeps its creation time as ``last_post_at``)."""
    published = Post.objects.filter(thread=OuterRef("pk"), status=ContentStatus.PUBLISHED)
    Thread.objects.filter(pk__in=thread_ids).update(
        post_count=Coalesce(
            Subquery(published.order_by().values("thread").annotate(n=Count("pk")).values("n")),
            Value(0),
        ),
        last_post_at=Coalesce(
            Subquery(published.order_by("-published_at").values("published_at")[:1]),
            F("created_at"),
        ),
        updated_at=timezone.now(),
    )


def recount_communities(community_ids: set[int]) -> None:
    """Recompute ``thread_count`` of communities from their published threads."""
    published = Thread.objects.filter(community=OuterRef("pk"), is_published=True)
    Community.objects.filter(pk__in=community_ids).update(
        thread_count=Coalesce(
            Subquery(published.order_by().values("community").annotate(n=Count("pk")).values("n")),
            Value(0),
        ),
        updated_at=timezone.now(),
    )


@transaction.atomic
def remove_unpublished_posts_of(user: User) -> int:
    """Erasure, both modes: delete the person's held or hidden posts, and threads they
    opened that were never published. Counts on touched threads are recomputed."""
    unpublished = Post.objects.filter(author=user).exclude(status=ContentStatus.PUBLISHED)
    thread_ids = set(unpublished.values_list("thread_id", flat=True))
    community_ids = set(unpublished.values_list("community_id", flat=True))
    never_published = Thread.objects.filter(author=user, is_published=False)
    community_ids |= set(never_published.values_list("community_id", flat=True))
    count, _ = unpublished.delete()
    never_published.delete()
    recount_threads(thread_ids)
    recount_communities(community_ids)
    return count


def remove_posts_of(user: User) -> int:
    """Erasure in "remove" mode. Preconditions: runs before the user row is deleted.

    Effects: every post ``user`` wrote is deleted, and so is every thread they opened
    that nobody else has written in. Threads where others wrote stay (with the
    others' posts); their ``post_count``/``last_post_at`` and the touched communities'
    ``thread_count`` are recomputed. Returns the number of the person's posts deleted.
    """
    theirs = Post.objects.filter(author=user)
    others = Post.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    only_theirs = Thread.objects.filter(author=user).filter(~Exists(others))
    thread_ids = set(theirs.values_list("thread_id", flat=True))
    community_ids = set(theirs.values_list("community_id", flat=True)) | set(
        only_theirs.values_list("community_id", flat=True)
    )
    count = theirs.count()
    only_theirs.delete()
    theirs.delete()
    # Threads others answered stay for their sake, but the title was the person's words.
    for thread in Thread.objects.filter(author=user).select_related("community"):
        with translation.override(thread.community.language):
            thread.title = pgettext("erasure", "Title removed by its author")
        thread.save(update_fields=["title", "updated_at"])
    recount_threads(thread_ids)  # the deleted ones simply match no row
    recount_communities(community_ids)
    return count


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


@transaction.atomic
def edit_post(*, user: User, post: Post, body: str) -> PublishResult:
    """Replace the text of ``user``'s own published post. Raises ``Http404`` unless
    ``permissions.can_edit_post``.

    Effects: the previous text is kept as a ``PostRevision`` (seen by staff only); the
    new text goes through the publishing pipeline again (rendered and checked), so an
    edit that adds, say, a phone number is held for a moderator, and the thread's
    counts are recomputed. ``edited_at`` is set. An unchanged text changes nothing."""
    check_edit_post(user, post)
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
    if first_id == post.pk and thread.is_published and not others.exists():
        Thread.objects.filter(pk=thread.pk).update(is_published=False, updated_at=timezone.now())
        thread.is_published = False
    recount_threads({post.thread_id})
    recount_communities({post.community_id})
    audit.record(
        actor=user,
        action="communities.post_deleted",
        target=post,
        data={"thread": str(thread.public_id)},
    )


@transaction.atomic
def remove_reactions_of(user: User) -> int:
    """Erasure, both modes: take back every reaction ``user`` gave, keeping the posts'
    counts right (deleting the user row would cascade them away without touching
    the counts). Returns how many were taken back."""
    theirs = Reaction.objects.filter(user=user)
    for kind, field in REACTION_COUNT_FIELDS.items():
        Post.objects.filter(
            pk__in=theirs.filter(kind=kind).values("post_id"), **{f"{field}__gt": 0}
        ).update(**{field: F(field) - 1})
    count, _ = theirs.delete()
    return count


def remove_revisions_of(user: User) -> int:
    """Erasure in "remove" mode: delete the earlier versions of ``user``'s posts. (In
    "anonymise" mode they stay, with ``edited_by`` emptied when the user row goes.)"""
    count, _ = PostRevision.objects.filter(post__author=user).delete()
    return count
