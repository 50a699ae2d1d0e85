"""One table: who may flag, see the queue of, decide and decide appeals on a case about
a post in a hosted public community, and about a profile (the site queue)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models

from patientvoice.accounts.exporting import covered_models
from patientvoice.moderation import actions
from patientvoice.moderation.models import Case
from patientvoice.moderation.permissions import (
    can_decide,
    can_flag,
    check_decide_appeal,
    visible_cases,
)

from .factories import UserFactory, flagged, organization_staff

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "member",
    "outsider",
    "author",
    "community_moderator",
    "community_moderator_suspended",
    "foreign_moderator",
    "org_moderator",
    "org_admin",
    "org_moderator_suspended",
    "staff",
    "staff_suspended",
]

# role: (may flag the post, sees and decides the post's case, sees and decides the
# profile's case)
EXPECTED = {
    "visitor": (False, False, False),
    "member": (True, False, False),
    "outsider": (True, False, False),  # a public community: anyone signed in may flag
    "author": (False, False, False),
    "community_moderator": (True, True, False),
    "community_moderator_suspended": (True, False, False),
    "foreign_moderator": (True, False, False),
    "org_moderator": (True, True, False),
    "org_admin": (True, True, False),
    "org_moderator_suspended": (True, False, False),
    "staff": (True, True, True),
    "staff_suspended": (True, False, False),
}


@pytest.fixture
def people(
    reader, outsider, author, moderator, foreign_moderator, org_moderator, organization, staff
) -> dict[str, Any]:
    suspended_moderator = type(moderator).objects.get(pk=moderator.pk)
    suspended_moderator.privileges_suspended = True
    suspended_org_moderator = type(org_moderator).objects.get(pk=org_moderator.pk)
    suspended_org_moderator.privileges_suspended = True
    suspended_staff = type(staff).objects.get(pk=staff.pk)
    suspended_staff.privileges_suspended = True
    return {
        "visitor": AnonymousUser(),
        "member": reader,
        "outsider": outsider,
        "author": author,
        "community_moderator": moderator,
        "community_moderator_suspended": suspended_moderator,
        "foreign_moderator": foreign_moderator,
        "org_moderator": org_moderator,
        "org_admin": organization_staff(organization, role="admin"),
        "org_moderator_suspended": suspended_org_moderator,
        "staff": staff,
        "staff_suspended": suspended_staff,
    }


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, people, post, author):
    profile_owner = UserFactory.create(bio="Visit my shop")
    post_case = flagged(post)
    profile_case = flagged(profile_owner)
    person = people[role]
    may_flag, decides_post, decides_profile = EXPECTED[role]

    seen = set(visible_cases(person, Case.objects.all()).values_list("pk", flat=True))

    assert can_flag(person, post) is may_flag
    assert can_decide(person, post_case) is decides_post
    assert can_decide(person, profile_case) is decides_profile
    assert (post_case.pk in seen) is decides_post
    assert (profile_case.pk in seen) is decides_profile


def test_the_appeal_matrix_refuses_the_deciding_moderator_only(
    post, author, moderator, second_moderator, org_moderator
):
    decision = actions.decide(
        moderator=moderator, case=flagged(post), action="hide", reason_code="spam",
        explanation="Advertising.",
    )  # fmt: skip
    appeal = actions.appeal(appellant=author, statement=decision.statement, text="Not an ad.")

    for allowed in (second_moderator, org_moderator):
        check_decide_appeal(allowed, appeal)  # raises nothing
    with pytest.raises(PermissionDenied):
        check_decide_appeal(moderator, appeal)


def test_every_moderation_model_that_references_a_person_is_in_the_export():
    user_model = apps.get_model("accounts", "User")
    holding = {
        model._meta.label_lower
        for model in apps.get_app_config("moderation").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is user_model
    }

    assert holding
    assert holding <= covered_models()
