"""Credentials: acting as a professional, expiry and the warning before it,
revocation, re-confirmation, the badge and the helpers later parts use."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.professionals import actions
from patientvoice.professionals.errors import CredentialEnded, ReasonRequired
from patientvoice.professionals.models import Credential, NoticeKind, ProfessionalNotice
from patientvoice.professionals.permissions import (
    PROFESSIONAL_GROUP,
    NotAProfessional,
    check_professional,
)
from patientvoice.professionals.queries import active_credentials, credential_of

from . import factories

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The person as a new request would load them (nothing remembered on the object)."""
    return User.objects.get(pk=user.pk)


def _expire(credential: Credential, days_ago: int = 1) -> None:
    past = timezone.now() - timedelta(days=days_ago)
    Credential.objects.filter(pk=credential.pk).update(
        verified_at=past - timedelta(days=365), expires_at=past
    )
    from patientvoice.professionals.queries import forget_credential

    forget_credential(credential.user_id)


# --- acting as a professional -------------------------------------------------------------


def test_an_active_professional_with_a_second_factor_may_act():
    credential = factories.approved()

    assert check_professional(_fresh(credential.user)).pk == credential.pk


def test_a_member_without_a_credential_is_refused():
    with pytest.raises(NotAProfessional) as refused:
        check_professional(factories.applicant())

    assert refused.value.code == "none"
    assert str(refused.value)


def test_a_professional_in_a_session_without_two_step_verification_is_refused():
    person = _fresh(factories.approved().user)
    person.privileges_suspended = True

    with pytest.raises(NotAProfessional) as refused:
        check_professional(person)

    assert refused.value.code == "mfa"


def test_an_expired_credential_is_refused_with_the_date_even_before_the_command_runs():
    credential = factories.approved()
    _expire(credential)

    with pytest.raises(NotAProfessional) as refused:
        check_professional(_fresh(credential.user))

    assert refused.value.code == "expired"
    credential.refresh_from_db()
    assert str(timezone.localtime(credential.expires_at).year) in str(refused.value)
    assert active_credentials([credential.user_id]) == {}


def test_a_revoked_credential_is_refused():
    credential = factories.approved()
    actions.revoke_credential(
        staff=factories.staff(), credential=credential, reason="Legitimation återkallad"
    )

    with pytest.raises(NotAProfessional) as refused:
        check_professional(_fresh(credential.user))

    assert refused.value.code == "revoked"


# --- expiry -------------------------------------------------------------------------------


def test_expiry_ends_the_credential_once_audited_and_tells_the_holder():
    credential = factories.approved()
    later = credential.expires_at + timedelta(minutes=1)

    ended = actions.expire_credentials(now=later)
    again = actions.expire_credentials(now=later)

    credential.refresh_from_db()
    assert (ended, again) == (1, 0)
    assert credential.expiry_handled_at == later
    assert not credential.user.groups.filter(name=PROFESSIONAL_GROUP).exists()
    entry = AuditEntry.objects.get(action="professionals.credential_expired")
    assert entry.actor is None
    assert entry.actor_label == "system"
    assert (
        ProfessionalNotice.objects.filter(
            recipient=credential.user, kind=NoticeKind.EXPIRED
        ).count()
        == 1
    )


def test_the_holder_is_reminded_once_a_month_before():
    credential = factories.approved()
    month_before = credential.expires_at - timedelta(days=29)

    early = actions.warn_expiring_credentials(now=credential.expires_at - timedelta(days=40))
    told = actions.warn_expiring_credentials(now=month_before)
    again = actions.warn_expiring_credentials(now=month_before + timedelta(days=1))

    assert (early, told, again) == (0, 1, 0)
    assert ProfessionalNotice.objects.filter(kind=NoticeKind.EXPIRING).count() == 1


def test_the_command_ends_expired_credentials():
    credential = factories.approved()
    _expire(credential)
    out = StringIO()

    call_command("expire_credentials", stdout=out)

    credential.refresh_from_db()
    assert credential.expiry_handled_at is not None
    assert "Ended 1" in out.getvalue()


def test_an_expired_holder_sees_a_banner_and_reapplies_with_answers_filled_in():
    credential = factories.approved(specialty="Diabetesvård", employer="Region Norr")
    _expire(credential)
    client = Client()
    client.force_login(credential.user)

    status = client.get(reverse("professionals:status")).text
    form = client.get(reverse("professionals:apply")).text

    assert "message-warning" in status
    assert reverse("professionals:apply") in status
    assert 'value="Diabetesvård"' in form
    assert 'value="Region Norr"' in form
    assert 'value="SSK-123456"' in form


def test_reconfirmation_gives_a_new_active_credential():
    credential = factories.approved()
    _expire(credential)

    renewed = factories.approved(credential.user)

    assert check_professional(_fresh(credential.user)).pk == renewed.pk


# --- revocation ---------------------------------------------------------------------------


def test_staff_revoke_with_a_reason_and_the_holder_reads_it():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.staff())

    response = client.post(
        reverse("professionals:revoke", args=[credential.public_id]),
        {"reason": "Legitimationen är återkallad av IVO."},
    )

    credential.refresh_from_db()
    assert response.status_code == 302
    assert credential.revoked_at is not None
    assert not credential.user.groups.filter(name=PROFESSIONAL_GROUP).exists()
    assert AuditEntry.objects.get(action="professionals.credential_revoked").reason
    assert ProfessionalNotice.objects.get(kind=NoticeKind.REVOKED).text == (
        "Legitimationen är återkallad av IVO."
    )
    assert credential_of(_fresh(credential.user)) is None


