"""Replies: only a claimed provider replies (others are refused with the reason and
their text kept), once per review, editable with revisions, through the pipeline; the
reviewer is notified and marks "this reply helped" and "a change was made"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Action, Case, ReasonCode, StatementOfReasons
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.reviews import provider_actions
from patientvoice.reviews.errors import NotAProvider, NotTheReviewer, ReplyExists, ReviewError
from patientvoice.reviews.models import NoticeKind, ReviewNotice, ReviewReplyRevision

from .factories import UserFactory, acting_staff, clinic, physician, review
from .provider_factories import approved_claim, reply

pytestmark = pytest.mark.django_db

REFUSAL = (
    "Only the physician or clinic that was reviewed can do this, once staff have approved "
    "their claim to the page. Your text is still here."
)


def sv(context: str, message: str) -> str:
    with translation.override("sv"):
        return translation.pgettext(context, message)


def test_a_claimed_clinic_replies_publicly_and_the_reviewer_is_told(
    django_capture_on_commit_callbacks,
):
    place = clinic()
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer)
    claim = approved_claim(place)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(rated, claim)

    assert answer.status == ContentStatus.PUBLISHED
    assert answer.author_role == "Verksamhetschef"
    assert "<p>Tack, vi ser över väntetiderna.</p>" in answer.body_html
    notice = ReviewNotice.objects.get(recipient=reviewer)
    assert notice.kind == NoticeKind.REPLY
    assert [m.to for m in mail.outbox] == [[reviewer.email]]


def test_an_unclaimed_provider_is_refused():
    rated = review(clinic())

    with pytest.raises(NotAProvider) as refused:
        provider_actions.reply_to_review(author=UserFactory.create(), review=rated, body="Hej")

    assert refused.value.status == 403


def test_a_claim_on_another_entry_gives_no_voice():
    rated = review(clinic())
    other_claim = approved_claim(clinic())

    with pytest.raises(NotAProvider):
        provider_actions.reply_to_review(author=other_claim.user, review=rated, body="Hej")


def test_one_reply_per_review_and_an_empty_reply_is_refused():
    place = clinic()
    rated = review(place)
    claim = approved_claim(place)
    with pytest.raises(ReviewError):
        provider_actions.reply_to_review(author=claim.user, review=rated, body="   ")
    reply(rated, claim)

    with pytest.raises(ReplyExists):
        provider_actions.reply_to_review(author=claim.user, review=rated, body="Igen")


def test_an_edit_keeps_the_earlier_text_as_a_revision():
    place = clinic()
    claim = approved_claim(place)
    answer = reply(review(place), claim, body="Första svaret.")

    provider_actions.edit_reply(editor=claim.user, reply=answer, body="Andra svaret.")

    answer.refresh_from_db()
    assert answer.body == "Andra svaret."
    assert answer.edited_at is not None
    assert list(ReviewReplyRevision.objects.values_list("body", flat=True)) == ["Första svaret."]


def test_a_reply_with_a_phone_number_is_held_by_the_pipeline(
    django_capture_on_commit_callbacks,
):
    place = clinic()
    claim = approved_claim(place)
    rated = review(place)

    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(rated, claim, body="Ring oss på 070-123 45 67 så löser vi det.")

    assert answer.status == ContentStatus.HELD
    assert not ReviewNotice.objects.filter(kind=NoticeKind.REPLY).exists()
    assert Case.objects.filter(kind="review_reply", object_id=answer.pk).exists()


def test_the_reviewer_marks_helped_and_change_made_once_and_can_take_them_back():
    place = clinic()
    reviewer = UserFactory.create()
    answer = reply(review(place, author=reviewer), approved_claim(place))

    provider_actions.mark_reply_helped(reviewer=reviewer, reply=answer)
    provider_actions.mark_change_made(reviewer=reviewer, reply=answer, note="Ny  tidbokning")
    first = answer.change_made_at
    provider_actions.mark_change_made(reviewer=reviewer, reply=answer, note="Ny tidbokning")
    answer.refresh_from_db()
    assert answer.helped_at is not None
    assert answer.change_made_at == first
    assert answer.change_note == "Ny tidbokning"

    provider_actions.mark_reply_helped(reviewer=reviewer, reply=answer, helped=False)
    provider_actions.mark_change_made(reviewer=reviewer, reply=answer, made=False)
    answer.refresh_from_db()
    assert answer.helped_at is None
    assert answer.change_made_at is None
    assert answer.change_note == ""


def test_only_the_reviewer_marks_a_reply():
    place = clinic()
    claim = approved_claim(place)
    answer = reply(review(place), claim)

    for person in (UserFactory.create(), claim.user):
        with pytest.raises(NotTheReviewer):
            provider_actions.mark_reply_helped(reviewer=person, reply=answer)


def test_a_moderator_hides_a_reply_through_the_review_reply_kind():
    place = clinic()
    answer = reply(review(place), approved_claim(place))
    flagger = UserFactory.create()
    report = moderation_actions.flag(
        reporter=flagger, kind="review_reply", obj=answer, reason="harassment"
    )

    moderation_actions.decide(
        moderator=acting_staff(),
        case=report.case,
        action=Action.HIDE,
        reason_code=ReasonCode.TERMS_CONDUCT,
        explanation="Personal attack on the reviewer.",
    )

    answer.refresh_from_db()
    assert answer.status == ContentStatus.HIDDEN
    assert StatementOfReasons.objects.filter(recipient=answer.author).count() == 1


# --- pages --------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def test_the_reply_page_refuses_an_unclaimed_provider_with_403_keeping_the_text():
    rated = review(clinic())
    client = _client(UserFactory.create())

    response = client.post(
        reverse("reviews:reply", args=[rated.public_id]), {"body": "Mitt svar som jag skrev."}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert sv("reply error", REFUSAL)[:40] in page
    assert "Mitt svar som jag skrev." in page


def test_a_claimant_replies_on_the_page_and_it_shows_on_the_clinic_page():
    place = clinic()
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer, body="Lång väntan i telefon.")
    claim = approved_claim(place)
    client = _client(claim.user)

    response = client.post(
        reverse("reviews:reply", args=[rated.public_id]), {"body": "Vi har fler telefontider nu."}
    )

    assert response.status_code == 302
    page = Client().get(reverse("directory:clinic_detail", args=[place.slug])).content.decode()
    assert "Vi har fler telefontider nu." in page
    assert sv("provider voice", "Claimed by the clinic") in page


def test_the_reviewer_confirms_a_change_on_the_page_and_everyone_sees_it():
    place = clinic()
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer)
    reply(rated, approved_claim(place))
    client = _client(reviewer)

    response = client.post(
        reverse("reviews:reply_change", args=[rated.public_id]),
        {"made": "1", "note": "<b>Ny</b> telefontid"},
    )

    assert response.status_code == 302
    page = Client().get(reverse("directory:clinic_detail", args=[place.slug])).content.decode()
    assert sv("provider reply", "The reviewer confirmed a change was made") in page
    assert "&lt;b&gt;Ny&lt;/b&gt; telefontid" in page


def test_the_entry_page_query_count_does_not_grow_with_replies():
    place = clinic()
    claim = approved_claim(place)
    for _ in range(3):
        reply(review(place), claim)
    client = _client(claim.user)
    url = reverse("directory:clinic_detail", args=[place.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(25):
        reply(review(place), claim)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()

    assert len(large) == len(small)
    assert page.count('class="review-reply"') == 20


def test_a_physicians_page_offers_claim_to_members_and_shows_the_pending_claim():
    doctor = physician()
    member = UserFactory.create()
    client = _client(member)
    url = reverse("directory:physician_detail", args=[doctor.slug])

    before = client.get(url).content.decode()
    provider_actions.request_claim(user=with_second_factor(member), entry=doctor, role="Jag")
    after = client.get(url).content.decode()

    assert sv("provider voice", "Claim this page") in before
    assert (
        sv(
            "provider voice",
            "Your claim to this page waits for staff. You will be told what they decide.",
        )
        in after
    )
