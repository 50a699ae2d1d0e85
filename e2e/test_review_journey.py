"""Writing a medicine review in the browser (issue 5, item 8): in Swedish on a phone and
in English on a desktop. A member opens a medicine's page (its summary and reviews),
presses "Write a review", forgets the question about ties and is told so with everything
they typed kept, answers it, and finds their review published on the medicine's page;
then reads "How reviews work" from the summary. A new member's review waits for a
moderator, and the page says why. axe-core checks every page reached.

Expected wording is the catalogue's, looked up in the page's language.
"""

from __future__ import annotations

from typing import Any

from e2e.journeys import log_in
from e2e.member_journey import arrive, submit, translated
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.models import ContentStatus
from patientvoice.reviews.models import Review
from patientvoice.reviews.tests.factories import medicine, new_member, review

TEXT = {
    "sv": "Den hjälpte mot värken inom en vecka. Jag blev lite trött de första dagarna.",
    "en": "It eased the pain within a week. I was a little tired the first few days.",
}


def _language(viewport: str) -> str:
    return "sv" if viewport == "phone" else "en"


def _medicine_with_reviews() -> Any:
    drug = medicine(slug="naproxen-demo", inn_en="Naproxen", name_sv="Naproxen")
    for value in (3, 4, 4, 5, 5, 2):
        review(drug, value, body=f"Betyg {value}: så här gick det för mig.")
    return drug


def _fill(page: Any, lang: str) -> None:
    page.check("#id_score_effectiveness_3")
    page.check("#id_score_ease_of_use_4")
    page.check("#id_score_satisfaction_3")
    page.check("input[name=still_taking][value=yes]")
    page.check("input[name=side_effects][value=tiredness]")
    page.check("input[name=would_recommend][value=yes]")
    page.fill("#id_body", TEXT[lang])


def test_a_member_writes_a_medicine_review(page, check_a11y, viewport):
    lang = _language(viewport)
    drug = _medicine_with_reviews()
    member = UserFactory.create(handle=f"rev_{viewport}", preferred_language=lang)
    log_in(page, lang, member.email)

    # The medicine's page: its summary, numbers as text, and the reviews.
    page.goto(f"/{lang}/medicines/{drug.slug}/")
    arrive(page, check_a11y, lang, f"/{lang}/medicines/{drug.slug}/")
    summary = page.get_by_test_id("rating-summary")
    assert translated(lang, "review summary", "Too few ratings to summarise yet") not in (
        summary.inner_text()
    )
    assert summary.locator("table.histogram").count() >= 1

    # "Write a review" opens the form.
    with page.expect_navigation():
        page.get_by_role("link", name=translated(lang, "reviews", "Write a review")).click()
    arrive(page, check_a11y, lang, f"/{lang}/reviews/write/medicine/{drug.slug}/")

    # Without an answer about ties, the page says what is missing and keeps the answers.
    _fill(page, lang)
    submit(page, "main form.review-form")
    arrive(page, check_a11y, lang)
    alert = page.locator("#refused")
    assert translated(lang, "review error", "Please answer the question about ties to it.") in (
        alert.inner_text()
    )
    assert page.input_value("#id_body") == TEXT[lang]
    assert page.is_checked("#id_score_ease_of_use_4")
    assert page.is_checked("input[name=side_effects][value=tiredness]")

    # Answered: published, and shown on the medicine's page.
    page.check("input[name=conflict][value=none]")
    submit(page, "main form.review-form")
    arrive(page, check_a11y, lang)
    written = Review.objects.get(author=member)
    assert page.url.endswith(f"/{lang}/medicines/{drug.slug}/#{written.anchor}")
    assert written.status == ContentStatus.PUBLISHED
    assert translated(lang, "review form", "Thank you! Your review is published.") in (
        page.locator(".messages").inner_text()
    )
    card = page.locator(f"#{written.anchor}")
    assert TEXT[lang] in card.inner_text()
    assert (
        translated(lang, "reviews", "Edit your review")
        in page.locator(".entry-reviews .actions").inner_text()
    )

    # The summary explains itself on "How reviews work".
    with page.expect_navigation():
        page.locator(".rating-summary a[href$='#summary']").click()
    arrive(page, check_a11y, lang)
    assert page.url.endswith(f"/{lang}/reviews/how-they-work/#summary")
    assert page.locator("h1").inner_text() == translated(
        lang, "how reviews work", "How reviews work"
    )


def test_a_new_members_review_waits_for_a_moderator(page, check_a11y, viewport):
    lang = _language(viewport)
    drug = medicine(slug="naproxen-new", inn_en="Naproxen", name_sv="Naproxen")
    member = new_member(handle=f"newrev_{viewport}", preferred_language=lang)
    log_in(page, lang, member.email)

    page.goto(f"/{lang}/reviews/write/medicine/{drug.slug}/")
    arrive(page, check_a11y, lang)
    _fill(page, lang)
    page.check("input[name=conflict][value=none]")
    submit(page, "main form.review-form")
    arrive(page, check_a11y, lang)

    written = Review.objects.get(author=member)
    assert written.status == ContentStatus.HELD
    assert page.url.endswith(f"/{lang}/medicines/{drug.slug}/#{written.anchor}")
    messages = page.locator(".messages").inner_text()
    assert (
        translated(
            lang,
            "review form",
            "Your review is saved, but it waits for a moderator before others can see it.",
        )
        in messages
    )
    assert (
        translated(
            lang,
            "hold reason",
            "Reviews from new accounts are read by a moderator before others see them.",
        )
        in messages
    )
    # Only the author (and moderators) see it, and the card says so.
    assert TEXT[lang] in page.locator(".review").first.inner_text()
