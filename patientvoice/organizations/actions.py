"""Writes about organisations and their staff."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role
from patientvoice.core import audit
from patientvoice.core.images import (
    LOGO,
    ProcessedImage,
    StoredImage,
    discard_stored,
    replace_picture,
    store_image,
)
from patientvoice.core.slugs import free_slug

from . import sponsor_fence
from .models import Organization, OrganizationKind, OrganizationStaff, StaffRole
from .sponsorship_queries import forget_sponsor_labels, forget_sponsorships

# Paths under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = frozenset({"manage", "new", "funding"})
# What an organisation's administrators may change on its page.
EDITABLE_FIELDS = (
    "name",
    "description",
    "language",
    "website",
    "contact_email",
    "registration_number",
    "funding",
    # A sponsor's only (the form offers it to sponsors): where members' private
    # questions go (medical_information).
    "medical_information_email",
)
# What site staff check when they verify an organisation (decisions/0024): a change to
# any of them takes the verified badge away until staff check again. The website and
# the contact address count too: a verified page pointing patients to a new site or
# inbox is exactly what an impostor who took over an account would change.
IDENTITY_FIELDS = ("name", "registration_number", "website", "contact_email")
# The audit reason when an edit takes the badge away.
IDENTITY_CHANGED = "identity changed"


@transaction.atomic
def create_organization(
    *,
    actor: User | None,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    verified: bool = False,
    slug: str = "",
    language: str = "sv",
    contact_email: str = "",
    registration_number: str = "",
    funding: str = "",
) -> Organization:
    """Register an organisation; audited. Without ``slug`` one is made from ``name``
    that no other organisation uses (two "Diabetesföreningen" must both get a page),
    and that is not one of the pages under /organisations/ (``RESERVED_SLUGS``).
    ``verified=True`` verifies it at once, by ``actor``."""
    slug = slug or free_slug(Organization, name, fallback="organisation")
    if slug in RESERVED_SLUGS:
        slug = free_slug(Organization, f"{slug}-organisation", fallback="organisation")
    org = Organization.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        description=description,
        website=website,
        language=language,
        contact_email=contact_email,
        registration_number=registration_number,
        funding=funding,
        verified_at=timezone.now() if verified else None,
        verified_by=actor if verified and actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor, action="organizations.created", target=org,
        data={"kind": kind, "verified": verified},
    )  # fmt: skip
    return org


@transaction.atomic
def verify_organization(*, actor: User, organization: Organization, reason: str = "") -> bool:
    """Mark the organisation verified by ``actor`` (site staff with their powers
    active: the caller checks). Effects: ``verified_at``/``verified_by`` set, audited
    with ``reason`` (how it was checked). Already verified: nothing changes, returns
    False."""
    if organization.verified_at is not None:
        return False
    organization.verified_at = timezone.now()
    organization.verified_by = actor
    organization.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit.record(actor=actor, action="organizations.verified", target=organization, reason=reason)
    return True


@transaction.atomic
def withdraw_verification(*, actor: User, organization: Organization, reason: str = "") -> bool:
    """Take the verified badge away. Preconditions: ``actor`` is site staff with their
    powers active (the caller checks), or edited the organisation's identity
    (``update_organization`` calls this). Audited with ``reason``. Not verified:
    nothing changes, returns False."""
    if organization.verified_at is None:
        return False
    organization.verified_at = None
    organization.verified_by = None
    organization.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit.record(
        actor=actor,
        action="organizations.verification_withdrawn",
        target=organization,
        reason=reason,
    )
    return True


@transaction.atomic
def update_organization(*, actor: User, organization: Organization, **changes: str) -> list[str]:
    """Change what the organisation's page says. Preconditions: ``actor`` may edit the
    organisation (its administrator with powers active, or site staff: the caller
    checks); only ``EDITABLE_FIELDS`` are accepted (the kind, the slug and the
    verification are not the organisation's to change). Effects: the changed fields
    saved and audited by name; when one of ``IDENTITY_FIELDS`` changed on a verified
    organisation, its verification is withdrawn (audited with the reason
    ``IDENTITY_CHANGED``), whoever edits, site staff included: they verify again on
    the staff page, with their reason on record. Returns the names of the changed
    fields."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(organization, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(organization, name, changes[name])
    organization.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor, action="organizations.updated", target=organization,
        data={"fields": changed},
    )  # fmt: skip
    if set(changed) & set(IDENTITY_FIELDS):
        withdraw_verification(actor=actor, organization=organization, reason=IDENTITY_CHANGED)
    if organization.kind == OrganizationKind.SPONSOR and "name" in changed:
        _forget_sponsor_caches()
    return changed


def _forget_sponsor_caches() -> None:
    """A sponsor's name is in the funding notices and its staff's labels: both are
    read again after commit (decisions/0038)."""
    transaction.on_commit(forget_sponsorships)
    transaction.on_commit(forget_sponsor_labels)


