"""Stories in the browser (issue 8, item 7), in Swedish on a phone and in English on a
desktop: a member writes a story (the draft saved as they type, then with "Save
draft", then published); a visitor comments as a guest, is told it waits and gets a
confirmation link by e-mail; site staff (two-step verification) find the comment in the
moderation queue and keep it; the visitor sees it published under the story.

Every person has a browser of their own (a context: cookies apart). Expected wording
is the catalogue's, looked up in the page's language, so the journey holds whatever
the translators write. axe-core checks every page the journey reaches.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.utils import translation
from django.utils.translation import pgettext

from e2e.conftest import Watch
from e2e.member_journey import arrive, submit, translated
from e2e.test_moderation_journey import heading, log_in, log_in_with_code, messages, people
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.models import Action, Case, ReasonCode
from patientvoice.stories.models import Story, StoryComment, StoryDraft

TITLE = {"sv": "Året då jag lärde mig vila", "en": "The year I learned to rest"}
BODY = {
    "sv": "När jag fick diagnosen trodde jag att jag måste orka allt som förut. Det tog "
    "ett år att lära mig att vila är en del av behandlingen.",
    "en": "When I was diagnosed I thought I had to manage everything as before. It took a "
    "year to learn that rest is part of the treatment.",
}
COMMENT = {
    "sv": "Tack. Jag känner igen mig i varje mening.",
    "en": "Thank you. I recognise myself in every sentence.",
}
GUEST = "Birgitta"
KEEP_WHY = "Kommentaren följer riktlinjerna."


def _language(viewport: str) -> str:
    return "sv" if viewport == "phone" else "en"


def write_comment_and_approve(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    lang = _language(viewport)
    author = UserFactory.create(
        handle=f"Stina_{lang}", email=f"stina.{lang}@example.org", preferred_language=lang
    )
    staff = StaffFactory.create(
        handle=f"Webbteam_{lang}", email=f"staff.{lang}@example.org", preferred_language=lang
    )
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    def text(locator: Any) -> str:
        return " ".join(locator.inner_text().split())

    with translation.override(lang):
        keep_label = str(Action.KEEP.label)
        draft_saved = pgettext(
            "story form", 'Draft saved at <time datetime="%(iso)s">%(time)s</time>.'
        )

    stem = f"story_{lang}_{viewport}"
    with people(browser, base_url, viewport, watch, stem) as crowd:
        # 1. The member finds "Tell your story" on the stories page.
        writer = page
        log_in(writer, lang, author.email)
        writer.goto(f"/{lang}/stories/")
        arrive(writer, check_a11y, lang, f"/{lang}/stories/")
        assert heading(writer) == t("story list", "Patients' stories")
        with writer.expect_navigation():
            writer.locator("main").get_by_role(
                "link", name=t("story list", "Tell your story")
            ).click()
        arrive(writer, check_a11y, lang, f"/{lang}/stories/write/")
        assert heading(writer) == t("story form", "Tell your story")

        # The draft is saved as they type (htmx, after a pause): one draft, named in
        # the form, and the status line says so.
        writer.fill("#id_title", TITLE[lang])
        status = writer.locator("#draft-status")
        status.locator("time").wait_for(timeout=8000)
        assert draft_saved.split("<")[0].strip() in text(status)
        draft = StoryDraft.objects.get(author=author)
        assert draft.title == TITLE[lang]
        assert writer.input_value("#id_draft") == str(draft.public_id)
        check_a11y(writer)

        # "Save draft" (a plain submit, as without JavaScript): the same draft, its page.
        writer.fill("#id_body", BODY[lang])
        with writer.expect_navigation():
            writer.locator("main button[value=save_draft]").click()
        arrive(writer, check_a11y, lang, f"/{lang}/stories/drafts/{draft.public_id}/")
        assert t("story", "Draft saved. Only you can see it.") in messages(writer)
        assert StoryDraft.objects.count() == 1
        assert writer.input_value("#id_body") == BODY[lang]

        # Publish: the story page, with its reading time and share links.
        with writer.expect_navigation():
            writer.locator("main button[value=publish]").click()
        story = Story.objects.get(author=author)
        with translation.override(lang):
            story_path = story.get_absolute_url()
        arrive(writer, check_a11y, lang, story_path)
        assert story.status == ContentStatus.PUBLISHED
        assert t("story", "Your story is published.") in messages(writer)
        assert heading(writer) == TITLE[lang]
        assert writer.locator("main .story-share a[href^='mailto:']").count() == 1
        assert not StoryDraft.objects.exists()

        # 2. A visitor comments as a guest: told the address is never shown, and that a
        # moderator reads it first.
        visitor = crowd.page("visitor")
        visitor.goto(story_path)
        arrive(visitor, check_a11y, lang, story_path)
        form = visitor.locator("main #comment-form")
        assert t(
            "comments", "Your e-mail address will not be published. Required fields are marked *"
        ) in text(form)
        visitor.fill("#id_name", GUEST)
        visitor.fill("#id_email", "birgitta@example.org")
        visitor.fill("#id_body", COMMENT[lang])
        submit(visitor, "main #comment-form")
        arrive(visitor, check_a11y, lang)
        assert t(
            "comment",
            "Thank you. A moderator reads comments from visitors before they are shown. We "
            "have sent you an e-mail with a link to confirm your comment.",
        ) in messages(visitor)
        comment = StoryComment.objects.get(story=story)
        assert comment.status == ContentStatus.HELD
        assert COMMENT[lang] not in text(visitor.locator("main #comments"))
        assert any("birgitta@example.org" in m.to for m in mail.outbox)

        # 3. Site staff, after two-step verification, keep it from the queue.
        moderator = crowd.page("moderator")
        log_in_with_code(moderator, check_a11y, lang, staff.email, secret)
        moderator.goto(f"/{lang}/moderation/queue/")
        arrive(moderator, check_a11y, lang, f"/{lang}/moderation/queue/")
        case = Case.objects.get(kind="story_comment", object_id=comment.pk)
        item = moderator.locator("main .queue-item", has_text=COMMENT[lang][:20])
        assert item.count() == 1
        with moderator.expect_navigation():
            item.first.locator("a.queue-item-link").click()
        arrive(moderator, check_a11y, lang, f"/{lang}/moderation/queue/{case.public_id}/")
        assert GUEST in text(moderator.locator("main"))
        assert "birgitta@example.org" not in text(moderator.locator("main"))
        moderator.check(f"input[name=action][value={Action.KEEP}]")
        moderator.select_option("#id_reason_code", ReasonCode.NO_VIOLATION.value)
        moderator.fill("#id_explanation", KEEP_WHY)
        submit(moderator, "form.decision-form")
        arrive(moderator, check_a11y, lang)
        done = t("moderation case", "Decided: %(action)s. Nothing else is waiting.")
        assert done % {"action": keep_label} in messages(moderator)
        comment.refresh_from_db()
        assert comment.status == ContentStatus.PUBLISHED

        # 4. The visitor sees the comment under the story, with their name.
        visitor.goto(story_path)
        arrive(visitor, check_a11y, lang, story_path)
        shown = visitor.locator(f"main #comment-{comment.public_id}")
        assert COMMENT[lang] in text(shown)
        assert GUEST in text(shown)


def test_a_member_writes_a_story_a_guest_comments_and_a_moderator_approves(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    write_comment_and_approve(page, check_a11y, browser, base_url, viewport, watch)
