"""The moderation kind "campaign_submission" (registered from ``CampaignsConfig.ready()``).

Every submission is held for review when it is sent, so moderation's after-publish
hook opens a case for each one; "keep" approves it (its files are published), hide and
remove take it out of the gallery (their public copies are deleted), restore puts it
back. Approved submissions can be flagged like any content.

Cases have no community; they name the organisation running the campaign
(``organization_of``), so its acting staff decide them in their moderation queue, as
site staff do. Warnings, suspensions and bans outside a community count everywhere, so
only site staff give those (``moderation.actions.decide``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core.images import ImageNotStored
from patientvoice.core.markup import plain_text
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.kinds import excerpt
from patientvoice.moderation.models import Action, Decision
from patientvoice.moderation.registry import (
    CasePanel,
    ModerationKind,
    register,
    register_case_panel,
)

from .actions import set_submission_status
from .errors import FilesNotPublished
from .models import Submission
from .permissions import visible_submissions

SUBMISSION = "campaign_submission"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_IN_URL = re.compile(rf"/campaigns/[^/]+/s/({_UUID})/?(?:[?#]|$)")


def submission_url(submission: Submission) -> str:
    try:
        return reverse(
            "campaigns:submission",
            kwargs={"slug": submission.campaign.slug, "public_id": submission.public_id},
        )
    except NoReverseMatch:
        return ""


def _excerpt(submission: Submission) -> str:
    parts = [submission.title, plain_text(submission.body_html) or submission.body]
    if submission.alt_text:
        parts.append(submission.alt_text)
    return excerpt(" — ".join(p for p in parts if p))


def _from_url(url: str) -> Submission | None:
    found = _IN_URL.search(url)
    if not found:
        return None
    return (
        Submission.objects.filter(public_id=uuid.UUID(found.group(1)))
        .select_related("campaign")
        .first()
    )


def _apply(submission: Submission, action: str, decision: Decision, text: str) -> None:
    """A decision's effect. When the storage fails to copy the files of an approval,
    ``FilesNotPublished`` (a moderation error) rolls the decision back and the queue
    shows why, instead of a server error."""
    try:
        _change_status(submission, action)
    except ImageNotStored:
        raise FilesNotPublished from None


def _change_status(submission: Submission, action: str) -> None:
    if action == Action.KEEP:
        # Every submission is held first: keeping one approves it.
        if submission.status == ContentStatus.HELD:
            set_submission_status(submission, ContentStatus.PUBLISHED)
    elif action == Action.HIDE:
        set_submission_status(submission, ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        set_submission_status(submission, ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        set_submission_status(submission, ContentStatus.PUBLISHED)


def _undo(submission: Submission, decision: Decision, actor: User | None) -> None:
    if decision.action in (Action.HIDE, Action.REMOVE):
        try:
            set_submission_status(submission, ContentStatus.PUBLISHED)
        except ImageNotStored:
            raise FilesNotPublished from None


def _submissions_of(moderator: Any, member: Any) -> QuerySet[Submission]:
    return visible_submissions(
        moderator, Submission.objects.filter(author=member).select_related("campaign")
    )


SUBMISSION_KIND = ModerationKind(
    kind=SUBMISSION,
    model=Submission,
    noun=pgettext_lazy("moderated item", "campaign submission"),
    visible=visible_submissions,
    community_of=lambda submission: None,
    author_of=lambda submission: submission.author,
    excerpt_of=_excerpt,
    url_of=submission_url,
    state_of=lambda submission: {"status": submission.status},
    apply=_apply,
    undo=_undo,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_submissions_of,
    from_url=_from_url,
    # The organisation running the campaign moderates its submissions.
    organization_of=lambda submission: submission.campaign.organization_id,
)


def media_panel(moderator: Any, case: Any) -> CasePanel | None:
    """On a picture's or video's case: the file itself (from private storage while it
    is held, through ``views.submission_file``, which checks the moderator again), so
    nobody approves what they did not see."""
    from .presentation import media_of

    submission = (
        Submission.objects.filter(pk=case.object_id)  # visibility: the case's
        .select_related("campaign")
        .first()
    )
    if submission is None or not submission.file_name:
        return None
    return CasePanel(
        template="campaigns/includes/case_media.html",
        context={"submission": submission, "media": media_of(submission)},
    )


def register_submission_kind() -> None:
    register(SUBMISSION_KIND)
    register_case_panel(SUBMISSION, media_panel)
