"""Moderation in the browser (issue 4, item 12), in Swedish and in English, on a phone
and on a desktop: a member reports a post in a community an organisation hosts; one of
the organisation's moderators (logged in with two-step verification) finds it in the
queue and hides it with a ground and an explanation; the post's author reads the
statement of reasons and appeals; the moderator who decided may not decide the appeal
(403), a second moderator of the organisation reverses it with reasons; the author
reads the outcome and the post is shown again; the transparency report counts it all.
And a visitor without an account sends a notice of illegal content and gets a reference.

Every person has a browser of their own (a context: cookies apart), as they would.
Expected wording is the catalogue's, looked up in the page's language
(``translation.override`` + ``pgettext``), so the journey holds whatever the
translators write. axe-core checks every page the journey reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from e2e.conftest import ARTIFACTS, DEFAULT_TIMEOUT_MS, VIEWPORTS, Watch
from e2e.member_journey import arrive, submit, translated
from e2e.totp import totp_now
from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import PASSWORD, UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Post
from patientvoice.moderation.models import (
    Action,
    Appeal,
    AppealStatus,
    IllegalType,
    ReasonCode,
    Report,
    ReportReason,
    StatementOfReasons,
)
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.models import OrganizationKind, StaffRole

REFERENCE = re.compile(r"PV-\d{4}-\d{6}")
CLAIM = "Sluta med metotrexat och drick ingefärsshots i stället, det botar RA på en månad."
FLAG_WHY = "Det här kan få någon att sluta med sin medicin."
HIDE_WHY = "Inlägget avråder från ordinerad behandling utan belägg; se gemenskapens riktlinjer."
APPEAL_WHY = "Jag berättade bara vad som hjälpte mig, jag uppmanade ingen att sluta."
REVERSE_WHY = "Inlägget beskriver en egen erfarenhet; det räcker med en etikett om något."


# --- people and places, made through the actions ----------------------------------------


def _moderator(organization: Any, handle: str, email: str, lang: str) -> tuple[User, str]:
    """A moderator of ``organization`` with an authenticator app (its secret returned)."""
    person = UserFactory.create(handle=handle, email=email, preferred_language=lang)
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    organization_actions.add_staff(
        actor=None, organization=organization, user=person, role=StaffRole.MODERATOR
    )
    return person, secret


def _world(lang: str) -> dict[str, Any]:
    organization = organization_actions.create_organization(
        actor=None, name="Ledstöd", kind=OrganizationKind.ADVOCACY, verified=True
    )
    community = community_actions.create_community(
        actor=None, name="Reumatoid artrit", description="Vi som lever med RA.",
        organization=organization,
    )  # fmt: skip
    author = UserFactory.create(handle="Anna_R", email="anna@example.org", preferred_language=lang)
    reporter = UserFactory.create(handle="Bo_L", email="bo@example.org", preferred_language=lang)
    for person in (author, reporter):
        community_actions.join_community(user=person, community=community)
    thread, _ = community_actions.create_thread(
        author=reporter, community=community, title="Metotrexat och trötthet",
        body="Hur orkar ni med tröttheten de första veckorna?", language="sv",
    )  # fmt: skip
    post = community_actions.reply_to_thread(
        author=author, thread=thread, body=CLAIM, language="sv"
    ).content
    first, first_secret = _moderator(organization, "Moderator_Eva", "eva@example.org", lang)
    second, second_secret = _moderator(organization, "Moderator_Filip", "filip@example.org", lang)
    return {
        "community": community,
        "thread": thread,
        "post": post,
        "author": author,
        "reporter": reporter,
        "first": (first, first_secret),
        "second": (second, second_secret),
    }


# --- browsers ------------------------------------------------------------------------------


class People:
    """A browser context per person, set up as conftest's ``context`` and ``page`` are:
    the same viewport, only the live server reachable, and script errors, CSP
    violations and server errors collected in the test's ``watch`` (which fails the
    test). On failure each person's page is saved to e2e/artifacts/."""

    def __init__(self, browser: Any, base_url: str, viewport: str, watch: Watch) -> None:
        self.browser, self.base_url, self.viewport, self.watch = (
            browser, base_url, viewport, watch,
        )  # fmt: skip
        self.contexts: list[Any] = []
        self.pages: dict[str, Any] = {}

    def page(self, who: str) -> Any:
        if who in self.pages:
            return self.pages[who]
        context = self.browser.new_context(base_url=self.base_url, **VIEWPORTS[self.viewport])
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        watch = self.watch

        def block_third_party(route: Any) -> None:
            watch.third_party.append(route.request.url)
            route.abort("blockedbyclient")

        context.route(re.compile("^(?!" + re.escape(self.base_url) + "(/|$))"), block_third_party)
        page = context.new_page()
        page.on("pageerror", lambda error: watch.page_errors.append(f"{who}: {error}"))

        def on_console(message: Any) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                watch.csp_violations.append(f"{who}: {message.text}")
            elif message.type == "error" and message.text.startswith("htmx:"):
                watch.page_errors.append(f"{who}: {message.text}")

        def on_response(response: Any) -> None:
            if response.status >= 500:
                watch.server_errors.append(f"{who}: {response.status} {response.url}")

        page.on("console", on_console)
        page.on("response", on_response)
        self.contexts.append(context)
        self.pages[who] = page
        return page

    def save(self, stem: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for who, page in self.pages.items():
            try:
                page.screenshot(path=str(ARTIFACTS / f"{stem}.{who}.png"), full_page=True)
                (ARTIFACTS / f"{stem}.{who}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # the page may be gone; the failure says more
                print(f"e2e: could not save {who}'s page: {exc}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@contextmanager
def people(browser: Any, base_url: str, viewport: str, watch: Watch, stem: str) -> Iterator[People]:
    crowd = People(browser, base_url, viewport, watch)
    try:
        yield crowd
    except BaseException:
        crowd.save(stem)
        raise
    finally:
        crowd.close()


# --- steps ---------------------------------------------------------------------------------


def log_in_with_code(page: Any, check_a11y: Any, lang: str, email: str, secret: str) -> None:
    """Password, then a code from the authenticator app: moderating powers are active
    only in a session that passed two-step verification."""
    page.goto(f"/{lang}/account/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/2fa/authenticate/")
    page.fill("#id_code", totp_now(secret))
    submit(page)
    page.wait_for_load_state("load")
    assert "/account/" not in page.url, f"still logging in at {page.url}"
    assert page.locator("html").get_attribute("lang") == lang, page.url


def log_in(page: Any, lang: str, email: str) -> None:
    page.goto(f"/{lang}/account/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert "/account/login/" not in page.url, f"not logged in: {page.url}"


def heading(page: Any) -> str:
    text: str = page.locator("main h1").inner_text()
    return " ".join(text.split())


def headings(page: Any, level: str = "h2") -> list[str]:
    return [" ".join(t.split()) for t in page.locator(f"main {level}").all_inner_texts()]


def messages(page: Any) -> str:
    text: str = page.locator("main .messages").inner_text()
    return " ".join(text.split())


def header_count(page: Any) -> str | None:
    badge = page.locator("header [data-testid=moderation-count]")
    if badge.count() == 0:
        return None
    return str(badge.inner_text()).split()[0]


def thread_shows(page: Any, post: Post) -> bool:
    shown: bool = page.locator(f"#post-{post.public_id} .post-body").count() == 1
    return shown


def moderate_and_appeal(
    page: Any,
    check_a11y: Any,
    browser: Any,
    base_url: str,
    viewport: str,
    watch: Watch,
    lang: str,
) -> None:
    world = _world(lang)
    post, thread, community = world["post"], world["thread"], world["community"]
    first, first_secret = world["first"]
    second, second_secret = world["second"]
    thread_path = f"/{lang}/c/{community.slug}/t/{thread.public_id}/"

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    with translation.override(lang):
        hidden_text = pgettext(
            "moderation statement",
            "Your %(what)s was hidden. Only you and the moderators can see it now.",
        ) % {"what": pgettext("moderated item", "post")}
        hide_label = str(Action.HIDE.label)
        ground_label = str(ReasonCode.MEDICAL_MISINFORMATION.label)
        reversed_label = str(AppealStatus.REVERSED.label)
        open_label = str(AppealStatus.OPEN.label)

    stem = f"moderation_{lang}_{viewport}"
    with people(browser, base_url, viewport, watch, stem) as crowd:
        # 1. A member reports the post: Report -> reason -> explanation -> send.
        reporter = page
        log_in(reporter, lang, world["reporter"].email)
        reporter.goto(thread_path)
        arrive(reporter, check_a11y, lang)
        with reporter.expect_navigation():
            reporter.locator(f"#post-{post.public_id} a.report-link").click()
        arrive(reporter, check_a11y, lang, f"/moderation/flag/post/{post.public_id}/")
        assert heading(reporter) == t("flag page", "Report content")
        assert CLAIM[:40] in reporter.locator(".flag-target blockquote").inner_text()
        reporter.check(f"input[name=reason][value={ReportReason.MEDICAL_MISINFORMATION}]")
        reporter.fill("#id_explanation", FLAG_WHY)
        submit(reporter, "form.flag-form")
        report = Report.objects.get()
        arrive(reporter, check_a11y, lang, f"/{lang}/moderation/my-reports/{report.public_id}/")
        assert heading(reporter) == t("report page", "Thank you, your report is sent")
        shown_reference = reporter.locator("main dl.facts strong").first.inner_text()
        assert REFERENCE.fullmatch(shown_reference), shown_reference
        assert shown_reference == report.reference
        assert report.reason == ReportReason.MEDICAL_MISINFORMATION
        assert report.explanation == FLAG_WHY

        # 2. A moderator of the hosting organisation, after two-step verification: the
        # header counts the item, the queue shows it, the case is decided.
        moderator = crowd.page("moderator")
        log_in_with_code(moderator, check_a11y, lang, first.email, first_secret)
        assert header_count(moderator) == "1"
        with moderator.expect_navigation():
            moderator.locator("header a[href$='/moderation/queue/']").click()
        arrive(moderator, check_a11y, lang, f"/{lang}/moderation/queue/")
        assert heading(moderator) == t("moderation queue", "Moderation queue")
        items = moderator.locator("main .queue-item")
        assert items.count() == 1
        assert CLAIM[:40] in items.first.locator(".queue-excerpt").inner_text()
        with moderator.expect_navigation():
            items.first.locator("a.queue-item-link").click()
        case = report.case
        arrive(moderator, check_a11y, lang, f"/{lang}/moderation/queue/{case.public_id}/")
        assert t("moderation case", "Decide") in headings(moderator)
        assert FLAG_WHY in moderator.locator("main").inner_text()
        moderator.check(f"input[name=action][value={Action.HIDE}]")
        moderator.select_option("#id_reason_code", ReasonCode.MEDICAL_MISINFORMATION.value)
        moderator.fill("#id_explanation", HIDE_WHY)
        submit(moderator, "form.decision-form")
        # Nothing else waits: back to the (empty) queue, told what was done.
        arrive(moderator, check_a11y, lang, f"/{lang}/moderation/queue/")
        done = t("moderation case", "Decided: %(action)s. Nothing else is waiting.")
        assert done % {"action": hide_label} in messages(moderator)
        assert moderator.locator("main .queue-item").count() == 0
        assert header_count(moderator) is None
        post.refresh_from_db()
        assert post.status == "hidden"

        # Readers no longer see it.
        visitor = crowd.page("visitor")
        visitor.goto(thread_path)
        arrive(visitor, check_a11y, lang)
        assert not thread_shows(visitor, post)

        # 3. The author reads the statement of reasons under My account and appeals.
        author = crowd.page("author")
        log_in(author, lang, world["author"].email)
        author.goto(f"/{lang}/account/settings/")
        with author.expect_navigation():
            author.locator("main a[href$='/moderation/decisions/']").click()
        arrive(author, check_a11y, lang, f"/{lang}/moderation/decisions/")
        assert heading(author) == t("statements", "My moderation decisions")
        statement = StatementOfReasons.objects.get()
        decisions = author.locator("main .decision")
        assert decisions.count() == 1
        assert decisions.first.locator(".badge-unread").count() == 1
        assert statement.reference in decisions.first.inner_text()
        with author.expect_navigation():
            decisions.first.locator("a").first.click()
        arrive(author, check_a11y, lang, f"/{lang}/moderation/decisions/{statement.public_id}/")
        assert heading(author) == t("statements", "Moderation decision")
        assert headings(author) == [
            t("statements", "What was restricted"),
            t("statements", "Why"),
            t("statements", "How to appeal"),
        ]
        main = " ".join(author.locator("main").inner_text().split())
        assert hidden_text in main  # the restriction
        assert ground_label in main  # the ground
        assert HIDE_WHY in main  # the facts
        assert " ".join(statement.redress_text.split()) in main  # how to appeal
        assert statement.language == lang
        author.fill("#id_text", APPEAL_WHY)
        submit(author)
        arrive(author, check_a11y, lang, f"/{lang}/moderation/decisions/{statement.public_id}/")
        assert open_label in author.locator("main .appeal-status").inner_text()
        assert author.locator("#id_text").count() == 0  # one appeal per decision
        appeal = Appeal.objects.get()
        assert appeal.text == APPEAL_WHY

        # 4. The moderator who decided does not get the appeal: not listed, and its
        # address answers 403 with the reason.
        with moderator.expect_navigation():
            moderator.locator("main nav.moderation-nav a[href$='/queue/appeals/']").click()
        arrive(moderator, check_a11y, lang, f"/{lang}/moderation/queue/appeals/")
        assert moderator.locator("main .queue-item").count() == 0
        response = moderator.goto(f"/{lang}/moderation/queue/appeals/{appeal.public_id}/")
        assert response is not None
        assert response.status == 403
        arrive(moderator, check_a11y, lang)
        assert heading(moderator) == t("error page", "Not allowed")
        assert (
            t(
                "moderation",
                "You made the decision this appeal is about. Another moderator must decide it.",
            )
            in moderator.locator("main").inner_text()
        )
        assert moderator.locator("main form[method=post]").count() == 0

        # 5. A second moderator of the organisation reverses the decision, with reasons.
        other = crowd.page("second_moderator")
        log_in_with_code(other, check_a11y, lang, second.email, second_secret)
        other.goto(f"/{lang}/moderation/queue/")
        arrive(other, check_a11y, lang)
        with other.expect_navigation():
            other.locator("main nav.moderation-nav a[href$='/queue/appeals/']").click()
        arrive(other, check_a11y, lang, f"/{lang}/moderation/queue/appeals/")
        assert heading(other) == t("moderation appeal", "Appeals")
        appeals = other.locator("main .queue-item")
        assert appeals.count() == 1
        assert APPEAL_WHY in appeals.first.inner_text()
        with other.expect_navigation():
            appeals.first.locator("a.queue-item-link").click()
        arrive(other, check_a11y, lang, f"/{lang}/moderation/queue/appeals/{appeal.public_id}/")
        assert t("moderation appeal", "Your decision on the appeal") in headings(other)
        other.check(f"input[name=outcome][value={AppealStatus.REVERSED}]")
        other.fill("#id_reason", REVERSE_WHY)
        submit(other)
        arrive(other, check_a11y, lang, f"/{lang}/moderation/queue/appeals/")
        assert t(
            "moderation appeal", "The appeal is decided and the member is told why."
        ) in messages(other)
        assert other.locator("main .queue-item").count() == 0

        # 6. The author reads the outcome; the post is back for everyone.
        author.reload()
        arrive(author, check_a11y, lang, f"/{lang}/moderation/decisions/{statement.public_id}/")
        outcome = " ".join(author.locator("main .appeal-status").inner_text().split())
        assert reversed_label in outcome
        assert REVERSE_WHY in outcome
        visitor.goto(thread_path)
        arrive(visitor, check_a11y, lang)
        assert thread_shows(visitor, post)
        assert CLAIM in visitor.locator(f"#post-{post.public_id} .post-body").inner_text()

        # 7. The public transparency report counts the report, the decision and the appeal.
        with visitor.expect_navigation():
            visitor.locator("footer a[href$='/moderation/transparency/']").click()
        arrive(visitor, check_a11y, lang, f"/{lang}/moderation/transparency/")
        assert heading(visitor) == t("transparency", "Transparency report")
        figures = {
            name: visitor.locator(f"main dd[data-figure={name}]").inner_text().strip()
            for name in ("notices", "flags", "decisions", "appeals")
        }
        assert figures == {"notices": "0", "flags": "1", "decisions": "1", "appeals": "1"}
        row = visitor.locator("#report-appeals tbody tr").filter(has_text=reversed_label)
        assert row.locator(".report-number").inner_text().strip() == "1"


def visitor_sends_notice(
    page: Any, check_a11y: Any, mailoutbox: list[Any], base_url: str, lang: str
) -> None:
    world = _world(lang)
    post = world["post"]
    with translation.override(lang):
        address = reverse(
            "communities:post",
            kwargs={
                "slug": post.community.slug,
                "thread_id": post.thread.public_id,
                "post_id": post.public_id,
            },
        )

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    # From any page: the footer's contact page leads to the notice form.
    page.goto(address)
    arrive(page, check_a11y, lang)
    with page.expect_navigation():
        page.locator("footer a[href$='/contact/']").click()
    arrive(page, check_a11y, lang)
    with page.expect_navigation():
        page.locator("main a[href$='/moderation/notice/']").click()
    arrive(page, check_a11y, lang, f"/{lang}/moderation/notice/")
    assert heading(page) == t("notice page", "Report illegal content")
    page.fill("#id_url", f"{base_url}{address}")  # copied from the address bar
    page.select_option("#id_illegal_type", IllegalType.MEDICINE_ADVERTISING.value)
    page.fill("#id_explanation", "Inlägget gör reklam för ett receptbelagt läkemedel.")
    page.fill("#id_name", "Karin Berg")
    page.fill("#id_email", "karin@example.org")
    page.check("#id_good_faith")
    submit(page, "form.notice-form")
    arrive(page, check_a11y, lang, f"/{lang}/moderation/notice/sent/")
    assert heading(page) == t("notice page", "Thank you, your notice is received")
    reference = page.locator("main [role=status] strong").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    notice = Report.objects.get(is_notice=True)
    assert notice.reference == reference
    assert notice.reporter is None
    assert notice.object_id == post.pk
    assert notice.case.severity == 3  # a notice of illegal content goes high in the queue
    acknowledgements = [m for m in mailoutbox if m.to == ["karin@example.org"]]
    assert len(acknowledgements) == 1
    assert reference in acknowledgements[0].body


# --- the tests -----------------------------------------------------------------------------


def test_member_reports_moderator_hides_author_appeals_and_another_moderator_reverses_in_swedish(
    page: Any,
    check_a11y: Any,
    browser: Any,
    base_url: str,
    viewport: str,
    watch: Watch,
) -> None:
    moderate_and_appeal(page, check_a11y, browser, base_url, viewport, watch, "sv")


def test_member_reports_moderator_hides_author_appeals_and_another_moderator_reverses_in_english(
    page: Any,
    check_a11y: Any,
    browser: Any,
    base_url: str,
    viewport: str,
    watch: Watch,
) -> None:
    moderate_and_appeal(page, check_a11y, browser, base_url, viewport, watch, "en")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_visitor_sends_a_notice_of_illegal_content_without_an_account(
    page: Any, check_a11y: Any, mailoutbox: list[Any], base_url: str, lang: str
) -> None:
    visitor_sends_notice(page, check_a11y, mailoutbox, base_url, lang)
