"""Writing, editing and withdrawing a review on the pages: the form generated from the
dimensions, every refusal with its message and status and what was typed kept, the
held result, and who may do what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.tests.factories import flagged, with_second_factor
from patientvoice.moderation.tests.pages import client_for, sv
from patientvoice.organizations import actions as organization_actions
from patientvoice.reviews.actions import set_review_status
from patientvoice.reviews.models import Review, ReviewRevision

from .factories import (
    ConditionFactory,
    OrganizationFactory,
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    new_member,
    physician,
    review,
)

pytestmark = pytest.mark.django_db

TEXT = "Tabletterna hjälpte mot värken efter en vecka, men jag blev trött."


def en(name: str, *args: Any, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def write_url(entry: Any, kind: str = "medicine", lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("reviews:write", kwargs={"kind": kind, "slug": entry.slug})


def medicine_answers(**overrides: Any) -> dict[str, Any]:
    answers = {
        "score_effectiveness": "4",
        "score_ease_of_use": "5",
        "score_satisfaction": "3",
        "still_taking": "yes",
        "side_effects": ["tiredness", "headache"],
        "side_effects_text": "lite yr",
        "would_recommend": "yes",
        "duration": "1_6m",
        "conflict": "none",
        "body": TEXT,
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


def assert_kept(html: str) -> None:
    """What was typed is still in the form."""
    assert TEXT in html
    assert 'value="tiredness" id="id_side_effects_' in html
    assert html.count("checked") >= 3
    assert 'value="lite yr"' in html


def test_a_visitor_is_sent_to_log_in_and_back():
    drug = medicine()

    response = client_for(None).get(write_url(drug))

    assert response.status_code == 302
    assert en("account_login") in response["Location"]
    assert "next=" in response["Location"]


def test_the_form_asks_each_dimension_as_a_radio_group_with_its_help():
    drug = medicine()

    html = client_for(UserFactory.create()).get(write_url(drug)).content.decode()

    for legend in ("Effectiveness", "Ease of use", "Satisfaction"):
        assert f'<legend>{legend} <span aria-hidden="true">*</span></legend>' in html
    assert "How well did it help with what it was for?" in html
    assert html.count('type="radio" name="score_effectiveness"') == 5
    assert 'name="side_effects" value="nausea"' in html
    assert 'name="conflict" value="works_for"' in html
    assert 'name="condition"' in html
    assert 'name="waiting_minutes"' not in html


def test_a_physician_form_asks_the_wait_and_no_medicine_questions():
    doctor = physician()

    html = client_for(UserFactory.create()).get(write_url(doctor, "physician")).content.decode()

    assert 'name="waiting_minutes"' in html
    assert 'name="score_listening"' in html
    assert 'name="side_effects"' not in html


def test_a_member_writes_a_review_and_finds_it_on_the_medicine_page():
    drug, condition = medicine(), ConditionFactory.create()
    member = UserFactory.create()
    client = client_for(member)

    response = client.post(write_url(drug), medicine_answers(condition=condition.pk))

    written = Review.objects.get(author=member)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{written.anchor}")
    assert written.status == ContentStatus.PUBLISHED
    assert written.scores == {"effectiveness": 4, "ease_of_use": 5, "satisfaction": 3}
    assert written.condition == condition
    assert written.still_taking is True
    assert written.side_effects == ["tiredness", "headache"]
    page = client.get(response["Location"]).content.decode()
    assert "Thank you! Your review is published." in page
    assert TEXT in page


def test_a_new_members_review_waits_for_a_moderator_and_they_are_told_why():
    drug = medicine()
    client = client_for(new_member())

    response = client.post(write_url(drug), medicine_answers(), follow=True)

    assert Review.objects.get().status == ContentStatus.HELD
    html = response.content.decode()
    assert "waits for a moderator before others can see it" in html
    assert "Reviews from new accounts are read by a moderator" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"score_ease_of_use": None}, "Please rate “Ease of use” from 1 to 5 stars."),
        ({"still_taking": "no"}, "You stopped taking it: please say why."),
        ({"conflict": None}, "Please answer the question about ties to it."),
    ],
)
def test_an_incomplete_review_is_refused_with_400_and_keeps_what_was_typed(overrides, message):
    drug = medicine()

    response = client_for(UserFactory.create()).post(write_url(drug), medicine_answers(**overrides))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert_kept(html)
    assert not Review.objects.exists()


def test_every_unanswered_question_is_named_at_once():
    drug = medicine()
    unanswered = medicine_answers(
        score_effectiveness=None, score_ease_of_use=None, score_satisfaction=None, conflict=None
    )

    response = client_for(UserFactory.create()).post(write_url(drug), unanswered)

    assert response.status_code == 400
    html = response.content.decode()
    for label in ("Effectiveness", "Ease of use", "Satisfaction"):
        assert f"Please rate “{label}” from 1 to 5 stars." in html
    assert "Please answer the question about ties to it." in html
    assert TEXT in html
    assert not Review.objects.exists()


@pytest.mark.parametrize("conflict", ["works_for", "paid_by", "related"])
def test_a_declared_conflict_is_refused_with_403_and_keeps_the_text(conflict):
    drug = medicine()

    response = client_for(UserFactory.create()).post(
        write_url(drug), medicine_answers(conflict=conflict)
    )

    assert response.status_code == 403
    assert "Because of that connection you cannot review this" in response.content.decode()
    assert_kept(response.content.decode())


def _maker_employee(drug: Any) -> Any:
    maker = OrganizationFactory.create()
    drug.holder_organisations.add(maker)
    employee = with_second_factor(UserFactory.create())
    organization_actions.add_staff(actor=None, organization=maker, user=employee, role="moderator")
    employee.refresh_from_db()
    return employee


def test_staff_of_the_maker_are_refused_on_the_form_and_when_they_send_it():
    drug = medicine()
    client = client_for(_maker_employee(drug))

    shown = client.get(write_url(drug))
    sent = client.post(write_url(drug), medicine_answers())

    assert shown.status_code == 403
    assert "because you work for an organisation that makes or markets it" in (
        shown.content.decode()
    )
    assert 'name="score_effectiveness"' not in shown.content.decode()
    assert sent.status_code == 403
    assert_kept(sent.content.decode())


def test_a_second_review_is_refused_with_409_and_a_link_to_edit_the_first():
    drug = medicine()
    first = review(drug, 4)
    client = client_for(first.author)

    shown = client.get(write_url(drug))
    sent = client.post(write_url(drug), medicine_answers())

    edit = en("reviews:edit", first.public_id)
    assert shown.status_code == 302
    assert shown["Location"] == edit
    assert sent.status_code == 409
    assert "You have already reviewed this." in sent.content.decode()
    assert f'href="{edit}"' in sent.content.decode()
    assert_kept(sent.content.decode())


def test_too_many_reviews_in_a_day_are_refused_with_429_and_the_text_kept(settings):
    settings.PV_REVIEWS_PER_DAY = 1
    member = UserFactory.create()
    client = client_for(member)
    client.post(write_url(medicine()), medicine_answers())

    response = client.post(write_url(medicine()), medicine_answers())

    assert response.status_code == 429
    assert "You have written many reviews today." in response.content.decode()
    assert_kept(response.content.decode())


def test_a_banned_member_is_refused_with_403():
    member = UserFactory.create()
    moderation_actions.decide(
        moderator=acting_staff(), case=flagged(member), action="ban",
        reason_code="terms_conduct", explanation="Repeated abuse.", site_wide=True,
    )  # fmt: skip
    client = client_for(member)
    drug = medicine()

    shown = client.get(write_url(drug))
    sent = client.post(write_url(drug), medicine_answers())

    assert shown.status_code == 403
    assert sent.status_code == 403
    assert "because of a moderation decision" in sent.content.decode()
    assert_kept(sent.content.decode())


def test_a_tampered_score_is_refused_with_400():
    response = client_for(UserFactory.create()).post(
        write_url(medicine()), medicine_answers(score_effectiveness="9")
    )

    assert response.status_code == 400
    assert not Review.objects.exists()


def test_an_unknown_kind_or_an_inactive_entry_is_404():
    client = client_for(UserFactory.create())
    drug = medicine(is_active=False)

    assert client.get(write_url(drug)).status_code == 404
    assert client.get(write_url(clinic(), "dentist")).status_code == 404


def test_the_swedish_form_speaks_swedish_and_refuses_in_swedish():
    drug = medicine()
    client = client_for(UserFactory.create())

    shown = client.get(write_url(drug, lang="sv")).content.decode()
    sent = client.post(write_url(drug, lang="sv"), medicine_answers(conflict="paid_by"))

    assert sv("review form", "Your ratings") in shown
    assert sv("review dimension", "Effectiveness") in shown
    assert sv("review conflict", "I am paid by them") in shown
    assert sent.status_code == 403
    with translation.override("sv"):
        from patientvoice.reviews.errors import ConflictDeclared

        assert str(ConflictDeclared()) in sent.content.decode()


# --- editing and withdrawing -----------------------------------------------------------


def test_the_author_edits_a_prefilled_form_and_a_revision_is_kept():
    drug = medicine()
    mine = review(drug, 4, body="Första versionen av texten.", still_taking=True)
    client = client_for(mine.author)
    url = en("reviews:edit", mine.public_id)

    shown = client.get(url).content.decode()
    response = client.post(url, medicine_answers(score_satisfaction="1"))

    assert "Första versionen av texten." in shown
    assert re.search(r'name="score_satisfaction" value="4"[^>]* checked', shown)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.scores["satisfaction"] == 1
    assert mine.body == TEXT
    assert ReviewRevision.objects.get(review=mine).body == "Första versionen av texten."


def test_an_edit_refused_keeps_what_was_typed():
    mine = review(medicine(), 4)
    client = client_for(mine.author)

    response = client.post(en("reviews:edit", mine.public_id), medicine_answers(still_taking="no"))

    assert response.status_code == 400
    assert_kept(response.content.decode())


def test_nobody_but_the_author_may_edit_or_withdraw():
    mine = review(medicine(), 4)
    other = client_for(UserFactory.create())
    staff = client_for(acting_staff())

    for client in (other, staff):
        assert client.get(en("reviews:edit", mine.public_id)).status_code == 404
        assert (
            client.post(en("reviews:withdraw", mine.public_id), {"confirm": "yes"}).status_code
            == 404
        )
    assert Review.objects.filter(pk=mine.pk).exists()


def test_a_hidden_review_cannot_be_edited():
    mine = review(medicine(), 4)
    set_review_status(mine, ContentStatus.HIDDEN)

    response = client_for(mine.author).get(en("reviews:edit", mine.public_id))

    assert response.status_code == 403
    assert "A moderator has hidden this review" in response.content.decode()


def test_withdrawing_needs_the_box_ticked_then_deletes_the_review():
    mine = review(medicine(), 4)
    client = client_for(mine.author)
    url = en("reviews:withdraw", mine.public_id)

    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    assert Review.objects.filter(pk=mine.pk).exists()
    response = client.post(url, {"confirm": "yes"})

    assert response.status_code == 302
    assert not Review.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    ("make", "kind", "words"),
    [
        (medicine, "medicine", "I work for a company that makes or sells it"),
        (clinic, "clinic", "I work at or for this clinic"),
    ],
)
def test_the_conflict_question_speaks_of_what_is_reviewed(make, kind, words):
    entry = make()

    html = client_for(UserFactory.create()).get(write_url(entry, kind)).content.decode()

    assert words in html
    assert "I work for the maker, the clinic or the physician" not in html
