"""The admin shows moderation records to staff and changes none of them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.tests.factories import StaffFactory
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation import actions
from patientvoice.moderation.models import Case, Decision

from .factories import flagged, with_second_factor

pytestmark = pytest.mark.django_db

MODERATION_MODELS = [m for m in admin.site._registry if m._meta.app_label == "moderation"]


def test_every_moderation_model_is_in_the_admin() -> None:
    assert {m.__name__ for m in MODERATION_MODELS} >= {
        "Case", "Report", "Decision", "StatementOfReasons", "Appeal", "Sanction",
        "TrustedFlagger", "ModeratorNote", "ContentLabel",
    }  # fmt: skip


def test_staff_see_the_records_but_cannot_add_change_or_delete_them(client: Client, post) -> None:
    staff = with_second_factor(StaffFactory.create(is_superuser=True))
    log_in_with_mfa(client, staff)
    case = flagged(post)
    actions.decide(
        moderator=staff, case=case, action="hide", reason_code="spam", explanation="Advert"
    )
    decision = Decision.objects.get(case=case)

    for model in MODERATION_MODELS:
        opts = model._meta
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.model_name
        added = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert added.status_code == 403, opts.model_name
    page = client.get(reverse("admin:moderation_case_change", args=[case.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    gone = client.post(
        reverse("admin:moderation_decision_delete", args=[decision.pk]), {"post": "yes"}
    )
    assert gone.status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()
    assert Decision.objects.filter(pk=decision.pk).exists()
