"""Submissions: send one (always held for a moderator), withdraw it, the moderators'
changes of its status, the worker's responsive sizes and poster, and erasure."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import ratelimit
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish, run_after_publish
from patientvoice.moderation.permissions import check_may_post
from patientvoice.search import indexing as search_indexing

from .. import files
from ..errors import (
    CampaignError,
    InvalidSubmission,
    NotEditable,
    SubmissionsClosed,
    TooYoung,
)
from ..models import AgeGroup, Campaign, CampaignStatus, Submission, SubmissionKind, Vote

SUBMISSION_LABEL = "campaigns.Submission"
FILE_FIELDS = (
    "file_name", "poster_name", "rendition_names", "public_file", "public_poster",
    "public_renditions",
)  # fmt: skip
SEARCH_KIND = "campaigns.submission"
# Below the campaign's minimum age: the form's third answer, never stored.
TOO_YOUNG = "child"


class SubmittingTooFast(CampaignError):
    status = 429
    code = "rate_limited"
    default_message = pgettext_lazy(
        "campaign error",
        "You have sent many submissions in a short time. Wait a while and send it again.",
    )


@dataclass
class Entry:
    """What a contributor sends (the submission form, field by field)."""

    kind: str
    title: str
    text: str
    licence: str
    age_group: str
    rules_accepted: bool
    alt_text: str = ""
    guardian_name: str = ""
    guardian_email: str = ""
    guardian_consent: bool = False
    upload: Any = None


def check_submissions_open(campaign: Campaign, *, now: Any = None) -> None:
    """``SubmissionsClosed`` (409) unless the campaign takes submissions now."""
    now = now or timezone.now()
    if campaign.status != CampaignStatus.OPEN or now < campaign.submissions_open_at:
        raise SubmissionsClosed
    if now >= campaign.submissions_close_at:
        raise SubmissionsClosed(
            pgettext_lazy(
                "campaign error", "This campaign stopped taking submissions on %(date)s."
            ),
            date=formats.date_format(
                timezone.localtime(campaign.submissions_close_at), "DATETIME_FORMAT"
            ),
        )


def _validate(campaign: Campaign, entry: Entry) -> None:
    if entry.kind not in campaign.accepted_kinds:
        raise InvalidSubmission(
            pgettext_lazy(
                "submission form", "This campaign does not take this kind of contribution."
            ),
            field="kind",
        )
    title = entry.title.strip()
    if not title:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Give your submission a title."), field="title"
        )
    if len(title) > Submission.MAX_TITLE_LENGTH:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Keep the title under %(limit)s characters."),
            field="title",
            limit=Submission.MAX_TITLE_LENGTH,
        )
    if entry.kind == SubmissionKind.TEXT and not entry.text.strip():
        raise InvalidSubmission(pgettext_lazy("submission form", "Write your text."), field="text")
    if len(entry.text) > Submission.MAX_BODY_LENGTH:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Keep the text under %(limit)s characters."),
            field="text",
            limit=Submission.MAX_BODY_LENGTH,
        )
    if entry.kind == SubmissionKind.IMAGE and not entry.alt_text.strip():
        raise InvalidSubmission(
            pgettext_lazy(
                "submission form",
                "Describe the picture for people who cannot see it (alt text).",
            ),
            field="alt_text",
        )
    if len(entry.alt_text) > Submission.MAX_ALT_LENGTH:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Keep the description under %(limit)s characters."),
            field="alt_text",
            limit=Submission.MAX_ALT_LENGTH,
        )
    if entry.licence not in campaign.licences:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Choose one of the licences this campaign offers."),
            field="licence",
        )
    _check_age(campaign, entry)
    if not entry.rules_accepted:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "You must accept the campaign's rules to take part."),
            field="rules_accepted",
        )


def _check_age(campaign: Campaign, entry: Entry) -> None:
    if entry.age_group == TOO_YOUNG:
        raise TooYoung(age=campaign.minimum_age)
    if entry.age_group not in AgeGroup.values:
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Tell us your age group."), field="age_group"
        )
    if entry.age_group != AgeGroup.MINOR:
        return
    if not entry.guardian_name.strip():
        raise InvalidSubmission(
            pgettext_lazy("submission form", "Write your guardian's name."), field="guardian_name"
        )
    try:
        validate_email(entry.guardian_email.strip())
    except ValidationError:
        raise InvalidSubmission(
            pgettext_lazy(
                "submission form", "Write your guardian's e-mail address, like name@example.org."
            ),
            field="guardian_email",
        ) from None
    if not entry.guardian_consent:
        raise InvalidSubmission(
            pgettext_lazy(
                "submission form",
                "Your guardian must agree that you take part. Tick the box when they have.",
            ),
            field="guardian_consent",
        )


def submit_entry(*, author: User, campaign: Campaign, entry: Entry, language: str) -> PublishResult:
    """Send a contribution to ``campaign``.

    Preconditions: the campaign takes submissions now (``SubmissionsClosed``, 409), the
    author is not sanctioned (``MemberSanctioned``, 403) nor sending too fast
    (``SubmittingTooFast``, 429), the fields fit the campaign (``InvalidSubmission``,
    400, with the field; ``TooYoung``, 403). A picture or video is checked by content
    and stored privately (``InvalidSubmission`` on ``file``; ``FileNotStored``, 503).
    Effects: the submission goes through the publishing pipeline, always held for a
    moderator (``review.required``), in its own transaction; a stored file is deleted
    again when that fails, so nothing is half-saved. After commit the worker makes the
    picture's sizes or the video's poster. Returns the ``PublishResult``."""
    check_submissions_open(campaign)
    check_may_post(author, None)
    _validate(campaign, entry)
    if not ratelimit.allow(
        "campaign-submission", author.pk, getattr(settings, "PV_CAMPAIGN_SUBMISSIONS_PER_HOUR", 10)
    ):
        raise SubmittingTooFast
    stored = None
    if entry.kind in (SubmissionKind.IMAGE, SubmissionKind.VIDEO):
        stored = files.store_upload(entry.kind, entry.upload)
    try:
        result = _save(
            author=author, campaign=campaign, entry=entry, language=language, stored=stored
        )
    except BaseException:
        if stored is not None:
            files.discard([stored.name], storage_name=files.PRIVATE)
        raise
    submission_id = result.content.pk
    transaction.on_commit(lambda: prepare_submission_media_later(submission_id))
    return result


@transaction.atomic
def _save(
    *,
    author: User,
    campaign: Campaign,
    entry: Entry,
    language: str,
    stored: files.StoredUpload | None,
) -> PublishResult:
    minor = entry.age_group == AgeGroup.MINOR
    submission = Submission(
        campaign=campaign,
        author=author,
        language=language,
        title=entry.title.strip(),
        kind=entry.kind,
        body=entry.text.strip(),
        licence=entry.licence,
        alt_text=entry.alt_text.strip() if entry.kind == SubmissionKind.IMAGE else "",
        age_group=entry.age_group,
        guardian_name=entry.guardian_name.strip() if minor else "",
        guardian_email=entry.guardian_email.strip() if minor else "",
        rules_accepted_at=timezone.now(),
    )
    if stored is not None:
        submission.file_name = stored.name
        submission.content_type = stored.content_type
        submission.width = stored.width
        submission.height = stored.height
        submission.duration_seconds = stored.duration_seconds
    # The title and the picture's description are the author's words too: checked with
    # the text (personal data, crisis language, side effects).
    check_text = "\n\n".join(
        p for p in (submission.title, submission.body, submission.alt_text) if p
    )
    return publish(submission, hold_for_review=True, check_text=check_text)


def prepare_submission_media_later(submission_id: int) -> None:
    from ..tasks import prepare_submission_media

    prepare_submission_media.enqueue(submission_id)


def prepare_media(submission_id: int) -> None:
    """The worker's part: a picture's responsive sizes, a video's poster frame (in
    private storage); when the submission was approved meanwhile, their public copies.
    Idempotent."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or submission.is_withdrawn or not submission.file_name:
        return
    made: list[str] = []
    changes: dict[str, Any] = {}
    if submission.kind == SubmissionKind.IMAGE and not submission.rendition_names:
        from patientvoice.core.renditions import make_renditions

        renditions = make_renditions(
            submission.file_name, storage_name=files.PRIVATE, widths=files.RENDITION_WIDTHS
        )
        changes["rendition_names"] = {str(w): n for w, n in renditions.items()}
        made += list(renditions.values())
    elif submission.kind == SubmissionKind.VIDEO and not submission.poster_name:
        from patientvoice.core.video import make_poster

        changes["poster_name"] = make_poster(submission.file_name, storage_name=files.PRIVATE)
        made.append(changes["poster_name"])
    if not changes:
        return
    with transaction.atomic():
        current = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if current is None or current.is_withdrawn:
            transaction.on_commit(partial(files.discard, made, storage_name=files.PRIVATE))
            return
        for name, value in changes.items():
            setattr(current, name, value)
        fields = [*changes, "updated_at"]
        if current.status == ContentStatus.PUBLISHED:
            # Approved before the worker got here: publish only what it just made. The
            # public file stays as it is: pages and caches use its address.
            public = files.publish_made(current, made)
            current.public_poster = public["public_poster"]
            current.public_renditions = public["public_renditions"]
            fields += ["public_poster", "public_renditions"]
        current.save(update_fields=fields)


