"""Disputes: a claimed provider's dispute becomes a report in the review's moderation
case (site-wide queue, reason "dispute by the provider"); moderators ask the reviewer
for context (the answer shows on the case page), then decide with the normal flow; the
provider and the reviewer both get the outcome. The review stays visible meanwhile."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Action, ReasonCode, StatementOfReasons
from patientvoice.moderation.queries import queue
from patientvoice.reviews import provider_actions
from patientvoice.reviews.errors import DisputeExists, NotAProvider, ReviewError
from patientvoice.reviews.models import DisputeStatus, NoticeKind, ReviewNotice

from .factories import UserFactory, acting_staff, clinic, review
from .provider_factories import approved_claim

pytestmark = pytest.mark.django_db


def _disputed(reason: str = "factually_wrong", text: str = "Vi har inga telefontider då."):
    place = clinic()
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer, body="De svarar aldrig i telefon.")
    claim = approved_claim(place)
    dispute = provider_actions.dispute_review(
        provider=claim.user, review=rated, reason=reason, text=text
    )
    return rated, reviewer, claim, dispute


def test_a_dispute_opens_a_case_in_the_site_queue_and_the_review_stays_visible():
    rated, _, claim, dispute = _disputed()

    staff = acting_staff()
    case = queue(staff).get(kind="review", object_id=rated.pk)
    assert case == dispute.case
    assert "review.dispute" in case.reasons
    assert dispute.report.reporter == claim.user
    assert "Vi har inga telefontider då." in dispute.report.explanation
    rated.refresh_from_db()
    assert rated.status == ContentStatus.PUBLISHED


def test_only_a_claimed_provider_disputes_and_only_once_while_open():
    rated, _, claim, _ = _disputed()

    with pytest.raises(DisputeExists):
        provider_actions.dispute_review(provider=claim.user, review=rated, reason="offensive")
    with pytest.raises(NotAProvider):
        provider_actions.dispute_review(
            provider=UserFactory.create(), review=rated, reason="offensive"
        )


def test_other_needs_an_explanation():
    place = clinic()
    rated = review(place)
    claim = approved_claim(place)

    with pytest.raises(ReviewError):
        provider_actions.dispute_review(provider=claim.user, review=rated, reason="other")
    with pytest.raises(ReviewError):
        provider_actions.dispute_review(provider=claim.user, review=rated, reason="made_up")


def test_moderators_ask_the_reviewer_who_answers_and_it_shows_on_the_case_page():
    _, reviewer, _, dispute = _disputed()
    staff = acting_staff()

    provider_actions.ask_reviewer_for_context(
        moderator=staff, dispute=dispute, question="När ringde du?"
    )
    assert ReviewNotice.objects.get(recipient=reviewer, kind=NoticeKind.CONTEXT_REQUESTED).text == (
        "När ringde du?"
    )
    reviewer_client = Client()
    log_in(reviewer_client, reviewer)
    url = reverse("reviews:dispute_context", args=[dispute.public_id])
    assert "När ringde du?" in reviewer_client.get(url).content.decode()
    response = reviewer_client.post(url, {"answer": "I måndags klockan nio."})

    assert response.status_code == 302
    moderator = Client()
    log_in_with_mfa(moderator, staff)
    case_page = moderator.get(
        reverse("moderation:queue_case", args=[dispute.case.public_id])
    ).content.decode()
    assert "I måndags klockan nio." in case_page
    assert "När ringde du?" in case_page


def test_nobody_but_the_reviewer_answers_and_only_when_asked():
    _, _, claim, dispute = _disputed()

    with pytest.raises(Http404):
        provider_actions.answer_dispute_context(reviewer=claim.user, dispute=dispute, answer="x")
    with pytest.raises(Http404):
        provider_actions.answer_dispute_context(
            reviewer=dispute.review.author, dispute=dispute, answer="x"
        )


def test_a_decision_to_hide_sends_reasons_to_the_reviewer_and_the_outcome_to_both(
    django_capture_on_commit_callbacks,
):
    rated, reviewer, claim, dispute = _disputed(reason="names_staff", text="Namnger personal.")

    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.decide(
            moderator=acting_staff(),
            case=dispute.case,
            action=Action.HIDE,
            reason_code=ReasonCode.PERSONAL_DATA,
            explanation="The review names a nurse who was not rated.",
        )

    dispute.refresh_from_db()
    rated.refresh_from_db()
    assert dispute.status == DisputeStatus.DECIDED
    assert rated.status == ContentStatus.HIDDEN
    assert StatementOfReasons.objects.filter(recipient=reviewer).count() == 1
    for person in (claim.user, reviewer):
        notice = ReviewNotice.objects.get(recipient=person, kind=NoticeKind.DISPUTE_DECIDED)
        assert "The review names a nurse who was not rated." in notice.text


def test_a_decision_to_keep_tells_both_that_the_review_stays(django_capture_on_commit_callbacks):
    rated, _, _, dispute = _disputed()

    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.decide(
            moderator=acting_staff(),
            case=dispute.case,
            action=Action.KEEP,
            reason_code=ReasonCode.NO_VIOLATION,
            explanation="An honest experience of the phone line.",
        )

    rated.refresh_from_db()
    assert rated.status == ContentStatus.PUBLISHED
    texts = ReviewNotice.objects.filter(kind=NoticeKind.DISPUTE_DECIDED).values_list(
        "text", flat=True
    )
    assert len(texts) == 2
    assert all("Recensionen ligger kvar" in t or "The review stays" in t for t in texts)


def test_the_dispute_page_refuses_others_with_403_and_keeps_the_text():
    rated = review(clinic())
    client = Client()
    log_in(client, UserFactory.create())

    response = client.post(
        reverse("reviews:dispute", args=[rated.public_id]),
        {"reason": "other", "text": "Min förklaring."},
    )

    assert response.status_code == 403
    assert "Min förklaring." in response.content.decode()
