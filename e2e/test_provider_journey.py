"""The provider's voice in the browser (issue 5, items 5-6; decisions/0032): in Swedish
on a phone and in English on a desktop. A clinic's representative, whose claim staff
approved, logs in with password and authenticator code, opens the clinic's page and
replies publicly to a review (first sending the form empty, and being told so). The
reviewer is told in their review notices, reads the reply and confirms "a change was
made" with a short note. A visitor then reads the reply and the confirmation under the
review. axe-core checks every page reached, among them the clinic's page, the reply
form (empty and refused) and the "a change was made" form.

Every person has a browser of their own, as in the moderation journey. Expected wording
is the catalogue's, looked up in the page's language (``translation.override`` +
``pgettext``), so the journey holds whatever the translators write.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import translation

from e2e.conftest import Watch
from e2e.member_journey import arrive, submit, translated
from e2e.test_moderation_journey import heading, log_in, log_in_with_code, messages, people
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.models import ContentStatus
from patientvoice.reviews.models import ReviewNotice, ReviewReply
from patientvoice.reviews.tests.factories import clinic, review
from patientvoice.reviews.tests.provider_factories import approved_claim

CLINIC_NAME = "Vårdcentralen Solsidan"
ROLE = "Verksamhetschef"
REVIEW_TEXT = "Det tog fyrtio minuter att komma fram i telefonen, men läkaren var mycket bra."
OTHER_REVIEW_TEXT = "Trevligt bemötande och rent i väntrummet."
REPLY_TEXT = {
    "sv": "Tack för att du berättade. Nu svarar två sjuksköterskor till i telefonen på "
    "förmiddagarna, så att väntan ska bli kortare.",
    "en": "Thank you for telling us. Two more nurses now answer the phone in the mornings, "
    "so that the wait is shorter.",
}
CHANGE_NOTE = {
    "sv": "Nu kom jag fram på fem minuter.",
    "en": "This time I got through in five minutes.",
}


def _language(viewport: str) -> str:
    return "sv" if viewport == "phone" else "en"


def _world(lang: str) -> dict[str, Any]:
    """A clinic with two reviews, and a representative with an authenticator app whose
    claim staff approved (made through the actions, as the factories do)."""
    place = clinic(slug=f"solsidan-{lang}", name=CLINIC_NAME)
    reviewer = UserFactory.create(
        handle=f"Granskare_{lang}", email=f"granskare.{lang}@example.org", preferred_language=lang
    )
    reviewed = review(place, 3, author=reviewer, body=REVIEW_TEXT, language="sv")
    review(place, 4, body=OTHER_REVIEW_TEXT, language="sv")
    representative = UserFactory.create(
        handle=f"Sara_Solsidan_{lang}",
        email=f"sara.{lang}@example.org",
        preferred_language=lang,
    )
    secret = generate_totp_secret()
    TOTP.activate(representative, secret)
    approved_claim(place, user=representative, role=ROLE)
    assert reviewed.status == ContentStatus.PUBLISHED
    return {
        "clinic": place,
        "review": reviewed,
        "reviewer": reviewer,
        "representative": (representative, secret),
    }


def reply_and_confirm_a_change(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    lang = _language(viewport)
    world = _world(lang)
    place, reviewed = world["clinic"], world["review"]
    representative, secret = world["representative"]
    with translation.override(lang):
        clinic_path = reverse("directory:clinic_detail", kwargs={"slug": place.slug})
        notices_path = reverse("reviews:notices")
    card = f"main #{reviewed.anchor}"

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    def text(locator: Any) -> str:
        return " ".join(locator.inner_text().split())

    stem = f"provider_{lang}_{viewport}"
    with people(browser, base_url, viewport, watch, stem) as crowd:
        # 1. The representative logs in with the authenticator app and opens the clinic's
        # page: it is claimed, and each review offers them a public reply.
        provider = page
        log_in_with_code(provider, check_a11y, lang, representative.email, secret)
        provider.goto(clinic_path)
        arrive(provider, check_a11y, lang, clinic_path)
        voice = text(provider.locator("main .provider-voice"))
        assert t("provider voice", "Claimed by the clinic") in voice
        assert (
            t(
                "provider voice",
                "You speak for this page: you can reply to its reviews and dispute them. "
                "You cannot review it yourself.",
            )
            in voice
        )
        assert provider.locator(f"{card} .review-reply").count() == 0
        with provider.expect_navigation():
            provider.locator(f"{card} .provider-actions").get_by_role(
                "link", name=t("provider reply", "Reply publicly")
            ).click()
        reply_path = f"/{lang}/reviews/{reviewed.public_id}/reply/"
        arrive(provider, check_a11y, lang, reply_path)
        assert heading(provider) == t("reply form", "Reply to a review")
        assert REVIEW_TEXT in provider.locator("main .flag-target blockquote").inner_text()

        # Sent empty: the form says what is missing, and nothing is published.
        submit(provider)
        arrive(provider, check_a11y, lang, reply_path)
        assert provider.locator("main .error-summary").count() == 1
        assert t("form errors", "Please check what you wrote. Your text is kept below.") in (
            text(provider.locator("main .error-summary"))
        )
        assert not ReviewReply.objects.exists()

        # Written: published under the review, with the representative's role.
        provider.fill("#id_body", REPLY_TEXT[lang])
        submit(provider)
        arrive(provider, check_a11y, lang)
        assert provider.url.endswith(f"{clinic_path}#{reviewed.anchor}"), provider.url
        assert t("reply form", "Your reply is published.") in messages(provider)
        reply = ReviewReply.objects.get(review=reviewed)
        assert reply.status == ContentStatus.PUBLISHED
        assert reply.author_id == representative.pk
        assert reply.language == lang
        shown = text(provider.locator(f"{card} .review-reply"))
        assert REPLY_TEXT[lang] in shown
        assert ROLE in shown
        with translation.override(lang):
            reply_title = translation.pgettext("provider reply", "Reply from %(name)s") % {
                "name": CLINIC_NAME
            }
        assert reply_title in shown

        # 2. The reviewer is told, reads the reply and confirms a change was made.
        reviewer = crowd.page("reviewer")
        log_in(reviewer, lang, world["reviewer"].email)
        reviewer.goto(notices_path)
        arrive(reviewer, check_a11y, lang, notices_path)
        assert heading(reviewer) == t("review notices", "Review notices")
        assert ReviewNotice.objects.filter(recipient=world["reviewer"], kind="reply").count() == 1
        with reviewer.expect_navigation():
            reviewer.locator("main .notification-list").get_by_role(
                "link", name=t("review notices", "Read the reply")
            ).click()
        arrive(reviewer, check_a11y, lang)
        assert reviewer.url.endswith(f"{clinic_path}#{reviewed.anchor}"), reviewer.url
        assert REPLY_TEXT[lang] in text(reviewer.locator(f"{card} .review-reply"))
        with reviewer.expect_navigation():
            reviewer.locator(f"{card} .reply-feedback").get_by_role(
                "link", name=t("provider reply", "A change was made")
            ).click()
        change_path = f"/{lang}/reviews/{reviewed.public_id}/reply/change/"
        arrive(reviewer, check_a11y, lang, change_path)
        assert heading(reviewer) == t("change made form", "A change was made")
        reviewer.fill("#id_note", CHANGE_NOTE[lang])
        submit(reviewer)
        arrive(reviewer, check_a11y, lang)
        assert reviewer.url.endswith(f"{clinic_path}#{reviewed.anchor}"), reviewer.url
        assert t("reply", "Thank you: your review now says a change was made.") in messages(
            reviewer
        )
        reply.refresh_from_db()
        assert reply.change_made_at is not None
        assert reply.change_note == CHANGE_NOTE[lang]
        # The card now offers to take it back instead.
        feedback = reviewer.locator(f"{card} .reply-feedback")
        assert t("provider reply", "Take back “a change was made”") in text(feedback)
        assert (
            feedback.get_by_role("link", name=t("provider reply", "A change was made")).count() == 0
        )

        # 3. A visitor reads the reply and the confirmation under the review, and no
        # controls for the provider or the reviewer.
        visitor = crowd.page("visitor")
        visitor.goto(clinic_path)
        arrive(visitor, check_a11y, lang, clinic_path)
        shown = text(visitor.locator(f"{card} .review-reply"))
        assert REPLY_TEXT[lang] in shown
        assert reply_title in shown
        confirmations = text(visitor.locator(f"{card} .reply-confirmations"))
        assert t("provider reply", "The reviewer confirmed a change was made") in confirmations
        assert CHANGE_NOTE[lang] in confirmations
        assert t("provider reply", "The reviewer says this reply helped") not in confirmations
        assert visitor.locator(f"{card} .reply-feedback").count() == 0
        assert visitor.locator(f"{card} .provider-actions").count() == 0
        # The other review has no reply.
        assert visitor.locator("main .review-reply").count() == 1


def test_a_clinic_replies_to_a_review_and_the_reviewer_confirms_a_change(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    reply_and_confirm_a_change(page, check_a11y, browser, base_url, viewport, watch)