def set_submission_status(submission: Submission, status: str) -> bool:
    """A moderator's change (through the moderation kind, inside its audited decision):
    approved (a held one kept, or restored), hidden or removed. Approval copies the
    files to public storage; hiding or removal deletes those copies after commit.
    Returns whether anything changed. (Copies made for a decision that then rolls
    back are orphans, as decisions/0024 accepts for pictures.)"""
    if submission.status == status or submission.is_withdrawn:
        return False
    # The worker may have added sizes or a poster since this object was read: lock the
    # row and take its file names as they are now.
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    for name in FILE_FIELDS:
        setattr(submission, name, getattr(current, name))
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        public = files.publish(submission)
        for name, value in public.items():
            setattr(submission, name, value)
        submission.hold_reasons = []
        fields += ["hold_reasons", *public]
        if submission.published_at is None:
            submission.published_at = timezone.now()
            fields.append("published_at")
            if submission.author_id is not None:
                User.objects.filter(pk=submission.author_id).update(
                    published_count=F("published_count") + 1
                )
        transaction.on_commit(partial(run_after_publish.enqueue, SUBMISSION_LABEL, submission.pk))
    else:
        old_public = files.public_names(submission)
        _clear_public(submission)
        fields += ["public_file", "public_poster", "public_renditions"]
        transaction.on_commit(partial(files.discard, old_public, storage_name=files.PUBLIC))
        transaction.on_commit(partial(search_indexing.remove, SEARCH_KIND, [submission.pk]))
    submission.status = status
    submission.save(update_fields=fields)
    return True


