"""Browser journeys: real Chromium (Debian's, not a downloaded one) driven by Playwright.

* One browser per pytest process (so one per xdist worker), a fresh context per test.
  Tests share nothing but the migrated database (restored before each test).
* Every test gets a ``page`` at two viewports (phone 390x844, desktop 1280x900).
* ``check_a11y(page)`` runs axe-core (WCAG 2.0/2.1/2.2 A and AA) in the page.
* The site's CSP stays on: axe is evaluated through the DevTools protocol, which CSP
  does not govern, and any CSP violation or script error the site itself causes fails
  the test.
* Requests to any host but the live server are aborted and fail the test.
* A failing test leaves a full-page screenshot and the HTML in ``e2e/artifacts/``.

``e2e/install.sh`` (``make e2e-deps``) installs Chromium and axe-core.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Journeys shared by several test modules assert too; pytest should explain those failures.
pytest.register_assert_rewrite("e2e.member_journey")

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts"
AXE_PATH = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
# WCAG 1.4.10: 1280x1024 at 400 % zoom is a 320x256 CSS pixel viewport. Only for tests
# that ask for it: @pytest.mark.parametrize("viewport", ["reflow"], indirect=True).
EXTRA_VIEWPORTS: dict[str, dict[str, Any]] = {
    "reflow": {"viewport": {"width": 320, "height": 256}},
}
DEFAULT_TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under e2e/ is a browser journey against ``live_server`` in another
    thread, so it cannot run inside a rolled-back transaction. ``serialized_rollback``
    puts back what the migrations wrote (the published policies) before each test, and
    pytest-django runs these tests after the ones that roll back."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"pv_report_{report.when}", report)
    return report


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(
            f"{AXE_PATH.relative_to(E2E_DIR.parent)} is missing: run `make e2e-deps` "
            "(bash e2e/install.sh) first.",
            pytrace=False,
        )
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="package")
def browser(django_db_setup: None) -> Iterator[Any]:
    """One Chromium per pytest process (each xdist worker has its own), kept while the
    process runs e2e tests and closed when it moves on to other tests, so that what is
    said below never touches them. pytest-django runs the e2e tests (transactional)
    after the others, so in practice each worker starts Chromium once.

    Playwright's sync API keeps an asyncio loop registered as *running* in this thread
    for as long as it lives. Two things in Django change when a loop runs:

    * it refuses ORM calls ("You cannot call this from an async context"). None of the
      code here is async (restoring the database between tests, factories in a test
      body, the flush after it), so that check is switched off while Playwright runs;
    * ``django.db.connections`` keeps its connections per asyncio context instead of
      per thread, so it would hand out *new* connection objects that lack what
      pytest-django set up on the old ones (the serialised data that
      ``serialized_rollback`` restores). The test database exists before the browser
      (this fixture depends on ``django_db_setup``), and its connections are carried
      over into the loop's context.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run `make e2e-deps` (bash e2e/install.sh) first.",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    before = {alias: connections[alias] for alias in connections}
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in before.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@dataclass
class Watch:
    """What a page did that a test must not allow."""

    origin: str
    third_party: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = [f"request to a third party (blocked): {url}" for url in self.third_party]
        out += [f"server error: {text}" for text in self.server_errors]
        out += [f"script error: {text}" for text in self.page_errors]
        out += [f"CSP violation: {text}" for text in self.csp_violations]
        return out


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def base_url(live_server: Any) -> str:
    url: str = live_server.url
    return url


@pytest.fixture
def watch(base_url: str) -> Watch:
    return Watch(origin=base_url)


@pytest.fixture
def context(
    browser: Any,
    viewport: str,
    base_url: str,
    watch: Watch,
) -> Iterator[Any]:
    context = browser.new_context(
        base_url=base_url, accept_downloads=True, **(VIEWPORTS | EXTRA_VIEWPORTS)[viewport]
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    # Anything but the live server's own origin (data: URLs never reach a route).
    def block_third_party(route: Any) -> None:
        watch.third_party.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(re.compile("^(?!" + re.escape(base_url) + "(/|$))"), block_third_party)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context: Any, watch: Watch, request: pytest.FixtureRequest) -> Iterator[Any]:
    page = context.new_page()
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))

    def on_console(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            watch.csp_violations.append(message.text)
        elif message.type == "error" and message.text.startswith("htmx:"):
            # htmx reports a failed swap on the console, not as a page error.
            watch.page_errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.status >= 500:
            watch.server_errors.append(
                f"{response.status} {response.request.method} {response.url}"
            )

    page.on("console", on_console)
    page.on("response", on_response)
    yield page
    call = getattr(request.node, "pv_report_call", None)
    problems = watch.problems()
    if call is not None and call.failed:
        _save_artifacts(page, request.node.nodeid, problems)
    elif call is not None and problems:
        _save_artifacts(page, request.node.nodeid, problems)
        pytest.fail("\n".join(problems), pytrace=False)


def _save_artifacts(page: Any, nodeid: str, problems: list[str]) -> None:
    """A full-page screenshot, the HTML and what else the browser saw, for a failed test."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.removeprefix("e2e/"))[:150]
    if problems:
        (ARTIFACTS / f"{stem}.problems.txt").write_text("\n".join(problems) + "\n")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # the page may be gone; the test failure says more
        print(f"e2e: could not save artifacts for {nodeid}: {exc}")


# --- Accessibility -----------------------------------------------------------------------------

_AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.map(String).join(" "),
                                 summary: n.failureSummary || ""})),
  }));
}
"""


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(axe_source: str) -> Any:
    """``check_a11y(page)``: assert that axe finds no WCAG A/AA violations on the page.

    axe is evaluated through the DevTools protocol rather than added as a ``<script>``:
    an inline script would be (rightly) refused by the site's ``script-src 'self'``.
    """

    def check(page: Any) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(f"() => {{ {axe_source}\n}}")
        violations = page.evaluate(_AXE_RUN, AXE_TAGS)
        assert not violations, format_violations(page.url, violations)

    return check
