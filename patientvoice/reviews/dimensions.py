"""What each kind of review asks: THE one place per kind (issue 5, item 2).

A review's scores are stored as JSON keyed by :attr:`Dimension.key`, so adding a
dimension, changing its wording or translating it is one change here and needs no
migration. Everything else (validation in the actions, the summaries, the pages) reads
:data:`KINDS`.

Changing the *meaning* of an existing key, or removing one, changes what stored scores
mean: add a new key instead, and leave the old one out of ``dimensions`` (its stored
scores stay in the summaries' JSON, unused) — then run ``rebuild_review_summaries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.directory.models import Clinic, Medicine, Physician

# Every dimension is rated on the same scale; the histograms have one bar per point.
SCORE_MIN = 1
SCORE_MAX = 5
SCORES = tuple(range(SCORE_MIN, SCORE_MAX + 1))


@dataclass(frozen=True)
class Dimension:
    """One question a review answers with 1..5 ("How well did it work?")."""

    key: str
    label: str | Promise
    help: str | Promise = ""
    required: bool = True


@dataclass(frozen=True)
class ReviewKind:
    """What a review of one kind of directory entry asks.

    ``key`` is the stored ``Review.kind`` and the name of the review's foreign key to
    the entry (``Review.medicine``...); ``model`` the entry's model; ``headline`` the
    dimension that ranks entries (the Bayesian-adjusted score, ``statistics``);
    ``url_name`` the entry's page (reviews are anchored there as ``#review-<id>``).
    """

    key: str
    model: type[models.Model]
    label: str | Promise
    dimensions: tuple[Dimension, ...]
    headline: str
    url_name: str
    # Medicines only: the condition it was for, how long, why stopped, side effects,
    # would you recommend it.
    has_medicine_details: bool = False
    # Physicians only: how long the person waited, in minutes.
    has_waiting_minutes: bool = False
    # The conflict question's "I work for …" answer, in this kind's words.
    works_for: str | Promise = ""

    @property
    def entry_field(self) -> str:
        return self.key

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    @property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions if d.required)

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def entry_of(self, review: Any) -> Any:
        return getattr(review, self.entry_field)


MEDICINE = ReviewKind(
    key="medicine",
    model=Medicine,
    label=pgettext_lazy("review kind", "Medicine"),
    works_for=pgettext_lazy("review conflict", "I work for a company that makes or sells it"),
    dimensions=(
        Dimension(
            "effectiveness",
            pgettext_lazy("review dimension", "Effectiveness"),
            pgettext_lazy("review dimension help", "How well did it help with what it was for?"),
        ),
        Dimension(
            "ease_of_use",
            pgettext_lazy("review dimension", "Ease of use"),
            pgettext_lazy("review dimension help", "How easy was it to take or use?"),
        ),
        Dimension(
            "satisfaction",
            pgettext_lazy("review dimension", "Satisfaction"),
            pgettext_lazy("review dimension help", "All in all, how satisfied are you with it?"),
        ),
    ),
    headline="satisfaction",
    url_name="directory:medicine_detail",
    has_medicine_details=True,
)

PHYSICIAN = ReviewKind(
    key="physician",
    model=Physician,
    label=pgettext_lazy("review kind", "Physician"),
    works_for=pgettext_lazy("review conflict", "I work with or for this physician"),
    dimensions=(
        Dimension(
            "listening",
            pgettext_lazy("review dimension", "Listening"),
            pgettext_lazy(
                "review dimension help", "Did they listen to you and take you seriously?"
            ),
        ),
        Dimension(
            "explanation",
            pgettext_lazy("review dimension", "Explanation"),
            pgettext_lazy("review dimension help", "Did they explain things so you understood?"),
        ),
        Dimension(
            "trust",
            pgettext_lazy("review dimension", "Trust"),
            pgettext_lazy("review dimension help", "Did you feel you could trust them?"),
        ),
        Dimension(
            "accessibility",
            pgettext_lazy("review dimension", "Accessibility"),
            pgettext_lazy("review dimension help", "Was it easy to reach them and get time?"),
        ),
        Dimension(
            "overall",
            pgettext_lazy("review dimension", "Overall"),
            pgettext_lazy("review dimension help", "All in all, how was your care with them?"),
        ),
    ),
    headline="overall",
    url_name="directory:physician_detail",
    has_waiting_minutes=True,
)

CLINIC = ReviewKind(
    key="clinic",
    model=Clinic,
    label=pgettext_lazy("review kind", "Clinic"),
    works_for=pgettext_lazy("review conflict", "I work at or for this clinic"),
    dimensions=(
        Dimension(
            "appointment",
            pgettext_lazy("review dimension", "Getting an appointment"),
            pgettext_lazy("review dimension help", "How easy was it to get an appointment?"),
        ),
        Dimension(
            "waiting",
            pgettext_lazy("review dimension", "Waiting time"),
            pgettext_lazy("review dimension help", "How reasonable was the wait on the day?"),
        ),
        Dimension(
            "staff",
            pgettext_lazy("review dimension", "Staff"),
            pgettext_lazy("review dimension help", "How were you treated by the staff?"),
        ),
        Dimension(
            "environment",
            pgettext_lazy("review dimension", "Environment"),
            pgettext_lazy("review dimension help", "Was the place clean, calm and accessible?"),
        ),
        Dimension(
            "overall",
            pgettext_lazy("review dimension", "Overall"),
            pgettext_lazy("review dimension help", "All in all, how was your visit?"),
        ),
    ),
    headline="overall",
    url_name="directory:clinic_detail",
)

KINDS: dict[str, ReviewKind] = {k.key: k for k in (MEDICINE, PHYSICIAN, CLINIC)}


class UnknownEntry(TypeError):
    """Something that is not a medicine, physician or clinic."""


def kind_for_entry(entry: Any) -> ReviewKind:
    """The review kind of a directory entry (a ``Medicine``, ``Physician`` or ``Clinic``)."""
    for kind in KINDS.values():
        if isinstance(entry, kind.model):
            return kind
    raise UnknownEntry(type(entry).__name__)


# Side effects people pick from, in patients' words (the free text catches the rest).
# Keys are stored in ``Review.side_effects``; add new ones at the end, never rename.
SIDE_EFFECTS: dict[str, str | Promise] = {
    "headache": pgettext_lazy("side effect", "Headache"),
    "nausea": pgettext_lazy("side effect", "Feeling sick (nausea)"),
    "dizziness": pgettext_lazy("side effect", "Dizziness"),
    "tiredness": pgettext_lazy("side effect", "Tiredness"),
    "weight_gain": pgettext_lazy("side effect", "Weight gain"),
    "sleep_problems": pgettext_lazy("side effect", "Sleep problems"),
    "dry_mouth": pgettext_lazy("side effect", "Dry mouth"),
    "stomach_upset": pgettext_lazy("side effect", "Upset stomach"),
    "rash": pgettext_lazy("side effect", "Rash or itching"),
    "hair_loss": pgettext_lazy("side effect", "Hair loss"),
    "low_mood": pgettext_lazy("side effect", "Low mood"),
    "anxiety": pgettext_lazy("side effect", "Anxiety or restlessness"),
    "sexual_problems": pgettext_lazy("side effect", "Sexual problems"),
    "palpitations": pgettext_lazy("side effect", "Heart pounding or racing (palpitations)"),
    "other": pgettext_lazy("side effect", "Something else"),
}
