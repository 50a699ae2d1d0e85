"""The whole member journey in English, on a phone and on a desktop (e2e/member_journey.py)."""

from __future__ import annotations

from typing import Any

from e2e.member_journey import sign_up_secure_export_and_delete


def test_member_signs_up_secures_exports_and_deletes_their_account_in_english(
    page: Any, check_a11y: Any, mailoutbox: list[Any], base_url: str, viewport: str
) -> None:
    sign_up_secure_export_and_delete(page, check_a11y, mailoutbox, base_url, "en", viewport)
