"""Communities, membership, threads and posts (the first kind of content)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.core.models import Content, ContentStatus, PublicIdModel, TimeStampedModel

# A thread page shows the posts at 50 consecutive positions.
POSTS_PER_PAGE = 50


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("community visibility", "Public")
    MEMBERS = "members", pgettext_lazy("community visibility", "Members only")
    PRIVATE = "private", pgettext_lazy("community visibility", "Private")


class Community(PublicIdModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communities",
    )
    name = models.CharField(pgettext_lazy("community field", "name"), max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(pgettext_lazy("community field", "description"), blank=True)
    # Shown to outsiders of a members-only community instead of its content.
    teaser = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )
    # Shown to people asking to join (a private community) or joining (any other).
    join_questions = models.TextField(
        pgettext_lazy("community field", "join questions"), blank=True
    )
    # Whether /c/<slug>/ask/ takes requests to join a private community from people
    # who reached it by a link (decisions/0020).
    accepts_requests = models.BooleanField(
        pgettext_lazy("community field", "accepts requests to join"), default=True
    )
    # A wide banner, made safe by core.images (spec COVER) and stored under a new,
    # unguessable name on every change; set only by actions.update_community_settings.
    cover = models.FileField(
        pgettext_lazy("community field", "cover image"), max_length=200, blank=True, editable=False
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    member_count = models.PositiveIntegerField(default=0)
    thread_count = models.PositiveIntegerField(default=0)
    # One plain many-to-many per kind of tag (decisions/0018).
    conditions = models.ManyToManyField(
        "directory.Condition",
        blank=True,
        related_name="communities",
        verbose_name=pgettext_lazy("community field", "conditions"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = pgettext_lazy("model", "communities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="community_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", kwargs={"slug": self.slug})

    @property
    def is_indexable(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def requires_approval(self) -> bool:
        """Joining a private community takes a moderator's approval; members-only and
        public communities stay open to join."""
        return self.visibility == Visibility.PRIVATE


class MembershipRole(models.TextChoices):
    MEMBER = "member", pgettext_lazy("membership role", "Member")
    MODERATOR = "moderator", pgettext_lazy("membership role", "Moderator")


class Membership(TimeStampedModel):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("join request status", "Pending")
    APPROVED = "approved", pgettext_lazy("join request status", "Approved")
    DECLINED = "declined", pgettext_lazy("join request status", "Declined")


class JoinRequest(TimeStampedModel):
    """A person asks to join a private community; its moderators decide."""

    MAX_ANSWER_LENGTH = 2000

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    answer = models.TextField(
        pgettext_lazy("join request field", "answer"), max_length=MAX_ANSWER_LENGTH, blank=True
    )
    status = models.CharField(
        max_length=16, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "join request")
        verbose_name_plural = pgettext_lazy("model", "join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=JoinRequestStatus.values),
                name="join_request_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.community}"


class Thread(PublicIdModel):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(pgettext_lazy("thread field", "title"), max_length=160)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Mirrors the first post: a thread is seen by others only when its first post is.
    is_published = models.BooleanField(default=False, db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Every post gets the next position in its thread when it is written (held ones
    # too), and keeps it: pages are ranges of positions, so a post's page and anchor
    # never move and "first unread" is a comparison (decisions/0023).
    last_position = models.PositiveIntegerField(default=0)
    # The position of the newest published post: unread when a member's read state
    # is below it.
    last_published_position = models.PositiveIntegerField(default=0)
    # Moderators pin (listed first), lock (no more replies) and move threads.
    is_pinned = models.BooleanField(pgettext_lazy("thread field", "pinned"), default=False)
    is_locked = models.BooleanField(pgettext_lazy("thread field", "locked"), default=False)
    # The reply that helped most, marked by the thread's author or a moderator.
    best_answer = models.ForeignKey(
        "Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("thread field", "best answer"),
    )
    # One plain many-to-many per kind of tag (decisions/0018).
    conditions = models.ManyToManyField(
        "directory.Condition",
        blank=True,
        related_name="threads",
        verbose_name=pgettext_lazy("thread field", "conditions"),
    )
    medicines = models.ManyToManyField(
        "directory.Medicine",
        blank=True,
        related_name="threads",
        verbose_name=pgettext_lazy("thread field", "medicines"),
    )

    # How many medicines one thread may be tagged with (the page form and the API;
    # the API takes as many conditions).
    MAX_MEDICINES = 20

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-last_post_at"]),
            models.Index(fields=["community", "-is_pinned", "-last_post_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Asked several times per thread page: looked up once per language and address.
        key = (get_language(), self.community.slug)
        urls: dict[tuple[str | None, str], str] = self.__dict__.setdefault("_urls", {})
        url = urls.get(key)
        if url is None:
            url = urls[key] = reverse(
                "communities:thread", kwargs={"slug": key[1], "thread_id": self.public_id}
            )
        return url


class Post(Content):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Denormalised from the thread so the visibility rule is one join, not two.
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="posts")

    # Reaction counts, maintained on write by the reaction actions (F() updates), so
    # the thread page reads them with the posts and never counts rows.
    helpful_count = models.PositiveIntegerField(default=0)
    hug_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    # Set when the author last edited the published text (shown as "edited").
    edited_at = models.DateTimeField(null=True, blank=True)
    # Set when the author deleted the post: its status is "removed" and its text is
    # gone, and the thread shows a placeholder in its place. A removal by a moderator
    # leaves this empty, and then nothing at all is shown to readers.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # The post's place in its thread, from 1, never reused (Thread.last_position).
    position = models.PositiveIntegerField(default=0)
    # The post this one answers ("in reply to X"), in the same thread.
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    MAX_BODY_LENGTH = 20_000

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["community", "status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ContentStatus.values), name="post_status_valid"
            ),
            # Only numbered posts: every action numbers them; a bare Post() in a test
            # of another app (position 0) is on no page.
            models.UniqueConstraint(
                fields=["thread", "position"],
                condition=models.Q(position__gt=0),
                name="post_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.public_id} in {self.thread_id}"

    @property
    def page_number(self) -> int:
        """The page of its thread the post is on (pages are ranges of positions)."""
        return max(self.position - 1, 0) // POSTS_PER_PAGE + 1

    @property
    def is_deleted_by_author(self) -> bool:
        return self.deleted_at is not None


class ThreadReadState(TimeStampedModel):
    """How far a member has read a thread: the position of the last post they were
    shown, and when. Written only when it advances, so reading again writes nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_read_states"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_position = models.PositiveIntegerField(default=0)
    last_read_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_read_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="thread_read_state_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_position}"


