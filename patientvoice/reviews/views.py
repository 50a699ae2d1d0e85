"""Review pages: the reviews block of an entry's page (``entry_reviews``, called by the
directory's medicine, physician and clinic pages), writing, editing and withdrawing a
review, "How reviews work", and the ranked medicines for a condition.

The entry pages are hot (issue 5: a medicine with 10,000 reviews at >= 1,000 requests/s):
the summary is one ``RatingSummary`` row, the reviews one query for the page shown, and
every per-review address is a prefix built once plus the review's public id (no
``{% url %}`` per review; PERFORMANCE.md).
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override, pgettext
from django.views.decorators.http import require_http_methods, require_safe

from patientvoice.accounts.permissions import is_acting_staff, signed_in_user
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import ContentTooLong
from patientvoice.directory.models import Condition
from patientvoice.directory.queries import medicine_name
from patientvoice.expertnotes.presence import may_offer_note
from patientvoice.expertnotes.queries import note_state_key, notes_for
from patientvoice.moderation.errors import MemberSanctioned
from patientvoice.organizations.promotion import neutral_medicine_page
from patientvoice.organizations.sponsorship_queries import labels_by_organization
from patientvoice.professionals.queries import credentials_by_id

from . import actions, queries
from .actions import ReviewResult
from .dimensions import KINDS, SCORE_MAX, SCORES, SIDE_EFFECTS, ReviewKind, kind_for_entry
from .errors import ConflictKnown, ReviewError, ReviewExists, ReviewNotEditable
from .forms import ReviewForm
from .models import Review
from .permissions import (
    access_review,
    check_can_review,
    check_edit_review,
    check_withdraw_review,
    own_review_of,
    visible_reviews,
)
from .statistics import MIN_FOR_SUMMARY, PRIOR_MEAN, PRIOR_WEIGHT

REVIEWS_PER_PAGE = 20
RANKED_ON_CONDITION_PAGE = 10
RANKED_PER_PAGE = 25
_BLANK = uuid.UUID(int=0)
# The score drawn as stars (hidden from screen readers, which read "4 of 5").
STARS = {score: "★" * score + "☆" * (SCORE_MAX - score) for score in SCORES}


# --- addresses, built once per language ----------------------------------------------------


@lru_cache(maxsize=8)
def _prefixes(language: str) -> dict[str, str]:
    """The start of each per-review address in ``language``; the review's public id
    and a slash complete it."""
    with override(language):
        return {
            "flag": reverse("moderation:flag", args=["review", _BLANK]).removesuffix(f"{_BLANK}/"),
            "edit": reverse("reviews:edit", args=[_BLANK]).removesuffix(f"{_BLANK}/edit/"),
            "how": reverse("reviews:how"),
        }


def entry_name(entry: Any, language: str | None = None) -> str:
    kind = kind_for_entry(entry)
    if kind.has_medicine_details:
        return medicine_name(entry, language or get_language())
    return str(entry.name)


def entry_url(entry: Any) -> str:
    return reverse(kind_for_entry(entry).url_name, kwargs={"slug": entry.slug})


def _write_url(kind: ReviewKind, entry: Any) -> str:
    return reverse("reviews:write", kwargs={"kind": kind.key, "slug": entry.slug})


# --- the reviews block of an entry page ---------------------------------------------------


def _decorate(
    reviews: list[Review],
    kind: ReviewKind,
    user_id: int | None,
    staff: bool = False,
    notes: dict[int, list[Any]] | None = None,
) -> None:
    """What each review card shows, computed here rather than looked up in the loop,
    and the key its rendered HTML is remembered under (``card_key``). ``notes``: the
    expert notes the reader may see, by review id (``expertnotes.queries.notes_for``)."""
    notes = notes or {}
    now = timezone.now()
    language = get_language()
    labels = [(d.key, str(d.label)) for d in kind.dimensions]
    side_effects = {key: str(label) for key, label in SIDE_EFFECTS.items()}
    for review in reviews:
        scores = review.scores or {}
        review.score_rows = [  # type: ignore[attr-defined]
            (label, scores[key], STARS[scores[key]]) for key, label in labels if key in scores
        ]
        review.is_old = review.is_older_than_two_years(now)  # type: ignore[attr-defined]
        review.is_own = user_id is not None and review.author_id == user_id  # type: ignore[attr-defined]
        if kind.has_medicine_details:
            review.condition_name = (  # type: ignore[attr-defined]
                review.condition.name(language) if review.condition is not None else ""
            )
            review.side_effect_labels = [  # type: ignore[attr-defined]
                side_effects.get(key, key) for key in review.side_effects or []
            ]
        shown = notes.get(review.pk, [])
        review.shown_notes = shown  # type: ignore[attr-defined]
        review.can_add_note = may_offer_note(  # type: ignore[attr-defined]
            reader_id=user_id,
            reader_is_professional=getattr(review, "reader_credential", None) is not None,
            target_author_id=review.author_id,
            target_published=review.status == ContentStatus.PUBLISHED,
            notes=shown,
        )
        review.card_key = _card_key(review, staff)  # type: ignore[attr-defined]


def _card_key(review: Review, staff: bool) -> tuple[Any, ...]:
    """Everything a review card (``review_card.html`` with ``review_extras.html``) shows
    besides the page's language and kind, which the memo's key adds: the row's state
    (every save moves ``updated_at``; the status and edit time named anyway, as
    moderation writes them), the author's handle, the condition's name, the reply's
    state, and the reader's relation to both (own review, speaks for the entry, staff
    who see held replies, own reply), the expert notes as this reader sees them and
    whether "Add a note" is offered. Nothing else is read; the differential test in
    tests/test_pages_memo.py compares remembered cards with fresh ones."""
    reply = getattr(review, "reply", None) if _has_reply(review) else None
    reply_key = None
    if reply is not None:
        reply_key = (
            reply.pk, reply.updated_at, reply.status, reply.edited_at, reply.helped_at,
            reply.change_made_at, reply.change_note, reply.author_role, reply.voice_ended_at,
            reply.author_id == getattr(review, "viewer_id", None),
        )  # fmt: skip
    return (
        review.pk, review.updated_at, review.status, review.edited_at,
        review.author.handle if review.author else None,
        getattr(review, "condition_name", ""), getattr(review, "is_own", False),
        getattr(review, "is_old", False), bool(getattr(review, "viewer_is_provider", False)),
        staff, reply_key, getattr(review, "author_credential", None),
        getattr(review, "can_add_note", False),
        note_state_key(getattr(review, "shown_notes", None)),
        getattr(review, "sponsor_label", None),
    )  # fmt: skip


def _has_reply(review: Review) -> bool:
    """Whether the review has a reply, without a query (it came with the review)."""
    try:
        return review.reply is not None
    except ObjectDoesNotExist:
        return False


def entry_reviews(request: HttpRequest, entry: Any) -> dict[str, Any]:
    """The context of the reviews block of ``entry``'s page (``reviews`` in the
    template, read by ``reviews/includes/entry_reviews.html``): the summary from its
    row alone, page ``?page=`` of the reviews the reader may see (newest first), the
    reader's own review, and the addresses the cards need. A fixed number of queries
    whatever the number of reviews."""
    kind = kind_for_entry(entry)
    user = request.user
    user_id = user.pk if user.is_authenticated else None
    summary = queries.summary_for(entry)
    own = own_review_of(user, entry)
    listed: Any
    if is_acting_staff(user):  # staff see every review, in every state: counted
        listed = queries.reviews_for_entry(user, entry)
    else:
        # The published ones, counted by the summary; the reader's own review that
        # others cannot see (held, hidden) comes first on the first page.
        listed = queries.PublishedReviews(user, entry, summary.count)
    page: Page[Review] = Paginator(listed, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    reviews = list(page.object_list)
    if own is not None and own.status != ContentStatus.PUBLISHED and page.number == 1:
        unlisted = None if is_acting_staff(user) else queries.own_unlisted_review(user, entry)
        if unlisted is not None:
            reviews.insert(0, unlisted)
    for review in reviews:
        review.viewer_id = user_id  # type: ignore[attr-defined]
    # Staff (not suspended) see held replies (review_extras.html).
    staff = bool(getattr(user, "is_staff", False)) and not getattr(
        user, "privileges_suspended", False
    )
    # Expert notes, fetched only when a review shown has some (three queries then).
    noted = [r.pk for r in reviews if getattr(r, "has_notes", False)]
    notes = notes_for(user, "review", noted) if noted else {}
    labels = labels_by_organization(getattr(r, "sponsor_id", None) for r in reviews)
    for review in reviews:
        review.sponsor_label = labels.get(getattr(review, "sponsor_id", None) or 0)  # type: ignore[attr-defined]
    _decorate(reviews, kind, user_id, staff=staff, notes=notes)
    prefixes = _prefixes(get_language() or "sv")
    # The badges of the verified professionals among the authors (a query only then).
    credentials = credentials_by_id(
        r.author_credential  # type: ignore[attr-defined]
        for r in reviews
        if getattr(r, "author_credential", None)
    )
    return {
        "credentials": credentials,
        # Sponsor-controlled deployments: no summary for prescription medicines (0038).
        "neutral": kind.has_medicine_details and neutral_medicine_page(entry),
        "kind": kind,
        "entry": entry,
        "summary": summary,
        "min_for_summary": MIN_FOR_SUMMARY,
        "page": page,
        "list": reviews,
        "own": own,
        "signed_in": user_id is not None,
        "write_url": _write_url(kind, entry),
        "edit_prefix": prefixes["edit"],
        "flag_prefix": prefixes["flag"],
        "how_url": prefixes["how"],
        "help_panels": request.session.pop("pv_help_panels", []) if user_id else [],
    }


def review_permalink(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A review's permanent address (``kinds.review_url``): to the page of its entry
    that shows it now, at the review. 404 for a review the reader may not see."""
    review = (
        visible_reviews(request.user, Review.objects.filter(public_id=public_id))
        .select_related("medicine", "physician", "clinic")
        .first()
    )
    if review is None:
        raise Http404
    page = queries.page_of_review(request.user, review, REVIEWS_PER_PAGE)
    address = entry_url(review.entry) + (f"?page={page}" if page > 1 else "")
    return redirect(f"{address}#{review.anchor}")


