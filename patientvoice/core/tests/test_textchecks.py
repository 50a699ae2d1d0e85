"""core.textchecks: what holds a text for review, what shows help, and what passes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patientvoice.core.textchecks import CheckContext, Outcome, run_checks
from patientvoice.core.textchecks.personal_data import is_personal_identity_number


def _established() -> CheckContext:
    """An author who has been here a while and published a lot."""
    return CheckContext(
        author_joined_at=timezone.now() - timedelta(days=365), author_published_count=50
    )


def _new_account() -> CheckContext:
    return CheckContext(author_joined_at=timezone.now() - timedelta(hours=2))


def _codes(text: str, context: CheckContext | None = None) -> set[str]:
    return {f.code for f in run_checks(text, context or _established())}


# --- personnummer and samordningsnummer ---------------------------------------------------

VALID_IDENTITY_NUMBERS = [
    "811218-9876",  # YYMMDD-NNNN
    "8112189876",  # no separator
    "811218+9876",  # + means 100 years or older
    "19811218-9876",  # 12 digits with separator
    "198112189876",  # 12 digits
    "640823-3234",
    "701063-2391",  # samordningsnummer: day + 60
    "7010632391",
    "19701063-2391",
    "197010632391",
]

WRONG_CHECK_DIGIT = [
    "811218-9875",
    "8112189875",
    "811218+9875",
    "19811218-9875",
    "198112189875",
    "640823-3235",
    "701063-2390",
    "19701063-2390",
]


@pytest.mark.parametrize("number", VALID_IDENTITY_NUMBERS)
def test_personnummer_with_valid_check_digit_is_held(number: str) -> None:
    findings = run_checks(f"Min son har nummer {number}, vad gör jag?", _established())

    assert [(f.code, f.outcome) for f in findings] == [("personal_data.personnummer", Outcome.HOLD)]


@pytest.mark.parametrize("number", WRONG_CHECK_DIGIT)
def test_personnummer_with_wrong_check_digit_is_not_flagged(number: str) -> None:
    assert "personal_data.personnummer" not in _codes(f"Referens {number}")


@pytest.mark.parametrize("number", VALID_IDENTITY_NUMBERS)
def test_valid_identity_number_is_recognised_on_its_own(number: str) -> None:
    assert is_personal_identity_number(number)


@pytest.mark.parametrize("number", [*WRONG_CHECK_DIGIT, "811318-9876", "810230-1234", "12345"])
def test_invalid_identity_number_is_not_recognised(number: str) -> None:
    assert not is_personal_identity_number(number)


def test_identity_number_with_impossible_date_is_not_flagged() -> None:
    # 13th month: the check digit happens to be valid, the date is not.
    assert "personal_data.personnummer" not in _codes("811318-9876")


# --- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ring mig på 070-123 45 67",
        "070-1234567",
        "0701234567",
        "073 123 45 67",
        "08-123 456 78",
        "08-12345678",
        "+46 70 123 45 67",
        "+46701234567",
        "+44 20 7946 0958",
        "Call +1 (555) 123-4567 tonight",
    ],
)
def test_phone_number_is_held(text: str) -> None:
    findings = run_checks(text, _established())

    assert [(f.code, f.outcome) for f in findings] == [("personal_data.phone", Outcome.HOLD)]


# --- e-mail addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Maila mig: anna.svensson@example.se",
        "write to first+tag@sub.example.co.uk please",
        "ANNA@EXAMPLE.ORG",
    ],
)
def test_email_address_is_held(text: str) -> None:
    findings = run_checks(text, _established())

    assert [(f.code, f.outcome) for f in findings] == [("personal_data.email", Outcome.HOLD)]


# --- what must pass --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jag tar 500 mg två gånger om dagen",
        "Dose 2.5 mg/kg, then 1 000 mg",
        "Diagnosed in 2019, relapse in 2024",
        "between 1998 and 2023",
        "It cost 1 299 kr, and later 12 500 kr",
        "Since 2024-05-01",
        "on 2024-05-01 at 10:00",
        "Sjukskriven 2024-05-01 2024-06-01",
        "Sjukskriven 2024-05-01-2024-06-01",
        "Provtagning 2024-05-01 10 20 30",
        "Since 01-05-2024",
        "Ring 112 eller 1177",
        "HbA1c 48 mmol/mol in 2023",
        "version 1.2.3",
        "ISBN 978-91-0-012345-6",
        "an @mention is not an address",
    ],
)
def test_ordinary_numbers_dates_and_prices_are_not_flagged(text: str) -> None:
    assert run_checks(text, _established()) == []


# --- crisis language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jag vill inte leva längre",
        "jag vill dö",
        "Jag orkar inte leva så här",
        "Jag har självmordstankar",
        "Ibland tänker jag att jag ska ta livet av mig",
        "I want to kill myself",
        "I don't want to live anymore",
        "I keep thinking about suicide",
        "Everyone would be better off dead without me",
    ],
)
def test_crisis_language_shows_help_and_does_not_hold(text: str) -> None:
    findings = run_checks(text, _established())

    assert [(f.code, f.outcome) for f in findings] == [("crisis.language", Outcome.HELP)]
    assert findings[0].help_panel == "core/crisis_help.html"


@pytest.mark.parametrize(
    "text", ["I'm dying to see that film", "My skills improved", "Jag vill dela en bild"]
)
def test_everyday_phrases_are_not_crisis_language(text: str) -> None:
    assert run_checks(text, _established()) == []


# --- links from new accounts -------------------------------------------------------------------

TWO_LINKS = "Read https://a.example/x and www.b.example/y"


def test_new_account_posting_two_links_is_held() -> None:
    findings = run_checks(TWO_LINKS, _new_account())

    assert [(f.code, f.outcome) for f in findings] == [
        ("spam.links_from_new_account", Outcome.HOLD)
    ]


def test_new_account_posting_one_link_is_not_held() -> None:
    assert run_checks("Read https://a.example/x", _new_account()) == []


def test_old_account_with_few_published_texts_counts_as_new() -> None:
    context = CheckContext(
        author_joined_at=timezone.now() - timedelta(days=365), author_published_count=1
    )

    assert _codes(TWO_LINKS, context) == {"spam.links_from_new_account"}


def test_guest_without_account_posting_two_links_is_held() -> None:
    assert _codes(TWO_LINKS, CheckContext(kind="comment")) == {"spam.links_from_new_account"}


def test_established_account_may_post_several_links() -> None:
    assert run_checks(TWO_LINKS, _established()) == []


def test_trusted_new_account_may_post_several_links() -> None:
    context = CheckContext(author_joined_at=timezone.now(), author_is_trusted=True)

    assert run_checks(TWO_LINKS, context) == []


def test_findings_from_several_checks_come_together() -> None:
    text = "Jag vill dö. Ring 070-123 45 67 eller maila anna@example.se"

    assert _codes(text) == {"personal_data.phone", "personal_data.email", "crisis.language"}
