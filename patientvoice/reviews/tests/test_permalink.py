"""A review's permanent address leads to the page of its entry that shows it now."""

from __future__ import annotations

import pytest
from django.test import Client

from patientvoice.core.models import ContentStatus
from patientvoice.moderation.tests.pages import client_for
from patientvoice.reviews import actions
from patientvoice.reviews.kinds import review_url
from patientvoice.reviews.tests.factories import UserFactory, acting_staff, medicine, review
from patientvoice.reviews.tests.test_pages_entry import page_of
from patientvoice.reviews.views import REVIEWS_PER_PAGE

pytestmark = pytest.mark.django_db


def test_an_older_review_is_found_on_the_page_that_shows_it():
    drug = medicine()
    oldest = review(drug, 4, body="The first one.")
    for n in range(REVIEWS_PER_PAGE):
        review(drug, 2 + n % 3)

    response = Client().get(review_url(oldest))

    assert response.status_code == 302
    assert response["Location"] == f"{page_of(drug, 'sv')}?page=2#{oldest.anchor}"
    page = Client().get(response["Location"]).content.decode()
    assert f'id="{oldest.anchor}"' in page


def test_the_newest_review_is_on_the_first_page_without_a_number():
    drug = medicine()
    newest = review(drug, 5)

    assert Client().get(review_url(newest))["Location"].endswith(f"/#{newest.anchor}")


def test_a_hidden_review_answers_404_to_others_and_page_one_to_its_author_and_staff():
    drug = medicine()
    author = UserFactory.create()
    hidden = review(drug, 1, author=author)
    for _ in range(REVIEWS_PER_PAGE):
        review(drug, 3)
    actions.set_review_status(hidden, ContentStatus.HIDDEN)

    assert Client().get(review_url(hidden)).status_code == 404
    own = client_for(author)
    assert "?page=" not in own.get(review_url(hidden))["Location"]
    staff = client_for(acting_staff(), mfa=True)
    assert staff.get(review_url(hidden))["Location"].endswith(f"?page=2#{hidden.anchor}")