# --- writing, editing, withdrawing --------------------------------------------------------


def _active_entry(kind: ReviewKind, slug: str) -> Any:
    entry = kind.model.objects.filter(slug=slug, is_active=True).first()  # type: ignore[attr-defined]
    if entry is None:
        raise Http404
    return entry


def _edit_url(review: Review) -> str:
    return reverse("reviews:edit", args=[review.public_id])


def _announce(request: HttpRequest, result: ReviewResult, *, edited: bool = False) -> None:
    if result.held:
        messages.warning(
            request,
            pgettext(
                "review form",
                "Your review is saved, but it waits for a moderator before others can see it.",
            ),
        )
        for message in result.hold_messages:
            messages.warning(request, str(message))
    elif result.published and edited:
        messages.success(request, pgettext("review form", "Your changes are saved."))
    elif result.published:
        messages.success(request, pgettext("review form", "Thank you! Your review is published."))
    if result.help_panels:
        request.session["pv_help_panels"] = result.help_panels


def _refuse(form: ReviewForm, error: Exception) -> tuple[int, Review | None]:
    """Put the action's refusal on the form (on the field it is about, when it names
    one); the status to answer and, for ``ReviewExists``, the member's review."""
    if isinstance(error, MemberSanctioned):
        form.add_error(None, str(error.message))
        return 403, None
    if isinstance(error, ContentTooLong):
        form.add_error(
            "body",
            pgettext("review form", "Please keep your text within %(limit)s characters.")
            % {"limit": Review.MAX_BODY_LENGTH},
        )
        return 400, None
    assert isinstance(error, ReviewError)
    name = getattr(error, "field", None) or getattr(error, "dimension", None)
    field = form.field_for_error(name) if name else None
    form.add_error(field, str(error))
    return error.status, error.review if isinstance(error, ReviewExists) else None


