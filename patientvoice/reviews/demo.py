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

The provider's voice (decisions/0032): the clinic's representative (a demo login with
two-step verification, set up as the moderation demo sets up its moderators) holds a
claim on the clinic that the site team approved through ``provider_actions.decide_claim``,
and has replied publicly to one review; its reviewer said the reply helped and that a
change was made. Made once: a claim someone has since revoked, or marks the reviewer
has taken back, are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.directory import actions as directory_actions
from patientvoice.directory.importing_providers import ClinicRow, PhysicianRow
from patientvoice.directory.models import Clinic, Condition, Medicine, Physician

# The moderation demo's authenticator app (its secret is printed by seed_demo) and its
# site team (the inactive staff account recorded as doing the demo's staff-only acts).
from patientvoice.moderation.demo import DEMO_TOTP_SECRET
from patientvoice.moderation.demo import _authenticator_app as authenticator_app
from patientvoice.moderation.demo import _site_team as site_team

from . import actions, provider_actions
from .dimensions import kind_for_entry
from .models import ClaimStatus, ProviderClaim, Review, ReviewReply
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


# The clinic's representative (the demo login for the provider's voice), their claim,
# the review they reply to (the second clinic text: waiting on the phone), the reply and
# the reviewer's note of what changed.
REPRESENTATIVE = "mottagningen"
REPRESENTATIVE_HANDLE = "Sara_VCNorrby"
REPRESENTATIVE_ROLE = "Verksamhetschef"
REPRESENTATIVE_EVIDENCE = "Ring Vårdcentralen Norrbys växel och fråga efter verksamhetschefen Sara."
REPLIED_REVIEW = _CLINIC_TEXTS[1][0]
REPLY_TEXT = (
    "Tack för att du berättade. Sedan i våras svarar två sjuksköterskor till i telefonen "
    "på förmiddagarna, så att du ska slippa vänta lika länge. Välkommen tillbaka!"
)
CHANGE_NOTE = "Nu kom jag fram i telefonen på fem minuter."
CLAIM_REASON = "Demo: kontrollerat genom samtal till vårdcentralens växel."


def _representative(password: str, domain: str) -> User:
    """A member for half a year with a confirmed address and an authenticator app set
    up with the demo secret (as the moderation demo's moderators)."""
    email = f"{REPRESENTATIVE}@{domain}"
    person = User.objects.filter(email=email).first()
    if person is None:
        person = account_actions.create_member(
            email=email, password=password, handle=REPRESENTATIVE_HANDLE, presence="other",
            language="sv", email_verified=True, joined_at=timezone.now() - timedelta(days=180),
        )  # fmt: skip
    authenticator_app(person)
    return person


def _approved_claim(person: User, clinic: Clinic, domain: str) -> ProviderClaim | None:
    """The representative's claim on ``clinic``, asked for and approved by the site team
    the first time; later runs leave any claim as it is (a revoked one stays revoked)."""
    claim = ProviderClaim.objects.filter(user=person, clinic=clinic).order_by("-created_at").first()
    if claim is None:
        staff = site_team(domain)
        authenticator_app(staff)  # deciding claims needs a second factor
        claim = provider_actions.request_claim(
            user=person, entry=clinic, role=REPRESENTATIVE_ROLE, evidence=REPRESENTATIVE_EVIDENCE
        )
        claim = provider_actions.decide_claim(
            staff=staff, claim=claim, approve=True, reason=CLAIM_REASON
        )
    return claim if claim.status == ClaimStatus.APPROVED else None


def _reply_and_confirmation(person: User, clinic: Clinic) -> Review | None:
    """The representative's public reply to one review, and the reviewer's "this reply
    helped" and "a change was made" (only when the reply is new: marks the reviewer has
    taken back stay taken back). Returns the review replied to."""
    review = (
        Review.objects.filter(clinic=clinic, body=REPLIED_REVIEW, status=ContentStatus.PUBLISHED)
        .select_related("author")
        .first()
    )
    if review is None or review.author is None:
        return None
    if ReviewReply.objects.filter(review=review).exists():
        return review
    result = provider_actions.reply_to_review(
        author=person, review=review, body=REPLY_TEXT, language="sv"
    )
    reply = result.content
    if result.published and isinstance(reply, ReviewReply):
        provider_actions.mark_reply_helped(reviewer=review.author, reply=reply)
        provider_actions.mark_change_made(reviewer=review.author, reply=reply, note=CHANGE_NOTE)
    return review


def _provider_voice(clinic: Clinic, password: str, domain: str) -> str:
    person = _representative(password, domain)
    if _approved_claim(person, clinic, domain) is None:
        return ""
    review = _reply_and_confirmation(person, clinic)
    where = f"/sv/clinics/{CLINIC_SLUG}/" + (f"#{review.anchor}" if review else "")
    return (
        f"Provider's voice: log in as {person.email} with the same password and the code "
        f"from the authenticator app (secret {DEMO_TOTP_SECRET}); they speak for the demo "
        f"clinic and replied at {where}."
    )


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
    voice = _provider_voice(clinic, password, domain)
    summary = (
        f"Demo reviews: /sv/medicines/metformin/ (many), /sv/medicines/methotrexate/ "
        f"(too few), /sv/clinics/{CLINIC_SLUG}/, /sv/physicians/{PHYSICIAN_SLUG}/, "
        f"/sv/conditions/typ-2-diabetes/ (ranking)."
    )
    return f"{summary}\n{voice}" if voice else summary
