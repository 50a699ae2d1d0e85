"""Steps the browser journeys share."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.tests.factories import PASSWORD


def log_in(page: Any, lang: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a person would."""
    page.goto(f"/{lang}/account/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
