"""Generated communities (public 70 %, members-only 20 %, private 10 %, most hosted
by an organisation, tagged with conditions) and who belongs to them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.text import slugify

from patientvoice.communities.models import Community, Membership, Visibility
from patientvoice.directory.models import Condition
from patientvoice.organizations.models import Organization

from .bulk import Table, next_id
from .people import People
from .shape import Zipf, moment, uuid_from

# Repeats every ten communities, so even a tiny run has every kind.
VISIBILITY_PATTERN = [
    Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE, Visibility.PUBLIC,
    Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PUBLIC, Visibility.PUBLIC,
    Visibility.PUBLIC, Visibility.PUBLIC,
]  # fmt: skip
SV_NAMES = ["Leva med {c}", "{c} – stöd och tips", "Anhöriga: {c}", "Nydiagnostiserad med {c}",
            "{c} och arbetslivet", "Unga med {c}"]  # fmt: skip
EN_NAMES = ["Living with {c}", "{c}: support and tips", "Carers: {c}", "Newly diagnosed: {c}",
            "{c} and work", "Young people with {c}"]  # fmt: skip


@dataclass
class Place:
    pk: int
    slug: str
    language: str
    visibility: str
    created_at: datetime


@dataclass
class Communities:
    places: list[Place] = field(default_factory=list)
    # (user id, community id): every membership, joined as the run goes.
    memberships: dict[tuple[int, int], datetime] = field(default_factory=dict)
    popularity: Zipf | None = None

    def join(self, user_id: int, community: int, at: datetime) -> None:
        key = (user_id, community)
        if key not in self.memberships or self.memberships[key] > at:
            self.memberships[key] = at


def make_communities(
    rng: random.Random, count: int, tag: str, until: datetime,
    organizations: list[Organization], conditions: list[Condition],
) -> Communities:  # fmt: skip
    first = next_id(Community)
    table = Table(
        Community,
        ["id", "public_id", "created_at", "updated_at", "organization", "name", "slug",
         "description", "teaser", "language", "visibility", "join_questions",
         "accepts_requests", "member_count", "thread_count"],
    )  # fmt: skip
    tags = Table(Community.conditions.through, ["community_id", "condition_id"])
    result = Communities(popularity=Zipf(count, 0.9))
    for n in range(count):
        pk = first + n
        language = "sv" if rng.random() < 0.7 else "en"
        condition = rng.choice(conditions) if conditions else None
        cname = (
            (condition.name_sv if language == "sv" else condition.name_en) if condition else "hälsa"
        )
        name = rng.choice(SV_NAMES if language == "sv" else EN_NAMES).format(c=cname)
        name = (name[:1].upper() + name[1:])[:110] + f" {n + 1}"
        slug = slugify(f"{tag}-{name}")[:80]
        visibility = VISIBILITY_PATTERN[n % len(VISIBILITY_PATTERN)]
        host = rng.choice(organizations) if organizations and rng.random() < 0.85 else None
        created = moment(rng, until, recent_bias=0.8)
        description = (
            f"En gemenskap för dig som lever med {cname} eller står någon nära som gör det."
            if language == "sv"
            else f"A community for people living with {cname} and those close to them."
        )
        table.add(
            (pk, uuid_from(rng), created, created, host.pk if host else None, name, slug,
             description, description[:300], language, visibility, "", True, 0, 0)
        )  # fmt: skip
        if condition is not None:
            tags.add((pk, condition.pk))
        result.places.append(Place(pk, slug, language, visibility, created))
    table.flush()
    tags.flush()
    return result


def make_memberships(
    rng: random.Random, people: People, communities: Communities, progress: object
) -> None:
    """Most people join a few communities (popular ones more often); writers have
    joined where they write already."""
    places = communities.places
    popularity = communities.popularity
    assert popularity is not None
    for i, user_id in enumerate(people.ids):
        wanted = 1 + int(rng.expovariate(0.5))
        if rng.random() < 0.05:
            wanted = 0
        for _ in range(wanted):
            place = places[popularity.draw(rng)]
            joined = max(place.created_at, people.joined[user_id])
            communities.join(user_id, place.pk, joined)
        if i % 20000 == 19999:
            progress(i + 1, len(people.ids))  # type: ignore[operator]


def write_memberships(communities: Communities, progress: object) -> dict[int, int]:
    """Writes every membership; returns the member count per community."""
    table = Table(Membership, ["id", "created_at", "updated_at", "community", "user", "role"])
    first = next_id(Membership)
    counts: dict[int, int] = {}
    total = len(communities.memberships)
    for n, ((user_id, community), at) in enumerate(sorted(communities.memberships.items())):
        table.add((first + n, at, at, community, user_id, "member"))
        counts[community] = counts.get(community, 0) + 1
        if n % 50000 == 49999:
            progress(n + 1, total)  # type: ignore[operator]
    table.flush()
    progress(total, total)  # type: ignore[operator]
    return counts
