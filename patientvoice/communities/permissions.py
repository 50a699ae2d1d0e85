"""The visibility rule for communities, threads and posts (ARCHITECTURE §4).

Everything that lists, counts, searches, exports or e-mails community content narrows
its queryset with these functions; detail views use the ``check_*`` helpers, which
answer 404 (not 403) for what the person may not know exists.

* Public community: anyone reads its published content.
* Members-only: anyone sees the community's name, description and teaser; only
  members read its threads and posts.
* Private: only members (and site staff) know it exists.
* The hosting organisation's administrators and moderators, with their powers active
  (a second factor on the account and, in a request, a session that logged in with it),
  see and read members-only and private communities it hosts without joining
  (decisions/0026). Never a sponsor's: a sponsor hosts nothing and its staff get no
  power from their role (``OrganizationStaff.objects.with_powers()``, decisions/0038).
* Held or hidden content is seen by its author and by site staff only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.permissions import is_acting_staff, privileges_active
from patientvoice.core.models import ContentStatus
from patientvoice.organizations.models import OrganizationStaff

from .models import Community, Invitation, Membership, MembershipRole, Post, Thread, Visibility


def _member_community_ids(user: Any) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user_id=user.pk).values("community_id")


def hosting_organization_ids(user: Any) -> QuerySet[OrganizationStaff, Any] | None:
    """The organisations whose administrator or moderator ``user`` is, as a subquery,
    when their powers are active: not suspended for this request (PrivilegeMiddleware,
    API tokens) and a second factor on the account — asked inside the same query, so
    the rule stays one query shape. ``None`` when the powers are suspended (no
    subquery at all: nothing changes for that request)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "privileges_suspended", False):
        return None
    from allauth.mfa.models import Authenticator

    second_factor = Authenticator.objects.filter(
        user_id=OuterRef("user_id"),
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
    )
    # A sponsor's staff hold no such powers (decisions/0038): with_powers() leaves
    # them out here, and so everywhere this subquery decides.
    return (
        OrganizationStaff.objects.with_powers()
        .filter(user_id=user.pk)
        .filter(Exists(second_factor))
        .values("organization_id")
    )


def _hosted_q(user: Any, prefix: str = "") -> Q:
    """Communities (at ``prefix``) hosted by an organisation ``user`` is acting staff
    of; an empty condition that matches nothing when they are not."""
    hosting = hosting_organization_ids(user)
    if hosting is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organization_id__in": hosting})


def is_hosting_staff(user: Any, community: Community) -> bool:
    """Whether ``user`` is an administrator or moderator of the organisation hosting
    ``community``, with their powers active (one query)."""
    if community.organization_id is None:
        return False
    hosting = hosting_organization_ids(user)
    if hosting is None:
        return False
    return hosting.filter(organization_id=community.organization_id).exists()


def is_site_staff(user: Any) -> bool:
    """Site staff with their powers active (accounts.permissions.is_acting_staff)."""
    return is_acting_staff(user)


