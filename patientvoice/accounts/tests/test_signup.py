"""Sign-up through allauth's real view: handle, consents, age, verification, no enumeration."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext

from patientvoice.accounts.models import ConsentRecord, User
from patientvoice.accounts.queries import current_policy

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-pass-12"
MISSING_CONSENT = (
    "We cannot let you take part without this consent, because everything shared "
    "here is health information."
)


def _signup_url(language: str) -> str:
    with translation.override(language):
        return reverse("account_signup")


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "new.member@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "handle": "Blue_Heron",
        "presence": "caregiver",
        "preferred_language": "en",
        "age_confirmed": "on",
        "consent_health_data": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_signup_creates_a_member_with_the_chosen_handle(client: Client) -> None:
    response = client.post(_signup_url("en"), _form())

    user = User.objects.get(email="new.member@example.org")
    assert response.status_code == 302
    assert user.handle == "Blue_Heron"
    assert user.presence == "caregiver"
    assert user.preferred_language == "en"
    assert user.age_confirmed_at is not None


def test_signup_stores_the_email_in_lower_case(client: Client) -> None:
    client.post(_signup_url("en"), _form(email="New.Member@Example.ORG"))

    assert User.objects.get().email == "new.member@example.org"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signup_records_health_data_consent_with_policy_version_and_language(
    client: Client, language: str
) -> None:
    client.post(_signup_url(language), _form())

    record = ConsentRecord.objects.get(user__email="new.member@example.org")
    policy = current_policy()
    assert policy is not None
    assert (record.purpose, record.granted) == ("health_data", True)
    assert record.policy == policy
    assert record.language == language


def test_optional_consents_are_recorded_only_when_ticked(client: Client) -> None:
    client.post(_signup_url("en"), _form(consent_research_contact="on"))

    granted = set(ConsentRecord.objects.filter(granted=True).values_list("purpose", flat=True))
    assert granted == {"health_data", "research_contact"}
    assert not ConsentRecord.objects.filter(purpose="email_digest").exists()


def test_signup_without_age_confirmation_creates_no_account(client: Client) -> None:
    response = client.post(_signup_url("en"), _form(age_confirmed=None))

    assert response.status_code == 200
    assert "You must be old enough to create an account on your own." in (response.content.decode())
    assert not User.objects.exists()


def test_missing_consent_shows_the_reason_and_keeps_what_was_typed(client: Client) -> None:
    response = client.post(
        _signup_url("en"), _form(consent_health_data=None, consent_email_digest="on")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert MISSING_CONSENT in html
    assert 'value="new.member@example.org"' in html
    assert 'value="Blue_Heron"' in html
    assert not User.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_missing_consent_error_is_shown_in_swedish_on_swedish_pages(client: Client) -> None:
    with translation.override("sv"):
        expected = pgettext("signup", MISSING_CONSENT)

    response = client.post(_signup_url("sv"), _form(consent_health_data=None))

    assert response.status_code == 200
    assert escape(expected) in response.content.decode()
    assert '<html lang="sv">' in response.content.decode()


def test_signup_with_a_hostile_handle_shows_the_handle_error(client: Client) -> None:
    response = client.post(_signup_url("en"), _form(handle="\u0430nna_k"))

    assert response.status_code == 200
    assert "cannot be used in a handle" in response.content.decode()
    assert not User.objects.exists()


def test_signup_sends_an_address_verification_mail(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_signup_url("en"), _form())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.member@example.org"]
    assert "/en/account/confirm-email/" in str(message.body)
    assert "Hello from !" not in str(message.body)


def _page_without(response: Any, email: str) -> str:
    """The page as a person sees it, minus their own address and per-session tokens."""
    html = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_signup_with_an_existing_email_looks_the_same_as_a_new_signup() -> None:
    UserFactory.create(email="taken@example.org")
    new = Client().post(
        _signup_url("en"), _form(email="fresh@example.org", handle="Fresh_One"), follow=True
    )

    existing = Client().post(
        _signup_url("en"), _form(email="taken@example.org", handle="Other_One"), follow=True
    )

    assert existing.redirect_chain == new.redirect_chain
    assert existing.status_code == new.status_code == 200
    assert _page_without(existing, "taken@example.org") == _page_without(new, "fresh@example.org")
    assert not User.objects.filter(handle="Other_One").exists()
    assert User.objects.filter(email="taken@example.org").count() == 1


def test_signup_with_an_existing_email_tells_the_owner_by_mail(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory.create(email="taken@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_signup_url("en"), _form(email="Taken@example.org", handle="Other_One"))

    assert [m.to for m in mail.outbox] == [["taken@example.org"]]
    assert "already exists" in str(mail.outbox[0].body)
    assert "/en/account/password/reset/" in str(mail.outbox[0].body)


def test_a_member_created_by_an_operator_tool_has_consent_and_a_verified_address() -> None:
    from allauth.account.models import EmailAddress

    from patientvoice.accounts import actions
    from patientvoice.accounts.queries import needs_consent

    person = actions.create_member(
        email="imported@example.org", password="a-long-password-1", handle="Imported_1",
        language="sv", email_verified=True,
    )  # fmt: skip

    assert not needs_consent(person)
    assert EmailAddress.objects.get(user=person).verified
    assert person.check_password("a-long-password-1")
