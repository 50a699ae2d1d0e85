"""The demo's expert note: the verified diabetes nurse of ``professionals.demo`` adds
context to a parent's tip in the public type 1 diabetes community, so that a first
start shows a note under a post (with its badge, source and footer)."""

from __future__ import annotations

from patientvoice.accounts.models import User
from patientvoice.communities.models import Post

from . import actions
from .models import ExpertNote

NOTE_ON = "Vi använder ett överdrag av elastisk tejp"
BODY = (
    "Ren och torr hud utan kräm eller olja gör att sensorn sitter bättre. Vid mycket svett "
    "finns särskilda fixeringsplåster och överdrag: fråga din diabetesmottagning vilka som "
    "går att få utskrivna som hjälpmedel, så slipper ni köpa dem själva."
)
SOURCES = [
    ("1177: Diabetes typ 1", "https://www.1177.se/sjukdomar--besvar/diabetes/diabetes-typ-1/"),
]


def seed_demo_notes(*, domain: str) -> None:
    """Add the demo note once (nothing when the nurse or the post is missing)."""
    nurse = User.objects.filter(email=f"sjukskoterska@{domain}").first()
    post = Post.objects.filter(body__startswith=NOTE_ON).first()  # visibility: demo set-up
    if nurse is None or post is None or ExpertNote.objects.filter(post=post).exists():
        return
    actions.add_note(
        author=nurse, target=post, kind="context", body=BODY, sources=SOURCES, language="sv"
    )