@dataclass(frozen=True)
class PageEdit:
    """What :func:`edit_organization_page` changed."""

    changed_fields: list[str] = field(default_factory=list)
    logo_changed: bool = False
    verification_withdrawn: bool = False


@transaction.atomic
def edit_organization_page(
    *,
    actor: User,
    organization: Organization,
    fields: dict[str, str],
    logo: ProcessedImage | None = None,
    remove_logo: bool = False,
) -> PageEdit:
    """Save the page form as one change: its text (``update_organization``) and its
    logo (a new ``logo``, already made safe by ``core.images.process_image``, or
    ``remove_logo``; a new logo wins). Preconditions as ``update_organization``.

    The picture is stored first: when the storage fails,
    ``core.images.ImageNotStored`` is raised before anything is written, so the text
    is not half saved either. When a database write fails after the picture was
    stored, the new file is deleted again. Effects and audit as the two actions."""
    stored = store_image(logo, spec=LOGO) if logo is not None else None
    try:
        was_verified = organization.verified_at is not None
        changed = update_organization(actor=actor, organization=organization, **fields)
        logo_changed = False
        if stored is not None:
            logo_changed = _replace_logo(actor=actor, organization=organization, stored=stored)
        elif remove_logo:
            logo_changed = _replace_logo(actor=actor, organization=organization, stored=None)
    except BaseException:
        if stored is not None:
            discard_stored(stored.name)
        raise
    return PageEdit(
        changed_fields=changed,
        logo_changed=logo_changed,
        verification_withdrawn=was_verified and organization.verified_at is None,
    )


@transaction.atomic
def set_organization_logo(
    *, actor: User | None, organization: Organization, image: ProcessedImage | None
) -> None:
    """Replace the organisation's logo with ``image`` (already made safe by
    ``core.images.process_image``), or remove it with ``None``. Preconditions as
    ``update_organization``. Effects: the new picture stored under a new name, the row
    updated, the old picture deleted after commit (so a rolled-back change keeps it);
    audited. Raises ``core.images.ImageNotStored`` when the storage fails, before
    anything is written."""
    stored = store_image(image, spec=LOGO) if image is not None else None
    try:
        _replace_logo(actor=actor, organization=organization, stored=stored)
    except BaseException:
        if stored is not None:
            discard_stored(stored.name)
        raise


def _replace_logo(
    *, actor: User | None, organization: Organization, stored: StoredImage | None
) -> bool:
    """The row's part of a logo change (inside the caller's transaction)."""
    if not replace_picture(organization, "logo", stored):
        return False
    audit.record(
        actor=actor,
        action="organizations.logo_changed" if stored is not None else "organizations.logo_removed",
        target=organization,
    )
    return True


@transaction.atomic
def add_staff(
    *, actor: User | None, organization: Organization, user: User, role: str
) -> OrganizationStaff:
    """Give ``user`` a role. Raises PermissionDenied when ``user`` has no second factor,
    or would work for a sponsor and hold powers at once (``sponsor_fence``)."""
    check_mfa_for_privileged_role(user)
    if organization.kind == OrganizationKind.SPONSOR:
        sponsor_fence.check_may_join_sponsor(user)
    else:
        sponsor_fence.check_may_hold_powers(user)
    staff, _ = OrganizationStaff.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    User.objects.filter(pk=user.pk).update(holds_organization_role=True)
    user.holds_organization_role = True
    if organization.kind == OrganizationKind.SPONSOR:
        transaction.on_commit(forget_sponsor_labels)  # labelled from the next request
    audit.record(
        actor=actor,
        action="organizations.staff_added",
        target=organization,
        data={"user": str(user.public_id), "role": role},
    )
    return staff


class LastAdministrator(ValueError):
    """An organisation must keep at least one administrator."""


@transaction.atomic
def remove_staff(*, actor: User | None, organization: Organization, user: User) -> bool:
    """Take away ``user``'s role. Refuses to remove the last administrator."""
    staff = OrganizationStaff.objects.filter(organization=organization, user=user).first()
    if staff is None:
        return False
    admins = OrganizationStaff.objects.filter(organization=organization, role=StaffRole.ADMIN)
    if staff.role == StaffRole.ADMIN and admins.count() <= 1:
        raise LastAdministrator(organization.slug)
    staff.delete()
    holds = OrganizationStaff.objects.filter(user=user).exists()
    User.objects.filter(pk=user.pk).update(holds_organization_role=holds)
    user.holds_organization_role = holds
    if organization.kind == OrganizationKind.SPONSOR:
        transaction.on_commit(forget_sponsor_labels)
    audit.record(
        actor=actor, action="organizations.staff_removed", target=organization,
        data={"user": str(user.public_id), "role": staff.role},
    )  # fmt: skip
    return True
