"""How the provider's voice plugs into moderation (registered from
``ReviewsConfig.ready()``; decisions/0032):

* the moderation kind "review_reply": replies can be flagged, held replies reach the
  site-wide queue, moderators hide, remove and restore them;
* a decision listener that closes a review case's disputes and tells the provider and
  the reviewer the outcome (``provider_actions.settle_disputes``);
* a case panel: a review case's page shows its disputes, the reviewer's answer to the
  moderators' question, and the form to ask one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core.markup import plain_text
from patientvoice.core.models import ContentStatus
from patientvoice.core.textchecks import REASON_LABELS
from patientvoice.moderation.kinds import excerpt
from patientvoice.moderation.models import Action, Case, Decision
from patientvoice.moderation.permissions import can_decide
from patientvoice.moderation.registry import (
    CasePanel,
    ModerationKind,
    register,
    register_case_panel,
    register_decision_listener,
)

from .kinds import review_url
from .models import ReviewDispute, ReviewReply
from .provider_actions import DISPUTE_REASON, set_reply_status, settle_disputes
from .provider_permissions import visible_replies

REVIEW_REPLY = "review_reply"


def reply_url(reply: ReviewReply) -> str:
    url = review_url(reply.review)
    return url.replace(f"#{reply.review.anchor}", f"#{reply.anchor}") if url else ""


def _apply(reply: ReviewReply, action: str, decision: Decision, text: str) -> None:
    if action == Action.KEEP:
        if reply.status == ContentStatus.HELD:
            set_reply_status(reply, ContentStatus.PUBLISHED)
    elif action == Action.HIDE:
        set_reply_status(reply, ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        set_reply_status(reply, ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        set_reply_status(reply, ContentStatus.PUBLISHED)


def _undo(reply: ReviewReply, decision: Decision, actor: User | None) -> None:
    if decision.action in (Action.HIDE, Action.REMOVE):
        set_reply_status(reply, ContentStatus.PUBLISHED)


def _replies_of(moderator: Any, member: Any) -> QuerySet[ReviewReply]:
    return visible_replies(
        moderator,
        ReviewReply.objects.filter(author=member).select_related(
            "review__medicine", "review__physician", "review__clinic"
        ),
    )


def _from_url(url: str) -> ReviewReply | None:
    import re
    import uuid

    found = re.search(r"#reply-([0-9a-fA-F-]{36})", url)
    if not found:
        return None
    try:
        public_id = uuid.UUID(found.group(1))
    except ValueError:
        return None
    return (
        ReviewReply.objects.filter(public_id=public_id)
        .select_related("review__physician", "review__clinic", "review__medicine")
        .first()
    )


REVIEW_REPLY_KIND = ModerationKind(
    kind=REVIEW_REPLY,
    model=ReviewReply,
    noun=pgettext_lazy("moderated item", "provider reply"),
    visible=visible_replies,
    community_of=lambda reply: None,
    author_of=lambda reply: reply.author,
    excerpt_of=lambda reply: excerpt(plain_text(reply.body_html) or reply.body),
    url_of=reply_url,
    state_of=lambda reply: {"status": reply.status},
    apply=_apply,
    undo=_undo,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_replies_of,
    from_url=_from_url,
)


def dispute_panel(moderator: Any, case: Case) -> CasePanel | None:
    """The disputes of a review case, for whoever may decide it (one query)."""
    if not can_decide(moderator, case):
        return None
    disputes = list(
        ReviewDispute.objects.filter(case=case)
        .select_related("provider", "claim", "context_requested_by")
        .order_by("created_at", "id")
    )
    if not disputes:
        return None
    return CasePanel(
        template="reviews/provider/case_disputes.html",
        context={"disputes": disputes, "case": case},
    )


def register_provider_moderation() -> None:
    register(REVIEW_REPLY_KIND)
    register_decision_listener(settle_disputes)
    register_case_panel("review", dispute_panel)
    REASON_LABELS[DISPUTE_REASON] = pgettext_lazy(
        "hold reason", "Disputed by the physician or clinic reviewed."
    )
