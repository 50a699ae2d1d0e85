"""Approved campaign submissions as a kind of the one search index
(:mod:`patientvoice.search.registry`; registered from ``CampaignsConfig.ready()``).

* Indexed: approved submissions (title, text or caption, a picture's description) of
  campaigns that are not drafts; public.
* Found through ``permissions.visible_submissions`` narrowed to approved ones, so a
  held, hidden, removed or withdrawn submission is never a result.
* Kept current: the after-publish hook ``search.index`` (run when a moderator approves
  one) indexes it; hiding, removal, withdrawal and erasure take it out after commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import pgettext_lazy

from patientvoice.core.markup import text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.search.registry import (
    PUBLIC,
    Document,
    Hit,
    SearchKind,
    register_kind,
)

from .kinds import submission_url
from .models import CampaignStatus, Submission
from .permissions import visible_submissions

SUBMISSION_SEARCH_LABEL = Submission._meta.label_lower  # "campaigns.submission"


def _approved(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return qs.filter(status=ContentStatus.PUBLISHED, withdrawn_at__isnull=True).exclude(
        campaign__status=CampaignStatus.DRAFT
    )


def indexable_submissions() -> QuerySet[Submission]:
    return _approved(Submission.objects.all())  # visibility: approved and public only


def _text(submission: Submission) -> str:
    parts = [text_as_read(submission.body_html), submission.alt_text]
    return "\n".join(p for p in parts if p)


def submission_documents(qs: QuerySet[Submission]) -> Iterator[Document]:
    for submission in qs:
        yield Document(
            object_id=submission.pk,
            title=submission.title,
            body=_text(submission),
            language=submission.language,
            published_at=submission.published_at or submission.created_at,
            community_id=None,
            audiences=(PUBLIC,),
            author_id=submission.author_id,
        )


def searchable_submissions(user: Any, qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return visible_submissions(user, _approved(qs))


def submission_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    submissions = visible_submissions(
        user, _approved(Submission.objects.filter(pk__in=ids)).select_related("campaign")
    )
    return {
        s.pk: Hit(
            title=s.title,
            url=submission_url(s),
            text=_text(s),
            language=s.language,
            published_at=s.published_at,
            place=s.campaign.title,
            place_url=s.campaign.get_absolute_url(),
        )
        for s in submissions
    }


SUBMISSION_SEARCH_KIND = SearchKind(
    label=SUBMISSION_SEARCH_LABEL,
    name=pgettext_lazy("search kind", "Campaign submissions"),
    model=Submission,
    indexable=indexable_submissions,
    documents=submission_documents,
    searchable=searchable_submissions,
    hits=submission_hits,
)


def register_submission_search() -> None:
    register_kind(SUBMISSION_SEARCH_KIND)
