"""The visibility rule for communities, threads and posts (ARCHITECTURE §4).

Everything that lists, counts, searches, exports or e-mails community content narrows
its queryset with these functions; detail views use the ``check_*`` helpers, which
answer 404 (not 403) for what the person may not know exists.

* Public community: anyone reads its published content.
* Members-only: anyone sees the community's name, description and teaser; only
  members read its threads and posts.
* Private: only members (and site staff) know it exists.
* Held or hidden content is seen by its author and by site staff only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from patientvoice.accounts.permissions import is_acting_staff, privileges_active
from patientvoice.core.models import ContentStatus
from patientvoice.organizations.models import OrganizationStaff

from .models import Community, Membership, MembershipRole, Post, Thread, Visibility


def _member_community_ids(user: Any) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user_id=user.pk).values("community_id")


def is_site_staff(user: Any) -> bool:
    """Site staff with their powers active (accounts.permissions.is_acting_staff)."""
    return is_acting_staff(user)


def visible_communities(user: Any, qs: QuerySet[Community]) -> QuerySet[Community]:
    """Communities whose existence ``user`` may know (members-only ones included)."""
    if is_site_staff(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.exclude(visibility=Visibility.PRIVATE)
    return qs.filter(~Q(visibility=Visibility.PRIVATE) | Q(pk__in=_member_community_ids(user)))


def readable_communities(user: Any, qs: QuerySet[Community]) -> QuerySet[Community]:
    """Communities whose content ``user`` may read."""
    if is_site_staff(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.filter(visibility=Visibility.PUBLIC)
    return qs.filter(Q(visibility=Visibility.PUBLIC) | Q(pk__in=_member_community_ids(user)))


def _readable_q(user: Any, prefix: str) -> Q:
    public = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if not getattr(user, "is_authenticated", False):
        return public
    return public | Q(**{f"{prefix}pk__in": _member_community_ids(user)})


def visible_threads(user: Any, qs: QuerySet[Thread]) -> QuerySet[Thread]:
    if is_site_staff(user):
        return qs
    readable = qs.filter(_readable_q(user, "community__"))
    if not getattr(user, "is_authenticated", False):
        return readable.filter(is_published=True)
    return readable.filter(Q(is_published=True) | Q(author_id=user.pk))


def visible_posts(user: Any, qs: QuerySet[Post]) -> QuerySet[Post]:
    if is_site_staff(user):
        return qs
    readable = qs.filter(_readable_q(user, "community__"))
    published = Q(status=ContentStatus.PUBLISHED, thread__is_published=True)
    if not getattr(user, "is_authenticated", False):
        return readable.filter(published)
    own = Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return readable.filter(published | own)


def is_member(user: Any, community: Community) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user_id=user.pk, community=community).exists()


def can_moderate_community(user: Any, community: Community) -> bool:
    """The community's moderators and its hosting organisation's staff, each with
    their privileges active (a second factor), and acting site staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_site_staff(user):
        return True
    # One query for both roles: the community page asks this of every member.
    role = Q(
        Exists(
            Membership.objects.filter(
                user_id=user.pk, community=community, role=MembershipRole.MODERATOR
            )
        )
    )
    if community.organization_id is not None:
        role |= Q(
            Exists(
                OrganizationStaff.objects.filter(
                    user_id=user.pk, organization_id=community.organization_id
                )
            )
        )
    holds_role = Community.objects.filter(role, pk=community.pk).exists()
    return holds_role and privileges_active(user)


def check_moderate_community(user: Any, community: Community) -> None:
    """404: people who do not moderate a community must not learn who asks to join."""
    if not can_moderate_community(user, community):
        raise Http404


def can_see_members(user: Any, community: Community) -> bool:
    """The member list is for members (and acting site staff)."""
    return is_site_staff(user) or is_member(user, community)


def check_see_members(user: Any, community: Community) -> None:
    if not can_see_members(user, community):
        raise Http404


def can_read_community(user: Any, community: Community) -> bool:
    return (
        community.visibility == Visibility.PUBLIC
        or is_site_staff(user)
        or is_member(user, community)
    )


def can_post_in(user: Any, community: Community) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_member(user, community)


def can_tag_thread(user: Any, thread: Thread) -> bool:
    """The thread's author, or site staff, may change its condition tags."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (thread.author_id is not None and thread.author_id == user.pk) or is_site_staff(user)


def check_tag_thread(user: Any, thread: Thread) -> None:
    if not can_tag_thread(user, thread):
        raise PermissionDenied


def check_community_exists_for(user: Any, community: Community) -> None:
    if community.visibility == Visibility.PRIVATE and not (
        is_site_staff(user) or is_member(user, community)
    ):
        raise Http404


def access_thread(user: Any, community_slug: str, thread_id: Any) -> Thread:
    """Fetch and authorise in one call (Zulip's access_message): 404 if not visible."""
    thread = (
        visible_threads(user, Thread.objects.select_related("community", "author"))
        .filter(community__slug=community_slug, public_id=thread_id)
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def visible_deleted_posts(user: Any, qs: QuerySet[Post]) -> QuerySet[Post]:
    """Posts their authors deleted (status removed, no text left), narrowed to the
    communities ``user`` may read: the thread page shows a placeholder in the place of
    each, so the thread stays readable and anchors stay put. A removal by a moderator
    is not among them."""
    placeholders = qs.filter(status=ContentStatus.REMOVED, deleted_at__isnull=False)
    if is_site_staff(user):
        return placeholders
    return placeholders.filter(_readable_q(user, "community__"))


def access_post(user: Any, thread: Thread, post_id: Any) -> Post:
    """A post of ``thread`` (already fetched through ``access_thread``) that ``user``
    may read; 404 otherwise."""
    post = visible_posts(user, Post.objects.filter(thread=thread, public_id=post_id)).first()
    if post is None:
        raise Http404
    post.thread = thread
    return post


def can_react_to(user: Any, post: Post) -> bool:
    """Signed-in people who can read a published post may react to it (held, hidden
    and removed posts take no reactions, their author's included)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and post.status == ContentStatus.PUBLISHED
        and visible_posts(user, Post.objects.filter(pk=post.pk)).exists()
    )


def check_react_to(user: Any, post: Post) -> None:
    """404 for a post the person may not read; 403 for one they see but that takes no
    reactions (their own held post)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if not visible_posts(user, Post.objects.filter(pk=post.pk)).exists():
        raise Http404
    if post.status != ContentStatus.PUBLISHED:
        raise PermissionDenied


def can_edit_post(user: Any, post: Post) -> bool:
    """Only the author edits a post, and only while it is published (a held post
    waits for a moderator; a hidden or removed one is theirs no longer)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and post.author_id is not None
        and post.author_id == user.pk
        and post.status == ContentStatus.PUBLISHED
    )


def check_edit_post(user: Any, post: Post) -> None:
    """404, not 403: other people must not learn anything about the post this way."""
    if not can_edit_post(user, post):
        raise Http404


def can_delete_post(user: Any, post: Post) -> bool:
    """The author deletes their own published or held post."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and post.author_id is not None
        and post.author_id == user.pk
        and post.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
    )


def check_delete_post(user: Any, post: Post) -> None:
    if not can_delete_post(user, post):
        raise Http404