def visible_communities(user: Any, qs: QuerySet[Community]) -> QuerySet[Community]:
    """Communities whose existence ``user`` may know (members-only ones included)."""
    if is_site_staff(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.exclude(visibility=Visibility.PRIVATE)
    return qs.filter(
        ~Q(visibility=Visibility.PRIVATE) | Q(pk__in=_member_community_ids(user)) | _hosted_q(user)
    )


def readable_communities(user: Any, qs: QuerySet[Community]) -> QuerySet[Community]:
    """Communities whose content ``user`` may read."""
    if is_site_staff(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.filter(visibility=Visibility.PUBLIC)
    return qs.filter(
        Q(visibility=Visibility.PUBLIC) | Q(pk__in=_member_community_ids(user)) | _hosted_q(user)
    )


def _readable_q(user: Any, prefix: str) -> Q:
    public = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if not getattr(user, "is_authenticated", False):
        return public
    return public | Q(**{f"{prefix}pk__in": _member_community_ids(user)}) | _hosted_q(user, prefix)


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
                OrganizationStaff.objects.with_powers().filter(
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
        or is_hosting_staff(user, community)
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
        is_site_staff(user) or is_member(user, community) or is_hosting_staff(user, community)
    ):
        raise Http404


def access_community(user: Any, slug: str) -> Community:
    """The community (with its organisation) whose existence ``user`` may know; 404
    otherwise (Zulip's access_* pattern: fetch and authorise in one call)."""
    community = get_object_or_404(Community.objects.select_related("organization"), slug=slug)
    check_community_exists_for(user, community)
    return community


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


def visible_entries_of(user: Any, thread: Thread) -> QuerySet[Post]:
    """The thread page's entries (``visible_posts`` and ``visible_deleted_posts`` of
    ``thread``) for a thread ``user`` was just allowed to read (``access_thread``,
    ``queries.thread_for_page``): the community part of the rule has passed, so only
    the post part is left, with the thread's own state known. One plain condition on
    the posts' own columns, because the thread page asks it on every request and the
    general rule costs milliseconds to build (tests/test_rendering.py holds the two
    equal for every kind of reader and post)."""
    entries = Post.objects.filter(thread_id=thread.pk)
    if is_site_staff(user):
        return entries
    shown = Q(status=ContentStatus.REMOVED, deleted_at__isnull=False)
    if thread.is_published:
        shown |= Q(status=ContentStatus.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        shown |= Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return entries.filter(shown)


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


class ThreadLocked(PermissionDenied):
    """A reply to a locked thread by someone who does not moderate it."""

    message = pgettext_lazy(
        "thread", "This discussion is locked: no new replies can be added. Your text is kept below."
    )

    def __init__(self) -> None:
        super().__init__(str(self.message))


@dataclass(frozen=True)
class Roles:
    """What the viewer is in one community, found with one query (``viewer_roles``)."""

    member: bool = False
    moderator: bool = False


def viewer_roles(user: Any, community: Community) -> Roles:
    """Whether ``user`` is a member of ``community`` and whether they moderate it, in
    one query (a second one, for the second factor, only for people holding a
    moderating role). The thread and community pages ask this once per request."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    if is_site_staff(user):
        return Roles(member=is_member(user, community), moderator=True)
    mine = Membership.objects.filter(user_id=user.pk, community_id=community.pk)
    role = Exists(mine.filter(role=MembershipRole.MODERATOR))
    if community.organization_id is not None:
        role = role | Exists(  # type: ignore[assignment]
            OrganizationStaff.objects.with_powers().filter(
                user_id=user.pk, organization_id=community.organization_id
            )
        )
    found = (
        Community.objects.filter(pk=community.pk)
        .annotate(is_member=Exists(mine), holds_role=role)
        .values_list("is_member", "holds_role")
        .first()
    )
    if found is None:
        return Roles()
    member, holds_role = found
    return Roles(member=bool(member), moderator=bool(holds_role) and privileges_active(user))


def can_reply_to(user: Any, thread: Thread, roles: Roles | None = None) -> bool:
    """Members reply; in a locked thread only its moderators do."""
    roles = roles if roles is not None else viewer_roles(user, thread.community)
    return roles.member and (not thread.is_locked or roles.moderator)


def check_reply_to(user: Any, thread: Thread, roles: Roles | None = None) -> None:
    """``ThreadLocked`` for a locked thread, ``PermissionDenied`` for a non-member."""
    roles = roles if roles is not None else viewer_roles(user, thread.community)
    if not roles.member:
        raise PermissionDenied
    if thread.is_locked and not roles.moderator:
        raise ThreadLocked


def can_moderate_thread(user: Any, thread: Thread) -> bool:
    return can_moderate_community(user, thread.community)


def check_moderate_thread(user: Any, thread: Thread) -> None:
    """Moderating a thread one can read but not moderate is forbidden (403)."""
    if not can_moderate_thread(user, thread):
        raise PermissionDenied


def can_mark_best_answer(user: Any, thread: Thread, roles: Roles | None = None) -> bool:
    """The thread's author, or someone who moderates its community."""
    if not getattr(user, "is_authenticated", False):
        return False
    if thread.author_id is not None and thread.author_id == user.pk:
        return True
    if roles is not None:
        return roles.moderator
    return can_moderate_thread(user, thread)


def check_mark_best_answer(user: Any, thread: Thread) -> None:
    if not can_mark_best_answer(user, thread):
        raise PermissionDenied


def move_targets(user: Any, thread: Thread) -> QuerySet[Community]:
    """Where ``user`` may move ``thread``: for acting site staff, any other community;
    for others, the communities of the same organisation that they moderate (as a
    moderator of it, or as staff of the organisation). A community hosted by the site
    (no organisation) moves only by staff."""
    others = Community.objects.exclude(pk=thread.community_id)
    if is_site_staff(user):
        return others
    organization_id = thread.community.organization_id
    if organization_id is None or not getattr(user, "is_authenticated", False):
        return others.none()
    if not privileges_active(user):
        return others.none()
    moderated = Membership.objects.filter(user_id=user.pk, role=MembershipRole.MODERATOR)
    org_staff = OrganizationStaff.objects.with_powers().filter(
        user_id=user.pk, organization_id=organization_id
    )
    return others.filter(organization_id=organization_id).filter(
        Q(pk__in=moderated.values("community_id")) | Q(Exists(org_staff))
    )


def check_move_thread(user: Any, thread: Thread, target: Community) -> None:
    """403 unless ``user`` moderates the thread's community and may move it to
    ``target`` (``move_targets``)."""
    check_moderate_thread(user, thread)
    if not move_targets(user, thread).filter(pk=target.pk).exists():
        raise PermissionDenied


def readable_post_q(user_id: Any, prefix: str = "") -> Q:
    """The rule of ``visible_posts`` for a signed-in person without staff or organisation
    powers (notifications stay membership-based, decisions/0026), as
    one join-based condition on the post at ``prefix`` (``"post__"`` from a
    notification): no list of every visible post is built. ``user_id`` is an id, or
    an ``F``/``OuterRef`` naming the column that holds it, so one query can ask it
    for many people at once (notification counts, who may read a post)."""
    from django.db.models import F, OuterRef

    if isinstance(user_id, OuterRef):
        inner: Any = OuterRef(user_id)
    elif isinstance(user_id, F):
        inner = OuterRef(user_id.name)  # type: ignore[attr-defined]
    else:
        inner = user_id
    member = Exists(
        Membership.objects.filter(user_id=inner, community_id=OuterRef(f"{prefix}community_id"))
    )
    readable = Q(**{f"{prefix}community__visibility": Visibility.PUBLIC}) | Q(member)
    published = Q(
        **{f"{prefix}status": ContentStatus.PUBLISHED, f"{prefix}thread__is_published": True}
    )
    own = Q(**{f"{prefix}author_id": user_id}) & ~Q(**{f"{prefix}status": ContentStatus.REMOVED})
    return readable & (published | own)


# --- Community settings and invitations ------------------------------------------------------


def can_change_community_settings(user: Any, community: Community) -> bool:
    """The settings page (texts, join questions, requests, cover): whoever moderates
    the community (``can_moderate_community``: its own moderators, the hosting
    organisation's administrators and moderators, each with their powers active, and
    acting site staff). The organisation's staff also edit its guidelines."""
    return can_moderate_community(user, community)


def check_change_community_settings(user: Any, community: Community) -> None:
    """404 for those who may not know the community exists, 403 for the others who may
    not change it."""
    if can_change_community_settings(user, community):
        return
    check_community_exists_for(user, community)
    raise PermissionDenied(
        pgettext(
            "community settings",
            "Only the community's moderators and the hosting organisation's staff can "
            "change its settings, after logging in with two-step verification.",
        )
    )


def check_manage_invitations(user: Any, community: Community) -> None:
    """The invitations page: the community's moderators (those of
    ``can_moderate_community``), for a members-only or private community. 404 for
    everyone else: they must not learn who is invited."""
    if community.visibility == Visibility.PUBLIC or not can_moderate_community(user, community):
        raise Http404


def access_invitation(user: Any, slug: str, token: str) -> Invitation:
    """The open invitation behind ``token`` for the community at ``slug``; 404 when
    there is none, whatever the reason (no such community, a wrong token, revoked,
    expired, used up, or addressed to someone else who is signed in), so the answer
    tells nothing about a private community. Looked up by the token's SHA-256: no
    secret is compared byte by byte."""
    if not token or len(token) > 100:
        raise Http404
    invitation = (
        Invitation.objects.select_related("community", "community__organization")
        .filter(
            token_hash=Invitation.hash_token(token),
            community__slug=slug,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            uses__lt=F("max_uses"),
        )
        .first()
    )
    if invitation is None:
        raise Http404
    signed_in = bool(getattr(user, "is_authenticated", False))
    if invitation.invitee_id is not None and signed_in and invitation.invitee_id != user.pk:
        raise Http404
    return invitation


def visible_invitations(user: Any, qs: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """Open invitations addressed to ``user`` (their invitations page)."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(
        invitee_id=user.pk,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        uses__lt=F("max_uses"),
    )


# --- The thread page: one query for the thread and what the reader is -----------------------


def hosting_staff_of(user: Any, organization_ref: str) -> Exists | None:
    """An ``Exists`` for "``user`` is acting staff of the organisation at
    ``organization_ref``" (a column of the outer query), or None when they cannot be:
    also for everyone who holds no organisation role at all (``User.holds_organization_role``),
    which spares the thread page the subquery for nearly every reader."""
    if not getattr(user, "holds_organization_role", False):
        return None
    hosting = hosting_organization_ids(user)
    if hosting is None:
        return None
    return Exists(hosting.filter(organization_id=OuterRef(organization_ref)))


def check_read_thread(user: Any, thread: Thread, *, member: bool, hosting: bool) -> None:
    """``Http404`` unless ``user`` may read ``thread``, already fetched with whether they
    are a member of its community and acting staff of the organisation hosting it: the
    rule of ``visible_threads`` for one row. The thread page asks this instead of
    building the rule as SQL on every request; tests/test_rendering.py holds the two
    equal for every kind of reader and thread."""
    if is_site_staff(user):
        return
    readable = thread.community.visibility == Visibility.PUBLIC or member or hosting
    if readable and thread.is_published:
        return
    if readable and getattr(user, "is_authenticated", False) and thread.author_id == user.pk:
        return
    raise Http404


def roles_from(user: Any, *, member: bool, moderator_member: bool, hosting: bool) -> Roles:
    """``viewer_roles`` from facts fetched with the thread: a community moderator's
    powers need their second factor (``privileges_active``); acting hosting staff
    (``hosting_staff_of``) already had it checked in the query."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    if is_site_staff(user):
        return Roles(member=member, moderator=True)
    return Roles(member=member, moderator=hosting or (moderator_member and privileges_active(user)))
