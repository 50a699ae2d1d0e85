"""Expert notes (issue 6, item 4; decisions/0034).

* :class:`ExpertNote`: a verified professional's sourced note on exactly one target, a
  community post or a review. The target is one nullable foreign key per kind with a
  check constraint "exactly one"; a new kind of target (stories) is one more foreign key
  and one more entry in :mod:`patientvoice.expertnotes.targets`.
* :class:`NoteSource`: one to eight sources (title and an http(s) address) per note.
* :class:`ExpertNoteRevision`: what a note said before each edit (append-only).
* :class:`NoteHelpful`: a member found a note helpful (once; ``helpful_count`` is kept
  on the note in the same transaction).
* :class:`NoteAuthorReply`: the target's author's one reply to a note (editable).
* :class:`NoteNotice`: what a person is told in the app: a note on what they wrote, a
  reply to their note.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import Content, ContentStatus, PublicIdModel, TimeStampedModel

MAX_SOURCES = 8
MAX_SOURCE_TITLE = 200
MAX_SOURCE_URL = 500


class NoteKind(models.TextChoices):
    CORRECTION = "correction", pgettext_lazy("expert note kind", "Correction")
    CONTEXT = "context", pgettext_lazy("expert note kind", "Context")
    CONFIRMATION = "confirmation", pgettext_lazy("expert note kind", "Confirmation")


class EvidenceLevel(models.TextChoices):
    SYSTEMATIC_REVIEW = (
        "systematic_review",
        pgettext_lazy("evidence level", "Systematic review or meta-analysis"),
    )
    RANDOMISED_TRIAL = "randomised_trial", pgettext_lazy("evidence level", "Randomised trial")
    OTHER_STUDY = "other_study", pgettext_lazy("evidence level", "Other study")
    GUIDELINE = (
        "guideline",
        pgettext_lazy("evidence level", "National guideline or authority"),
    )
    EXPERT_OPINION = "expert_opinion", pgettext_lazy("evidence level", "Expert opinion")


# The foreign keys that can name a note's target, in the order of targets.TARGETS.
TARGET_FIELDS = ("post", "review", "story")


def _only(field: str) -> Q:
    return Q(**{f"{field}__isnull": False}) & Q(
        **{f"{other}__isnull": True for other in TARGET_FIELDS if other != field}
    )


EXACTLY_ONE_TARGET = _only("post") | _only("review") | _only("story")


class ExpertNote(Content):
    """A verified professional's note on one post or review. One per professional per
    target (they edit it instead); every edit keeps an :class:`ExpertNoteRevision`.

    ``credential`` is the credential the author held when they wrote (or last edited)
    the note: the badge shows it as it was then, so a credential that expires or is
    revoked later does not hide or relabel the note. ``SET_NULL``: erasure deletes a
    person's credentials (decisions/0033), and a note kept as a former member's must not
    stop it.
    """

    MAX_BODY_LENGTH: ClassVar[int] = 5_000

    post = models.ForeignKey(
        "communities.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expert_notes",
    )
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expert_notes",
    )
    story = models.ForeignKey(
        "stories.Story",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expert_notes",
    )
    kind = models.CharField(
        pgettext_lazy("expert note field", "kind of note"), max_length=16, choices=NoteKind
    )
    evidence_level = models.CharField(
        pgettext_lazy("expert note field", "level of evidence"),
        max_length=24,
        choices=EvidenceLevel,
        blank=True,
    )
    credential = models.ForeignKey(
        "professionals.Credential",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    helpful_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "expert note")
        verbose_name_plural = pgettext_lazy("model", "expert notes")
        indexes = [
            models.Index(fields=["post", "status"], name="expertnote_post"),
            models.Index(fields=["review", "status"], name="expertnote_review"),
            models.Index(fields=["story", "status"], name="expertnote_story"),
        ]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_TARGET, name="expertnote_one_target"),
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values), name="expertnote_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(evidence_level="") | Q(evidence_level__in=EvidenceLevel.values),
                name="expertnote_evidence_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContentStatus.values), name="expertnote_status_valid"
            ),
            models.UniqueConstraint(
                fields=["author", "post"],
                condition=Q(author__isnull=False, post__isnull=False),
                name="expertnote_one_per_author_post",
            ),
            models.UniqueConstraint(
                fields=["author", "review"],
                condition=Q(author__isnull=False, review__isnull=False),
                name="expertnote_one_per_author_review",
            ),
            models.UniqueConstraint(
                fields=["author", "story"],
                condition=Q(author__isnull=False, story__isnull=False),
                name="expertnote_one_per_author_story",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} note {self.public_id} on {self.target_kind}"

    @property
    def target_kind(self) -> str:
        """``"post"``, ``"review"`` or ``"story"``: which foreign key names the target."""
        for field in TARGET_FIELDS:
            if getattr(self, f"{field}_id") is not None:
                return field
        raise ValueError("An expert note without a target.")

    @property
    def target(self) -> Any:
        return getattr(self, self.target_kind)

    @property
    def target_id(self) -> int:
        value: int = getattr(self, f"{self.target_kind}_id")
        return value

    @property
    def anchor(self) -> str:
        return f"note-{self.public_id}"

    @property
    def badge_credentials(self) -> dict[int, Any]:
        """``{author id: the credential at the time of writing}`` for
        ``{% professional_badge note.author note.badge_credentials %}``."""
        if self.author_id is None or self.credential is None:
            return {}
        return {self.author_id: self.credential}

    def source_list(self) -> list[dict[str, str]]:
        """The sources as plain JSON (revisions, export)."""
        return [{"title": s.title, "url": s.url} for s in self.sources.all()]


class NoteSource(TimeStampedModel):
    """One source of a note, shown as a link (``rel="noopener nofollow external"``)."""

    note = models.ForeignKey(ExpertNote, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(
        pgettext_lazy("expert note field", "source title"), max_length=MAX_SOURCE_TITLE
    )
    url = models.URLField(
        pgettext_lazy("expert note field", "source address"), max_length=MAX_SOURCE_URL
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["note", "position", "id"]
        verbose_name = pgettext_lazy("model", "note source")
        verbose_name_plural = pgettext_lazy("model", "note sources")
        constraints = [
            models.UniqueConstraint(fields=["note", "position"], name="notesource_position"),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="notesource_http_url",
            ),
            models.CheckConstraint(
                condition=Q(position__lt=MAX_SOURCES), name="notesource_at_most_eight"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ExpertNoteRevisionQuerySet(models.QuerySet["ExpertNoteRevision"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Note revisions are append-only.")


class ExpertNoteRevision(models.Model):
    """What a note said before an edit (append-only, one timestamp). Seen by the note's
    author and moderators (the history page), and in the author's data export."""

    note = models.ForeignKey(ExpertNote, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=16, choices=NoteKind)
    body = models.TextField()
    evidence_level = models.CharField(max_length=24, choices=EvidenceLevel, blank=True)
    sources = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ExpertNoteRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "expert note revision")
        verbose_name_plural = pgettext_lazy("model", "expert note revisions")

    def __str__(self) -> str:
        return f"revision of note {self.note_id} at {self.created_at:%Y-%m-%d %H:%M}"


