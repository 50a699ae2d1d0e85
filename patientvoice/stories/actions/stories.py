"""Publishing, editing and deleting stories; moderators' status changes; featuring."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.images import ProcessedImage, discard_stored, store_image
from patientvoice.core.markup import text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish, run_after_publish
from patientvoice.directory.models import Condition
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.permissions import check_may_post
from patientvoice.organizations.models import Organization
from patientvoice.search import indexing

from ..covers import STORY_COVER, delete_after_commit, set_cover_fields
from ..models import Story, StoryDraft, StoryFeature, StoryRevision
from ..permissions import (
    check_audience,
    check_delete_story,
    check_edit_story,
    check_feature,
)

STORY_LABEL = "stories.story"
STORY_KIND = "story"  # the moderation kind (kinds.STORY)


def story_slug(title: str) -> str:
    return slugify(title)[:80].strip("-") or "story"


def _check_text(story: Story) -> str:
    # The title and the picture's description are checked with the text (a phone
    # number in either is as public).
    return f"{story.title}\n\n{story.cover_alt}\n\n{story.body}"


def _count_words(story: Story) -> None:
    story.word_count = len(text_as_read(story.body_html).split())


@transaction.atomic
def publish_draft(*, author: User, draft: StoryDraft) -> PublishResult:
    """Turn ``author``'s ``draft`` (complete: the form checked title, text and the
    picture's description) into a story through the publishing pipeline, and delete the
    draft; the picture passes to the story.

    Raises ``Http404`` for another person's draft, ``PermissionDenied`` for an
    audience the author may no longer use (they left the community, or it was deleted:
    ``audience_lost``; never published to everyone instead) and ``MemberSanctioned``
    for a suspended or banned member; ``ContentTooLong``."""
    if draft.author_id != author.pk:
        raise Http404
    if draft.audience_lost:
        raise PermissionDenied
    check_audience(author, draft.community)
    check_may_post(author, draft.community_id)
    story = Story(
        author=author,
        title=draft.title,
        slug=story_slug(draft.title),
        body=draft.body,
        language=draft.language,
        community=draft.community,
        cover=draft.cover.name if draft.cover else "",
        cover_width=draft.cover_width,
        cover_height=draft.cover_height,
        cover_alt=draft.cover_alt if draft.cover else "",
    )
    result = _publish(story)
    story.conditions.set(list(draft.conditions.all()))
    draft.delete()  # the picture is the story's now
    return result


def _publish(story: Story) -> PublishResult:
    result = publish(story, check_text=_check_text(story))
    _count_words(story)
    Story.objects.filter(pk=story.pk).update(word_count=story.word_count)
    return result


@transaction.atomic
def edit_story(
    *,
    user: User,
    story: Story,
    title: str,
    body: str,
    conditions: Iterable[Condition],
    cover: ProcessedImage | None = None,
    remove_cover: bool = False,
    cover_alt: str = "",
) -> PublishResult:
    """Replace the author's published story. The earlier title and text are kept as a
    ``StoryRevision``; the new ones pass the pipeline again, so an edit can be held.
    Raises ``Http404`` unless ``permissions.can_edit_story``."""
    check_edit_story(user, story)
    check_may_post(user, story.community_id)
    stored = store_image(cover, spec=STORY_COVER) if cover is not None else None
    try:
        old_cover = ""
        if stored is not None or remove_cover:
            old_cover = set_cover_fields(story, stored)
        old_alt = story.cover_alt
        story.cover_alt = cover_alt if story.cover else ""
        story.conditions.set(list(conditions))
        text_changed = (title, body) != (story.title, story.body)
        if text_changed:
            StoryRevision.objects.create(
                story=story, title=story.title, body=story.body, edited_by=user
            )
            story.title = title
            story.slug = story_slug(title)
            story.body = body
        if text_changed or story.cover_alt != old_alt:
            # The picture's description is read by everyone too: it passes the checks.
            story.edited_at = timezone.now()
            result = _publish(story)
        else:
            story.save()
            result = PublishResult(content=story)
    except BaseException:
        if stored is not None:
            discard_stored(stored.name)
        raise
    delete_after_commit(old_cover)
    return result


@transaction.atomic
def delete_story(*, user: User, story: Story) -> None:
    """Delete the author's own published or held story with its comments, revisions,
    features and picture; it leaves the search index at once. Audited without text."""
    check_delete_story(user, story)
    _forget(story)
    audit.record(actor=user, action="stories.deleted", target=story)
    story.delete()


def _forget(story: Story) -> None:
    """What goes with a story's row: its picture and its index rows (after commit), and
    its and its comments' moderation cases nobody reported (nothing left to decide)."""
    from ..models import StoryComment
    from .comments import MODERATION_KIND as COMMENT_KIND

    comment_ids = list(
        StoryComment.objects.filter(story=story).values_list("pk", flat=True)  # visibility: erasing
    )
    moderation_actions.forget_unreported_cases(kind=STORY_KIND, object_ids=[story.pk])
    if comment_ids:
        moderation_actions.forget_unreported_cases(kind=COMMENT_KIND, object_ids=comment_ids)
    delete_after_commit(story.cover.name if story.cover else "")
    transaction.on_commit(partial(indexing.remove, STORY_LABEL, [story.pk]))
    if comment_ids:
        transaction.on_commit(partial(indexing.remove, "stories.storycomment", comment_ids))


