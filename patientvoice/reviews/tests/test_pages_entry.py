"""The reviews block of a medicine's, physician's and clinic's page: the summary (or
"too few"), the reviews newest first with what each says, paging, and query counts that
do not grow with the number of reviews."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.core.fragments import forget_all
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.tests.pages import client_for, sv
from patientvoice.reviews import actions
from patientvoice.reviews.models import Review
from patientvoice.reviews.queries import summary_for

from .factories import (
    ConditionFactory,
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    new_member,
    physician,
    review,
)

pytestmark = pytest.mark.django_db


def page_of(entry: Any, lang: str = "en") -> str:
    name = {"Medicine": "medicine_detail", "Physician": "physician_detail"}.get(
        type(entry).__name__, "clinic_detail"
    )
    with translation.override(lang):
        return reverse(f"directory:{name}", kwargs={"slug": entry.slug})


def en(name: str, *args: Any, **kwargs: Any) -> str:
    """An address on the English pages."""
    with translation.override("en"):
        url: str = reverse(name, args=args or None, kwargs=kwargs or None)
    return url


def html_of(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html: str = response.content.decode()
    return html


def test_below_five_reviews_the_page_shows_the_reviews_but_no_numbers():
    drug = medicine()
    for n in range(3):
        review(drug, 4, body=f"Erfarenhet nummer {n} av tabletterna.")

    html = html_of(client_for(None), page_of(drug))

    assert "Too few ratings to summarise yet" in html
    assert "Average rating from 1 to 5" not in html
    assert html.count('class="review"') == 3
    assert "Erfarenhet nummer 2 av tabletterna." in html


def test_from_five_reviews_the_summary_shows_means_with_their_interval_and_shares():
    drug = medicine()
    for value in (3, 4, 4, 5, 5, 5):
        review(drug, value, would_recommend=value > 3)
    summary = summary_for(drug)
    satisfaction = summary.headline

    html = html_of(client_for(None), page_of(drug))

    assert "Based on 6 ratings" in html
    assert (
        f"<strong>{satisfaction.mean:.1f}</strong> ({satisfaction.low:.1f}–{satisfaction.high:.1f})"
        in html
    )
    assert "100 % from verified accounts" in html
    assert "83 % of 6 people would recommend it" in html
    assert "Too few ratings" not in html


def test_the_histogram_gives_its_numbers_as_text_beside_hidden_bars():
    drug = medicine()
    for value in (5, 5, 5, 4, 2):
        review(drug, value)

    html = html_of(client_for(None), page_of(drug))

    assert "How people rated “Satisfaction”" in html
    assert '<span class="bar-number">3 (60 %)</span>' in html
    assert '<span class="bar-number">1 (20 %)</span>' in html
    assert 'aria-hidden="true" focusable="false"><rect class="bar-track"' in html
    assert '<rect class="bar-fill" width="60.0"' in html


def test_a_swedish_page_summarises_in_swedish():
    drug = medicine()
    review(drug, 4)

    html = html_of(client_for(None), page_of(drug, "sv"))

    assert sv("review summary", "Too few ratings to summarise yet") in html
    assert sv("reviews", "Ratings and reviews") in html


def test_reviews_are_newest_first_twenty_a_page():
    drug = medicine()
    made = [review(drug, 4, body=f"Recension {n:02d} om medicinen.") for n in range(21)]

    first = html_of(client_for(None), page_of(drug))
    second = html_of(client_for(None), page_of(drug) + "?page=2")

    assert first.index("Recension 20") < first.index("Recension 19")
    assert "Recension 00" not in first
    assert made[0].anchor in second
    assert second.count('class="review"') == 1
    assert 'rel="next"' in first


def test_a_review_card_shows_the_medicine_details_and_its_marks():
    drug, condition = medicine(), ConditionFactory.create(name_en="Type 2 diabetes")
    member = UserFactory.create()
    written = review(
        drug, 4, author=member, condition=condition, duration="1_6m", still_taking=False,
        stop_reason="side_effects", side_effects=["nausea"], side_effects_text="yrsel",
        would_recommend=False, on_behalf=True, body="Det hjälpte inte.",
    )  # fmt: skip
    Review.objects.filter(pk=written.pk).update(published_at=timezone.now() - timedelta(days=800))

    html = html_of(client_for(None), page_of(drug))

    assert f'id="{written.anchor}"' in html
    for text in (
        "Type 2 diabetes", "1–6 months", "Stopped taking it", "Side effects", "Feeling sick",
        "yrsel", "Written for someone they care for", "Verified account",
        "More than two years old", member.handle, "4 of 5", "<p>Det hjälpte inte.</p>",
    ):  # fmt: skip
        assert text in html, text
    flag = en("moderation:flag", "review", written.public_id)
    assert f'href="{flag}"' in html


def test_a_physician_review_shows_the_wait():
    doctor = physician()
    review(doctor, 4, waiting_minutes=25)

    assert "25 minutes" in html_of(client_for(None), page_of(doctor))


@pytest.mark.parametrize("make", [physician, clinic])
def test_physician_and_clinic_pages_summarise_their_reviews(make):
    entry = make()
    for value in (2, 3, 4, 4, 5):
        review(entry, value)

    html = html_of(client_for(None), page_of(entry))

    assert "Based on 5 ratings" in html
    assert "How people rated “Overall”" in html


def test_a_visitor_is_asked_to_log_in_and_a_member_to_write():
    drug = medicine()
    write = en("reviews:write", kind="medicine", slug=drug.slug)

    visitor = html_of(client_for(None), page_of(drug))
    member = html_of(client_for(UserFactory.create()), page_of(drug))

    assert f'href="{write}">Log in to write a review' in visitor
    assert f'href="{write}">Write a review' in member


def test_the_author_sees_edit_your_review_and_no_report_link_on_their_own():
    drug = medicine()
    mine = review(drug, 4)

    html = html_of(client_for(mine.author), page_of(drug))

    assert "Edit your review" in html
    assert en("reviews:edit", mine.public_id) in html
    assert en("reviews:withdraw", mine.public_id) in html
    assert en("moderation:flag", "review", mine.public_id) not in html


def test_a_held_review_is_seen_by_its_author_with_the_reason_and_by_staff_only():
    drug = medicine()
    held = review(drug, 4, author=new_member(), body="Min första recension här.")
    assert held.status == ContentStatus.HELD

    author = html_of(client_for(held.author), page_of(drug))
    visitor = html_of(client_for(None), page_of(drug))
    member = html_of(client_for(UserFactory.create()), page_of(drug))
    staff = html_of(client_for(acting_staff()), page_of(drug))

    assert "Min första recension här." in author
    assert "Reviews from new accounts are read by a moderator" in author
    assert "Min första recension här." not in visitor
    assert "Min första recension här." not in member
    assert "Min första recension här." in staff


def _queries_for(client: Any, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_page_costs_the_same_queries_with_25_or_40_reviews(who):
    few, many = medicine(), medicine()
    for _ in range(25):
        review(few, 4)
    for _ in range(40):
        review(many, 3)
    client = client_for(UserFactory.create() if who == "member" else None)
    client.get(page_of(few))  # sessions, caches and the like warm

    forget_all()

    # Built afresh, then remembered (directory.medicine_page): the same either way.
    built = len(_queries_for(client, page_of(few)))
    assert built == len(_queries_for(client, page_of(many)))
    remembered = len(_queries_for(client, page_of(few)))
    assert remembered == len(_queries_for(client, page_of(many)))
    assert remembered < built


def test_the_visitor_page_has_a_fixed_query_budget(django_assert_num_queries):
    drug = medicine()
    for _ in range(30):
        review(drug, 4)
    client = client_for(None)
    client.get(page_of(drug))

    # Remembered (directory.medicine_page): the medicine with its summary's count and
    # version, the page's reviews (the summary counts them: no COUNT over the reviews),
    # its discussions.
    with django_assert_num_queries(3):
        client.get(page_of(drug))


def test_the_summary_is_read_from_its_row_not_from_the_reviews():
    drug = medicine()
    for _ in range(30):
        review(drug, 4)
    client = client_for(None)
    client.get(page_of(drug))

    on_reviews = [
        sql for sql in _queries_for(client, page_of(drug)) if 'FROM "reviews_review"' in sql
    ]

    # Its 20 rows; nothing that counts, sums or scans them all.
    assert len(on_reviews) == 1
    assert any("LIMIT 20" in sql for sql in on_reviews)
    assert not any(f"{f}(" in sql for sql in on_reviews for f in ("COUNT", "SUM", "AVG"))


def test_withdrawn_reviews_leave_the_page_and_the_summary():
    drug = medicine()
    gone = [review(drug, 5) for _ in range(5)]
    author = gone[0].author
    assert author is not None
    actions.withdraw_review(review=gone[0], actor=author)

    html = html_of(client_for(None), page_of(drug))

    assert "Too few ratings to summarise yet" in html
    assert gone[0].anchor not in html
