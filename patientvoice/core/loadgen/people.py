"""Generated members (usable accounts: verified address, consent given, one known
password) and the organisations that host communities."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import ConsentPurpose, ConsentRecord, Presence, User
from patientvoice.accounts.queries import current_policy
from patientvoice.organizations.models import Organization, OrganizationKind

from .bulk import Table, next_id
from .shape import moment, uuid_from

# Every generated address is under a reserved name (RFC 2606): no mail can leave.
DOMAIN = "load.patientvoice.test"
LOAD_PASSWORD = "load-password-2026"  # noqa: S105 - documented load-test login, never production

FIRST_NAMES = {
    "sv": str.split("Anna Erik Maria Lars Karin Johan Eva Anders Sara Per Lena Nils Emma Olof"
                    " Ingrid Magnus Elin Sven Frida Gustav Maja Oskar Kerstin Ali Fatima"),
    "en": str.split("Alice James Mary John Sarah David Emma Michael Laura Daniel Olivia Tom"
                    " Grace Peter Chloe Sam Ruth Mark Zoe Paul"),
}  # fmt: skip
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTUVW"
PRESENCES = (
    [Presence.PATIENT] * 6 + [Presence.CAREGIVER] * 2 + [Presence.OTHER, Presence.PROFESSIONAL]
)


@dataclass
class People:
    """Ids of the generated members, in the order of how much they write (the first
    ones write most; ``active`` is how many ever write at all)."""

    ids: list[int] = field(default_factory=list)
    language: dict[int, str] = field(default_factory=dict)
    joined: dict[int, datetime] = field(default_factory=dict)
    active: int = 0


def make_members(
    rng: random.Random, count: int, tag: str, until: datetime, progress: object
) -> People:
    """``count`` members: Swedish-speaking 70 %, joined over the forum's life, every
    one able to log in with ``LOAD_PASSWORD``. One password hash for all: hashing
    100,000 passwords would take longer than the rest of the load."""
    password = make_password(LOAD_PASSWORD)
    policy = current_policy()
    users = Table(
        User,
        ["id", "public_id", "email", "handle", "handle_canonical", "bio", "presence",
         "preferred_language", "profile_audience", "age_confirmed_at", "is_staff", "is_active",
         "is_trusted", "date_joined", "updated_at", "published_count", "erasure_mode",
         "consented_policy_version", "holds_organization_role", "password", "is_superuser"],
    )  # fmt: skip
    addresses = Table(EmailAddress, ["id", "user", "email", "verified", "primary"])
    consents = Table(
        ConsentRecord, ["id", "user", "purpose", "granted", "policy", "language", "at"]
    )
    first_user, first_address, first_consent = (
        next_id(User), next_id(EmailAddress), next_id(ConsentRecord),
    )  # fmt: skip
    people = People(active=max(1, int(count * 0.3)))
    for n in range(count):
        pk = first_user + n
        language = "sv" if rng.random() < 0.7 else "en"
        name = rng.choice(FIRST_NAMES[language])
        handle = f"{name}{rng.choice(LAST_INITIALS)}_{tag}{n}"[:30]
        email = f"{tag}-m{n}@{DOMAIN}"
        joined = moment(rng, until - timedelta(days=30), recent_bias=1.5)
        users.add(
            (pk, uuid_from(rng), email, handle, canonical_handle(handle), "",
             rng.choice(PRESENCES), language, "members", joined, False, True, False, joined,
             joined, 0, "", policy.version if policy else None, False, password, False)
        )  # fmt: skip
        addresses.add((first_address + n, pk, email, True, True))
        if policy is not None:
            consents.add(
                (first_consent + n, pk, ConsentPurpose.HEALTH_DATA, True, policy.pk, language,
                 joined)
            )  # fmt: skip
        people.ids.append(pk)
        people.language[pk] = language
        people.joined[pk] = joined
        if n % 5000 == 4999:
            progress(n + 1, count)  # type: ignore[operator]
    for table in (users, addresses, consents):
        table.flush()
    progress(count, count)  # type: ignore[operator]
    return people


def make_organizations(
    rng: random.Random, count: int, tag: str, until: datetime
) -> list[Organization]:
    """Patient organisations that host communities (verified, no staff)."""
    regions = ["Norr", "Syd", "Väst", "Öst", "Mitt", "Stockholm", "Skåne", "Gotland"]
    causes = ["Diabetes", "Reuma", "Hjärt-Lung", "Astma", "Migrän", "Psykisk hälsa", "Cancer",
              "Njur", "Epilepsi", "Parkinson", "Celiaki", "Allergi"]  # fmt: skip
    organizations = []
    for n in range(count):
        name = f"{rng.choice(causes)}föreningen {rng.choice(regions)} {n + 1}"
        organizations.append(
            Organization(
                public_id=uuid_from(rng),
                name=name,
                slug=slugify(f"{tag}-{name}")[:80],
                kind=OrganizationKind.ADVOCACY,
                language="sv",
                verified_at=until,
                description="En patientförening för medlemmar och anhöriga.",
            )
        )
    return Organization.objects.bulk_create(organizations, batch_size=1000)
