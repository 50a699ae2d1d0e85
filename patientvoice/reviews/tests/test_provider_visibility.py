"""The visibility matrix for reviews and the provider's voice: for every kind of reader,
a held or hidden review, a held or hidden reply, a claim's evidence, a dispute's private
texts and a review notice reach exactly the people they are for, on every surface
registered in reviews/testing.py (and search's, for reviews)."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see, surfaces_for
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.reviews import actions, provider_actions
from patientvoice.reviews.models import (
    ProviderClaim,
    Review,
    ReviewDispute,
    ReviewNotice,
    ReviewReply,
)

from .factories import UserFactory, acting_staff, clinic, new_member, physician, review
from .provider_factories import approved_claim, reply

pytestmark = pytest.mark.django_db

READERS = ("visitor", "member", "reviewer", "provider", "staff")

REVIEW_BODY = "Mottagningen ringde tillbaka samma dag och läkaren lyssnade noga."
REPLY_BODY = "Tack för att du berättar, vi har förlängt telefontiderna på morgonen."
EVIDENCE = "Ring växeln 040-123 45 och fråga efter verksamhetschefen Eriksson."
DISPUTE_TEXT = "Personen har aldrig varit patient hos oss enligt journalsystemet."
ANSWER = "Jag var där i mars med min mamma som var patient på mottagningen."


class World:
    """One clinic, its reviewer, its approved representative and the other readers."""

    def __init__(self, entry: Any | None = None) -> None:
        self.entry = entry or clinic()
        self.reviewer = UserFactory.create()
        self.claim = approved_claim(self.entry)
        self.provider = self.claim.user
        self.member = UserFactory.create()
        self.staff = acting_staff()

    def reader(self, role: str) -> User | None:
        return None if role == "visitor" else getattr(self, role)


def _check(world: World, obj: Any, may_see: set[str]) -> None:
    for role in READERS:
        if role in may_see:
            assert_can_see(world.reader(role), obj)
        else:
            assert_cannot_see(world.reader(role), obj)


@pytest.fixture(params=["clinic", "physician"])
def world(request) -> World:
    return World(clinic() if request.param == "clinic" else physician())


# --- the surfaces are registered and collected with the other apps' ------------------


def test_reviews_and_the_provider_pages_are_registered_surfaces():
    names = {
        model: {surface.name for surface in surfaces_for(model)}
        for model in (Review, ReviewReply, ProviderClaim, ReviewDispute, ReviewNotice)
    }

    assert {"reviews.entry_page", "api.review", "api.entry_reviews", "search.page"} <= names[Review]
    assert {"reviews.entry_page", "api.review_reply"} <= names[ReviewReply]
    assert {
        "reviews.claim_list",
        "api.provider_claims_queue",
        "api.provider_claims",
        "reviews.entry_page",
        "reviews.claim_form",
        "reviews.notices",
    } <= names[ProviderClaim]
    assert {"moderation.case_page", "reviews.dispute_context", "reviews.notices"} <= names[
        ReviewDispute
    ]
    assert names[ReviewNotice] == {"reviews.notices"}


# --- reviews -------------------------------------------------------------------------------


def test_a_published_review_reaches_everyone(world):
    published = review(world.entry, author=world.reviewer, body=REVIEW_BODY)

    _check(world, published, set(READERS))


def test_a_held_review_reaches_its_author_and_staff_only(world):
    world.reviewer = new_member()  # a new account's review waits for a moderator
    held = review(world.entry, author=world.reviewer, body=REVIEW_BODY)
    assert held.status == ContentStatus.HELD

    _check(world, held, {"reviewer", "staff"})


def test_a_hidden_review_reaches_its_author_and_staff_only(world):
    hidden = review(world.entry, author=world.reviewer, body=REVIEW_BODY)
    actions.set_review_status(hidden, ContentStatus.HIDDEN)

    _check(world, hidden, {"reviewer", "staff"})


# --- replies -------------------------------------------------------------------------------


def test_a_published_reply_reaches_everyone(world):
    answer = reply(review(world.entry, author=world.reviewer), world.claim, body=REPLY_BODY)

    _check(world, answer, set(READERS))


def test_a_hidden_reply_reaches_its_author_and_staff_only(world):
    answer = reply(review(world.entry, author=world.reviewer), world.claim, body=REPLY_BODY)
    provider_actions.set_reply_status(answer, ContentStatus.HIDDEN)

    _check(world, answer, {"provider", "staff"})


def test_a_held_reply_reaches_its_author_and_staff_only(world):
    answer = reply(
        review(world.entry, author=world.reviewer),
        world.claim,
        body=f"{REPLY_BODY} Ring mig på 070-123 45 67.",
    )
    assert answer.status == ContentStatus.HELD

    _check(world, answer, {"provider", "staff"})


def test_a_reply_under_a_hidden_review_reaches_only_staff_and_its_author(world):
    rated = review(world.entry, author=world.reviewer)
    answer = reply(rated, world.claim, body=REPLY_BODY)
    actions.set_review_status(rated, ContentStatus.HIDDEN)

    assert_can_see(world.staff, answer)
    for role in ("visitor", "member"):
        assert_cannot_see(world.reader(role), answer)


# --- claims --------------------------------------------------------------------------------


def test_a_pending_claims_evidence_reaches_only_the_claimant_and_staff(world):
    # A physician's claim needs a second factor; a clinic's does not.
    claimant = with_second_factor(UserFactory.create())
    world.member = claimant
    pending = provider_actions.request_claim(
        user=claimant, entry=world.entry, role="Chef", evidence=EVIDENCE
    )

    _check(world, pending, {"member", "staff"})


def test_an_approved_claims_evidence_never_reaches_the_entrys_page_or_its_readers():
    place = clinic()
    world = World(place)
    speaking = provider_actions.request_claim(
        user=world.member, entry=place, role="Receptionist", evidence=EVIDENCE
    )
    provider_actions.decide_claim(staff=world.staff, claim=speaking, approve=True, reason="Ja.")
    speaking.refresh_from_db()

    _check(world, speaking, {"member", "staff"})


def test_a_revoked_claim_stays_with_its_claimant_and_staff():
    world = World()
    provider_actions.revoke_claim(staff=world.staff, claim=world.claim, reason="Slutat.")
    ProviderClaim.objects.filter(pk=world.claim.pk).update(evidence=EVIDENCE)
    world.claim.refresh_from_db()

    _check(world, world.claim, {"provider", "staff"})


# --- disputes ------------------------------------------------------------------------------


def _dispute(world: World, *, answered: bool) -> ReviewDispute:
    rated = review(world.entry, author=world.reviewer, body=REVIEW_BODY)
    dispute = provider_actions.dispute_review(
        provider=world.provider, review=rated, reason="not_a_patient", text=DISPUTE_TEXT
    )
    dispute = provider_actions.ask_reviewer_for_context(
        moderator=world.staff, dispute=dispute, question="Berätta när du var där."
    )
    if answered:
        dispute = provider_actions.answer_dispute_context(
            reviewer=world.reviewer, dispute=dispute, answer=ANSWER
        )
    return dispute


def test_a_disputes_private_texts_reach_the_moderators_only(world):
    dispute = _dispute(world, answered=True)

    # The provider never reads the reviewer's answer; the reviewer never reads the
    # provider's explanation; visitors and members read neither.
    _check(world, dispute, {"staff"})


def test_the_reviewer_is_asked_without_seeing_the_providers_explanation(world):
    dispute = _dispute(world, answered=False)

    assert_cannot_see(world.reviewer, dispute)
    assert_can_see(world.staff, dispute)


# --- notices -------------------------------------------------------------------------------


def test_a_review_notice_reaches_its_recipient_only(world):
    claim = provider_actions.request_claim(
        user=world.member, entry=clinic(), role="Chef", evidence=""
    )
    provider_actions.decide_claim(
        staff=world.staff,
        claim=claim,
        approve=False,
        reason="Vi kunde inte nå kliniken på numret du angav i ansökan.",
    )
    notice = ReviewNotice.objects.get(recipient=world.member)

    _check(world, notice, {"member"})
