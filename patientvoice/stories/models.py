"""Patient stories and their comments (issue 8, items 1 and 2; decisions/0040).

* :class:`StoryDraft`: what a member is writing. Not content yet: not published, not
  screened, not in search, seen by its author only. Saved as they type (htmx autosave)
  and by "Save draft"; publishing it runs the pipeline and makes a :class:`Story`.
* :class:`Story`: the published (or held, hidden, removed) story. ``community`` is its
  audience: ``None`` for everyone, else the people who may read that community's
  content (the communities' visibility rule).
* :class:`StoryRevision`: what a story said before each edit (staff only, as posts).
* :class:`StoryFeature`: an organisation features a story (its staff, a public story or
  one in a community it hosts). Featured stories are listed first.
* :class:`StoryComment`: a member's or a visitor's comment, threaded one level deep
  (``parent`` is always a top-level comment). A visitor's name and e-mail address are
  kept with the comment; the address is never shown. Guests' comments are always held.
* :class:`StoryNotice`: what a person is told in the app: a comment on their story, a
  reply to their comment (a notice model of ``notifications.notices``).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import Content, ContentStatus, PublicIdModel, TimeStampedModel

# Reading speed for "5 min read" (words a minute, a common estimate for adults).
WORDS_PER_MINUTE = 200
MAX_TITLE_LENGTH = 160
MAX_ALT_LENGTH = 250
MAX_GUEST_NAME_LENGTH = 100


def lose_audience(collector: Any, field: Any, sub_objs: Any, using: str) -> None:
    """``on_delete`` of a draft's community: the draft keeps its text, its community
    is cleared and ``audience_lost`` set, so the author must choose again before
    publishing (never "everyone" by default; decisions/0040)."""
    # The flag first: the updates run in order, each over the rows still pointing at
    # the community.
    collector.add_field_update(field.model._meta.get_field("audience_lost"), True, sub_objs)
    collector.add_field_update(field, None, sub_objs)


lose_audience.lazy_sub_objs = True  # type: ignore[attr-defined]


def reading_minutes(word_count: int) -> int:
    """Whole minutes, at least one."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


class Story(Content):
    """A member's story. Written only through ``actions.publish_draft`` and
    ``actions.edit_story`` (the pipeline), changed by moderators through
    ``actions.set_story_status``."""

    MAX_BODY_LENGTH: ClassVar[int] = 20_000

    title = models.CharField(pgettext_lazy("story field", "title"), max_length=MAX_TITLE_LENGTH)
    # For the address only (/stories/<public id>/<slug>/); the public id finds the story.
    slug = models.SlugField(max_length=80, blank=True)
    # The audience: None is everyone; a community is whoever may read its content.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=pgettext_lazy("story field", "audience"),
    )
    # Made safe by core.images (spec STORY_COVER), under an unguessable name.
    cover = models.FileField(max_length=200, blank=True, editable=False)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        pgettext_lazy("story field", "description of the picture"),
        max_length=MAX_ALT_LENGTH,
        blank=True,
    )
    conditions = models.ManyToManyField(
        "directory.Condition",
        blank=True,
        related_name="stories",
        verbose_name=pgettext_lazy("story field", "conditions"),
    )
    # Kept on write, so lists show the reading time and the number of comments without
    # counting anything.
    word_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = pgettext_lazy("model", "story")
        verbose_name_plural = pgettext_lazy("model", "stories")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_list"),
            models.Index(fields=["community", "status", "-published_at"], name="story_community"),
            models.Index(fields=["author", "status"], name="story_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ContentStatus.values), name="story_status_valid"
            ),
            # A picture is described for people who cannot see it (WCAG 1.1.1).
            models.CheckConstraint(
                condition=Q(cover="") | ~Q(cover_alt=""), name="story_cover_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "stories:detail", kwargs={"public_id": self.public_id, "slug": self.slug or "-"}
        )

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)


