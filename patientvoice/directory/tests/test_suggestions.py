"""Members suggest missing entries; acting site staff approve (creating the entry) or
decline, and both are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from patientvoice.accounts.erasure import erasers
from patientvoice.accounts.exporting import exporters
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.core.models import AuditEntry
from patientvoice.directory import actions
from patientvoice.directory.errors import (
    InvalidSuggestion,
    SuggestionAlreadyDecided,
    SuggestionLimit,
)
from patientvoice.directory.models import Clinic, EntrySuggestion, Medicine, Physician

pytestmark = pytest.mark.django_db


def suggestion(kind: str = "medicine", name: str = "Testomab") -> EntrySuggestion:
    return actions.suggest_entry(user=UserFactory.create(), kind=kind, name=name, details="Ny 2026")


def test_a_member_suggests_a_missing_entry():
    member = UserFactory.create()

    made = actions.suggest_entry(user=member, kind="clinic", name=" VC Syd ", details="i Lund")

    assert (made.kind, made.name, made.status, made.suggested_by) == (
        "clinic", "VC Syd", "pending", member
    )  # fmt: skip


def test_a_visitor_cannot_suggest():
    with pytest.raises(PermissionDenied):
        actions.suggest_entry(user=AnonymousUser(), kind="medicine", name="X")


@pytest.mark.parametrize(
    ("kind", "name"), [("vaccine", "X"), ("medicine", "  "), ("clinic", "x" * 201)]
)
def test_a_suggestion_without_a_known_kind_or_a_name_is_refused(kind, name):
    with pytest.raises(InvalidSuggestion):
        actions.suggest_entry(user=UserFactory.create(), kind=kind, name=name)


def test_a_member_may_suggest_ten_entries_a_day():
    member = UserFactory.create()
    for n in range(10):
        actions.suggest_entry(user=member, kind="medicine", name=f"Medicin {n}")

    with pytest.raises(SuggestionLimit):
        actions.suggest_entry(user=member, kind="medicine", name="Medicin 11")

    assert EntrySuggestion.objects.filter(suggested_by=member).count() == 10
    actions.suggest_entry(user=UserFactory.create(), kind="medicine", name="Another member's")


@pytest.mark.parametrize(
    ("kind", "model"), [("medicine", Medicine), ("clinic", Clinic), ("physician", Physician)]
)
def test_staff_approving_creates_the_entry_and_is_audited(kind, model):
    staff = StaffFactory.create()
    pending = suggestion(kind, "Ångestklinik Testomab")

    entry = actions.approve_suggestion(actor=staff, suggestion=pending, reason="Finns")

    assert isinstance(entry, model)
    assert model.objects.get(slug="angestklinik-testomab") == entry
    assert "ångestklinik testomab" in entry.search_text
    assert (pending.status, pending.decided_by, pending.entry_slug) == (
        "approved", staff, "angestklinik-testomab"
    )  # fmt: skip
    assert pending.decided_at is not None
    audit = AuditEntry.objects.get(action="directory.suggestion_approved")
    assert (audit.actor, audit.reason, audit.data["entry"]) == (staff, "Finns", entry.slug)


def test_approving_a_name_already_taken_gets_a_free_slug():
    Medicine.objects.create(slug="testomab", inn_en="Testomab", name_sv="Testomab")

    entry = actions.approve_suggestion(actor=StaffFactory.create(), suggestion=suggestion())

    assert entry.slug == "testomab-2"


def test_staff_declining_records_the_reason_and_is_audited():
    staff = StaffFactory.create()
    pending = suggestion()

    actions.decline_suggestion(actor=staff, suggestion=pending, reason="Finns redan")

    assert (pending.status, pending.reason, pending.decided_by) == (
        "declined",
        "Finns redan",
        staff,
    )
    assert not Medicine.objects.filter(slug="testomab").exists()
    assert AuditEntry.objects.get(action="directory.suggestion_declined").actor == staff


@pytest.mark.parametrize("decide", [actions.approve_suggestion, actions.decline_suggestion])
def test_a_decided_suggestion_cannot_be_decided_again(decide):
    pending = suggestion()
    actions.decline_suggestion(actor=StaffFactory.create(), suggestion=pending)

    with pytest.raises(SuggestionAlreadyDecided):
        decide(actor=StaffFactory.create(), suggestion=pending)


@pytest.mark.parametrize("who", ["member", "suspended staff", "visitor"])
@pytest.mark.parametrize("decide", [actions.approve_suggestion, actions.decline_suggestion])
def test_only_acting_staff_decide(who, decide):
    actor: Any
    if who == "member":
        actor = UserFactory.create()
    elif who == "visitor":
        actor = AnonymousUser()
    else:
        actor = StaffFactory.create()
        actor.privileges_suspended = True  # signed in without the second factor
    pending = suggestion()

    with pytest.raises(PermissionDenied):
        decide(actor=actor, suggestion=pending)

    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not AuditEntry.objects.filter(action__startswith="directory.suggestion").exists()


def test_a_persons_suggestions_are_in_their_export_and_go_with_their_erasure() -> None:
    person = UserFactory.create()
    actions.suggest_entry(user=person, kind="medicine", name="Testomab", details="Karolinska")

    exported = exporters()["directory"].fn(person)
    assert [row["name"] for row in exported["entries_you_suggested"]] == ["Testomab"]

    erasers()["directory"](person, "remove")
    assert not EntrySuggestion.objects.filter(suggested_by=person).exists()
