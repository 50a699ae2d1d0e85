"""core.audit: an append-only record of privileged actions."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core import audit
from patientvoice.core.models import AuditEntry

from .factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_record_stores_who_did_what_to_what_and_why() -> None:
    actor = UserFactory.create(handle="moderator_kim")
    community = CommunityFactory.create(name="Diabetes typ 1")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")

    entry = audit.record(
        actor=actor,
        action="communities.archived",
        target=community,
        reason="Inactive for a year",
        data={"threads": 3},
        request=request,
    )

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == actor
    assert entry.actor_label == "moderator_kim"
    assert entry.action == "communities.archived"
    assert entry.target_type == "communities.community"
    assert entry.target_id == str(community.public_id)
    assert entry.target_label == "Diabetes typ 1"
    assert entry.reason == "Inactive for a year"
    assert entry.data == {"threads": 3}
    assert entry.ip_address == "192.0.2.7"
    assert entry.at is not None


def test_record_without_actor_is_labelled_system() -> None:
    entry = audit.record(actor=None, action="accounts.erased")

    assert entry.actor is None
    assert entry.actor_label == "system"
    assert entry.target_type == ""
    assert entry.ip_address is None


def test_target_without_public_id_is_identified_by_its_primary_key() -> None:
    user = UserFactory.create()
    first = audit.record(actor=None, action="x.first")

    entry = audit.record(actor=user, action="x.second", target=first)

    assert entry.target_id == str(first.pk)


def test_saving_an_existing_entry_again_is_refused() -> None:
    entry = audit.record(actor=None, action="x.created")
    entry.reason = "rewritten history"

    with pytest.raises(TypeError, match="append-only"):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_bulk_update_of_the_log_is_refused() -> None:
    audit.record(actor=None, action="x.created")

    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().update(reason="rewritten")


def test_deleting_an_entry_is_refused() -> None:
    entry = audit.record(actor=None, action="x.created")

    with pytest.raises(TypeError, match="append-only"):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_delete_of_the_log_is_refused() -> None:
    audit.record(actor=None, action="x.created")

    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.count() == 1


def test_pseudonymise_actor_replaces_the_handle_on_that_persons_entries_only() -> None:
    erased, other = UserFactory.create(handle="erased_one"), UserFactory.create(handle="stays")
    audit.record(actor=erased, action="x.one")
    audit.record(actor=erased, action="x.two")
    audit.record(actor=other, action="x.three")

    changed = audit.pseudonymise_actor(erased.pk, "former-member-abc")

    assert changed == 2
    assert sorted(AuditEntry.objects.values_list("actor_label", flat=True)) == [
        "former-member-abc",
        "former-member-abc",
        "stays",
    ]
    assert AuditEntry.objects.count() == 3


def test_pseudonymise_target_replaces_the_label_on_entries_about_that_person_only() -> None:
    erased, other = UserFactory.create(handle="erased_one"), UserFactory.create(handle="stays")
    audit.record(actor=None, action="x.about_erased", target=erased)
    audit.record(actor=None, action="x.about_other", target=other)

    changed = audit.pseudonymise_target(erased, "former-member-abc")

    assert changed == 1
    assert dict(AuditEntry.objects.values_list("action", "target_label")) == {
        "x.about_erased": "former-member-abc",
        "x.about_other": "stays",
    }
