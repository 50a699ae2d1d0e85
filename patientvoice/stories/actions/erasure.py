"""How the stories app forgets a person (accounts' erasure registry).

Drafts, revisions they made, and stories and comments never shown (held, hidden,
removed) go in both modes. In "remove" mode their published stories (with the
comments under them) and comments go too; in "anonymise" mode those stay as a former
member's. Counters and the search index follow."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions as moderation_actions
from patientvoice.search import indexing

from ..covers import delete_after_commit
from ..models import Story, StoryComment, StoryDraft, StoryRevision
from .comments import COMMENT_LABEL, MODERATION_KIND, recount_comments
from .stories import STORY_KIND, STORY_LABEL


@transaction.atomic
def remove_stories_of(*, user: User, published_too: bool) -> None:
    """Forget ``user``'s stories (see the module's docstring); ``published_too`` in
    "remove" mode. The earlier versions of all their stories (``StoryRevision``) go in
    both modes, and the unreported moderation cases of what is deleted."""
    for draft in StoryDraft.objects.filter(author=user):
        delete_after_commit(draft.cover.name if draft.cover else "")
    StoryDraft.objects.filter(author=user).delete()
    never_shown = ~Q(status=ContentStatus.PUBLISHED)
    chosen = Q() if published_too else never_shown
    stories = list(Story.objects.filter(chosen, author=user))  # visibility: erasure
    story_ids = [s.pk for s in stories]
    comment_ids = list(
        StoryComment.objects.filter(  # visibility: erasure
            Q(story_id__in=story_ids) | (Q(author=user) & chosen)
        ).values_list("pk", flat=True)
    )
    touched = set(
        StoryComment.objects.filter(author=user)  # visibility: erasure
        .filter(chosen)
        .exclude(story_id__in=story_ids)
        .values_list("story_id", flat=True)
    )
    for story in stories:
        delete_after_commit(story.cover.name if story.cover else "")
    # Earlier versions of every story of theirs, kept or not: their words, not the site's.
    StoryRevision.objects.filter(story__author=user).delete()
    moderation_actions.forget_unreported_cases(kind=STORY_KIND, object_ids=story_ids)
    moderation_actions.forget_unreported_cases(kind=MODERATION_KIND, object_ids=comment_ids)
    StoryComment.objects.filter(pk__in=comment_ids).delete()
    Story.objects.filter(pk__in=story_ids).delete()
    for story_id in touched:
        recount_comments(story_id)
    transaction.on_commit(partial(indexing.remove, STORY_LABEL, story_ids))
    transaction.on_commit(partial(indexing.remove, COMMENT_LABEL, comment_ids))
