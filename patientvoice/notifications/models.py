"""Who follows what, what each person was told, and how they want to hear about it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import PublicIdModel, TimeStampedModel


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", pgettext_lazy("e-mail frequency", "At once, one e-mail each")
    DAILY = "daily", pgettext_lazy("e-mail frequency", "Once a day, in one summary")
    OFF = "off", pgettext_lazy("e-mail frequency", "Never: I look on the site")


class NotificationState(TimeStampedModel):
    """One row per person who was ever notified or chose an e-mail frequency.

    ``unread_count`` is kept on write (decisions/0022) so the header never counts rows;
    pages read it through the cache (``queries.unread_count``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_state",
    )
    # A daily summary by default: it brings people back without filling the inbox of
    # someone who is ill and tired (decisions/0022).
    email_frequency = models.CharField(
        pgettext_lazy("notification setting", "e-mail about notifications"),
        max_length=16,
        choices=EmailFrequency.choices,
        default=EmailFrequency.DAILY,
    )
    unread_count = models.PositiveIntegerField(default=0)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    # Part of the unsubscribe token (tokens.py): raised when the person turns e-mails
    # on again, so links in e-mails sent before stop working.
    unsubscribe_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["user_id"]
        verbose_name = pgettext_lazy("model", "notification settings")
        verbose_name_plural = pgettext_lazy("model", "notification settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_frequency__in=EmailFrequency.values),
                name="notification_state_frequency_valid",
            ),
        ]
        indexes = [models.Index(fields=["email_frequency", "last_digest_at"])]

    def __str__(self) -> str:
        return f"Notifications of {self.user_id}"


class Subscription(TimeStampedModel):
    """A person follows one thread or one community (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        "communities.Thread",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "subscription")
        verbose_name_plural = pgettext_lazy("model", "subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(thread__isnull=False, community__isnull=True)
                    | models.Q(thread__isnull=True, community__isnull=False)
                ),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="subscription_thread_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(community__isnull=False),
                name="subscription_community_unique",
            ),
        ]

    def __str__(self) -> str:
        target = f"thread {self.thread_id}" if self.thread_id else f"community {self.community_id}"
        return f"{self.user_id} follows {target}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", pgettext_lazy("notification kind", "New reply")
    NEW_THREAD = "new_thread", pgettext_lazy("notification kind", "New discussion")
    MENTION = "mention", pgettext_lazy("notification kind", "Mentioned you")


class Notification(PublicIdModel):
    """One person was told about one post. Shown, counted and e-mailed only while the
    person may still read the post (``permissions.visible_notifications``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    post = models.ForeignKey("communities.Post", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification went out by e-mail, or was dropped from one because
    # the person could no longer read it; either way it is never sent again.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "notification")
        verbose_name_plural = pgettext_lazy("model", "notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "post"], name="notification_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "read_at", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} about {self.post_id}"


class NotifiedPost(TimeStampedModel):
    """Marks a post whose followers were told of it (the first run of the hook after
    the post was published). Later runs, after an edit, tell only people newly
    mentioned; the row is claimed before anyone is told, so two runs at once cannot
    both tell the followers (decisions/0022)."""

    post = models.OneToOneField(
        "communities.Post", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("model", "notified post")
        verbose_name_plural = pgettext_lazy("model", "notified posts")

    def __str__(self) -> str:
        return f"followers told of post {self.post_id}"
