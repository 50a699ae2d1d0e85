"""People: the user with a pseudonymous handle, past handles, policies and consents."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        from .handles import canonical_handle

        email = self.normalize_email(email).lower()
        handle = extra.pop("handle", None) or email.split("@")[0][:20]
        user = self.model(email=email, handle=handle, handle_canonical=canonical_handle(handle))
        for key, value in extra.items():
            setattr(user, key, value)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Presence(models.TextChoices):
    PATIENT = "patient", pgettext_lazy("presence", "a patient")
    CAREGIVER = "caregiver", pgettext_lazy("presence", "a caregiver or relative")
    PROFESSIONAL = (
        "professional",
        pgettext_lazy("presence", "a healthcare professional (not yet verified)"),
    )
    OTHER = "other", pgettext_lazy("presence", "something else, or I'd rather not say")


class Audience(models.TextChoices):
    EVERYONE = "everyone", pgettext_lazy("profile audience", "Everyone")
    MEMBERS = "members", pgettext_lazy("profile audience", "Logged-in members")
    NOBODY = "nobody", pgettext_lazy("profile audience", "Only me")


class ErasureMode(models.TextChoices):
    ANONYMISE = (
        "anonymise",
        pgettext_lazy("erasure mode", "Keep my posts, shown as written by a former member"),
    )
    REMOVE = "remove", pgettext_lazy("erasure mode", "Remove my posts as well")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is private; the handle is the public identity."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(
        pgettext_lazy("user field", "e-mail address"), max_length=254, unique=True
    )
    handle = models.CharField(pgettext_lazy("user field", "handle"), max_length=30)
    # Lower-case, confusables folded: unique, so "Anna_1" and "anna_l" cannot coexist.
    handle_canonical = models.CharField(max_length=30, unique=True, editable=False)
    bio = models.TextField(pgettext_lazy("user field", "about me"), max_length=500, blank=True)
    presence = models.CharField(
        pgettext_lazy("user field", "I am here as"),
        max_length=16,
        choices=Presence.choices,
        default=Presence.OTHER,
    )
    preferred_language = models.CharField(
        pgettext_lazy("user field", "language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="sv",
    )
    profile_audience = models.CharField(
        pgettext_lazy("user field", "who can see my profile"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.MEMBERS,
    )
    age_confirmed_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_trusted = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_count = models.PositiveIntegerField(default=0)
    erasure_requested_at = models.DateTimeField(null=True, blank=True)
    erasure_mode = models.CharField(max_length=16, choices=ErasureMode.choices, blank=True)
    # The privacy-notice version every required consent was last given to; None while
    # one is missing or withdrawn. Derived from the consent ledger by accounts.actions
    # in the same transaction, so the check on every request reads the user row it
    # already has instead of the ledger (decisions/0025).
    consented_policy_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Whether the person holds any organisation role (organizations.OrganizationStaff),
    # kept by organizations.actions. The thread page asks the (costly) hosting-staff
    # question only of people who do; a stale True only costs time (decisions/0027).
    holds_organization_role = models.BooleanField(default=False, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    # Not a column: set per request when staff or moderation powers must not apply
    # (no second factor in this session, or an API token). See permissions.py.
    privileges_suspended: bool = False

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["handle_canonical"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(presence__in=Presence.values), name="user_presence_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(profile_audience__in=Audience.values),
                name="user_profile_audience_valid",
            ),
            # An erasure request always says what happens to the person's posts.
            models.CheckConstraint(
                condition=(
                    models.Q(erasure_requested_at__isnull=True, erasure_mode="")
                    | models.Q(
                        erasure_requested_at__isnull=False, erasure_mode__in=ErasureMode.values
                    )
                ),
                name="user_erasure_mode_set_with_request",
            ),
        ]

    def __str__(self) -> str:
        return self.handle

    @property
    def created_at(self) -> Any:
        return self.date_joined

    @property
    def erasure_pending(self) -> bool:
        return self.erasure_requested_at is not None


class PastHandle(TimeStampedModel):
    """A handle someone used before. Reserved for ever so nobody can impersonate them."""

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="past_handles"
    )
    handle = models.CharField(max_length=30)
    handle_canonical = models.CharField(max_length=30, unique=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.handle


class PolicyKind(models.TextChoices):
    PRIVACY = "privacy", pgettext_lazy("policy kind", "Privacy notice")
    TERMS = "terms", pgettext_lazy("policy kind", "Terms of use")


class PolicyVersion(TimeStampedModel):
    """One published version of a policy text, in both languages."""

    kind = models.CharField(max_length=16, choices=PolicyKind.choices)
    version = models.PositiveIntegerField()
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    summary_sv = models.TextField()
    summary_en = models.TextField()
    body_sv = models.TextField()
    body_en = models.TextField()
    effective_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PolicyKind.values), name="policy_kind_valid"
            ),
            models.UniqueConstraint(fields=["kind", "version"], name="policy_kind_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"

    def text(self, field: str, language: str) -> str:
        return str(getattr(self, f"{field}_{'sv' if language == 'sv' else 'en'}"))


class ConsentPurpose(models.TextChoices):
    # GDPR art. 9(2)(a): explicit consent to process health data. Required to take part.
    HEALTH_DATA = (
        "health_data",
        pgettext_lazy(
            "consent purpose", "Processing of my health data to take part in the communities"
        ),
    )
    EMAIL_DIGEST = (
        "email_digest",
        pgettext_lazy("consent purpose", "E-mail summaries of what happens in my communities"),
    )
    RESEARCH_CONTACT = (
        "research_contact",
        pgettext_lazy("consent purpose", "Being contacted about taking part in research"),
    )


REQUIRED_PURPOSES = frozenset({ConsentPurpose.HEALTH_DATA})


class ConsentRecord(models.Model):
    """Append-only ledger: each row is one giving or withdrawing of one consent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=ConsentPurpose.values), name="consent_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        verb = "granted" if self.granted else "withdrew"
        return f"{self.user_id} {verb} {self.purpose} ({self.policy})"
