"""Demo follows and notifications for ``seed_demo``: written through the actions, so
``make run`` shows a header count, a notification centre and a mention at once (the
worker would make the same ones from the after-publish hook; both are idempotent)."""

from __future__ import annotations

from patientvoice.accounts.models import User
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.queries import current_guidelines
from patientvoice.core.models import ContentStatus

from . import actions
from .models import EmailFrequency

MENTION_SV = "@Anna_R, jag provade dina tips om vila mitt på dagen. Det hjälpte!"
MENTION_EN = "@sam.w, thank you for writing this. My dad found it helpful too."


def seed_demo_notifications(*, members: dict[str, User], communities: dict[str, Community]) -> None:
    """Follows, one mention in each language, and the notifications they make."""
    _follow(members.get("lena"), communities.get("reumatoid-artrit"))
    _follow(members.get("maria"), communities.get("diabetes-typ-1"))
    _follow(members.get("james"), communities.get("breast-cancer"))
    _mention(members.get("maria"), communities.get("reumatoid-artrit"), "anna", MENTION_SV)
    _mention(members.get("james"), communities.get("breast-cancer"), "sam", MENTION_EN)
    sam = members.get("sam")
    if sam is not None:
        # Sam's mail shows in var/mail/ at once; everyone else gets the daily summary.
        actions.set_email_frequency(user=sam, frequency=EmailFrequency.IMMEDIATELY)
    # Each post is notified through the visibility rule (notify_about_post).
    posts = Post.objects.filter(
        community__in=list(communities.values()), status=ContentStatus.PUBLISHED
    ).select_related("thread", "author")
    for post in posts.order_by("created_at", "id"):
        actions.notify_about_post(post=post)


def _follow(user: User | None, community: Community | None) -> None:
    if user is not None and community is not None:
        community_actions.join_community(user=user, community=community)
        actions.follow_community(user=user, community=community)


def _mention(author: User | None, community: Community | None, key: str, body: str) -> None:
    if author is None or community is None:
        return
    thread = (
        Thread.objects.filter(community=community, author__email__startswith=f"{key}@")
        .order_by("created_at")
        .first()
    )
    if thread is None or Post.objects.filter(thread=thread, body=body).exists():
        return
    community_actions.join_community(user=author, community=community)
    guidelines = current_guidelines(community)
    if guidelines is not None:  # as the demo's other writers, who accepted them
        community_actions.accept_guidelines(user=author, guidelines=guidelines)
    community_actions.reply_to_thread(
        author=author, thread=thread, body=body, language=community.language
    )
