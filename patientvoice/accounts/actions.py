"""Every write about accounts. Keyword-only, typed, each owns its transaction."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.tasks import task  # type: ignore[import-untyped,unused-ignore]
from django.utils import timezone

from patientvoice.core import audit
from patientvoice.core.tasks import forget_email_tasks

from .erasure import erasers
from .handles import canonical_handle, validate_handle_available
from .models import (
    REQUIRED_PURPOSES,
    ConsentPurpose,
    ConsentRecord,
    ErasureMode,
    PastHandle,
    PolicyVersion,
    User,
)
from .queries import consented_policy_version, current_policy


class NoPolicyPublished(RuntimeError):
    pass


def _policy() -> PolicyVersion:
    policy = current_policy()
    if policy is None:
        raise NoPolicyPublished(
            "No privacy notice is published: run manage.py migrate (accounts 0002)."
        )
    return policy


@transaction.atomic
def record_consents(
    *, user: User, granted: set[str], asked: set[str] | None = None, language: str
) -> list[ConsentRecord]:
    """Append one ledger row for each purpose in ``asked`` (default: all purposes).

    Purposes in ``granted`` are recorded as given, the rest of ``asked`` as withdrawn
    — but only where that changes the person's current state or the policy version,
    so the ledger shows decisions, not page views.
    """
    from .queries import consent_state

    policy = _policy()
    asked = set(asked if asked is not None else {p.value for p in ConsentPurpose})
    state = consent_state(user)
    now = timezone.now()
    written = []
    for purpose in sorted(asked):
        is_granted = purpose in granted
        current = state.get(purpose)
        if current is None and not is_granted:
            continue  # never asked before and not given: nothing to record
        if (
            current is not None
            and current.granted == is_granted
            and (not is_granted or current.policy_id == policy.pk)
        ):
            continue  # no change
        written.append(
            ConsentRecord.objects.create(
                user=user,
                purpose=purpose,
                granted=is_granted,
                policy=policy,
                language=language if language in dict(settings.LANGUAGES) else "sv",
                at=now,
            )
        )
    if written:
        _remember_consented_version(user)
    return written


def _remember_consented_version(user: User) -> None:
    """Keep ``User.consented_policy_version`` equal to what the ledger says."""
    version = consented_policy_version(user)
    User.objects.filter(pk=user.pk).update(consented_policy_version=version)
    user.consented_policy_version = version


@transaction.atomic
def withdraw_consent(*, user: User, purpose: str, language: str) -> ConsentRecord:
    """Withdraw one consent. Withdrawing a required one must be followed by closure;
    the view explains that and calls :func:`request_erasure` in the same step."""
    record = ConsentRecord.objects.create(
        user=user, purpose=purpose, granted=False, policy=_policy(), language=language
    )
    _remember_consented_version(user)
    return record


@transaction.atomic
def create_member(
    *,
    email: str,
    password: str,
    handle: str,
    language: str,
    presence: str = "other",
    bio: str = "",
    consents: set[str] | None = None,
    email_verified: bool = False,
    joined_at: datetime | None = None,
) -> User:
    """Create a member outside the sign-up form (demo data, imports, operators' tools):
    the handle is validated, the age and required consent recorded, and the address
    registered with allauth (verified only when the caller vouches for it)."""
    from allauth.account.models import EmailAddress

    handle = validate_handle_available(handle)
    user = User.objects.create_user(
        email, password, handle=handle, presence=presence, preferred_language=language,
        bio=bio, date_joined=joined_at or timezone.now(),
    )  # fmt: skip
    complete_signup(
        user=user,
        consents=consents or {ConsentPurpose.HEALTH_DATA.value},
        language=language,
        age_confirmed=True,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=email_verified, primary=True)
    return user


@transaction.atomic
def grant_site_staff(*, actor: User | None, user: User) -> User:
    """Make ``user`` site staff (moderation of the site queue, organisations, the
    admin). Refuses without a second factor, as every privileged role
    (``PermissionDenied``). Audited (``accounts.site_staff_granted``)."""
    from .permissions import check_mfa_for_privileged_role

    check_mfa_for_privileged_role(user)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.is_staff = True
    audit.record(actor=actor, action="accounts.site_staff_granted", target=user)
    return user


@transaction.atomic
def complete_signup(*, user: User, consents: set[str], language: str, age_confirmed: bool) -> None:
    """Record what the sign-up form collected besides the account itself."""
    if not age_confirmed:
        raise ValueError("age not confirmed")
    if not consents >= REQUIRED_PURPOSES:
        raise ValueError("required consent missing")
    User.objects.filter(pk=user.pk).update(age_confirmed_at=timezone.now())
    record_consents(user=user, granted=consents, language=language)


@transaction.atomic
def change_handle(*, user: User, handle: str) -> User:
    """Change the public handle; the old one stays reserved for ever."""
    handle = validate_handle_available(handle, user_id=user.pk)
    old, old_canonical = user.handle, user.handle_canonical
    new_canonical = canonical_handle(handle)
    if new_canonical != old_canonical:
        PastHandle.objects.get_or_create(
            handle_canonical=old_canonical, defaults={"handle": old, "user": user}
        )
    # A person may go back to one of their own past handles.
    PastHandle.objects.filter(user=user, handle_canonical=new_canonical).delete()
    user.handle, user.handle_canonical = handle, new_canonical
    user.save(update_fields=["handle", "handle_canonical", "updated_at"])
    return user


@transaction.atomic
def update_profile(
    *, user: User, bio: str, presence: str, preferred_language: str, profile_audience: str
) -> User:
    user.bio = bio.strip()
    user.presence = presence
    user.preferred_language = preferred_language
    user.profile_audience = profile_audience
    user.save(
        update_fields=["bio", "presence", "preferred_language", "profile_audience", "updated_at"]
    )
    return user


@transaction.atomic
def request_erasure(*, user: User, mode: str) -> User:
    """Schedule erasure after the grace period and stop the account being used.

    Effects: the profile disappears at once, the person is logged out by the view,
    and :func:`erase_account_task` runs after ``PV_ERASURE_GRACE_DAYS``. Logging in
    during the grace period offers to cancel.
    """
    if mode not in ErasureMode.values:
        raise ValueError(mode)
    user.erasure_requested_at = timezone.now()
    user.erasure_mode = mode
    user.save(update_fields=["erasure_requested_at", "erasure_mode", "updated_at"])
    audit.record(actor=user, action="accounts.erasure_requested", target=user, data={"mode": mode})
    user_pk, due = user.pk, erasure_due_at(user)
    transaction.on_commit(lambda: _schedule_erasure(user_pk, due))
    return user


def erasure_due_at(user: User) -> datetime:
    assert user.erasure_requested_at is not None
    return user.erasure_requested_at + timedelta(days=settings.PV_ERASURE_GRACE_DAYS)


def _schedule_erasure(user_pk: int, due: datetime) -> None:
    """Enqueue the erasure for when it is due. A backend that cannot defer tasks (the
    immediate backend in tests) leaves it to :func:`erase_due_accounts`, which the
    worker loop and a daily cron job also run, so a lost task never keeps data."""
    if due <= timezone.now():
        erase_account_task.enqueue(user_pk)
    elif erase_account_task.get_backend().supports_defer:
        erase_account_task.using(run_after=due).enqueue(user_pk)


def erase_due_accounts() -> int:
    """Erase every account whose grace period has passed. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.PV_ERASURE_GRACE_DAYS)
    erased = 0
    for user in User.objects.filter(erasure_requested_at__lte=cutoff):
        erase_account(user=user)
        erased += 1
    return erased