def test_a_revocation_needs_a_reason():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.staff())

    response = client.post(
        reverse("professionals:revoke", args=[credential.public_id]), {"reason": ""}
    )

    assert response.status_code == 400
    with pytest.raises(ReasonRequired):
        actions.revoke_credential(staff=factories.staff(), credential=credential, reason=" ")


def test_verifiers_who_are_not_staff_cannot_revoke():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.verifier())

    response = client.post(
        reverse("professionals:revoke", args=[credential.public_id]), {"reason": "x"}
    )

    assert response.status_code == 403
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_a_credential_is_revoked_once():
    credential = factories.approved()
    actions.revoke_credential(staff=factories.staff(), credential=credential, reason="Ett")

    with pytest.raises(CredentialEnded):
        actions.revoke_credential(staff=factories.staff(), credential=credential, reason="Två")


# --- the badge and the helpers ------------------------------------------------------------


def test_active_credentials_is_one_query_for_a_page_of_authors(django_assert_num_queries):
    holders = [factories.approved().user_id for _ in range(5)]
    others = [factories.applicant().pk for _ in range(3)]

    with django_assert_num_queries(1):
        found = active_credentials([*holders, *others, None])

    assert set(found) == set(holders)


def test_credential_of_is_remembered_and_forgotten_when_it_changes(django_assert_num_queries):
    credential = factories.approved()
    assert credential_of(_fresh(credential.user)) is not None  # warms the cache

    person = _fresh(credential.user)
    with django_assert_num_queries(0):
        remembered = credential_of(person)

    assert remembered is not None
    assert remembered.pk == credential.pk

    from django.db import transaction

    with transaction.atomic():
        actions.revoke_credential(staff=factories.staff(), credential=credential, reason="Nej")
    # The test transaction never commits: forget as on_commit would.
    from patientvoice.professionals.queries import forget_credential

    forget_credential(credential.user_id)
    assert credential_of(_fresh(credential.user)) is None


def _member_client() -> Client:
    client = Client()
    client.force_login(factories.applicant())
    return client


def _render(source: str, **context: Any) -> str:
    return Template("{% load professionals %}" + source).render(Context(context))


def test_the_badge_shows_profession_specialty_date_and_the_real_name_when_chosen():
    credential = factories.approved(specialty="Diabetesvård")

    html = _render("{% professional_badge person %}", person=_fresh(credential.user))

    assert "Diabetesvård" in html
    assert "Anna Svensson" in html
    assert "badge-professional" in html


def test_a_handle_only_badge_hides_the_real_name():
    credential = factories.approved(shows_real_name=False)

    html = _render("{% professional_badge person %}", person=_fresh(credential.user))

    assert "badge-professional" in html
    assert "Anna Svensson" not in html


def test_the_badge_from_a_page_dictionary_asks_no_query(django_assert_num_queries):
    credential = factories.approved()
    person = _fresh(credential.user)
    found = active_credentials([person.pk])
    nobody = factories.applicant()

    with django_assert_num_queries(0):
        html = _render(
            "{% professional_badge a creds %}|{% professional_badge b creds %}",
            a=person,
            b=nobody,
            creds=found,
        )

    badge, none = html.split("|")
    assert "badge-professional" in badge
    assert none == ""


def test_the_badge_escapes_what_the_professional_wrote():
    credential = factories.approved(specialty="<script>alert(1)</script>")

    html = _render("{% professional_badge person %}", person=_fresh(credential.user))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_no_badge_for_an_expired_credential():
    credential = factories.approved()
    _expire(credential)

    assert _render("{% professional_badge person %}", person=_fresh(credential.user)) == ""


def test_the_public_profile_shows_the_badge_and_the_conflict_declaration():
    credential = factories.approved(
        specialty="Diabetesvård",
        employer="Region Norr",
        industry_ties="Föreläsning för Novo Nordisk 2024",
        no_industry_ties=False,
    )

    response = _member_client().get(reverse("accounts:profile", args=[credential.user.handle]))
    page = response.text

    assert response.status_code == 200
    assert "badge-professional" in page
    assert "Region Norr" in page
    assert "Novo Nordisk" in page
    assert "SSK-123456" not in page  # the licence number is for verifiers only
    assert "Vårdcentralen Norrby" not in page  # nor is the workplace


def test_others_see_no_expired_credential_on_the_profile_but_its_holder_does():
    credential = factories.approved()
    _expire(credential)
    url = reverse("accounts:profile", args=[credential.user.handle])
    own = Client()
    own.force_login(credential.user)

    other = _member_client().get(url)
    assert other.status_code == 200
    assert "professional-profile" not in other.text
    page = own.get(url).text
    assert "professional-profile" in page
    assert reverse("professionals:apply") in page


def test_the_credential_list_shows_current_credentials_to_verifiers():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.staff())

    page = client.get(reverse("professionals:credentials")).text

    assert str(credential.public_id) in page
    assert reverse("professionals:revoke", args=[credential.public_id]) in page


def test_the_revoke_page_and_the_decided_tab_render_for_staff():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.staff())

    form = client.get(reverse("professionals:revoke", args=[credential.public_id]))
    decided = client.get(reverse("professionals:queue") + "?status=approved")

    assert form.status_code == 200
    assert 'name="reason"' in form.text
    assert decided.status_code == 200
    assert credential.request is not None
    assert str(credential.request.public_id) in decided.text