def _form_page(
    request: HttpRequest,
    *,
    form: ReviewForm | None,
    entry: Any,
    review: Review | None = None,
    existing: Review | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    kind = kind_for_entry(entry)
    return render(
        request,
        "reviews/review_form.html",
        {
            "form": form,
            "kind": kind,
            "entry": entry,
            "entry_name": entry_name(entry),
            "entry_url": entry_url(entry),
            "review": review,
            "existing_url": _edit_url(existing) if existing is not None else "",
            "refusal": refusal,
            "how_url": _prefixes(get_language() or "sv")["how"],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_write(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    review_kind = KINDS.get(kind)
    if review_kind is None:
        raise Http404
    entry = _active_entry(review_kind, slug)
    user = signed_in_user(request)
    if request.method == "GET":
        try:
            check_can_review(user, entry)
        except ReviewExists as exists:
            messages.info(request, str(exists))
            return redirect(_edit_url(exists.review))
        except ConflictKnown as refused:
            return _form_page(request, form=None, entry=entry, refusal=str(refused), status=403)
        except MemberSanctioned as refused:
            return _form_page(
                request, form=None, entry=entry, refusal=str(refused.message), status=403
            )
        return _form_page(request, form=ReviewForm(kind=review_kind), entry=entry)
    form = ReviewForm(request.POST, kind=review_kind)
    status, existing = 400, None
    if form.is_valid():
        try:
            result = actions.submit_review(
                author=user, entry=entry, language=get_language() or "sv", **form.answers()
            )
        except (ReviewError, MemberSanctioned, ContentTooLong) as error:
            status, existing = _refuse(form, error)
        else:
            _announce(request, result)
            return redirect(f"{entry_url(entry)}#{result.review.anchor}")
    return _form_page(request, form=form, entry=entry, existing=existing, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    review = access_review(user, public_id)
    entry = review.entry
    try:
        check_edit_review(user, review)
    except ReviewNotEditable as refused:
        return _form_page(
            request, form=None, entry=entry, review=review, refusal=str(refused), status=403
        )
    initial = ReviewForm.initial_for(review)
    if request.method == "GET":
        form = ReviewForm(initial=initial, kind=review.review_kind)
        return _form_page(request, form=form, entry=entry, review=review)
    form = ReviewForm(request.POST, initial=initial, kind=review.review_kind)
    status = 400
    if form.is_valid():
        try:
            result = actions.edit_review(review=review, editor=user, **form.answers())
        except (ReviewError, MemberSanctioned, ContentTooLong) as error:
            status, _ = _refuse(form, error)
        else:
            if result.publish_result is None:
                messages.info(request, pgettext("review form", "Nothing was changed."))
            else:
                _announce(request, result, edited=True)
            return redirect(f"{entry_url(entry)}#{review.anchor}")
    return _form_page(request, form=form, entry=entry, review=review, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    review = access_review(user, public_id)
    check_withdraw_review(user, review)
    entry = review.entry
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            actions.withdraw_review(review=review, actor=user)
            messages.success(request, pgettext("review form", "Your review is deleted."))
            return redirect(entry_url(entry))
        status = 400
    return render(
        request,
        "reviews/review_withdraw.html",
        {
            "review": review,
            "entry_name": entry_name(entry),
            "entry_url": entry_url(entry),
            "unconfirmed": status == 400,
        },
        status=status,
    )


# --- how reviews work, rankings -----------------------------------------------------------


@require_safe
def how_reviews_work(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    return render(
        request,
        "reviews/how_reviews_work.html",
        {
            "min_for_summary": MIN_FOR_SUMMARY,
            "prior_weight": PRIOR_WEIGHT,
            "prior_mean": f"{PRIOR_MEAN:g}",
            "hold_days": settings.PV_REVIEW_HOLD_NEW_ACCOUNT_DAYS,
            "per_day": settings.PV_REVIEWS_PER_DAY,
        },
    )


def ranked_rows(ranked: list[queries.Ranked], language: str) -> list[dict[str, Any]]:
    """Ranked medicines as list rows: name, address, summary."""
    return [
        {
            "name": medicine_name(row.entry, language),
            "url": reverse("directory:medicine_detail", kwargs={"slug": row.entry.slug}),
            "summary": row.summary,
        }
        for row in ranked
    ]


def condition_ranking(condition: Condition) -> dict[str, Any]:
    """The top of "Medicines people used for <condition>" for the condition's page."""
    language = get_language() or "sv"
    return {
        "rows": ranked_rows(
            queries.ranked_medicines_for_condition(condition, limit=RANKED_ON_CONDITION_PAGE),
            language,
        ),
        "how_url": _prefixes(language)["how"],
        "all_url": reverse("directory:condition_medicines", kwargs={"slug": condition.slug}),
    }


BEST_CLINICS_IN_REGION = 5


def best_clinics(region: str) -> dict[str, Any]:
    """ "Best rated in <region>" for the clinic list (a region chosen): the top clinics
    by adjusted score, one query."""
    if not region:
        return {"rows": []}
    ranked = queries.ranked_clinics(region=region, limit=BEST_CLINICS_IN_REGION)
    return {
        "rows": [
            {
                "name": row.entry.name,
                "url": reverse("directory:clinic_detail", kwargs={"slug": row.entry.slug}),
                "summary": row.summary,
            }
            for row in ranked
        ],
        "how_url": _prefixes(get_language() or "sv")["how"],
    }


@require_safe
def condition_medicines(request: HttpRequest, slug: str) -> HttpResponse:
    """Every medicine reviewed for ``condition``, by adjusted score, 25 a page."""
    condition = get_object_or_404(Condition, slug=slug)
    language = get_language() or "sv"
    count = queries.count_ranked_medicines_for_condition(condition)
    page = Paginator(range(count), RANKED_PER_PAGE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * RANKED_PER_PAGE
    ranked = queries.ranked_medicines_for_condition(condition, limit=RANKED_PER_PAGE, offset=offset)
    return render(
        request,
        "reviews/condition_medicines.html",
        {
            "condition": condition,
            "page": page,
            "rows": ranked_rows(ranked, language),
            "first_rank": offset + 1,
            "how_url": _prefixes(language)["how"],
        },
    )