@transaction.atomic
def set_story_status(*, story: Story, status: str) -> bool:
    """A moderator's decision: published (a held story kept, or one restored), hidden or
    removed. On commit the story is indexed or taken out, and a story published now
    runs the after-publish hooks. Returns whether anything changed."""
    if story.status == status:
        return False
    first_publication = status == ContentStatus.PUBLISHED and story.published_at is None
    story.status = status
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        story.hold_reasons = []
        fields.append("hold_reasons")
        if first_publication:
            story.published_at = timezone.now()
            fields.append("published_at")
    story.save(update_fields=fields)
    if first_publication and story.author_id is not None:
        User.objects.filter(pk=story.author_id).update(published_count=F("published_count") + 1)
    if status == ContentStatus.PUBLISHED:
        transaction.on_commit(partial(run_after_publish.enqueue, STORY_LABEL, story.pk))
    else:
        transaction.on_commit(partial(indexing.index, STORY_LABEL, [story.pk]))
    # The comments' index rows follow the story (searchable checks it too).
    from ..models import StoryComment

    comment_ids = list(
        StoryComment.objects.filter(story=story).values_list("pk", flat=True)  # visibility: index
    )
    if comment_ids:
        transaction.on_commit(partial(indexing.index, "stories.storycomment", comment_ids))
    return True


@transaction.atomic
def feature_story(*, actor: User | None, story: Story, organization: Organization) -> bool:
    """``organization`` features ``story``: listed first. ``actor`` must act for it
    (``permissions.check_feature``; ``None`` for tools such as the demo). Audited.
    Returns whether it was new."""
    if actor is not None:
        check_feature(actor, story, organization)
    _, created = StoryFeature.objects.get_or_create(
        story=story, organization=organization, defaults={"featured_by": actor}
    )
    if created:
        Story.objects.filter(pk=story.pk).update(updated_at=timezone.now())
        audit.record(
            actor=actor,
            action="stories.featured",
            target=story,
            data={"organization": organization.slug},
        )
    return created


@transaction.atomic
def unfeature_story(*, actor: User, story: Story, organization: Organization) -> bool:
    """Take ``organization``'s feature away (the same people who give it). Audited."""
    check_feature(actor, story, organization)
    deleted, _ = StoryFeature.objects.filter(story=story, organization=organization).delete()
    if deleted:
        Story.objects.filter(pk=story.pk).update(updated_at=timezone.now())
        audit.record(
            actor=actor,
            action="stories.unfeatured",
            target=story,
            data={"organization": organization.slug},
        )
    return bool(deleted)