@transaction.atomic
def cancel_erasure(*, user: User) -> User:
    user.erasure_requested_at = None
    user.erasure_mode = ""
    user.save(update_fields=["erasure_requested_at", "erasure_mode", "updated_at"])
    audit.record(actor=user, action="accounts.erasure_cancelled", target=user)
    return user


def pseudonym_for(user_id: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{user_id}".encode()).hexdigest()[:10]
    return f"former-member-{digest}"


@transaction.atomic
def erase_account(*, user: User) -> None:
    """Erase the person now. Each app's eraser runs first; then the row is deleted,
    which sets authorship of anonymised content to NULL ("former member")."""
    mode = user.erasure_mode or ErasureMode.ANONYMISE
    for eraser in erasers().values():
        eraser(user, mode)
    pseudonym = pseudonym_for(user.pk)
    audit.pseudonymise_actor(user.pk, pseudonym)
    audit.pseudonymise_target(user, pseudonym)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=pseudonym)
    forget_email_tasks(user.email)
    # The current handle stays reserved like past ones: nobody may take the name the
    # person's kept posts were known by.
    PastHandle.objects.get_or_create(
        handle_canonical=user.handle_canonical, defaults={"handle": user.handle, "user": None}
    )
    audit.record(
        actor=None,
        action="accounts.erased",
        target=None,
        data={"pseudonym": pseudonym_for(user.pk), "mode": mode},
    )
    user.delete()


@task(queue_name="default")
def erase_account_task(user_pk: int) -> None:
    """Runs after the grace period; does nothing when the person cancelled."""
    user = User.objects.filter(pk=user_pk, erasure_requested_at__isnull=False).first()
    if user is None:
        return
    due = erasure_due_at(user)
    if timezone.now() < due:
        _schedule_erasure(user_pk, due)
        return
    erase_account(user=user)
