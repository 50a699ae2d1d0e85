"""Side-effect safety in the browser (issue 7, item 7): a member writes that a medicine
gave them headaches -> the safety officer sees the signal with its clock -> makes a
valid case -> exports it as ICH E2B(R3) XML. In Swedish on a phone and in English on a
desktop.

1. A member opens a discussion in a public community. The reply form says that what
   they write about side effects may be passed on; they publish "I got terrible
   headaches from Sertralin" (htmx swaps the thread in, no page load).
2. The after-publish hooks run: under pytest the task backend is Django's
   ``ImmediateBackend`` (``settings.TASKS``, ``TESTING``), so ``core.publishing``'s
   ``run_after_publish`` runs in the live server's thread when the reply's transaction
   commits, before the answer is rendered. The ``safety.signals`` hook opens one
   signal, Day 0 the moment of publication.
3. The author sees "Report a side effect yourself to Läkemedelsverket" under their own
   post; another member reading the same thread does not.
4. A safety officer (the group ``SAFETY_OFFICER_GROUP``, logged in with an
   authenticator code) opens the safety queue: the signal's row shows its age, the
   15-day countdown and the excerpt with the medicine and the reaction marked. The
   officer opens it and decides "a case".
5. The case form starts from the signal (reporter, medicine, reaction). Sent with a
   narrative over the limit it comes back (400) with the error summary naming the
   narrative and every answer kept; sent with all four criteria it opens a valid case,
   due in 90 days (not serious).
6. "Export E2B(R3) XML" downloads one XML file: an HL7 v3 ``MCCI_IN200100UV01`` batch in
   ``urn:hl7-org:v3`` holding the reaction in the member's words.

axe-core checks every page reached. Every person has a browser of their own (as in the
moderation and professional journeys); expected wording is the catalogue's, looked up
in the page's language (``translation.override`` + ``pgettext``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import npgettext, pgettext

from e2e.conftest import Watch
from e2e.member_journey import arrive, submit, translated
from e2e.test_moderation_journey import heading, log_in, log_in_with_code, messages, people
from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Post
from patientvoice.core.models import ContentStatus
from patientvoice.directory.medicine_views import SIDE_EFFECT_REPORT_URL
from patientvoice.directory.queries import medicine_name
from patientvoice.safety.concepts import reaction_label
from patientvoice.safety.detection import reset_default_detector
from patientvoice.safety.models import SafetyCase, SafetySignal, SignalStatus
from patientvoice.safety.permissions import SAFETY_OFFICER_GROUP
from patientvoice.safety.queries import countdown, days_since

HL7 = "urn:hl7-org:v3"
POST = {
    "sv": "Jag fick fruktansvärd huvudvärk av Sertralin",
    "en": "I got terrible headaches from Sertralin",
}
REACTION_WORDS = {"sv": "huvudvärk", "en": "headache"}
NARRATIVE = {
    "sv": "Medlemmen fick svår huvudvärk efter att ha börjat med sertralin. Inget om "
    "dos, tid eller förlopp.",
    "en": "The member got severe headaches after starting sertraline. Nothing about "
    "dose, timing or outcome.",
}
# Over SafetyCase.MAX_NARRATIVE_LENGTH (10,000): the narrative pasted twice, and more.
TOO_LONG = "Huvudvärken började på dag tre och höll i sig. " * 220


def _language(viewport: str) -> str:
    return "sv" if viewport == "phone" else "en"


def _with_authenticator(person: User) -> str:
    secret: str = generate_totp_secret()
    TOTP.activate(person, secret)
    return secret


def _world(lang: str) -> dict[str, Any]:
    """A public community with a question about side effects; the member who will
    answer it, another member, and a safety officer with an authenticator app."""
    # The detector reads the directory once per process: build it from this test's.
    reset_default_detector(None)
    community = community_actions.create_community(
        actor=None, name="Depression och ångest", description="Vi som lever med depression."
    )
    author = UserFactory.create(
        handle=f"Maja_{lang}", email=f"maja.{lang}@example.org", preferred_language=lang
    )
    other = UserFactory.create(
        handle=f"Olle_{lang}", email=f"olle.{lang}@example.org", preferred_language=lang
    )
    for person in (author, other):
        community_actions.join_community(user=person, community=community)
    thread, _ = community_actions.create_thread(
        author=other, community=community, title="Första veckorna med ny medicin",
        body="Vad märkte ni de första veckorna? Jag är lite orolig.", language="sv",
    )  # fmt: skip
    officer = UserFactory.create(
        handle=f"Sakerhet_{lang}", email=f"sakerhet.{lang}@example.org", preferred_language=lang
    )
    group, _ = Group.objects.get_or_create(name=SAFETY_OFFICER_GROUP)
    officer.groups.add(group)
    return {
        "community": community,
        "thread": thread,
        "author": author,
        "other": other,
        "officer": (officer, _with_authenticator(officer)),
    }


def post_signal_case_and_export(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    lang = _language(viewport)
    world = _world(lang)
    thread, community = world["thread"], world["community"]
    officer_user, officer_secret = world["officer"]
    thread_path = f"/{lang}/c/{community.slug}/t/{thread.public_id}/"

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    def counted(context: str, singular: str, plural: str, days: int) -> str:
        with translation.override(lang):
            return npgettext(context, singular, plural, days) % {"days": days}

    def text(locator: Any) -> str:
        return " ".join(locator.inner_text().split())

    with translation.override(lang):
        queue_path = reverse("safety:queue")
        report_yourself = pgettext(
            "safety report link", "Report a side effect yourself to Läkemedelsverket"
        )
        composer_notice = pgettext(
            "composer notice",
            "If you write about a side effect of a medicine, it may be passed on to the "
            "safety department of the company that makes it, without your handle or e-mail "
            "address. You can also report a side effect yourself to Läkemedelsverket.",
        )

    stem = f"safety_{lang}_{viewport}"
    with people(browser, base_url, viewport, watch, stem) as crowd:
        # 1. The member reads the discussion; the reply form tells them side effects
        # may be passed on, and they answer.
        member = page
        log_in(member, lang, world["author"].email)
        member.goto(thread_path)
        arrive(member, check_a11y, lang, thread_path)
        reply_form = member.locator("main form[action$='/reply/']")
        assert text(reply_form.locator(".safety-notice")) == composer_notice
        member.fill("#id_body", POST[lang])
        reply_form.locator("[type=submit]").click()
        shown = member.locator("main article.post").filter(has_text=POST[lang])
        shown.wait_for()  # htmx swaps the thread in: no page load
        check_a11y(member)
        assert member.input_value("#id_body") == ""

        # 2. The after-publish hook ran on commit (ImmediateBackend): one signal,
        # Day 0 at publication.
        post = Post.objects.get(thread=thread, author=world["author"])
        assert post.status == ContentStatus.PUBLISHED
        assert post.language == lang
        signal = SafetySignal.objects.get(content_kind="communities.post", object_id=post.pk)
        assert signal.status == SignalStatus.NEW
        assert signal.medicine is not None
        assert signal.medicine.slug == "sertraline"
        assert signal.reaction == "headache"
        assert signal.day_zero == post.published_at
        assert SafetySignal.objects.count() == 1  # the question above it names no medicine
        article = f"main #post-{post.public_id}"

        # 3. Back on the thread, the author is offered to report it themselves ...
        member.goto(thread_path)
        arrive(member, check_a11y, lang, thread_path)
        link = member.locator(f"{article} .safety-report-yourself a")
        assert link.count() == 1
        assert text(link) == report_yourself
        assert link.get_attribute("href") == SIDE_EFFECT_REPORT_URL
        assert member.locator("main .safety-report-yourself").count() == 1

        # ... another member reading the same thread is not.
        other = crowd.page("other")
        log_in(other, lang, world["other"].email)
        other.goto(thread_path)
        arrive(other, check_a11y, lang, thread_path)
        assert POST[lang] in text(other.locator(f"{article} .post-body"))
        assert other.locator("main .safety-report-yourself").count() == 0
        assert report_yourself not in text(other.locator("main"))

        # 4. The safety officer logs in with a code and opens the queue: the signal with
        # its age, countdown and the marked excerpt.
        officer = crowd.page("officer")
        log_in_with_code(officer, check_a11y, lang, officer_user.email, officer_secret)
        officer.goto(queue_path)
        arrive(officer, check_a11y, lang, queue_path)
        assert heading(officer) == t("safety queue", "Safety signals")
        row = officer.locator(f"main #signal-{signal.public_id}")
        assert row.count() == 1
        cells = row.locator("td")
        age = days_since(signal.day_zero)
        assert age == 0
        assert text(cells.nth(0)) == counted("safety age", "%(days)s day", "%(days)s days", age)
        clock = countdown(signal.serious_deadline)
        assert clock is not None
        assert clock.left in (14, 15), clock
        assert text(cells.nth(1)) == counted(
            "safety countdown", "%(days)s day left", "%(days)s days left", clock.left
        )
        medicine_mark = text(row.locator("mark.safety-medicine"))
        reaction_mark = text(row.locator("mark.safety-reaction"))
        assert medicine_mark == "Sertralin", medicine_mark
        assert REACTION_WORDS[lang] in reaction_mark.casefold(), reaction_mark
        assert POST[lang] in text(row.locator(".safety-excerpt"))
        assert text(cells.nth(3)) == medicine_name(signal.medicine, lang)
        assert text(cells.nth(4)) == reaction_label("headache", lang)

        # The officer opens the signal and decides: a case.
        with officer.expect_navigation():
            row.get_by_role("link", name=t("safety queue", "Open"), exact=False).click()
        signal_path = f"/{lang}/safety/signals/{signal.public_id}/"
        arrive(officer, check_a11y, lang, signal_path)
        assert heading(officer) == t("safety signal", "Safety signal")
        assert POST[lang] in text(officer.locator("main blockquote.safety-excerpt"))
        facts = text(officer.locator("main dl.facts"))
        assert counted("safety age", "%(days)s day", "%(days)s days", 0) in facts
        officer.check("main input[name=decision][value=case]")
        submit(officer, f"main form[action='{signal_path}']")
        case_new_path = f"{signal_path}case/"
        arrive(officer, check_a11y, lang, case_new_path)
        assert heading(officer) == t("safety case", "New safety case")

        # 5. The case form starts from the signal: reporter, medicine and reaction
        # known; the patient is for the officer to judge.
        assert officer.is_checked("#id_identifiable_reporter")
        assert officer.is_checked("#id_suspect_medicine_known")
        assert officer.is_checked("#id_reaction_known")
        assert not officer.is_checked("#id_identifiable_patient")
        assert officer.input_value("#id_suspect_medicine") == str(signal.medicine.pk)
        assert officer.input_value("#id_reaction") == "headache"
        assert officer.is_checked("main input[name=origin][value=spontaneous]")

        # Sent with a narrative over the limit: refused, the summary names the
        # narrative, and every answer is kept. (The browser caps the textarea at the
        # limit, so a person cannot type this; a script or an old browser can, and the
        # server must answer it. The cap is taken off as such a client would.)
        officer.check("#id_identifiable_patient")
        officer.evaluate("document.querySelector('#id_narrative').removeAttribute('maxlength')")
        officer.fill("#id_narrative", TOO_LONG)
        with officer.expect_navigation() as refused:
            officer.locator(f"main form[action='{case_new_path}'] [type=submit]").click()
        assert refused.value.status == 400
        arrive(officer, check_a11y, lang, case_new_path)
        summary = officer.locator("main .error-summary")
        assert t("form errors", "Please check what you wrote. Your text is kept below.") in (
            text(summary)
        )
        assert summary.locator("a[href='#id_narrative']").count() == 1
        assert text(summary.locator("a[href='#id_narrative']")).startswith(
            t("safety case form", "Narrative")
        )
        assert officer.get_attribute("#id_narrative", "aria-invalid") == "true"
        assert officer.input_value("#id_narrative").strip() == TOO_LONG.strip()
        for kept in ("reporter", "patient"):
            assert officer.is_checked(f"#id_identifiable_{kept}"), kept
        assert officer.is_checked("#id_suspect_medicine_known")
        assert officer.is_checked("#id_reaction_known")
        assert officer.input_value("#id_reaction") == "headache"
        assert not SafetyCase.objects.exists()

        # With a narrative of the right length: the case opens, valid, due in 90 days.
        officer.fill("#id_narrative", NARRATIVE[lang])
        submit(officer, f"main form[action='{case_new_path}']")
        case = SafetyCase.objects.get(signal=signal)
        case_path = f"/{lang}/safety/cases/{case.public_id}/"
        arrive(officer, check_a11y, lang, case_path)
        assert t("safety case", "The case is open.") in messages(officer)
        assert case.is_valid
        assert not case.is_serious
        assert case.deadline_days == 90
        facts = text(officer.locator("main dl.facts").first)
        assert t("safety case", "Yes: all four minimum criteria are met") in facts
        with translation.override(lang):
            deadline = pgettext("safety case", "Deadline (%(days)s days)") % {"days": 90}
        assert deadline in facts
        case_clock = countdown(case.due_at)
        assert case_clock is not None
        assert (
            counted("safety countdown", "%(days)s day left", "%(days)s days left", case_clock.left)
            in facts
        )
        signal.refresh_from_db()
        assert signal.status == SignalStatus.CASE

        # 6. Export E2B(R3) XML: one XML file, an HL7 v3 batch with the reaction as the
        # member wrote it.
        export = officer.locator("main").get_by_role(
            "link", name=t("safety export", "Export E2B(R3) XML")
        )
        with (
            officer.expect_response(lambda r: r.url.endswith(f"{case_path}e2b/")) as answer,
            officer.expect_download() as download_info,
        ):
            export.click()
        assert answer.value.status == 200
        assert answer.value.headers["content-type"].startswith("application/xml")
        download = download_info.value
        assert download.suggested_filename.startswith(f"{case.reference}_e2b_")
        assert download.suggested_filename.endswith(".xml")
        document = Path(download.path()).read_bytes()
        root = ET.fromstring(document)  # noqa: S314 - our own output, in a test
        assert root.tag == f"{{{HL7}}}MCCI_IN200100UV01", root.tag
        assert len(root.findall(f"{{{HL7}}}PORR_IN049016UV")) == 1
        original = [(element.text or "") for element in root.iter(f"{{{HL7}}}originalText")]
        assert any(REACTION_WORDS[lang] in words.casefold() for words in original), original
        assert POST[lang] in document.decode("utf-8")
        assert NARRATIVE[lang] in document.decode("utf-8")
        # The officer is still on the case page: a download is not a navigation.
        assert officer.url.endswith(case_path), officer.url


def test_a_side_effect_a_member_writes_becomes_a_valid_case_exported_as_e2b(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    post_signal_case_and_export(page, check_a11y, browser, base_url, viewport, watch)
