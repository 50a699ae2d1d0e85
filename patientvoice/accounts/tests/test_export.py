"""Data export (GDPR art. 15/20): one JSON archive with everything held about a person."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

from patientvoice.accounts import actions
from patientvoice.accounts.exporting import NOT_EXPORTED, covered_models
from patientvoice.accounts.models import User
from patientvoice.core.tests.factories import ThreadFactory, publish_post

from .factories import UserFactory

# Session and user, then one query per exported table (18 today): independent of how
# much the person has written. A new exporter adds its own queries here.
# +2: communities' reactions and post revisions. +1: communities' join requests.
# +3: notifications' settings, follows and notifications.
# +1: communities' read states. +1: organisations the person verified.
# +1: communities' invitations. +9: moderation (moderation/exporters.py).
# +1: the entries the person suggested to the directory. +2: reviews and their revisions.
# +6: the provider's voice (claims, replies, reply revisions, disputes, dispute answers,
# review notices). +3: professionals (verification requests, credentials, notices).
# +5: expert notes (notes with their sources, revisions, replies, helpful marks, notices).
# +2: organisations' sponsorship records and approvals. +2: questions for professionals
# asked and adviser roles. +5: safety (signals about their content, their messages...).
# +1: questions to sponsors' medical information services. +4: campaigns (submissions,
# votes, jury memberships, scores). +6: stories (stories, drafts, revisions, featured,
# comments, notices).
EXPORT_QUERIES = 18 + 2 + 1 + 3 + 1 + 1 + 1 + 9 + 1 + 2 + 6 + 3 + 5 + 2 + 2 + 5 + 1 + 4 + 6


def _models_holding_user_data() -> dict[str, list[str]]:
    """Every model (auto-created M2M tables included) with a relation to the user model,
    and the fields that hold it."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        fields = [
            field.name
            for field in model._meta.get_fields(include_hidden=True)
            if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
            and field.related_model is user_model
            and field.model is model
        ]
        if fields:
            found[model._meta.label_lower] = fields
    return found


def test_every_model_that_references_a_user_is_exported_or_explained() -> None:
    accounted_for = covered_models() | set(NOT_EXPORTED)

    missing = sorted(
        f"{label} ({', '.join(fields)})"
        for label, fields in _models_holding_user_data().items()
        if label not in accounted_for
    )

    assert not missing, (
        "These models hold data about a person but are neither in an exporter nor in "
        f"accounts.exporting.NOT_EXPORTED with a reason: {missing}"
    )


def test_every_exported_or_excluded_model_name_is_a_real_model() -> None:
    known = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}

    unknown = sorted((covered_models() | set(NOT_EXPORTED)) - known)

    assert not unknown, f"Typos or removed models in the export registry: {unknown}"


def test_every_model_left_out_of_the_export_says_why() -> None:
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


@pytest.fixture
def exported(client: Client) -> tuple[User, dict[str, Any]]:
    user = UserFactory.create(handle="Anna_R", email="anna@example.org")
    actions.record_consents(user=user, granted={"health_data", "email_digest"}, language="en")
    actions.change_handle(user=user, handle="Anna_Reborn")
    thread = ThreadFactory.create()
    for n in range(5):
        publish_post(thread=thread, author=user, body=f"My post number {n}")
    publish_post(thread=thread, author=UserFactory.create(), body="Someone else's post")
    client.force_login(user)

    response = client.post(reverse("accounts:data_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="patientvoice-')
    return user, json.loads(response.content)


@pytest.mark.django_db
def test_export_contains_the_account_with_handle_and_email(
    exported: tuple[User, dict[str, Any]],
) -> None:
    user, archive = exported

    assert archive["format"] == "patientvoice-export"
    assert archive["account"]["handle"] == "Anna_Reborn"
    assert archive["account"]["past_handles"] == ["Anna_R"]
    assert archive["account"]["email"] == "anna@example.org"
    assert archive["account"]["public_id"] == str(user.public_id)


@pytest.mark.django_db
def test_export_contains_every_consent_decision(exported: tuple[User, dict[str, Any]]) -> None:
    _, archive = exported

    assert [(c["purpose"], c["granted"], c["policy__version"]) for c in archive["consents"]] == [
        ("health_data", True, 1),
        ("email_digest", True, 1),
    ]


@pytest.mark.django_db
def test_export_contains_the_persons_posts_and_nobody_elses(
    exported: tuple[User, dict[str, Any]],
) -> None:
    _, archive = exported

    bodies = sorted(p["body"] for p in archive["communities"]["posts"])
    assert bodies == [f"My post number {n}" for n in range(5)]


@pytest.mark.django_db
def test_export_never_contains_second_factor_secrets(client: Client) -> None:
    from allauth.mfa.models import Authenticator

    user = UserFactory.create()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(user)

    body = client.post(reverse("accounts:data_export")).content.decode()

    assert '"type": "totp"' in body
    assert "JBSWY3DPEHPK3PXP" not in body


@pytest.mark.django_db
def test_export_page_needs_a_signed_in_person(client: Client) -> None:
    response = client.post(reverse("accounts:data_export"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_export_makes_a_fixed_number_of_queries_however_many_posts(
    client: Client, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # as without Redis
    user = UserFactory.create()
    thread = ThreadFactory.create()
    for n in range(30):
        publish_post(thread=thread, author=user, body=f"post {n}")
    client.force_login(user)

    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.post(reverse("accounts:data_export"))

    assert len(json.loads(response.content)["communities"]["posts"]) == 30
