"""Who sees stories and comments, and who may write, edit, feature and comment.

* **Audience.** A story without a community is for everyone. A story for a community
  is read by whoever may read that community's content (the communities' rule,
  ``readable_communities``: members, the hosting organisation's acting staff, acting
  site staff; everyone for a public community). Anyone else gets 404.
* **State.** A published story is seen by its audience; its author also sees it held
  or hidden (not removed); acting site staff see everything. A draft is its author's
  alone (``visible_drafts``).
* **Comments** follow their story: published ones are seen by whoever sees the
  published story (a reply only while the comment it answers is published); a member
  sees their own held or hidden ones. A guest's held comment is seen by the moderators
  only (and by the guest through the confirmation link).
* **Commenting.** On a site-wide story: any signed-in member, and visitors as guests.
  On a community's story: the community's members only (visitors cannot see most
  such stories, and a public community's conversation is its members').
* **Featuring.** An organisation's administrators and moderators with their powers
  active (never a sponsor's: ``OrganizationStaff.objects.with_powers()``) feature a
  published story that is site-wide or in a community their organisation hosts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from patientvoice.accounts.permissions import is_acting_staff, privileges_active
from patientvoice.communities.models import Community, Membership
from patientvoice.communities.permissions import readable_communities
from patientvoice.core.models import ContentStatus
from patientvoice.organizations.models import Organization, OrganizationStaff

from .models import Story, StoryComment, StoryDraft, StoryNotice


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def readable_place_q(user: Any, prefix: str = "") -> Q:
    """Stories (at ``prefix``) whose audience includes ``user``: site-wide ones, and
    those of communities whose content ``user`` may read."""
    readable = readable_communities(user, Community.objects.all()).values("pk")
    return Q(**{f"{prefix}community__isnull": True}) | Q(**{f"{prefix}community__in": readable})


def visible_stories(user: Any, qs: QuerySet[Story]) -> QuerySet[Story]:
    """``qs`` narrowed to the stories ``user`` may see."""
    if is_acting_staff(user):
        return qs
    readable = qs.filter(readable_place_q(user))
    published = Q(status=ContentStatus.PUBLISHED)
    if not _signed_in(user):
        return readable.filter(published)
    own = Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return readable.filter(published | own)


def visible_comments(user: Any, qs: QuerySet[StoryComment]) -> QuerySet[StoryComment]:
    """``qs`` narrowed to the comments ``user`` may see: published ones on published
    stories of their audience, and their own (not removed) on stories they see."""
    if is_acting_staff(user):
        return qs
    # A reply is shown only under a shown (published) comment: the replies under a
    # hidden or removed one are neither listed, counted nor notified.
    readable = qs.filter(readable_place_q(user, "story__")).filter(
        Q(parent__isnull=True) | Q(parent__status=ContentStatus.PUBLISHED)
    )
    published = Q(status=ContentStatus.PUBLISHED, story__status=ContentStatus.PUBLISHED)
    if not _signed_in(user):
        return readable.filter(published)
    own_story = Q(story__status=ContentStatus.PUBLISHED) | (
        Q(story__author_id=user.pk) & ~Q(story__status=ContentStatus.REMOVED)
    )
    own = Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED) & own_story
    return readable.filter(published | own)


def visible_drafts(user: Any, qs: QuerySet[StoryDraft]) -> QuerySet[StoryDraft]:
    """A person's own drafts; nobody else's, staff included."""
    if not _signed_in(user):
        return qs.none()
    return qs.filter(author_id=user.pk)


def visible_notices(user: Any, qs: QuerySet[StoryNotice]) -> QuerySet[StoryNotice]:
    """The person's own notices about comments they may still see."""
    if not _signed_in(user):
        return qs.none()
    comments = visible_comments(user, StoryComment.objects.all()).values("pk")
    return qs.filter(recipient_id=user.pk, comment__in=comments)


def access_story(user: Any, public_id: Any) -> Story:
    """The story with ``public_id`` if ``user`` may see it, else ``Http404``."""
    story = (
        visible_stories(user, Story.objects.filter(public_id=public_id))
        .select_related("author", "community", "community__organization")
        .first()
    )
    if story is None:
        raise Http404
    return story


