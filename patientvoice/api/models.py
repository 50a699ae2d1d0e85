"""Personal access tokens for the API. Only a hash is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import PublicIdModel


class TokenScope(models.TextChoices):
    READ = "read", pgettext_lazy("token scope", "Read only")
    READ_WRITE = "read_write", pgettext_lazy("token scope", "Read and write")


class PersonalAccessToken(PublicIdModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    # The first characters, shown so a person can tell tokens apart; not secret.
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=16, choices=TokenScope.choices, default=TokenScope.READ)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values), name="token_scope_valid"
            ),
            # Every token expires (at most a year, set by api.actions.create_token).
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=False), name="token_expires"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
