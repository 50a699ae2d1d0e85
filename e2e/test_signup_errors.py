"""Bad input on sign-up, in Swedish and English, on a phone and a desktop: a handle with a
hidden character and a missing consent get translated errors tied to their fields, and
what was typed is kept."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.member_journey import PASSWORD, arrive, submit, translated
from patientvoice.accounts.models import User

INVISIBLE_HANDLE = (
    "handle error",
    "The handle contains invisible or direction-changing characters. "
    "Type it again without copying it from elsewhere.",
)
CONSENT_REQUIRED = (
    "signup",
    "We cannot let you take part without this consent, because everything "
    "shared here is health information.",
)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sign_up_with_a_hidden_character_and_no_consent_explains_and_keeps_input(
    page: Any, check_a11y: Any, mailoutbox: list[Any], lang: str
) -> None:
    email = f"bo.{lang}@example.org"
    hostile_handle = "bo\u200bsse"  # a zero-width space hides in the middle

    page.goto(f"/{lang}/account/signup/")
    arrive(page, check_a11y, lang)
    page.fill("#id_email", email)
    page.fill("#id_handle", hostile_handle)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("#id_presence", "caregiver")
    page.check("#id_age_confirmed")
    # The health-data consent is left unticked.
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/signup/")

    handle_error = translated(lang, *INVISIBLE_HANDLE)
    consent_error = translated(lang, *CONSENT_REQUIRED)
    if lang != "en":  # the catalogue really has them: not the English source shown
        assert handle_error != translated("en", *INVISIBLE_HANDLE)
        assert consent_error != translated("en", *CONSENT_REQUIRED)
    main_text = page.locator("main").inner_text()
    assert handle_error in main_text
    assert consent_error in main_text

    # Each error is announced with its field.
    for field, message in (
        ("#id_handle", handle_error),
        ("#id_consent_health_data", consent_error),
    ):
        assert page.get_attribute(field, "aria-invalid") == "true", field
        described_by = (page.get_attribute(field, "aria-describedby") or "").split()
        descriptions = " ".join(page.locator(f"[id='{ref}']").inner_text() for ref in described_by)
        assert message in descriptions, f"{field} is not described by its error"

    # What was typed is kept (passwords excepted, on purpose).
    assert page.input_value("#id_email") == email
    assert page.input_value("#id_handle") == hostile_handle
    assert page.input_value("#id_presence") == "caregiver"
    assert page.is_checked("#id_age_confirmed")
    assert not page.is_checked("#id_consent_health_data")

    # Keyboard and screen-reader users land on the first field in error.
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == (
        "id_handle"
    )

    assert not mailoutbox
    assert not User.objects.filter(email=email).exists()