def access_draft(user: Any, public_id: Any) -> StoryDraft:
    draft = visible_drafts(user, StoryDraft.objects.filter(public_id=public_id)).first()
    if draft is None:
        raise Http404
    return draft


def access_comment(user: Any, story: Story, public_id: Any) -> StoryComment:
    """A comment of ``story`` (fetched through ``access_story``) that ``user`` may see."""
    comment = (
        visible_comments(user, StoryComment.objects.filter(story=story, public_id=public_id))
        .select_related("author")
        .first()
    )
    if comment is None:
        raise Http404
    comment.story = story
    return comment


# --- writing ---------------------------------------------------------------------------


def _own(user: Any, content: Any) -> bool:
    return _signed_in(user) and content.author_id is not None and content.author_id == user.pk


def can_edit_story(user: Any, story: Story) -> bool:
    """The author edits their published story (a held one waits for a moderator)."""
    return _own(user, story) and story.status == ContentStatus.PUBLISHED


def check_edit_story(user: Any, story: Story) -> None:
    """404: others must not learn anything about the story this way."""
    if not can_edit_story(user, story):
        raise Http404


def can_delete_story(user: Any, story: Story) -> bool:
    return _own(user, story) and story.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)


def check_delete_story(user: Any, story: Story) -> None:
    if not can_delete_story(user, story):
        raise Http404


def audience_choices(user: Any) -> QuerySet[Community]:
    """The communities a member may tell a story to: those they are a member of."""
    if not _signed_in(user):
        return Community.objects.none()
    return Community.objects.filter(
        pk__in=Membership.objects.filter(user_id=user.pk).values("community_id")
    ).order_by("name")


def check_audience(user: Any, community: Community | None) -> None:
    if community is not None and not audience_choices(user).filter(pk=community.pk).exists():
        raise PermissionDenied


def guests_may_comment(story: Story) -> bool:
    """Visitors comment (as guests) on published site-wide stories only."""
    return story.community_id is None and story.status == ContentStatus.PUBLISHED


def can_comment(user: Any, story: Story) -> bool:
    """Whether ``user`` (a member, or a visitor as a guest) may comment on ``story``,
    which they may see (``access_story``)."""
    if story.status != ContentStatus.PUBLISHED:
        return False
    if not _signed_in(user):
        return guests_may_comment(story)
    if story.community_id is None:
        return True
    return Membership.objects.filter(user_id=user.pk, community_id=story.community_id).exists()


def check_comment(user: Any, story: Story) -> None:
    """``PermissionDenied`` when ``user`` sees ``story`` but may not comment on it."""
    if not can_comment(user, story):
        raise PermissionDenied


# --- featuring --------------------------------------------------------------------------


def featuring_organizations(user: Any) -> QuerySet[Organization]:
    """The organisations ``user`` may feature stories for: those whose administrator or
    moderator they are, with their powers active (never a sponsor's)."""
    # holds_organization_role (kept by add_staff/remove_staff) spares every other
    # reader the second-factor query.
    if not getattr(user, "holds_organization_role", False) or not privileges_active(user):
        return Organization.objects.none()
    staff = OrganizationStaff.objects.with_powers().filter(user_id=user.pk)
    return Organization.objects.filter(pk__in=staff.values("organization_id")).order_by("name")


def can_feature_for(user: Any, story: Story, organization: Organization) -> bool:
    """``organization`` may feature ``story`` (published; site-wide, or in one of its
    communities) and ``user`` acts for it."""
    if story.status != ContentStatus.PUBLISHED:
        return False
    community = story.community
    if community is not None and community.organization_id != organization.pk:
        return False
    return featuring_organizations(user).filter(pk=organization.pk).exists()


def feature_choices(user: Any, story: Story) -> list[Organization]:
    """The organisations ``user`` may feature ``story`` for (for the story page)."""
    if story.status != ContentStatus.PUBLISHED:
        return []
    organizations = featuring_organizations(user)
    community = story.community
    if community is not None:
        organizations = (
            organizations.filter(pk=community.organization_id)
            if community.organization_id is not None
            else organizations.none()
        )
    return list(organizations)


def check_feature(user: Any, story: Story, organization: Organization) -> None:
    if not can_feature_for(user, story, organization):
        raise PermissionDenied
