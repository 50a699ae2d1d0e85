"""The data export covers applications, credentials and notices; erasure deletes them
and the evidence files, and the audit log keeps entries without names."""

from __future__ import annotations

import pytest

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.core.models import AuditEntry
from patientvoice.professionals.models import Credential, ProfessionalNotice, VerificationRequest

from . import factories

pytestmark = pytest.mark.django_db


def test_the_export_holds_requests_credentials_and_notices_but_no_file():
    credential = factories.approved(specialty="Diabetesvård")

    section = build_export(credential.user)["professionals"]

    assert section["verification_requests"][0]["licence_number"] == "SSK-123456"
    assert section["verification_requests"][0]["evidence_sha256"]
    assert "evidence_name" not in section["verification_requests"][0]
    assert section["credentials"][0]["specialty"] == "Diabetesvård"
    assert section["notices"][0]["kind"] == "approved"


def test_erasure_deletes_the_rows_and_the_evidence_and_keeps_audit_entries(
    settings, django_capture_on_commit_callbacks
):
    settings.PV_KEEP_VERIFICATION_EVIDENCE = True
    credential = factories.approved()
    person = credential.user
    pending_name = VerificationRequest.objects.get(applicant=person).evidence_name
    stored = settings.PV_PRIVATE_ROOT / pending_name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        account_actions.erase_account(user=person)

    assert not Credential.objects.filter(pk=credential.pk).exists()
    assert not VerificationRequest.objects.exists()
    assert not ProfessionalNotice.objects.exists()
    assert not stored.exists()
    entries = AuditEntry.objects.filter(action__startswith="professionals.")
    assert entries.filter(action="professionals.request_approved").exists()
    assert not any("Anna Svensson" in (e.target_label + str(e.data)) for e in entries)
