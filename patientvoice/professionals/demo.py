"""Demo professionals for ``seed_demo`` (decisions/0033), so that ``make run`` shows a
badge and a verifier queue that is not empty:

* a verifier (group "verifier", the demo's authenticator app), the demo login for the
  queue;
* a verified nurse, ``sjukskoterska@<domain>``, who applied and was approved by that
  verifier through the actions (her badge and declaration are on her profile);
* a physician's application waiting in the queue, with a drawn picture as evidence.

Everything goes through ``actions.submit_request`` and ``decide_request``; evidence is
drawn at seed time (no file ships). Idempotent: a person who has applied is not asked
again, and a request someone has since decided is left as it is.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image, ImageDraw

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.moderation.demo import DEMO_TOTP_SECRET
from patientvoice.moderation.demo import _authenticator_app as authenticator_app

from . import actions
from .evidence import check_evidence
from .models import VerificationRequest
from .permissions import VERIFIER_GROUP

VERIFIER = ("granskning", "Granskare_PV", "Verifier for the demo team.")
NURSE = ("sjukskoterska", "Syster_Maria", "Diabetessjuksköterska i Norrbotten.")
PHYSICIAN = ("lakare", "Dr_Erik_L", "Allmänläkare.")

NURSE_ANSWERS = {
    "profession": "nurse",
    "licence_number": "DEMO-SSK-0001",
    "specialty": "Diabetesvård",
    "workplace": "Vårdcentralen Norrby (demo)",
    "real_name": "Maria Lindqvist",
    "employer": "Region Norrbotten (demo)",
    "industry_ties": "",
    "no_industry_ties": True,
}
PHYSICIAN_ANSWERS = {
    "profession": "physician",
    "licence_number": "DEMO-LK-0002",
    "specialty": "Allmänmedicin",
    "workplace": "Hälsocentralen Söder (demo)",
    "real_name": "Erik Lundberg",
    "employer": "Hälsocentralen Söder (demo)",
    "industry_ties": "Föreläsning om diabetes för ett läkemedelsföretag, 2025 (demo).",
    "no_industry_ties": False,
}
APPROVAL_NOTE = "Demo: kontrollerad mot legitimationsbeviset."


def _drawn_licence(name: str) -> bytes:
    """A plain picture that says what it is (a demo, not a real licence)."""
    picture = Image.new("RGB", (640, 400), (250, 250, 245))
    pen = ImageDraw.Draw(picture)
    pen.rectangle((10, 10, 629, 389), outline=(40, 80, 120), width=4)
    for row, text in enumerate(["DEMO - NOT A REAL LICENCE", "Legitimationsbevis (demo)", name]):
        pen.text((40, 60 + row * 50), text, fill=(20, 20, 20))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _person(key: str, handle: str, bio: str, password: str, domain: str) -> User:
    email = f"{key}@{domain}"
    person = User.objects.filter(email=email).first()
    if person is None:
        person = account_actions.create_member(
            email=email, password=password, handle=handle, presence="other", language="sv",
            bio=bio, email_verified=True, joined_at=timezone.now() - timedelta(days=200),
        )  # fmt: skip
    authenticator_app(person)
    return person


def _application(person: User, answers: dict[str, object]) -> VerificationRequest:
    existing = VerificationRequest.objects.filter(applicant=person).order_by("-created_at").first()
    if existing is not None:
        return existing
    return actions.submit_request(
        applicant=person,
        evidence=check_evidence(_drawn_licence(str(answers["real_name"]))),
        **answers,  # type: ignore[arg-type]
    )


def seed_demo_professionals(*, password: str, domain: str) -> str:
    """Write the demo's professionals (see the module docstring); returns lines for
    ``seed_demo``'s output."""
    verifier = _person(*VERIFIER, password, domain)
    group, _ = Group.objects.get_or_create(name=VERIFIER_GROUP)
    verifier.groups.add(group)
    nurse = _person(*NURSE, password, domain)
    request = _application(nurse, NURSE_ANSWERS)
    if request.is_pending:
        actions.decide_request(
            verifier=verifier, request=request, approve=True, reason=APPROVAL_NOTE
        )
    _application(_person(*PHYSICIAN, password, domain), PHYSICIAN_ANSWERS)
    return (
        f"Professionals: log in as {verifier.email} (same password, authenticator secret "
        f"{DEMO_TOTP_SECRET}) for the verifier queue at /sv/professionals/verify/; "
        f"the verified nurse {nurse.email} has her badge at /sv/account/u/{nurse.handle}/."
    )
