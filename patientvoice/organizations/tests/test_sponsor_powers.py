"""Role × action matrix: a sponsor funds without control (2001/83/EC art. 88,
decisions/0038). Its administrators and its "moderators" get no power from working for
it: they host nothing, and they cannot moderate, pin, lock, move, mark a best answer,
hide a post, decide a flag or a review dispute, edit guidelines or settings, write
moderators' notes, read a member's history, or jump the queue as trusted flaggers.
Rankings are computed from reviews alone; nobody can rank or feature by hand, so the
"featuring" powers that exist (pin, best answer, move) are in the table.

Each role holds its role in one organisation, has a second factor and (for the pages)
a session that used it. Places: ``own``, a community hosted by the person's
organisation (for a sponsor: a community left hosted by it, as old data or a slip in
the admin could leave it; the rules must hold even then), and ``funded``, a public
community hosted by a patient organisation and funded by the sponsor, in which the
sponsor's people are members. An advocacy organisation's moderator and site staff show
that the same requests succeed for roles that carry the power.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Post, Thread, Visibility
from patientvoice.communities.permissions import (
    can_mark_best_answer,
    can_moderate_community,
    can_read_community,
    move_targets,
    visible_communities,
)
from patientvoice.communities.tests.factories import CommunityFactory, PostFactory, ThreadFactory
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Action, ReasonCode
from patientvoice.moderation.permissions import (
    can_decide,
    can_moderate_anything,
    check_add_note,
    is_trusted_flagger,
)
from patientvoice.moderation.tests.factories import flagged
from patientvoice.organizations.models import Organization, StaffRole
from patientvoice.organizations.permissions import (
    can_edit_guidelines,
    can_host_communities,
    check_can_host,
)
from patientvoice.reviews import provider_actions
from patientvoice.reviews.tests.factories import clinic, review
from patientvoice.reviews.tests.provider_factories import approved_claim

from .factories import OrganizationFactory
from .sponsor_factories import sponsor, sponsorship_of, staff_of

pytestmark = pytest.mark.django_db

SPONSOR_ADMIN, SPONSOR_MODERATOR, ADVOCACY_MODERATOR, STAFF = (
    "sponsor_admin",
    "sponsor_moderator",
    "advocacy_moderator",
    "site_staff",
)

# What each role may do: "own" and "funded" name the place (see the docstring).
EXPECTED: dict[str, dict[str, bool]] = {
    SPONSOR_ADMIN: {},  # nothing at all
    SPONSOR_MODERATOR: {},
    ADVOCACY_MODERATOR: {
        "host a community": True,
        "read a private community it hosts (own)": True,
        **{
            f"{action} ({place})": True
            for action in (
                "moderate",
                "pin",
                "lock",
                "move a thread",
                "mark a best answer",
                "hide a post",
                "decide a flag",
                "edit the guidelines",
            )
            for place in ("own", "funded")
        },
        "write a moderators' note": True,
        "read a member's history": True,
        "jump the queue as a trusted flagger": True,
    },
}
EXPECTED[STAFF] = {**EXPECTED[ADVOCACY_MODERATOR], "decide a review dispute": True}
EXPECTED[STAFF].pop("host a community")  # staff hold no organisation
EXPECTED[STAFF].pop("jump the queue as a trusted flagger")
ACTIONS = sorted(
    {
        "host a community",
        "read a private community it hosts (own)",
        "write a moderators' note",
        "read a member's history",
        "jump the queue as a trusted flagger",
        "decide a review dispute",
        *EXPECTED[ADVOCACY_MODERATOR],
    }
)


@dataclass
class Place:
    community: Community
    thread: Thread  # by a member, with a reply by another
    reply: Post
    moved_to: Community  # a sibling of the same host


def _place(host: Organization, visibility: str = Visibility.PUBLIC) -> Place:
    community = CommunityFactory.create(organization=host, visibility=visibility)
    thread = ThreadFactory.create(community=community)
    reply = PostFactory.create(thread=thread)
    sibling = CommunityFactory.create(organization=host)
    return Place(community, thread, reply, sibling)


def _left_hosted_by(organization: Organization) -> Place:
    """A private community hosted by ``organization`` (a sponsor): made under a patient
    organisation, then moved to the sponsor by a direct update, as the admin or old data
    could; the triggers and the actions refuse every honest way."""
    stand_in = OrganizationFactory.create()
    place = _place(stand_in, Visibility.PRIVATE)
    Community.objects.filter(organization=stand_in).update(organization=organization)
    place.community.refresh_from_db()
    place.moved_to.refresh_from_db()
    return place


@dataclass
class World:
    person: User
    organization: Organization | None
    own: Place | None
    funded: Place


def _world(role: str) -> World:
    funder = sponsor()
    patients = OrganizationFactory.create(name="Diabetesförbundet")
    funded = _place(patients)
    sponsorship_of(funder, funded.community)
    if role in (SPONSOR_ADMIN, SPONSOR_MODERATOR):
        person = staff_of(
            funder, role=StaffRole.ADMIN if role == SPONSOR_ADMIN else StaffRole.MODERATOR
        )
        community_actions.join_community(user=person, community=funded.community)
        return World(person, funder, _left_hosted_by(funder), funded)
    if role == ADVOCACY_MODERATOR:
        person = staff_of(patients, role=StaffRole.MODERATOR)
        return World(person, patients, _place(patients, Visibility.PRIVATE), funded)
    staff = StaffFactory.create()
    log_in_with_mfa(Client(), staff)
    return World(staff, None, _place(patients, Visibility.PRIVATE), funded)


def _post_status(client: Client, url: str, data: dict[str, Any]) -> int:
    return int(client.post(url, data).status_code)


def _outcomes(w: World) -> dict[str, bool]:
    person, client = w.person, Client()
    log_in_with_mfa(client, person)
    staff = StaffFactory.create()
    log_in_with_mfa(Client(), staff)
    found: dict[str, bool] = {}
    if w.organization is not None:
        found["host a community"] = can_host_communities(w.organization)
        moderation_actions.designate_trusted_flagger(actor=staff, organization=w.organization)
        found["jump the queue as a trusted flagger"] = is_trusted_flagger(person)
    places = {"funded": w.funded, **({"own": w.own} if w.own is not None else {})}
    for name, place in places.items():
        community, thread = place.community, place.thread
        args = [community.slug, thread.public_id]
        found[f"moderate ({name})"] = can_moderate_community(person, community)
        found[f"edit the guidelines ({name})"] = can_edit_guidelines(person, community)
        found[f"mark a best answer ({name})"] = can_mark_best_answer(person, thread)
        found[f"move a thread ({name})"] = move_targets(person, thread).exists()
        flag_case = flagged(place.reply)
        found[f"decide a flag ({name})"] = can_decide(person, flag_case)
        for action in ("pin", "lock"):
            status = _post_status(
                client, reverse("communities:moderate", args=args), {"action": action}
            )
            thread.refresh_from_db()
            changed = thread.is_pinned if action == "pin" else thread.is_locked
            found[f"{action} ({name})"] = status == 302 and changed
        try:
            moderation_actions.decide(
                moderator=person,
                case=flag_case,
                action=Action.HIDE,
                reason_code=ReasonCode.COMMUNITY_GUIDELINES,
                explanation="Off topic.",
            )
        except PermissionDenied:
            found[f"hide a post ({name})"] = False
        else:
            place.reply.refresh_from_db()
            found[f"hide a post ({name})"] = place.reply.status == "hidden"
    if w.own is not None:
        found["read a private community it hosts (own)"] = (
            can_read_community(person, w.own.community)
            and visible_communities(
                person, Community.objects.filter(pk=w.own.community.pk)
            ).exists()
        )
    try:
        check_add_note(person, w.organization)
    except PermissionDenied:
        found["write a moderators' note"] = False
    else:
        found["write a moderators' note"] = True
    found["read a member's history"] = can_moderate_anything(person)
    place_reviewed = clinic()
    rated = review(place_reviewed, author=UserFactory.create(), body="De svarar aldrig.")
    claim = approved_claim(place_reviewed)
    dispute = provider_actions.dispute_review(
        provider=claim.user, review=rated, reason="factually_wrong", text="Fel."
    )
    found["decide a review dispute"] = can_decide(person, dispute.case)
    return found


@pytest.mark.parametrize("role", [SPONSOR_ADMIN, SPONSOR_MODERATOR, ADVOCACY_MODERATOR, STAFF])
def test_each_role_gets_exactly_the_powers_in_the_table(role: str) -> None:
    outcomes = _outcomes(_world(role))

    expected = {action: EXPECTED[role].get(action, False) for action in outcomes}
    assert outcomes == expected
    assert set(outcomes) <= set(ACTIONS)


def test_a_sponsor_cannot_be_given_a_community_to_host() -> None:
    funder = sponsor()

    assert not can_host_communities(funder)
    with pytest.raises(ValidationError):
        check_can_host(funder)
    check_can_host(OrganizationFactory.create())  # any other kind may host
