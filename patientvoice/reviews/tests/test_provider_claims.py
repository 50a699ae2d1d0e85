"""Claims: requesting, staff's decision (audited, the claimant told), and what an
approved claim does to conflicts of interest (the claims matrix)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from patientvoice.core.models import AuditEntry
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.reviews import provider_actions
from patientvoice.reviews.errors import (
    ClaimDecided,
    ClaimError,
    ClaimExists,
    ClaimNeedsMfa,
    ConflictKnown,
)
from patientvoice.reviews.models import ClaimStatus, NoticeKind, ReviewNotice
from patientvoice.reviews.permissions import can_review, known_conflict

from .factories import StaffFactory, UserFactory, acting_staff, clinic, medicine, physician, submit
from .provider_factories import approved_claim

pytestmark = pytest.mark.django_db


def test_a_physicians_claim_needs_two_step_verification():
    doctor = physician()
    member = UserFactory.create()

    with pytest.raises(ClaimNeedsMfa):
        provider_actions.request_claim(user=member, entry=doctor, role="Jag är läkaren")
    claim = provider_actions.request_claim(
        user=with_second_factor(member), entry=doctor, role="Jag är läkaren"
    )

    assert claim.status == ClaimStatus.PENDING
    assert claim.physician == doctor


def test_a_clinic_representative_claims_without_two_step_verification():
    claim = provider_actions.request_claim(
        user=UserFactory.create(), entry=clinic(), role="Verksamhetschef", evidence="Ring växeln"
    )

    assert claim.status == ClaimStatus.PENDING
    assert AuditEntry.objects.filter(action="reviews.claim_requested").count() == 1


def test_a_second_claim_on_the_same_page_is_refused_while_the_first_is_live():
    place, member = clinic(), UserFactory.create()
    provider_actions.request_claim(user=member, entry=place, role="Chef")

    with pytest.raises(ClaimExists):
        provider_actions.request_claim(user=member, entry=place, role="Chef")


def test_a_claim_without_a_role_or_on_a_medicine_is_refused():
    with pytest.raises(ClaimError):
        provider_actions.request_claim(user=UserFactory.create(), entry=clinic(), role="  ")
    with pytest.raises(Http404):
        provider_actions.request_claim(user=UserFactory.create(), entry=medicine(), role="Maker")


def test_staff_approve_with_a_reason_audited_and_the_claimant_is_told():
    claim = provider_actions.request_claim(user=UserFactory.create(), entry=clinic(), role="Chef")

    decided = provider_actions.decide_claim(
        staff=acting_staff(), claim=claim, approve=True, reason="Verified by phone."
    )

    assert decided.status == ClaimStatus.APPROVED
    assert decided.decided_at is not None
    entry = AuditEntry.objects.get(action="reviews.claim_approved")
    assert entry.reason == "Verified by phone."
    notice = ReviewNotice.objects.get(recipient=claim.user)
    assert notice.kind == NoticeKind.CLAIM_APPROVED
    assert notice.text == "Verified by phone."


def test_a_rejection_needs_a_reason_and_a_claim_is_decided_once():
    claim = provider_actions.request_claim(user=UserFactory.create(), entry=clinic(), role="Chef")
    staff = acting_staff()

    with pytest.raises(ClaimError):
        provider_actions.decide_claim(staff=staff, claim=claim, approve=False, reason="")
    provider_actions.decide_claim(staff=staff, claim=claim, approve=False, reason="Not found.")
    with pytest.raises(ClaimDecided):
        provider_actions.decide_claim(staff=staff, claim=claim, approve=True, reason="Oops")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert ReviewNotice.objects.get(recipient=claim.user).kind == NoticeKind.CLAIM_REJECTED


def test_members_and_staff_without_a_second_factor_cannot_decide_claims():
    claim = provider_actions.request_claim(user=UserFactory.create(), entry=clinic(), role="Chef")

    for person in (UserFactory.create(), StaffFactory.create()):
        with pytest.raises(PermissionDenied):
            provider_actions.decide_claim(staff=person, claim=claim, approve=True, reason="x")


def test_a_revoked_claim_stops_counting_as_a_conflict():
    place = clinic()
    claim = approved_claim(place)
    assert known_conflict(claim.user, place)

    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Left the clinic.")

    assert not known_conflict(claim.user, place)
    assert AuditEntry.objects.filter(action="reviews.claim_revoked").exists()


@pytest.mark.parametrize(
    ("claimed", "reviewed", "conflict"),
    [
        ("physician", "physician", True),
        ("physician", "workplace", True),
        ("physician", "colleague", False),
        ("physician", "other_clinic", False),
        ("clinic", "clinic", True),
        ("clinic", "its_physician", True),
        ("clinic", "other_clinic", False),
        ("pending", "clinic", False),
    ],
)
def test_the_claims_conflict_matrix(claimed, reviewed, conflict):
    place, elsewhere = clinic(), clinic()
    doctor, colleague = physician(), physician()
    doctor.workplaces.add(place)
    colleague.workplaces.add(elsewhere)
    if claimed == "physician":
        person = approved_claim(doctor).user
    elif claimed == "clinic":
        person = approved_claim(place).user
    else:
        person = UserFactory.create()
        provider_actions.request_claim(user=person, entry=place, role="Chef")
    entry = {
        "physician": doctor,
        "workplace": place,
        "colleague": colleague,
        "other_clinic": elsewhere,
        "clinic": place,
        "its_physician": doctor,
    }[reviewed]

    assert known_conflict(person, entry) is conflict
    assert can_review(person, entry) is not conflict


def test_a_claimant_reviewing_their_own_clinic_is_refused_with_a_fitting_reason():
    place = clinic()
    claim = approved_claim(place)

    with pytest.raises(ConflictKnown) as refused:
        submit(claim.user, place)

    assert refused.value.status == 403
    with translation.override("en"):
        assert "speak for it" in str(refused.value)