class ReactionKind(models.TextChoices):
    HELPFUL = "helpful", pgettext_lazy("reaction", "Helpful")
    HUG = "hug", pgettext_lazy("reaction", "Hug")
    ME_TOO = "me_too", pgettext_lazy("reaction", "Me too")


# The Post field that counts each kind of reaction.
REACTION_COUNT_FIELDS: dict[str, str] = {
    ReactionKind.HELPFUL: "helpful_count",
    ReactionKind.HUG: "hug_count",
    ReactionKind.ME_TOO: "me_too_count",
}


class Reaction(TimeStampedModel):
    """One person's reaction of one kind to one post (one of each kind per person)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ReactionKind.values), name="reaction_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} on {self.post_id}"


class PostRevision(TimeStampedModel):
    """The text a post had before an edit. Seen by site staff only (in the admin)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(pgettext_lazy("post revision field", "previous text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("post revision field", "edited by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "post revision")
        verbose_name_plural = pgettext_lazy("model", "post revisions")

    def __str__(self) -> str:
        return f"Revision of {self.post_id} at {self.created_at}"


class CommunityGuidelines(TimeStampedModel):
    """One published version of a community's guidelines. A version is never edited:
    a change is a new version, and people who post there accept it again (an
    acceptance names the exact text the person agreed to)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="guidelines")
    version = models.PositiveIntegerField(pgettext_lazy("guidelines field", "version"))
    body = models.TextField(pgettext_lazy("guidelines field", "guidelines"))
    # Rendered once at publication by core.markup, like every text shown as HTML.
    body_html = models.TextField(editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("guidelines field", "published by"),
    )

    class Meta:
        ordering = ["community", "-version"]
        get_latest_by = "version"
        verbose_name = pgettext_lazy("model", "community guidelines")
        verbose_name_plural = pgettext_lazy("model", "community guidelines")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "version"], name="community_guidelines_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="community_guidelines_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} v{self.version}"


class GuidelinesAcceptance(TimeStampedModel):
    """A person accepted one version of a community's guidelines."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guidelines_acceptances"
    )
    guidelines = models.ForeignKey(
        CommunityGuidelines, on_delete=models.CASCADE, related_name="acceptances"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "guidelines"], name="guidelines_acceptance_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.guidelines}"


class Invitation(PublicIdModel):
    """A link that lets people join a members-only or private community, made by its
    moderators. Only the SHA-256 of the token is stored: the raw token is shown once,
    to whoever made it. An invitation addressed to one person (``invitee``) is for
    them alone and is used once. ``uses`` only grows, by a conditional UPDATE, so a
    link is never used more than ``max_uses`` times, even by people joining at once."""

    DEFAULT_DAYS = 14
    MAX_DAYS = 90
    MAX_USES = 100

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("invitation field", "created by"),
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="community_invitations",
        verbose_name=pgettext_lazy("invitation field", "invited person"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(pgettext_lazy("invitation field", "expires"))
    max_uses = models.PositiveSmallIntegerField(
        pgettext_lazy("invitation field", "uses allowed"), default=1
    )
    uses = models.PositiveSmallIntegerField(pgettext_lazy("invitation field", "used"), default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "invitation")
        verbose_name_plural = pgettext_lazy("model", "invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_uses__gte=1, max_uses__lte=100),
                name="invitation_max_uses_range",
            ),
            models.CheckConstraint(
                condition=models.Q(uses__lte=models.F("max_uses")),
                name="invitation_uses_within_max",
            ),
            models.CheckConstraint(
                condition=models.Q(invitee__isnull=True) | models.Q(max_uses=1),
                name="invitation_addressed_single_use",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.public_id} to {self.community_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        """The stored form of a token (SHA-256, hex). Tokens carry 256 random bits, so
        a plain hash is enough: nobody can try them one by one, and a lookup by hash
        compares no secret byte by byte."""
        return hashlib.sha256(token.encode()).hexdigest()

    def is_open(self, now: datetime) -> bool:
        """Not revoked, not expired, not used up."""
        return self.revoked_at is None and self.expires_at > now and self.uses < self.max_uses
