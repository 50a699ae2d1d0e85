"""Private questions to a sponsor's medical information service (decisions/0038): never a
public thread; sent only with consent; the asker and site staff see them; a possible
side effect is named for the service; exported and erased with the asker."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.testing.sessions import log_in
from patientvoice.organizations import medical_information
from patientvoice.organizations.medical_information import QuestionRefused
from patientvoice.organizations.models import (
    MedicalInformationRequest,
    MedicalInformationStatus,
    Organization,
)

from .factories import OrganizationFactory
from .sponsor_factories import sponsor

pytestmark = pytest.mark.django_db

SERVICE = "medinfo@pharma-nordic.example"


def with_service(organization: Organization) -> Organization:
    """As its administrators would set it on the edit page."""
    Organization.objects.filter(pk=organization.pk).update(medical_information_email=SERVICE)
    organization.refresh_from_db()
    return organization


@pytest.fixture
def the_sponsor() -> Organization:
    return with_service(sponsor())


def _url(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(f"organizations:{name}", args=args)


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    log_in(client, user)
    return client


def _ask(asker: Any, sponsor: Organization, **kwargs: Any) -> MedicalInformationRequest:
    kwargs.setdefault("medicine", "Sertralin")
    kwargs.setdefault("question", "Can it be used for hot flushes?")
    kwargs.setdefault("consent", True)
    return medical_information.ask_medical_information(asker=asker, sponsor=sponsor, **kwargs)


def test_a_question_is_mailed_to_the_service_with_the_askers_reply_address(
    the_sponsor: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    asker = UserFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(asker, the_sponsor)

    [message] = mail.outbox
    assert message.to == [SERVICE]
    assert message.reply_to == [asker.email]
    assert "Sertralin" in message.subject
    assert "Can it be used for hot flushes?" in message.body
    request.refresh_from_db()
    assert request.status == MedicalInformationStatus.SENT


def test_a_possible_side_effect_is_named_in_the_subject(
    the_sponsor: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(
            UserFactory.create(),
            the_sponsor,
            question="Jag fick fruktansvärd huvudvärk av Sertralin, är det vanligt?",
            language="sv",
        )

    assert request.possible_side_effect
    assert mail.outbox[0].subject.startswith(("Possible side effect", "Möjlig biverkning"))


def test_nothing_is_stored_or_sent_without_consent(
    the_sponsor: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(QuestionRefused) as refused,
    ):
        _ask(UserFactory.create(), the_sponsor, consent=False)

    assert refused.value.field == "consent"
    assert MedicalInformationRequest.objects.count() == 0
    assert mail.outbox == []


def test_an_organisation_without_a_service_has_no_form(the_sponsor: Organization) -> None:
    advocacy = with_service(OrganizationFactory.create())
    silent = sponsor(name="Quiet Pharma AB")
    client = _client(UserFactory.create())

    assert client.get(_url("medical_information_ask", advocacy.slug)).status_code == 404
    assert client.get(_url("medical_information_ask", silent.slug)).status_code == 404
    assert client.get(_url("medical_information_ask", the_sponsor.slug)).status_code == 200


def test_the_sponsors_page_offers_the_private_form(the_sponsor: Organization) -> None:
    page = Client().get(_url("detail", the_sponsor.slug), HTTP_ACCEPT_LANGUAGE="en")

    assert _url("medical_information_ask", the_sponsor.slug) in page.content.decode()


def test_a_visitor_is_asked_to_log_in(the_sponsor: Organization) -> None:
    response = Client().get(_url("medical_information_ask", the_sponsor.slug))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unverified_address_is_refused_with_what_to_do(the_sponsor: Organization) -> None:
    asker = UserFactory.create()
    EmailAddress.objects.filter(user=asker).update(verified=False)

    response = _client(asker).get(_url("medical_information_ask", the_sponsor.slug))

    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.content.decode()


def test_a_refused_form_keeps_what_was_typed(the_sponsor: Organization) -> None:
    response = _client(UserFactory.create()).post(
        _url("medical_information_ask", the_sponsor.slug),
        {"medicine": "Sertralin", "question": "Can it be used for hot flushes?"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing is sent without your consent" in page
    assert "Can it be used for hot flushes?" in page
    assert MedicalInformationRequest.objects.count() == 0


def test_the_page_sends_and_the_asker_sees_it_in_their_list(the_sponsor: Organization) -> None:
    asker = UserFactory.create()
    client = _client(asker)

    sent = client.post(
        _url("medical_information_ask", the_sponsor.slug),
        {"medicine": "Sertralin", "question": "Can it be used for hot flushes?", "consent": "on"},
    )

    assert sent.status_code == 302
    mine = client.get(_url("medical_information_mine")).content.decode()
    assert "Can it be used for hot flushes?" in mine
    other = _client(UserFactory.create()).get(_url("medical_information_mine")).content.decode()
    assert "hot flushes" not in other


def test_the_sixth_question_in_a_day_is_refused(the_sponsor: Organization) -> None:
    asker = UserFactory.create()
    for _ in range(medical_information.QUESTIONS_PER_DAY):
        _ask(asker, the_sponsor)

    with pytest.raises(QuestionRefused) as refused:
        _ask(asker, the_sponsor)

    assert refused.value.status == 429


def test_questions_are_exported_and_erased_with_the_asker(the_sponsor: Organization) -> None:
    asker = UserFactory.create()
    _ask(asker, the_sponsor)

    exported = build_export(asker)
    erased = medical_information.erase_requests_of(asker)

    assert exported["medical_information_requests"][0]["medicine"] == "Sertralin"
    assert erased == 1
    assert not MedicalInformationRequest.objects.filter(asker=asker).exists()


def test_only_a_sponsors_edit_form_offers_the_service_address(the_sponsor: Organization) -> None:
    from patientvoice.organizations.forms import OrganizationEditForm

    assert "medical_information_email" in OrganizationEditForm(sponsor=True).fields
    assert "medical_information_email" not in OrganizationEditForm().fields
