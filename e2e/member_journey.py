"""A member's whole life on the site, walked in a real browser: sign up, verify the
address, see the consent, turn on two-step verification, log out and in again with it,
download the data, delete the account. The test modules run it per language and
viewport (one module per language, so that pytest-xdist's ``--dist loadfile`` can give
the languages to different workers)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, pgettext

from e2e.totp import totp_now
from patientvoice.accounts.models import ConsentPurpose, ErasureMode, User

PASSWORD = "kvitten-Ramsa-i-regn-42"


def arrive(page: Any, check_a11y: Any, lang: str, path_suffix: str | None = None) -> None:
    """Checks made on every page the journey reaches."""
    page.wait_for_load_state("load")
    if path_suffix is not None:
        assert page.url.endswith(path_suffix), f"expected …{path_suffix}, at {page.url}"
    assert page.locator("html").get_attribute("lang") == lang, page.url
    check_a11y(page)


def submit(page: Any, form: str = "main form[method=post]") -> None:
    """Press the form's submit button and wait for the page that answers."""
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").first.click()


def is_logged_in(page: Any) -> bool:
    links: int = page.locator("header a[href$='/account/settings/']").count()
    return links == 1


def translated(lang: str, context: str, message: str) -> str:
    with translation.override(lang):
        return pgettext(context, message)


def sign_up_secure_export_and_delete(
    page: Any, check_a11y: Any, mailoutbox: list[Any], base_url: str, lang: str, viewport: str
) -> None:
    """The journey the issue asks for; ``check_a11y`` runs on every page reached."""
    email = f"ada.{lang}.{viewport}@example.org"
    handle = f"ada_{lang}_{viewport}"

    # A visitor finds the sign-up page from the home page.
    page.goto(f"/{lang}/")
    arrive(page, check_a11y, lang)
    with page.expect_navigation():
        page.locator("header a[href$='/account/signup/']").click()
    arrive(page, check_a11y, lang, f"/{lang}/account/signup/")

    # ... and signs up.
    page.fill("#id_email", email)
    page.fill("#id_handle", handle)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("#id_presence", "caregiver")
    page.select_option("#id_preferred_language", lang)
    page.check("#id_age_confirmed")
    page.check("#id_consent_health_data")
    page.check("#id_consent_email_digest")
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/confirm-email/")
    assert not is_logged_in(page)

    # The verification e-mail links back to the site, in the language signed up in.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [email]
    with translation.override(lang):  # allauth's own wording, in the page's language
        assert gettext("Please Confirm Your Email Address") in message.subject
    links = re.findall(r"https?://\S+", str(message.body))
    confirm_links = [link for link in links if "/account/confirm-email/" in link]
    assert len(confirm_links) == 1, message.body
    assert confirm_links[0].startswith(f"{base_url}/{lang}/account/confirm-email/")
    page.goto(confirm_links[0])
    arrive(page, check_a11y, lang)
    assert email in page.locator("main").inner_text()
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/")
    assert is_logged_in(page)

    # The consent page shows what was given at sign-up.
    page.goto(f"/{lang}/account/settings/")
    arrive(page, check_a11y, lang)
    with page.expect_navigation():
        page.locator("main a[href$='/account/consent/']").click()
    arrive(page, check_a11y, lang, f"/{lang}/account/consent/")
    assert page.is_checked("#id_health_data")
    assert page.is_checked("#id_email_digest")
    assert not page.is_checked("#id_research_contact")
    given = re.escape(translated(lang, "consent", "Given %(date)s (policy version %(version)s)"))
    given = given.replace(re.escape("%(date)s"), ".+").replace(re.escape("%(version)s"), "1")
    health_data = page.locator("#id_health_data").locator("xpath=..").inner_text()
    assert re.search(given, health_data), f"no date and policy version: {health_data!r}"

    # Turning on two-step verification: confirm the password, scan (read) the secret.
    page.goto(f"/{lang}/account/settings/")
    with page.expect_navigation():
        page.locator("main a[href$='/account/2fa/totp/activate/']").first.click()
    page.wait_for_load_state("load")
    if "/account/reauthenticate/" in page.url:
        arrive(page, check_a11y, lang)
        page.fill("#id_password", PASSWORD)
        submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    page.fill("#id_code", totp_now(secret))
    submit(page)

    # allauth shows the recovery codes once, to be saved.
    arrive(page, check_a11y, lang, f"/{lang}/account/2fa/recovery-codes/")
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10
    page.goto(f"/{lang}/account/settings/")
    arrive(page, check_a11y, lang)

    # Log out ...
    with page.expect_navigation():
        page.locator("header form[action$='/account/logout/'] [type=submit]").click()
    arrive(page, check_a11y, lang, f"/{lang}/")
    assert not is_logged_in(page)

    # ... and back in, with the password and then a code from the authenticator.
    with page.expect_navigation():
        page.locator("header a[href$='/account/login/']").click()
    arrive(page, check_a11y, lang, f"/{lang}/account/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/2fa/authenticate/")
    assert not is_logged_in(page)
    page.fill("#id_code", totp_now(secret))
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/")
    assert is_logged_in(page)

    # Download my data: one JSON file with the handle and the consents.
    page.goto(f"/{lang}/account/settings/")
    with page.expect_navigation():
        page.locator("main a[href$='/account/data/']").click()
    arrive(page, check_a11y, lang, f"/{lang}/account/data/")
    with page.expect_download() as download_info:
        page.locator("main form[method=post] [type=submit]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    archive = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert archive["account"]["handle"] == handle
    assert archive["account"]["email"] == email
    granted = {c["purpose"] for c in archive["consents"] if c["granted"]}
    assert granted == {ConsentPurpose.HEALTH_DATA, ConsentPurpose.EMAIL_DIGEST}
    assert {f["type"] for f in archive["security"]["second_factors"]} >= {"totp"}
    assert secret not in json.dumps(archive), "the export must not contain the TOTP secret"

    # Delete the account: keep the posts anonymised, confirm with the password.
    page.goto(f"/{lang}/account/settings/")
    with page.expect_navigation():
        page.locator("main a[href$='/account/delete/']").click()
    arrive(page, check_a11y, lang, f"/{lang}/account/delete/")
    page.check(f"input[name=mode][value={ErasureMode.ANONYMISE}]")
    page.fill("#id_password", PASSWORD)
    page.check("#id_confirm")
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/deleted/")
    assert not is_logged_in(page)

    user = User.objects.get(email=email)
    assert user.erasure_requested_at is not None
    assert user.erasure_mode == ErasureMode.ANONYMISE

    # Logged out for real: the account pages ask to log in.
    page.goto(f"/{lang}/account/settings/")
    arrive(page, check_a11y, lang)
    assert f"/{lang}/account/login/" in page.url
