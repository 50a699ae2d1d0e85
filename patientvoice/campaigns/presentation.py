"""What a submission's card shows: where its picture, sizes, video and poster are.

An approved submission's files are read from the public storage (plain, cacheable
URLs); any other (held, hidden, removed) only through ``views.submission_file``, which
checks who asks and streams from private storage. The responsive sizes are offered as
``srcset`` once the worker has made them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from patientvoice.core.models import ContentStatus

from . import files
from .actions import voting_is_open
from .models import Campaign, Submission, SubmissionKind

# The gallery shows a card per column: one on a phone, two or three on wider screens.
GALLERY_SIZES = "(min-width: 60em) 30vw, (min-width: 40em) 45vw, 100vw"
DETAIL_SIZES = "(min-width: 60em) 48rem, 100vw"


def counts_shown(campaign: Campaign) -> bool:
    """Whether running vote counts are shown, on every page and in the API (null
    otherwise): while voting is open and once the results are published, never in
    between (decisions/0041). The organisers' preview of the results is apart."""
    return voting_is_open(campaign) or campaign.results_published


@dataclass(frozen=True)
class Media:
    kind: str
    src: str = ""
    srcset: str = ""
    poster: str = ""
    content_type: str = ""
    width: int | None = None
    height: int | None = None


def media_of(submission: Submission) -> Media:
    if submission.kind == SubmissionKind.TEXT or not submission.file_name:
        return Media(kind=submission.kind)
    if submission.status == ContentStatus.PUBLISHED and submission.public_file:
        src = files.public_url(submission.public_file)
        srcset = ", ".join(
            f"{files.public_url(name)} {width}w" for width, name in submission.srcset_widths()
        )
        if srcset and submission.width:
            srcset += f", {src} {submission.width}w"
        poster = files.public_url(submission.public_poster)
    else:
        kwargs = {"slug": submission.campaign.slug, "public_id": submission.public_id}
        src = reverse("campaigns:submission_file", kwargs={**kwargs, "variant": "file"})
        srcset = ""
        poster = (
            reverse("campaigns:submission_file", kwargs={**kwargs, "variant": "poster"})
            if submission.poster_name
            else ""
        )
    return Media(
        kind=submission.kind,
        src=src,
        srcset=srcset,
        poster=poster,
        content_type=submission.content_type,
        width=submission.width,
        height=submission.height,
    )
