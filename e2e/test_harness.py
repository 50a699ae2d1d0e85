"""The journeys' guards work: the site's CSP is really enforced in the browser (axe runs
without weakening it), and a request to any other host is blocked and reported."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.conftest import Watch


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_csp_stays_enforced_while_axe_runs(page: Any, check_a11y: Any, watch: Watch) -> None:
    page.goto("/en/")
    check_a11y(page)  # axe is in the page although inline scripts are refused ...
    assert page.evaluate("() => typeof window.axe") == "object"

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.pvInlineRan = true";
          document.head.append(script);
        }"""
    )
    # ... as this inline script is: the CSP refused it and the watch saw the refusal.
    assert page.evaluate("() => window.pvInlineRan === undefined")
    # Console messages arrive asynchronously: wait for the report, up to 5 seconds.
    for _ in range(100):
        if any("script-src" in text for text in watch.csp_violations):
            break
        page.wait_for_timeout(50)
    assert any("script-src" in text for text in watch.csp_violations), watch.csp_violations
    watch.csp_violations.clear()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_requests_to_other_hosts_are_blocked_and_reported(
    page: Any, watch: Watch, base_url: str
) -> None:
    page.goto("/en/")
    elsewhere = "http://third-party.invalid/tracker.js"
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto(elsewhere)
    assert watch.third_party == [elsewhere]
    # The live server's own origin is never mistaken for a third party.
    assert not any(url.startswith(base_url) for url in watch.third_party)
    watch.third_party.clear()
