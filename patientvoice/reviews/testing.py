"""Where reviews and the provider's voice can be seen: the surfaces that
:mod:`patientvoice.core.testing.visibility` checks. Imported by that helper in tests,
never by production code.

* **Reviews** and **provider replies**: the entry's page (physician, clinic, medicine)
  and the API's review, reply and entry lists. A held or hidden review is its author's
  and the moderators'; a held or hidden reply its author's and the moderators'.
* **Claims**: the claimant's own list in the API, and staff's claims page and API
  queue (pending, approved, decided), which show the evidence. The evidence must never
  reach an entry's page, the notices or the claim form.
* **Disputes**: their private texts (the provider's explanation, the reviewer's answer
  to the moderators) are shown on the moderation case page only. The reviewer's
  question page must never show the provider's text, and nothing a provider reads may
  show the reviewer's answer.
* **Review notices**: the recipient's notices page.

Some lists are for some readers only (staff's pages, a person's own list).
:class:`ReaderListSurface` says who: for anyone else, ``assert_can_see`` checks that
the list does *not* show the object (a 403, a redirect to log in, or a list without
it), so the matrix tests can walk every surface for every reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.core.testing.visibility import (
    DetailSurface,
    ListSurface,
    Viewer,
    public_id_and,
    register,
    text_marker,
)

from .models import ProviderClaim, Review, ReviewDispute, ReviewNotice, ReviewReply

API = "/api/v1"
# The API's lists page by 25; ask for the most it allows so a test's object is on the
# first page.
API_PAGE = "?limit=100"
# Pages for signed-in people send visitors to log in; staff's pages answer 403 to others.
NOT_FOR_YOU = frozenset({200, 302, 401, 403, 404})


def viewer_user(viewer: Viewer) -> User | None:
    """The person the viewer's client is logged in as, or ``None`` for a visitor."""
    user_id = viewer.client.session.get("_auth_user_id")
    return User.objects.filter(pk=user_id).first() if user_id is not None else None


def is_site_staff(user: User | None, obj: Any) -> bool:
    return user is not None and user.is_staff


@dataclass(frozen=True)
class ReaderListSurface(ListSurface):
    """A list meant for some readers only (``shown_to(user, obj)``). For them it must
    show the object; for anyone else it must not (``hidden_statuses`` allowed)."""

    shown_to: Callable[[User | None, Any], bool] = field(
        default=lambda user, obj: True, kw_only=True
    )
    hidden_statuses: frozenset[int] = NOT_FOR_YOU

    def visible_problem(self, viewer: Viewer, obj: Any) -> str | None:
        if not self.shown_to(viewer_user(viewer), obj):
            return self.hidden_problem(viewer, obj)
        return super().visible_problem(viewer, obj)


# --- addresses -------------------------------------------------------------------------


def _entry_page(review: Review) -> str:
    return reverse(review.review_kind.url_name, kwargs={"slug": review.entry.slug})


def _api_entry_reviews(review: Review) -> str:
    return f"{API}/{review.kind}s/{review.entry.slug}/reviews{API_PAGE}"


def _claim_entry_page(claim: ProviderClaim) -> str:
    name = "directory:physician_detail" if claim.physician_id else "directory:clinic_detail"
    return reverse(name, kwargs={"slug": claim.entry.slug})


def _claim_form(claim: ProviderClaim) -> str:
    return reverse("reviews:claim", kwargs={"kind": claim.kind, "slug": claim.entry.slug})


def _staff_claims_filter(claim: ProviderClaim) -> str:
    from .provider_queries import CLAIM_FILTERS

    return next(name for name, statuses in CLAIM_FILTERS.items() if claim.status in statuses)


def _claim_list(claim: ProviderClaim) -> str:
    return reverse("reviews:claim_list") + f"?show={_staff_claims_filter(claim)}"


def _api_claim_queue(claim: ProviderClaim) -> str:
    return f"{API}/provider-claims/queue?show={_staff_claims_filter(claim)}&limit=100"


def _notices(obj: Any) -> str:
    return reverse("reviews:notices")


def _case_page(dispute: ReviewDispute) -> str:
    return reverse("moderation:queue_case", kwargs={"case_id": dispute.case.public_id})


def _context_page(dispute: ReviewDispute) -> str:
    return reverse("reviews:dispute_context", kwargs={"public_id": dispute.public_id})


# --- markers ---------------------------------------------------------------------------


def _texts(*attributes: str) -> Callable[[Any], list[str]]:
    """Markers from these long texts only (no public id: the id of a claim or a dispute
    may be shown where its private text must not be)."""

    def markers(obj: Any) -> list[str]:
        found = (text_marker(str(getattr(obj, name) or "")) for name in attributes)
        return [marker for marker in found if marker]

    return markers


