"""Demo reviews for ``seed_demo`` (issue 5, item 8), so that ``make run`` shows every
state of a rating summary: metformin with 30+ reviews for type 2 diabetes (averages,
95 % intervals, histograms, a ranking with empagliflozin's 6 below it), methotrexate with
3 ("too few ratings to summarise"), a primary care centre with 8 reviews and one of its
physicians with 7.

Everything goes through the actions: clinics and physicians through the directory's
import actions (idempotent upserts), reviews through ``reviews.actions.submit_review``,
so the pipeline, the trust rules and the summaries work as for anyone. The demo's
reviewers pass the trust rules honestly instead of around them: ``seed_demo`` creates
them with ``accounts.actions.create_member(email_verified=True, joined_at=<months ago>)``
(a confirmed address and an account older than the hold period), so their reviews are
published as verified experiences; nothing is backdated after the fact and no check is
skipped. Idempotent: a reviewer who has reviewed an entry is not asked again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.directory import actions as directory_actions
from patientvoice.directory.importing_providers import ClinicRow, PhysicianRow
from patientvoice.directory.models import Clinic, Condition, Medicine, Physician

from . import actions
from .dimensions import kind_for_entry
from .permissions import can_review

# How many demo reviewers besides seed_demo's members (their handles: granskare_01...).
REVIEWERS = 30
CLINIC_SLUG = "demo-vardcentralen-norrby"
PHYSICIAN_SLUG = "demo-karin-lind"


@dataclass(frozen=True)
class Spec:
    """One review: the headline score pattern comes from ``base`` and the reviewer's
    number, so the histograms have a realistic spread."""

    base: int
    body: str = ""
    language: str = "sv"
    details: dict[str, Any] = field(default_factory=dict)


_METFORMIN_TEXTS = [
    ("Magen bråkade de första veckorna, men med mat och långsam upptrappning gick det över.",
     "sv"),
    ("Sänkte mitt långtidssocker ordentligt på ett halvår. Enkelt att ta till frukost.", "sv"),
    ("Fick diarré som aldrig gick över trots depottabletter, så jag slutade efter tre månader.",
     "sv"),
    ("Works well for me. Took a month for my stomach to settle.", "en"),
    ("Billigt och beprövat. Jag tar det fortfarande efter sex år.", "sv"),
    ("Metallsmak i munnen i början, annars inga problem.", "sv"),
    ("My HbA1c went from 62 to 48 in four months together with walking every day.", "en"),
    ("Stora tabletter att svälja, men det fungerar.", "sv"),
]  # fmt: skip
_EMPAGLIFLOZIN_TEXTS = [
    ("Gick ner några kilo och sockret blev jämnare. Måste dricka mer vatten.", "sv"),
    ("Got a fungal infection twice in the first months; my nurse helped me handle it.", "en"),
]
_METHOTREXATE_TEXTS = [
    ("Illamående dagen efter sprutan, men lederna är mycket lugnare nu.", "sv"),
    ("Tröttheten på metotrexatdagen är jobbig. Folsyran hjälper lite.", "sv"),
]
_CLINIC_TEXTS = [
    ("Lätt att få tid via appen och trevligt bemötande i receptionen.", "sv"),
    ("Lång väntan i telefon, men väl på plats var det lugnt och rent.", "sv"),
    ("The diabetes nurse here is excellent and always has time for questions.", "en"),
]
_PHYSICIAN_TEXTS = [
    ("Lyssnade verkligen och förklarade provsvaren så att jag förstod.", "sv"),
    ("Kändes stressad, men tog sig tid när jag sa att jag var orolig.", "sv"),
    ("Explained my options clearly and let me decide.", "en"),
]


def _headline_scores(entry: Any, base: int, n: int) -> dict[str, int]:
    """Scores near ``base`` that vary per dimension and reviewer (1..5)."""
    kind = kind_for_entry(entry)
    offsets = (0, 1, -1, 0, 1, -2, 0)
    return {
        key: max(1, min(5, base + offsets[(n + i) % len(offsets)]))
        for i, key in enumerate(kind.keys)
    }


def _medicine_details(n: int, condition: Condition | None, stop_reason: str) -> dict[str, Any]:
    still_taking = n % 4 != 0
    effects = [("nausea",), ("stomach_upset", "headache"), (), ("tiredness",), ()][n % 5]
    return {
        "condition": condition,
        "duration": ["1_6m", "6_12m", "1_2y", "over_2y", "under_1m"][n % 5],
        "still_taking": still_taking,
        "stop_reason": "" if still_taking else stop_reason,
        "side_effects": list(effects),
        "would_recommend": n % 5 != 2,
        "on_behalf": n % 9 == 4,
    }


def _reviewers(password: str, domain: str) -> list[User]:
    """The demo's reviewers: e-mail confirmed and members for a year, so the trust rules
    let their reviews through (see the module docstring)."""
    people = []
    for n in range(1, REVIEWERS + 1):
        email = f"granskare{n:02d}@{domain}"
        person = User.objects.filter(email=email).first()
        if person is None:
            person = account_actions.create_member(
                email=email, password=password, handle=f"granskare_{n:02d}",
                presence="patient" if n % 3 else "caregiver", language="sv" if n % 4 else "en",
                email_verified=True, joined_at=timezone.now() - timedelta(days=365 - n),
            )  # fmt: skip
        people.append(person)
    return people


def _providers() -> tuple[Clinic, Physician]:
    directory_actions.import_clinics(
        rows=[
            ClinicRow(
                line=1, slug=CLINIC_SLUG, name="Vårdcentralen Norrby (demo)",
                kind="primary_care", region="vasterbotten", municipality="Umeå",
                address="Norrbyvägen 1", postcode="903 00",
            )
        ]
    )  # fmt: skip
    directory_actions.import_physicians(
        rows=[
            PhysicianRow(
                line=1, slug=PHYSICIAN_SLUG, name="Karin Lind (demo)", profession="physician",
                specialty="Allmänmedicin", workplaces=[CLINIC_SLUG],
            )
        ]
    )  # fmt: skip
    return Clinic.objects.get(slug=CLINIC_SLUG), Physician.objects.get(slug=PHYSICIAN_SLUG)


def _review_all(
    entry: Any,
    people: list[User],
    base: int,
    texts: list[tuple[str, str]],
    details: Callable[[int], dict[str, Any]] | None = None,
) -> int:
    written = 0
    for n, person in enumerate(people):
        # Reviewed already (the demo ran before), or may not review it (a sanction or a
        # conflict another part of the demo set up): the rules hold for the demo too.
        if not can_review(person, entry):
            continue
        body, language = texts[n] if n < len(texts) else ("", "sv")
        extra = details(n) if details is not None else {}
        actions.submit_review(
            author=person, entry=entry, scores=_headline_scores(entry, base, n),
            conflict="none", body=body, language=language, **extra,
        )  # fmt: skip
        written += 1
    return written


def seed_demo_reviews(*, members: dict[str, User], password: str, domain: str) -> str:
    """Write the demo's reviews (see the module docstring); returns a line for
    ``seed_demo``'s output, or "" when the directory lacks the starter medicines."""
    medicines = {m.slug: m for m in Medicine.objects.filter(
        slug__in=["metformin", "empagliflozin", "methotrexate"]
    )}  # fmt: skip
    if len(medicines) < 3:
        return ""
    conditions = {c.slug: c for c in Condition.objects.filter(
        slug__in=["typ-2-diabetes", "reumatoid-artrit"]
    )}  # fmt: skip
    diabetes = conditions.get("typ-2-diabetes")
    ra = conditions.get("reumatoid-artrit")
    reviewers = _reviewers(password, domain)
    everyone = [*members.values(), *reviewers]
    clinic, physician = _providers()

    _review_all(
        medicines["metformin"], everyone[:34], 4, _METFORMIN_TEXTS,
        lambda n: _medicine_details(n, diabetes, "side_effects"),
    )  # fmt: skip
    _review_all(
        medicines["empagliflozin"], reviewers[-6:], 3, _EMPAGLIFLOZIN_TEXTS,
        lambda n: _medicine_details(n + 1, diabetes, "cost"),
    )  # fmt: skip
    _review_all(
        medicines["methotrexate"], reviewers[10:13], 4, _METHOTREXATE_TEXTS,
        lambda n: _medicine_details(n + 1, ra, "side_effects"),
    )  # fmt: skip
    _review_all(clinic, reviewers[13:21], 4, _CLINIC_TEXTS)
    _review_all(
        physician,
        reviewers[21:28],
        4,
        _PHYSICIAN_TEXTS,
        lambda n: {"waiting_minutes": [10, 25, 5, 40, 15, 0, 20][n % 7]},
    )
    return (
        f"Demo reviews: /sv/medicines/metformin/ (many), /sv/medicines/methotrexate/ "
        f"(too few), /sv/clinics/{CLINIC_SLUG}/, /sv/physicians/{PHYSICIAN_SLUG}/, "
        f"/sv/conditions/typ-2-diabetes/ (ranking)."
    )