class StoryDraft(PublicIdModel):
    """A story being written. Every field may be empty: a draft is saved as it is."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_drafts"
    )
    title = models.CharField(
        pgettext_lazy("story field", "title"), max_length=MAX_TITLE_LENGTH, blank=True
    )
    body = models.TextField(pgettext_lazy("story field", "story"), blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    community = models.ForeignKey(
        "communities.Community",
        on_delete=lose_audience,
        null=True,
        blank=True,
        related_name="+",
    )
    # The community chosen was deleted: the author chooses again before publishing.
    audience_lost = models.BooleanField(default=False, editable=False)
    cover = models.FileField(max_length=200, blank=True, editable=False)
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(max_length=MAX_ALT_LENGTH, blank=True)
    conditions = models.ManyToManyField("directory.Condition", blank=True, related_name="+")

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = pgettext_lazy("model", "story draft")
        verbose_name_plural = pgettext_lazy("model", "story drafts")
        indexes = [models.Index(fields=["author", "-updated_at"], name="storydraft_author")]

    def __str__(self) -> str:
        return self.title or f"Draft {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("stories:draft", kwargs={"public_id": self.public_id})


class StoryRevision(TimeStampedModel):
    """A story's title and text before an edit (append-only; staff read it)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "story revision")
        verbose_name_plural = pgettext_lazy("model", "story revisions")

    def __str__(self) -> str:
        return f"Revision of story {self.story_id} at {self.created_at}"


class StoryFeature(TimeStampedModel):
    """An organisation features a story: it is listed first (and on the organisation's
    page). One row per organisation and story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="features")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="featured_stories"
    )
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "featured story")
        verbose_name_plural = pgettext_lazy("model", "featured stories")
        constraints = [
            models.UniqueConstraint(fields=["story", "organization"], name="storyfeature_unique")
        ]

    def __str__(self) -> str:
        return f"Story {self.story_id} featured by {self.organization_id}"


class StoryComment(Content):
    """A comment on a story, by a member (``author``) or a visitor (``guest_name`` and
    ``guest_email``; ``author`` empty). A reply's ``parent`` is a top-level comment."""

    MAX_BODY_LENGTH: ClassVar[int] = 5_000

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    guest_name = models.CharField(
        pgettext_lazy("comment field", "name"), max_length=MAX_GUEST_NAME_LENGTH, blank=True
    )
    # Never shown, exported to nobody but staff: for the confirmation link only.
    guest_email = models.EmailField(pgettext_lazy("comment field", "e-mail address"), blank=True)
    guest_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when the story's author (or the parent's author) was told; claimed once.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "story comment")
        verbose_name_plural = pgettext_lazy("model", "story comments")
        indexes = [
            models.Index(fields=["story", "status", "created_at"], name="storycomment_story"),
            models.Index(fields=["author", "status"], name="storycomment_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ContentStatus.values), name="storycomment_status_valid"
            ),
            # A guest's comment has no account; a member's has no guest details.
            models.CheckConstraint(
                condition=Q(guest_email="", guest_name="") | Q(author__isnull=True),
                name="storycomment_guest_has_no_account",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.public_id} on story {self.story_id}"

    @property
    def is_guest(self) -> bool:
        return bool(self.guest_email)

    @property
    def anchor(self) -> str:
        return f"comment-{self.public_id}"


class NoticeKind(models.TextChoices):
    COMMENT = "comment", pgettext_lazy("story notice kind", "New comment on your story")
    REPLY = "reply", pgettext_lazy("story notice kind", "New reply to your comment")


class StoryNotice(TimeStampedModel):
    """One person was told of one comment (a ``notifications.notices`` model: a
    recipient and ``read_at``, indexed together)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_notices"
    )
    comment = models.ForeignKey(StoryComment, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "story notice")
        verbose_name_plural = pgettext_lazy("model", "story notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="storynotice_unread")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "comment"], name="storynotice_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="storynotice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} about {self.comment_id}"
