"""Working on the queue (claim, assign, release), moderators' notes and trusted
flaggers, each audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from patientvoice.core.models import AuditEntry
from patientvoice.moderation import actions
from patientvoice.moderation.errors import CaseClaimed, CaseClosed
from patientvoice.moderation.models import ModeratorNote, TrustedFlagger
from patientvoice.moderation.permissions import is_trusted_flagger, visible_notes

from .factories import OrganizationFactory, flagged, organization_staff

pytestmark = pytest.mark.django_db


def test_a_moderator_claims_an_item_and_others_cannot_take_it(post, moderator, second_moderator):
    case = flagged(post)

    claimed = actions.claim(moderator=moderator, case=case)

    assert claimed.assignee == moderator
    assert claimed.claimed_at is not None
    assert actions.claim(moderator=moderator, case=case).assignee == moderator  # again: no change
    with pytest.raises(CaseClaimed):
        actions.claim(moderator=second_moderator, case=case)
    assert AuditEntry.objects.filter(action="moderation.claim").count() == 1


def test_a_moderator_outside_the_community_cannot_claim(post, foreign_moderator):
    with pytest.raises(PermissionDenied):
        actions.claim(moderator=foreign_moderator, case=flagged(post))


def test_assigning_to_someone_who_may_decide(post, moderator, second_moderator, foreign_moderator):
    case = flagged(post)

    assigned = actions.assign(moderator=moderator, case=case, to=second_moderator)

    assert assigned.assignee == second_moderator
    with pytest.raises(PermissionDenied):
        actions.assign(moderator=moderator, case=case, to=foreign_moderator)
    entry = AuditEntry.objects.get(action="moderation.assign")
    assert entry.data["to"] == str(second_moderator.public_id)


def test_releasing_puts_the_item_back_for_anyone(post, moderator, second_moderator):
    case = flagged(post)
    actions.claim(moderator=moderator, case=case)

    released = actions.release(moderator=second_moderator, case=case)

    assert released.assignee is None
    assert released.claimed_at is None
    assert actions.claim(moderator=second_moderator, case=case).assignee == second_moderator
    assert AuditEntry.objects.filter(action="moderation.release").count() == 1


def test_a_decided_case_cannot_be_claimed(post, moderator):
    case = flagged(post)
    actions.decide(
        moderator=moderator, case=case, action="keep", reason_code="no_violation",
        explanation="Fine.",
    )  # fmt: skip

    with pytest.raises(CaseClosed):
        actions.claim(moderator=moderator, case=case)


# --- notes -----------------------------------------------------------------------------


def test_organisation_notes_are_seen_by_that_organisations_staff_only(
    organization, org_moderator, author, staff
):
    other_org_staff = organization_staff(OrganizationFactory.create())

    note = actions.add_note(
        moderator=org_moderator, member=author, text="Warned kindly in March.",
        organization=organization,
    )  # fmt: skip

    notes = ModeratorNote.objects.filter(subject=author)
    assert list(visible_notes(org_moderator, notes)) == [note]
    assert list(visible_notes(staff, notes)) == [note]
    assert list(visible_notes(other_org_staff, notes)) == []
    assert list(visible_notes(author, notes)) == []
    entry = AuditEntry.objects.get(action="moderation.note_added")
    assert entry.target_id == str(author.public_id)
    assert "March" not in str(entry.data)  # the text stays out of the log


def test_site_notes_are_for_staff(org_moderator, author, staff, organization):
    note = actions.add_note(moderator=staff, member=author, text="Possible second account.")

    assert list(visible_notes(org_moderator, ModeratorNote.objects.all())) == []
    with pytest.raises(PermissionDenied):
        actions.add_note(moderator=org_moderator, member=author, text="Site note?")
    assert list(visible_notes(staff, ModeratorNote.objects.all())) == [note]


def test_a_community_moderator_without_an_organisation_role_writes_no_notes(
    moderator, author, organization
):
    with pytest.raises(PermissionDenied):
        actions.add_note(moderator=moderator, member=author, text="Hm.", organization=organization)


# --- trusted flaggers --------------------------------------------------------------------


def test_staff_designate_and_revoke_a_trusted_flagger(staff, organization):
    person = organization_staff(organization)

    designation = actions.designate_trusted_flagger(
        actor=staff, organization=organization, reason="Designated by the coordinator."
    )

    assert designation.designated_by == staff
    assert actions.designate_trusted_flagger(actor=staff, organization=organization) == designation
    assert is_trusted_flagger(person)
    assert actions.revoke_trusted_flagger(actor=staff, organization=organization)
    assert not is_trusted_flagger(person)
    assert TrustedFlagger.objects.get().revoked_by == staff
    assert set(
        AuditEntry.objects.filter(action__startswith="moderation.trusted").values_list(
            "action", flat=True
        )
    ) == {"moderation.trusted_flagger_designated", "moderation.trusted_flagger_revoked"}


def test_only_acting_staff_designate_trusted_flaggers(org_moderator, organization, staff):
    staff.privileges_suspended = True  # a session without two-step verification

    for person in (org_moderator, staff):
        with pytest.raises(PermissionDenied):
            actions.designate_trusted_flagger(actor=person, organization=organization)
    assert not TrustedFlagger.objects.exists()
