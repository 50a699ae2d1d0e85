"""Comments: by members, and by visitors as guests (always held; a confirmation link
e-mailed to them); threaded one level deep; moderators' status changes; counters."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import ratelimit
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish, run_after_publish
from patientvoice.core.tasks import send_email
from patientvoice.core.textchecks import REASON_LABELS
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.errors import PostingTooFast
from patientvoice.moderation.models import CaseSource, Severity
from patientvoice.moderation.permissions import check_may_post
from patientvoice.search import indexing

from ..models import Story, StoryComment
from ..permissions import check_comment
from ..tokens import make_token

COMMENT_LABEL = "stories.storycomment"
GUEST_HOLD = "stories.guest_comment"
GUEST_CONFIRMED = "stories.guest_confirmed"
MODERATION_KIND = "story_comment"

REASON_LABELS.setdefault(
    GUEST_HOLD,
    pgettext_lazy("hold reason", "Comments from visitors are read by a moderator first."),
)
REASON_LABELS.setdefault(
    GUEST_CONFIRMED,
    pgettext_lazy("hold reason", "The visitor confirmed their e-mail address."),
)


def _top_level(parent: StoryComment | None, story: Story) -> StoryComment | None:
    """Replies are one level deep: a reply to a reply answers the top-level comment."""
    if parent is None:
        return None
    if parent.story_id != story.pk:
        raise ValueError("The comment answered is on another story.")
    if parent.parent_id is not None:
        parent = StoryComment.objects.get(pk=parent.parent_id)  # visibility: its own thread
    if parent.status != ContentStatus.PUBLISHED:
        raise Http404  # the comment answered is not shown (hidden meanwhile)
    return parent


def recount_comments(story_id: int) -> None:
    """``Story.comment_count``: the published comments (a reply only under a published
    comment), in one UPDATE."""
    published = (
        StoryComment.objects.filter(story_id=OuterRef("pk"), status=ContentStatus.PUBLISHED)
        .filter(Q(parent__isnull=True) | Q(parent__status=ContentStatus.PUBLISHED))
        .order_by()
        .values("story_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Story.objects.filter(pk=story_id).update(comment_count=Coalesce(Subquery(published), 0))


@transaction.atomic
def comment_as_member(
    *,
    author: User,
    story: Story,
    body: str,
    language: str,
    parent: StoryComment | None = None,
) -> PublishResult:
    """``author`` comments on ``story`` (fetched through ``access_story``), answering
    ``parent`` (a comment they may see) or not. Raises ``PermissionDenied`` unless
    ``permissions.can_comment``, ``MemberSanctioned``, ``ContentTooLong``. The caller
    checks the posting rate (``check_posting_rate``)."""
    if not body.strip():
        raise ValueError("A comment needs text.")  # the form and the API refuse it first
    check_comment(author, story)
    check_may_post(author, story.community_id)
    comment = StoryComment(
        story=story,
        parent=_top_level(parent, story),
        author=author,
        body=body,
        language=language,
    )
    result = publish(comment)
    if result.published:
        Story.objects.filter(pk=story.pk).update(comment_count=F("comment_count") + 1)
    return result


def _email_key(email: str) -> str:
    # Keyed with the site's secret: the cache keys do not give the address away.
    return salted_hmac(
        "stories.guest-rate", email.strip().casefold(), algorithm="sha256"
    ).hexdigest()


def check_guest_rate(*, address: str | None, email: str) -> None:
    """``PostingTooFast`` (429) past ``PV_GUEST_COMMENTS_PER_HOUR_PER_IP`` comments an
    hour from one network address or ``PV_GUEST_COMMENTS_PER_HOUR_PER_EMAIL`` from one
    e-mail address. Counts this attempt."""
    per_ip = int(getattr(settings, "PV_GUEST_COMMENTS_PER_HOUR_PER_IP", 10))
    per_email = int(getattr(settings, "PV_GUEST_COMMENTS_PER_HOUR_PER_EMAIL", 5))
    if address and not ratelimit.allow("story-guest-ip", address, per_ip):
        raise PostingTooFast
    if not ratelimit.allow("story-guest-email", _email_key(email), per_email):
        raise PostingTooFast


@transaction.atomic
def comment_as_guest(
    *,
    story: Story,
    name: str,
    email: str,
    body: str,
    language: str,
    parent: StoryComment | None = None,
) -> PublishResult:
    """A visitor comments on a site-wide story. Always held for a moderator (reason
    ``stories.guest_comment``); a link to confirm the address (and to delete the
    comment) is e-mailed after commit, in ``language``. Raises ``PermissionDenied``
    when guests may not comment on ``story``; the caller checks the rate
    (``check_guest_rate``) and the honeypot."""
    from django.contrib.auth.models import AnonymousUser

    check_comment(AnonymousUser(), story)
    comment = StoryComment(
        story=story,
        parent=_top_level(parent, story),
        author=None,
        guest_name=name.strip(),
        guest_email=email.strip(),
        body=body,
        language=language,
    )
    result = publish(comment, hold_for_review=True, hold_reason=GUEST_HOLD)
    _send_confirmation(comment, story, language)
    return result


def confirmation_url(comment: StoryComment, language: str) -> str:
    with translation.override(language):
        path = reverse("stories:guest_comment", kwargs={"token": make_token(comment.public_id)})
    return f"{settings.SITE_URL}{path}"


def _send_confirmation(comment: StoryComment, story: Story, language: str) -> None:
    url = confirmation_url(comment, language)
    with translation.override(language):
        subject = pgettext("guest comment e-mail", "PatientVoice: confirm your comment")
        lines = [
            pgettext("guest comment e-mail", "Hello %(name)s,") % {"name": comment.guest_name},
            "",
            pgettext(
                "guest comment e-mail",
                "You commented on the story “%(title)s”. A moderator reads every comment "
                "from a visitor before it is shown.",
            )
            % {"title": story.title},
            pgettext(
                "guest comment e-mail",
                "Confirm that this is your e-mail address with the link below. You can "
                "also delete your comment there. The link works for %(days)s days.",
            )
            % {"days": _link_days()},
            "",
            url,
            "",
            pgettext(
                "guest comment e-mail",
                "If you did not write a comment, do nothing: it will not be confirmed.",
            ),
        ]
    to = comment.guest_email
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body="\n".join(lines) + "\n",
            to=[to],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
    )


def _link_days() -> int:
    from ..tokens import link_days

    return link_days()


def auto_publish_confirmed() -> bool:
    return bool(getattr(settings, "PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED", False))


@transaction.atomic
def confirm_guest_comment(*, comment: StoryComment) -> bool:
    """The guest followed the e-mailed link and confirmed. When
    ``PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED`` is on and nothing else held the
    comment, it is published now; otherwise its moderation case is raised (medium
    severity, marked "confirmed"). Confirming twice changes nothing. Returns whether
    it was confirmed now."""
    from patientvoice.moderation.actions import open_case

    updated = (
        StoryComment.objects.filter(
            pk=comment.pk, guest_confirmed_at__isnull=True, author__isnull=True
        )
        .exclude(guest_email="")
        .update(guest_confirmed_at=timezone.now())
    )
    if not updated:
        return False
    comment.refresh_from_db()
    if comment.status != ContentStatus.HELD:
        return True
    only_guest_hold = [r for r in comment.hold_reasons if r != GUEST_HOLD] == []
    if auto_publish_confirmed() and only_guest_hold:
        # Its case stays open: moderators still read it, after it is shown.
        set_comment_status(comment=comment, status=ContentStatus.PUBLISHED)
        return True
    open_case(
        kind=MODERATION_KIND,
        obj=comment,
        source=CaseSource.PIPELINE,
        severity=Severity.MEDIUM,
        reasons=[GUEST_CONFIRMED],
    )
    return True


@transaction.atomic
def delete_guest_comment(*, comment: StoryComment) -> None:
    """The guest deletes their own comment through the e-mailed link (their erasure:
    the name, address and text go; replies to it go with it). The story's count and the
    index follow after commit."""
    story_id = comment.story_id
    ids = [comment.pk, *comment.replies.values_list("pk", flat=True)]
    StoryComment.objects.filter(pk=comment.pk).delete()  # visibility: the guest's own
    # Its held case goes too, unless someone reported it (moderation tells them).
    moderation_actions.forget_unreported_cases(kind=MODERATION_KIND, object_ids=ids)
    recount_comments(story_id)
    transaction.on_commit(partial(indexing.remove, COMMENT_LABEL, ids))


@transaction.atomic
def set_comment_status(*, comment: StoryComment, status: str) -> bool:
    """A moderator's decision (or a confirmed guest comment published): published,
    hidden or removed. The story's count is recounted; on commit the comment is indexed
    or taken out, and one published now runs the after-publish hooks (notifications,
    search). Returns whether anything changed."""
    if comment.status == status:
        return False
    first_publication = status == ContentStatus.PUBLISHED and comment.published_at is None
    comment.status = status
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        comment.hold_reasons = []
        fields.append("hold_reasons")
        if first_publication:
            comment.published_at = timezone.now()
            fields.append("published_at")
    comment.save(update_fields=fields)
    if first_publication and comment.author_id is not None:
        User.objects.filter(pk=comment.author_id).update(published_count=F("published_count") + 1)
    recount_comments(comment.story_id)
    if status == ContentStatus.PUBLISHED:
        transaction.on_commit(partial(run_after_publish.enqueue, COMMENT_LABEL, comment.pk))
    else:
        transaction.on_commit(partial(indexing.index, COMMENT_LABEL, [comment.pk]))
    return True