def _has(*attributes: str) -> Callable[[Any], bool]:
    """Applies when the object has a distinctive text in one of ``attributes``."""
    return lambda obj: bool(_texts(*attributes)(obj))


review_markers = public_id_and("body")
reply_markers = public_id_and("body")
evidence = _texts("evidence")
dispute_texts = _texts("text", "context_answer")
provider_text = _texts("text")


# --- reviews and replies ---------------------------------------------------------------

register(
    Review,
    DetailSurface("api.review", url=lambda r: f"{API}/reviews/{r.public_id}"),
    ListSurface("reviews.entry_page", url=_entry_page, markers=review_markers),
    ListSurface("api.entry_reviews", url=_api_entry_reviews, markers=review_markers),
    # The notices name a review's entry and link to it; they never quote it.
    ListSurface(
        "reviews.notices",
        url=_notices,
        markers=_texts("body"),
        exhaustive=False,
        hidden_statuses=NOT_FOR_YOU,
        applies=_has("body"),
    ),
)

register(
    ReviewReply,
    DetailSurface("api.review_reply", url=lambda r: f"{API}/reviews/{r.review.public_id}/reply"),
    ListSurface("reviews.entry_page", url=lambda r: _entry_page(r.review), markers=reply_markers),
    # The API's review lists do not carry replies (GET …/reply does); a guard.
    ListSurface(
        "api.entry_reviews",
        url=lambda r: _api_entry_reviews(r.review),
        markers=_texts("body"),
        exhaustive=False,
        applies=_has("body"),
    ),
)

# --- claims ------------------------------------------------------------------------------

register(
    ProviderClaim,
    ReaderListSurface(
        "reviews.claim_list",
        url=_claim_list,
        markers=public_id_and("evidence"),
        shown_to=is_site_staff,
    ),
    ReaderListSurface(
        "api.provider_claims_queue",
        url=_api_claim_queue,
        markers=public_id_and("evidence"),
        shown_to=is_site_staff,
    ),
    ReaderListSurface(
        "api.provider_claims",
        url=lambda c: f"{API}/provider-claims{API_PAGE}",
        shown_to=lambda user, claim: user is not None and user.pk == claim.user_id,
    ),
    # Where a claim's evidence must never show: the entry's page (approved claims speak
    # there), the claim form (the claimant's own claim is mentioned) and the notices.
    ListSurface(
        "reviews.entry_page",
        url=_claim_entry_page,
        markers=evidence,
        exhaustive=False,
        applies=_has("evidence"),
    ),
    ListSurface(
        "reviews.claim_form",
        url=_claim_form,
        markers=evidence,
        exhaustive=False,
        hidden_statuses=NOT_FOR_YOU,
        applies=_has("evidence"),
    ),
    ListSurface(
        "reviews.notices",
        url=_notices,
        markers=evidence,
        exhaustive=False,
        hidden_statuses=NOT_FOR_YOU,
        applies=_has("evidence"),
    ),
)

# --- disputes ----------------------------------------------------------------------------

register(
    ReviewDispute,
    # Moderators read the provider's explanation and the reviewer's answer in the
    # dispute panel of the review's case (site-wide queue: site staff).
    ReaderListSurface(
        "moderation.case_page",
        url=_case_page,
        markers=dispute_texts,
        shown_to=is_site_staff,
        applies=_has("text", "context_answer"),
    ),
    # The reviewer's page for the moderators' question: never the provider's text
    # (the reviewer's own answer is in its form, so it is not a marker here).
    ListSurface(
        "reviews.dispute_context",
        url=_context_page,
        markers=provider_text,
        exhaustive=False,
        hidden_statuses=NOT_FOR_YOU,
        applies=_has("text"),
    ),
    ListSurface(
        "reviews.entry_page",
        url=lambda d: _entry_page(d.review),
        markers=dispute_texts,
        exhaustive=False,
        applies=_has("text", "context_answer"),
    ),
    ListSurface(
        "reviews.notices",
        url=_notices,
        markers=dispute_texts,
        exhaustive=False,
        hidden_statuses=NOT_FOR_YOU,
        applies=_has("text", "context_answer"),
    ),
    ListSurface(
        "api.review",
        url=lambda d: f"{API}/reviews/{d.review.public_id}",
        markers=dispute_texts,
        exhaustive=False,
        hidden_statuses=frozenset({200, 404}),
        applies=_has("text", "context_answer"),
    ),
)

# --- notices -----------------------------------------------------------------------------

register(
    ReviewNotice,
    ReaderListSurface(
        "reviews.notices",
        url=_notices,
        markers=_texts("text"),
        shown_to=lambda user, notice: user is not None and user.pk == notice.recipient_id,
        applies=_has("text"),
    ),
)
