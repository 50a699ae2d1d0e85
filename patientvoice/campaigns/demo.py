"""Demo campaigns for ``seed_demo``: one in its voting phase with approved pictures and
short texts (the pictures drawn with Pillow at seed time, nothing binary in the
repository) and one held submission; one closed campaign with its jury's scores and
published results. Written through the actions, as people would. Idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.organizations.models import Organization

from . import actions
from .actions import CampaignSettings, Entry
from .models import (
    AgeGroup,
    Campaign,
    CampaignStatus,
    Licence,
    Submission,
    SubmissionKind,
    VoteMode,
)

DEMO_DOMAIN = "demo.patientvoice.local"
VOTING_SLUG = "sa-kanns-varken"
CLOSED_SLUG = "words-for-the-waiting-room"

_VOTING_BRIEF = """\
Hur ser värk ut för dig? Skicka en **bild** eller en **kort text** (högst några \
meningar) om hur det är att leva med ledvärk. Vi visar bidragen på vår webbplats och \
på väntrummens skärmar under Reumatikerveckan."""
_VOTING_RULES = """\
- Skicka bara det du själv har gjort.
- Skriv inte namn eller andra uppgifter om andra personer.
- Alla bidrag läses av en moderator innan de visas.
- Du kan dra tillbaka ditt bidrag när du vill."""
_CLOSED_BRIEF = """\
Waiting for a scan result is hard. Send a **short text** that would help someone in \
the waiting room: what you wish you had known, or what helped you."""
_CLOSED_RULES = """\
- Your own words only, in English.
- No names or details of other people.
- Every text is read by a moderator before it is shown."""

# (member key, title, text, picture colours or None)
_VOTING_ENTRIES = [
    ("anna", "Morgonstel", "Varje morgon tar det en timme innan händerna vill.",
     ("#1f5f8b", "#f2b134")),
    ("erik", "Som sand i lederna", "Det känns som sand i knäna när det blir kallt ute.", None),
    ("maria", "Värmeljus", "Ett värmeljus i fönstret: det lilla som hjälper en tung dag.",
     ("#8a3b12", "#ffd27f")),
    ("sam", "Hidden", "Nobody sees it, so I drew it.", ("#2e6b3a", "#e8e8e8")),
]  # fmt: skip
_HELD_ENTRY = ("james", "Waiting", "This one waits for a moderator.")
_CLOSED_ENTRIES = [
    ("sam", "Bring a friend",
     "Bring someone who can listen while you cannot. You will not remember half of it."),
    ("james", "Write it down",
     "Write your questions down the night before. Nerves eat them otherwise."),
    ("anna", "Breathe out", "Breathe out longer than you breathe in. It sounds silly; it works."),
]  # fmt: skip


def draw_picture(background: str, accent: str, size: tuple[int, int] = (960, 720)) -> bytes:
    """An abstract picture (circles and waves) as PNG bytes."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    for n in range(6):
        r = 40 + n * 35
        draw.ellipse(
            (width // 3 - r, height // 2 - r, width // 3 + r, height // 2 + r),
            outline=accent,
            width=6,
        )
    for y in range(80, height, 120):
        draw.line([(0, y), (width // 2, y + 40), (width, y)], fill=accent, width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _member(key: str) -> User | None:
    return User.objects.filter(email=f"{key}@{DEMO_DOMAIN}").first()


def _settings(
    *, title: str, brief: str, rules: str, language: str, kinds: list[str], opened_days_ago: int
) -> CampaignSettings:
    now = timezone.now()
    return CampaignSettings(
        title=title, brief=brief, rules=rules, language=language,
        submissions_open_at=now - timedelta(days=opened_days_ago),
        submissions_close_at=now + timedelta(days=1),
        voting_opens_at=now - timedelta(days=opened_days_ago),
        voting_closes_at=now + timedelta(days=14),
        accepted_kinds=kinds, licences=list(Licence.values),
        vote_mode=VoteMode.PER_CAMPAIGN, public_weight=50, winners_count=1,
    )  # fmt: skip


def _submit(
    campaign: Campaign, author: User, title: str, text: str, picture: bytes | None
) -> Submission:
    entry = Entry(
        kind=SubmissionKind.IMAGE if picture else SubmissionKind.TEXT,
        title=title,
        text=text,
        licence=Licence.CC_BY,
        age_group=AgeGroup.ADULT,
        rules_accepted=True,
        alt_text=f"{title}: abstrakt bild i två färger" if picture else "",
        upload=picture,
    )
    result = actions.submit_entry(
        author=author, campaign=campaign, entry=entry, language=campaign.language
    )
    submission = result.content
    assert isinstance(submission, Submission)
    return submission


def _approve(submission: Submission) -> None:
    actions.set_submission_status(submission, ContentStatus.PUBLISHED)


def _close_submissions(campaign: Campaign, values: CampaignSettings) -> Campaign:
    now = timezone.now()
    values.submissions_close_at = now - timedelta(hours=1)
    values.voting_opens_at = now - timedelta(hours=1)
    return actions.update_campaign(actor=None, campaign=campaign, values=values)


def seed_demo_campaigns() -> None:
    """Add both demo campaigns once (nothing when the demo organisations are missing)."""
    with transaction.atomic():
        _voting_campaign()
        _closed_campaign()


def _voting_campaign() -> None:
    organization = Organization.objects.filter(slug="diabetes-norr").first()
    if organization is None or Campaign.objects.filter(slug=VOTING_SLUG).exists():
        return
    values = _settings(
        title="Så känns värken", brief=_VOTING_BRIEF, rules=_VOTING_RULES, language="sv",
        kinds=[SubmissionKind.IMAGE, SubmissionKind.TEXT], opened_days_ago=20,
    )  # fmt: skip
    campaign = actions.create_campaign(
        actor=None, organization=organization, values=values, slug=VOTING_SLUG
    )
    actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.OPEN)
    campaign.refresh_from_db()
    approved = []
    for key, title, text, colours in _VOTING_ENTRIES:
        author = _member(key)
        if author is None:
            continue
        picture = draw_picture(*colours) if colours else None
        submission = _submit(campaign, author, title, text, picture)
        _approve(submission)
        approved.append(submission)
    held_author = _member(_HELD_ENTRY[0])
    if held_author is not None:
        _submit(campaign, held_author, _HELD_ENTRY[1], _HELD_ENTRY[2], None)
    campaign = _close_submissions(campaign, values)
    actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.VOTING)
    campaign.refresh_from_db()
    voters = [m for m in (_member(k) for k in ("lena", "erik", "maria")) if m is not None]
    for voter, submission in zip(voters, approved, strict=False):
        submission.campaign = campaign
        if submission.author_id != voter.pk:
            actions.cast_vote(voter=voter, submission=submission)


def _closed_campaign() -> None:
    organization = Organization.objects.filter(slug="cancer-together").first()
    if organization is None or Campaign.objects.filter(slug=CLOSED_SLUG).exists():
        return
    values = _settings(
        title="Words for the waiting room", brief=_CLOSED_BRIEF, rules=_CLOSED_RULES,
        language="en", kinds=[SubmissionKind.TEXT], opened_days_ago=40,
    )  # fmt: skip
    campaign = actions.create_campaign(
        actor=None, organization=organization, values=values, slug=CLOSED_SLUG
    )
    actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.OPEN)
    campaign.refresh_from_db()
    submissions = []
    for key, title, text in _CLOSED_ENTRIES:
        author = _member(key)
        if author is None:
            continue
        submission = _submit(campaign, author, title, text, None)
        _approve(submission)
        submissions.append(submission)
    # The criteria are part of the rules: fixed before voting starts.
    helpful = actions.add_criterion(actor=None, campaign=campaign, name="Helpful", weight=2)
    clear = actions.add_criterion(actor=None, campaign=campaign, name="Clear", weight=1)
    campaign = _close_submissions(campaign, values)
    actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.VOTING)
    campaign.refresh_from_db()
    juror = _member("lena")
    if juror is not None:
        actions.add_juror(actor=None, campaign=campaign, user=juror)
        for n, submission in enumerate(submissions):
            submission.campaign = campaign
            actions.score_submission(
                juror=juror, submission=submission, scores={helpful.pk: 9 - n, clear.pk: 7 + n}
            )
    for key in ("erik", "maria"):
        voter = _member(key)
        if voter is not None and submissions:
            actions.cast_vote(voter=voter, submission=submissions[1])
    actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.CLOSED)
    actions.publish_results(actor=None, campaign=campaign)