def _clear_public(submission: Submission) -> None:
    submission.public_file = ""
    submission.public_poster = ""
    submission.public_renditions = {}


@transaction.atomic
def withdraw_submission(*, author: User, submission: Submission) -> None:
    """The author takes their submission back, at any time: it leaves the gallery,
    search and the results; its files are deleted (public and private) after commit;
    the votes it received are cancelled, so their voters may vote again.
    Preconditions: ``author`` wrote it and has not withdrawn it (``NotEditable``)."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if current.author_id != author.pk or current.is_withdrawn:
        raise NotEditable
    names_public = files.public_names(current)
    names_private = files.private_names(current)
    Vote.objects.filter(submission=current).delete()
    current.withdrawn_at = timezone.now()
    current.status = ContentStatus.REMOVED
    current.vote_count = 0
    _clear_public(current)
    current.save(
        update_fields=[
            "withdrawn_at", "status", "vote_count", "public_file", "public_poster",
            "public_renditions", "updated_at",
        ]
    )  # fmt: skip
    transaction.on_commit(partial(files.discard, names_public, storage_name=files.PUBLIC))
    transaction.on_commit(partial(files.discard, names_private, storage_name=files.PRIVATE))
    transaction.on_commit(partial(search_indexing.remove, SEARCH_KIND, [current.pk]))
    submission.withdrawn_at, submission.status = current.withdrawn_at, current.status


@transaction.atomic
def remove_submissions_of(user: User, *, published_too: bool) -> int:
    """Erasure: delete ``user``'s submissions that were never shown (held, hidden,
    removed, withdrawn) and, with ``published_too`` (remove mode), the approved ones,
    with their files and votes. In anonymise mode approved ones stay, as a former
    member's, without the guardian's details."""
    submissions = Submission.objects.filter(author=user)
    if not published_too:
        kept = submissions.filter(status=ContentStatus.PUBLISHED)
        kept.update(guardian_name="", guardian_email="")
        submissions = submissions.exclude(status=ContentStatus.PUBLISHED)
    names_public: list[str] = []
    names_private: list[str] = []
    ids = []
    for submission in submissions.order_by("pk"):
        names_public += files.public_names(submission)
        names_private += files.private_names(submission)
        ids.append(submission.pk)
    Submission.objects.filter(pk__in=ids).delete()
    transaction.on_commit(partial(files.discard, names_public, storage_name=files.PUBLIC))
    transaction.on_commit(partial(files.discard, names_private, storage_name=files.PRIVATE))
    transaction.on_commit(partial(search_indexing.remove, SEARCH_KIND, ids))
    return len(ids)