class NoteHelpful(TimeStampedModel):
    """A member found a note helpful (at most once; they can take it back)."""

    note = models.ForeignKey(ExpertNote, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_helpful_marks"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "helpful mark")
        verbose_name_plural = pgettext_lazy("model", "helpful marks")
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="notehelpful_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} found note {self.note_id} helpful"


class NoteAuthorReply(Content):
    """The target's author answers a note, once (they edit it instead)."""

    MAX_BODY_LENGTH: ClassVar[int] = 2_000

    note = models.OneToOneField(ExpertNote, on_delete=models.CASCADE, related_name="reply")
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "reply to an expert note")
        verbose_name_plural = pgettext_lazy("model", "replies to expert notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ContentStatus.values), name="notereply_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"reply {self.public_id} to note {self.note_id}"

    @property
    def anchor(self) -> str:
        return f"note-reply-{self.public_id}"


class NoticeKind(models.TextChoices):
    NOTE_ADDED = (
        "note_added",
        pgettext_lazy("expert note notice", "A verified professional added a note"),
    )
    NOTE_REPLY = (
        "note_reply",
        pgettext_lazy("expert note notice", "The author replied to your note"),
    )


class NoteNotice(PublicIdModel):
    """One thing a person is told about notes, shown on their notes notices page
    (linked from the notification centre) while they may still see the note."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_notices"
    )
    kind = models.CharField(max_length=16, choices=NoticeKind)
    note = models.ForeignKey(ExpertNote, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "expert note notice")
        verbose_name_plural = pgettext_lazy("model", "expert note notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notenotice_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notenotice_kind_valid"
            ),
            # Told once per note and kind, however often the hook runs (edits, retries).
            models.UniqueConstraint(fields=["recipient", "note", "kind"], name="notenotice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
