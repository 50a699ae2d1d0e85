from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.accounts.models import ErasureMode

from .actions import (
    leave_all_communities,
    remove_posts_of,
    remove_reactions_of,
    remove_revisions_of,
    remove_unpublished_posts_of,
)
from .models import (
    CommunityGuidelines,
    GuidelinesAcceptance,
    Invitation,
    JoinRequest,
    Membership,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadReadState,
)


@register_exporter(
    "communities",
    models=[
        "communities.Membership",
        "communities.Post",
        "communities.Thread",
        "communities.GuidelinesAcceptance",
        "communities.CommunityGuidelines",
        "communities.Reaction",
        "communities.PostRevision",
        "communities.JoinRequest",
        "communities.ThreadReadState",
        "communities.Invitation",
    ],
)
def export_communities(user: Any) -> dict[str, Any]:
    return {
        "memberships": rows(
            Membership.objects.filter(user=user), "community__name", "role", "created_at"
        ),
        # The person's own requests to join, with their answers (not the ones they
        # decided as a moderator: those are other people's words).
        "join_requests": rows(
            JoinRequest.objects.filter(user=user).order_by("created_at", "pk"),
            "community__name",
            "answer",
            "status",
            "created_at",
            "decided_at",
        ),
        # Which version of which community's guidelines the person accepted, and when.
        "guidelines_accepted": rows(
            GuidelinesAcceptance.objects.filter(user=user).order_by("created_at", "pk"),
            "guidelines__community__name",
            "guidelines__version",
            "created_at",
        ),
        # Guidelines the person published as staff (published_by).
        "guidelines_published": rows(
            CommunityGuidelines.objects.filter(published_by=user).order_by("created_at", "pk"),
            "community__name",
            "version",
            "body",
            "created_at",
        ),
        "threads": rows(
            Thread.objects.filter(author=user),
            "public_id",
            "community__name",
            "title",
            "created_at",
        ),
        "posts": rows(
            Post.objects.filter(author=user),
            "public_id",
            "thread__public_id",
            "body",
            "language",
            "status",
            "created_at",
            "edited_at",
        ),
        # The reactions the person gave, by post.
        "reactions": rows(
            Reaction.objects.filter(user=user).order_by("created_at", "pk"),
            "post__public_id",
            "kind",
            "created_at",
        ),
        # How far the person has read each thread (what they read is about them too).
        "threads_read": rows(
            ThreadReadState.objects.filter(user=user).order_by("created_at", "pk"),
            "thread__public_id",
            "thread__title",
            "last_read_position",
            "last_read_at",
        ),
        # Invitations addressed to the person, and those they made as a moderator, in
        # one query (never the tokens: only their hashes are kept, and those are secret).
        "invitations": rows(
            Invitation.objects.filter(Q(invitee=user) | Q(created_by=user))
            .annotate(
                addressed_to_you=ExpressionWrapper(Q(invitee=user), output_field=BooleanField()),
                made_by_you=ExpressionWrapper(Q(created_by=user), output_field=BooleanField()),
            )
            .order_by("created_at", "pk"),
            "community__name",
            "addressed_to_you",
            "made_by_you",
            "created_at",
            "expires_at",
            "max_uses",
            "uses",
            "revoked_at",
        ),
        # Earlier versions of the person's own posts (edited_by is always the author).
        "post_revisions": rows(
            PostRevision.objects.filter(post__author=user).order_by("created_at", "pk"),
            "post__public_id",
            "body",
            "created_at",
        ),
    }


@register_eraser("communities")
def erase_communities(user: Any, mode: str) -> None:
    # Held or hidden texts were never published; they often hold the very personal
    # data that made the pipeline hold them. They go in both modes.
    remove_unpublished_posts_of(user)
    # Reactions would go with the user row (CASCADE); taking them back here keeps the
    # posts' counts right.
    remove_reactions_of(user)
    if mode == ErasureMode.REMOVE:
        remove_revisions_of(user)
        remove_posts_of(user)
    leave_all_communities(user)
