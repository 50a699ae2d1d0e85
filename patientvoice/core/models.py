"""Base model, the shared content fields, and the append-only audit log."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    """Every model has creation and change times (Saleor's rule)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """A model whose URLs use an unguessable identifier instead of the row id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class ContentStatus(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("content status", "Published")
    HELD = "held", pgettext_lazy("content status", "Held for review")
    HIDDEN = "hidden", pgettext_lazy("content status", "Hidden")
    REMOVED = "removed", pgettext_lazy("content status", "Removed")


class Content(PublicIdModel):
    """Fields shared by everything a person writes (ARCHITECTURE §4).

    Concrete kinds (posts, reviews, stories, ...) subclass this and are written only
    through :func:`patientvoice.core.publishing.publish`, which fills ``body_html``,
    ``status`` and ``hold_reasons``.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    status = models.CharField(
        max_length=16, choices=ContentStatus.choices, default=ContentStatus.HELD, db_index=True
    )
    # Machine-readable reasons the pipeline held the content, e.g. ["personal_data.phone"].
    hold_reasons = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Every kind caps its body; the pipeline and forms enforce it.
    MAX_BODY_LENGTH: ClassVar[int] = 20_000

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Append-only record of a privileged action: who, what, on what, when, why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    # Kept when the actor is erased, pseudonymised (see accounts.erasure).
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = pgettext_lazy("audit", "audit entry")
        verbose_name_plural = pgettext_lazy("audit", "audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")
