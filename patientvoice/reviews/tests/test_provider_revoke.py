"""Staff revoke an approved claim: audited, the member told, their replies kept but no
longer shown as the page's voice; the claims page lists pending, approved and decided
claims with the right form for each; bad input is refused with the reason and the text
kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.core.models import AuditEntry, ContentStatus
from patientvoice.core.testing.sessions import log_in
from patientvoice.reviews import provider_actions
from patientvoice.reviews.errors import ClaimError, ClaimNotApproved, NotAProvider
from patientvoice.reviews.models import (
    ClaimStatus,
    NoticeKind,
    ProviderClaim,
    ReviewNotice,
    ReviewReply,
)
from patientvoice.reviews.provider_views import CLAIMS_PER_PAGE

from .factories import StaffFactory, UserFactory, acting_staff, clinic, review
from .provider_factories import approved_claim, reply

pytestmark = pytest.mark.django_db


def sv(context: str, message: str) -> str:
    with translation.override("sv"):
        return translation.pgettext(context, message)


def _client(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def _claims_url(show: str = "") -> str:
    return reverse("reviews:claim_list") + (f"?show={show}" if show else "")


def _pending(place=None, evidence: str = "") -> ProviderClaim:
    return provider_actions.request_claim(
        user=UserFactory.create(), entry=place or clinic(), role="Chef", evidence=evidence
    )


# --- the action ------------------------------------------------------------------------


def test_revoking_is_audited_with_the_reason_and_the_member_is_told():
    claim = approved_claim(clinic())
    staff = acting_staff()

    revoked = provider_actions.revoke_claim(staff=staff, claim=claim, reason="Slutat på kliniken.")

    assert revoked.status == ClaimStatus.REVOKED
    assert revoked.decided_by == staff
    entry = AuditEntry.objects.get(action="reviews.claim_revoked")
    assert entry.reason == "Slutat på kliniken."
    notice = ReviewNotice.objects.get(recipient=claim.user, kind=NoticeKind.CLAIM_REVOKED)
    assert notice.text == "Slutat på kliniken."
    assert notice.claim == revoked


def test_the_replies_stay_published_but_no_longer_speak_for_the_page():
    place = clinic()
    claim = approved_claim(place)
    answer = reply(review(place), claim)
    other = reply(review(place), approved_claim(place))

    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Slutat.")

    answer.refresh_from_db()
    other.refresh_from_db()
    assert answer.status == ContentStatus.PUBLISHED
    assert answer.voice_ended_at is not None
    assert not answer.speaks_for_entry
    assert other.speaks_for_entry
    assert AuditEntry.objects.get(action="reviews.claim_revoked").data["replies"] == 1


def test_after_revoking_the_member_can_no_longer_reply_or_edit():
    place = clinic()
    claim = approved_claim(place)
    answer = reply(review(place), claim)

    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Slutat.")

    with pytest.raises(NotAProvider):
        provider_actions.reply_to_review(author=claim.user, review=review(place), body="Hej")
    with pytest.raises(NotAProvider):
        provider_actions.edit_reply(editor=claim.user, reply=answer, body="Ny text")


def test_a_reply_edited_under_a_new_approved_claim_speaks_for_the_page_again():
    place = clinic()
    claim = approved_claim(place)
    answer = reply(review(place), claim)
    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Fel person.")
    again = approved_claim(place, user=claim.user, role="Verksamhetschef igen")

    provider_actions.edit_reply(editor=claim.user, reply=answer, body="Uppdaterat svar.")

    answer.refresh_from_db()
    assert answer.speaks_for_entry
    assert answer.claim == again
    assert answer.author_role == "Verksamhetschef igen"


@pytest.mark.parametrize("status", ["pending", "rejected", "revoked"])
def test_only_an_approved_claim_can_be_revoked(status):
    staff = acting_staff()
    claim = _pending()
    if status == "rejected":
        provider_actions.decide_claim(staff=staff, claim=claim, approve=False, reason="Nej.")
    elif status == "revoked":
        provider_actions.decide_claim(staff=staff, claim=claim, approve=True, reason="Ja.")
        provider_actions.revoke_claim(staff=staff, claim=claim, reason="Slutat.")

    with pytest.raises(ClaimNotApproved) as refused:
        provider_actions.revoke_claim(staff=staff, claim=claim, reason="Igen.")

    assert refused.value.status == 409
    claim.refresh_from_db()
    assert claim.status == status


def test_a_revocation_needs_a_reason():
    claim = approved_claim(clinic())

    with pytest.raises(ClaimError):
        provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="   ")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_members_and_staff_without_a_second_factor_cannot_revoke():
    claim = approved_claim(clinic())

    for person in (claim.user, UserFactory.create(), StaffFactory.create()):
        with pytest.raises(PermissionDenied):
            provider_actions.revoke_claim(staff=person, claim=claim, reason="x")


# --- the claims page ---------------------------------------------------------------------


def test_the_claims_page_lists_pending_approved_and_decided_claims_apart():
    staff = acting_staff()
    waiting = _pending()
    speaking = approved_claim(clinic())
    refused = _pending()
    provider_actions.decide_claim(staff=staff, claim=refused, approve=False, reason="Okänd.")
    gone = approved_claim(clinic())
    provider_actions.revoke_claim(staff=staff, claim=gone, reason="Slutat.")
    client = _client(staff)

    pages = {
        show: client.get(_claims_url(show)).content.decode()
        for show in ("pending", "approved", "decided")
    }

    assert str(waiting.public_id) in pages["pending"]
    assert str(speaking.public_id) not in pages["pending"]
    assert str(speaking.public_id) in pages["approved"]
    assert reverse("reviews:claim_revoke", args=[speaking.public_id]) in pages["approved"]
    assert str(waiting.public_id) not in pages["approved"]
    assert str(refused.public_id) in pages["decided"]
    assert str(gone.public_id) in pages["decided"]
    assert "Okänd." in pages["decided"]
    for decided in (refused, gone):
        assert reverse("reviews:claim_revoke", args=[decided.public_id]) not in pages["decided"]
        assert reverse("reviews:claim_decide", args=[decided.public_id]) not in pages["decided"]


def test_an_unknown_filter_shows_the_pending_claims():
    waiting = _pending()

    page = _client(acting_staff()).get(_claims_url("everything")).content.decode()

    assert str(waiting.public_id) in page


def test_staff_revoke_on_the_page_and_the_claim_moves_to_decided():
    claim = approved_claim(clinic())
    client = _client(acting_staff())

    response = client.post(
        reverse("reviews:claim_revoke", args=[claim.public_id]), {"reason": "Slutat."}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?show=approved")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVOKED
    assert str(claim.public_id) in client.get(_claims_url("decided")).content.decode()


def test_a_revocation_without_a_reason_is_400_with_a_translated_message():
    claim = approved_claim(clinic())

    response = _client(acting_staff()).post(
        reverse("reviews:claim_revoke", args=[claim.public_id]), {"reason": "  "}
    )

    assert response.status_code == 400
    page = response.content.decode()
    message = sv("claim revocation", "Give the reason for revoking: the member will read it.")
    assert message in page
    assert f'href="#revoke-reason-{claim.public_id}"' in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_a_too_long_reason_is_400_and_the_text_is_kept():
    claim = approved_claim(clinic())
    long_reason = "Lång motivering " * 200

    response = _client(acting_staff()).post(
        reverse("reviews:claim_revoke", args=[claim.public_id]), {"reason": long_reason}
    )

    assert response.status_code == 400
    assert long_reason.strip() in response.content.decode()


def test_revoking_a_claim_that_is_not_approved_is_409_and_the_text_is_kept():
    claim = _pending()

    response = _client(acting_staff()).post(
        reverse("reviews:claim_revoke", args=[claim.public_id]),
        {"reason": "Har slutat enligt växeln."},
    )

    assert response.status_code == 409
    page = response.content.decode()
    message = sv(
        "claim error",
        "Only an approved claim can be revoked, and this one is not approved (any more). "
        "Reload the list.",
    )
    assert message in page
    assert "Har slutat enligt växeln." in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_a_failed_decision_keeps_the_reason_in_the_claims_form():
    claim = _pending()

    response = _client(acting_staff()).post(
        reverse("reviews:claim_decide", args=[claim.public_id]), {"reason": "Ringde växeln."}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ringde växeln." in page
    assert f'href="#decision-{claim.public_id}_0"' in page
    assert f'id="decision-{claim.public_id}_0"' in page


@pytest.mark.parametrize("who", ["visitor", "member", "claimant", "staff_without_mfa"])
def test_only_acting_staff_reach_the_claims_page_and_revoke(who):
    claim = approved_claim(clinic())
    client = Client()
    if who == "member":
        log_in(client, UserFactory.create())
    elif who == "claimant":
        log_in(client, claim.user)
    elif who == "staff_without_mfa":
        client.force_login(StaffFactory.create())

    listed = client.get(_claims_url("approved"))
    revoked = client.post(
        reverse("reviews:claim_revoke", args=[claim.public_id]), {"reason": "Slutat."}
    )

    expected = 302 if who == "visitor" else 403
    assert listed.status_code == expected
    assert revoked.status_code == expected
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


@pytest.mark.parametrize("show", ["pending", "approved", "decided"])
def test_the_claims_page_has_a_fixed_query_count(show, django_assert_num_queries):
    staff = acting_staff()
    for _ in range(CLAIMS_PER_PAGE + 5):
        claim = _pending(evidence="Ring växeln och fråga efter chefen.")
        if show != "pending":
            provider_actions.decide_claim(staff=staff, claim=claim, approve=True, reason="Ja.")
        if show == "decided":
            provider_actions.revoke_claim(staff=staff, claim=claim, reason="Slutat.")
    client = _client(staff)
    client.get(_claims_url(show))

    # session, user, the staff's second factor, the count, the page (claimant, entry
    # and who decided joined): the same whatever the number of claims
    with django_assert_num_queries(5):
        response = client.get(_claims_url(show))

    assert response.content.decode().count('<li id="claim-') == CLAIMS_PER_PAGE


# --- the reply on the entry page ---------------------------------------------------------


def test_the_entry_page_shows_a_revoked_representatives_reply_without_the_badge():
    place = clinic()
    claim = approved_claim(place)
    rated = review(place)
    reply(rated, claim, body="Vi har fler telefontider nu.")
    url = reverse("directory:clinic_detail", args=[place.slug])
    before = Client().get(url).content.decode()

    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Slutat.")
    after = Client().get(url).content.decode()

    heading = sv("provider reply", "Reply from %(name)s") % {"name": place.name}
    ended = sv("provider reply", "The person who wrote it no longer speaks for this page.")
    assert heading in before
    assert ended not in before
    assert "Vi har fler telefontider nu." in after
    assert heading not in after
    assert ended in after
    assert ReviewReply.objects.get().status == ContentStatus.PUBLISHED
