"""A submission's files: checked by content, kept privately, published on approval.

* **Checked by content, never by name.** A picture passes ``core.images.process_image``
  (PNG, JPEG or WebP decoded and re-encoded from the bare pixels: no EXIF, GPS or
  other metadata; a pixel limit against decompression bombs); a video passes
  ``core.video.process_video`` (MP4 or WebM with allowed codecs, checked by ffprobe,
  remuxed without metadata). A polyglot, an HTML page renamed ``.jpg``, an empty or
  oversized file is refused with the reason.
* **Private first.** Both are stored in ``storages["private"]`` (no URL). The worker
  makes the picture's responsive sizes and the video's poster frame there.
* **Public while approved.** Approval copies the files to the public storage under
  new, unguessable names (``core.renditions.publish_files``); withdrawal, hiding and
  removal delete those copies after commit. Names of files stored for a write that
  failed are deleted at once, so nothing is left behind.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from patientvoice.core.images import (
    ImageNotStored,
    ImageRejected,
    ImageSpec,
    process_image,
    storage_errors,
)

from .errors import FileNotStored, InvalidSubmission
from .models import Submission, SubmissionKind

logger = logging.getLogger(__name__)

PRIVATE = "private"
PUBLIC = "default"
IMAGE_FOLDER = "campaign-images"
# A phone photo passes (12-24 MP); shown at most 1280 px wide, kept at twice that.
SUBMISSION_IMAGE = ImageSpec(
    folder=IMAGE_FOLDER,
    max_width=2560,
    max_height=2560,
    max_bytes=15 * 1024 * 1024,
    max_pixels=40_000_000,
)
RENDITION_WIDTHS = (320, 640, 1280)
VIDEO_MAX_BYTES = 50 * 1024 * 1024
VIDEO_MAX_SECONDS = 120


def video_spec() -> Any:
    from patientvoice.core.video import VideoSpec

    return VideoSpec(
        max_bytes=VIDEO_MAX_BYTES, max_seconds=VIDEO_MAX_SECONDS, max_width=1920, max_height=1920
    )


@dataclass(frozen=True)
class StoredUpload:
    """A checked file in private storage, and what the pages need to show it."""

    name: str
    content_type: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def store_upload(kind: str, upload: Any) -> StoredUpload:
    """Check ``upload`` as ``kind`` and store it privately. Raises
    :class:`InvalidSubmission` (``field="file"``) with the checker's reason, or
    :class:`FileNotStored` when the storage fails."""
    if upload is None:
        raise InvalidSubmission(_missing_file(kind), field="file")
    if kind == SubmissionKind.IMAGE:
        try:
            image = process_image(upload, spec=SUBMISSION_IMAGE)
        except ImageRejected as rejected:
            raise InvalidSubmission(rejected.messages[0], field="file") from None
        name = f"{IMAGE_FOLDER}/{secrets.token_urlsafe(24)}.{image.extension}"
        try:
            saved = storages[PRIVATE].save(name, ContentFile(image.data))
        except storage_errors() as exc:
            logger.exception("Storing a submission's picture failed")
            raise FileNotStored from exc
        return StoredUpload(
            name=str(saved), content_type=image.content_type, width=image.width, height=image.height
        )
    from patientvoice.core.video import VideoRejected, process_video

    try:
        video = process_video(upload, spec=video_spec(), storage_name=PRIVATE)
    except VideoRejected as rejected:
        raise InvalidSubmission(rejected.messages[0], field="file") from None
    except (ImageNotStored, OSError) as exc:
        logger.exception("Storing a submission's video failed")
        raise FileNotStored from exc
    return StoredUpload(
        name=video.name,
        content_type=video.content_type,
        width=video.width,
        height=video.height,
        duration_seconds=video.duration_seconds,
    )


def _missing_file(kind: str) -> str:
    from django.utils.translation import pgettext

    if kind == SubmissionKind.VIDEO:
        return pgettext("submission form", "Choose the video to send.")
    return pgettext("submission form", "Choose the picture to send.")


def private_names(submission: Submission) -> list[str]:
    names = [submission.file_name, submission.poster_name, *submission.rendition_names.values()]
    return [n for n in names if n]


def public_names(submission: Submission) -> list[str]:
    names = [
        submission.public_file,
        submission.public_poster,
        *submission.public_renditions.values(),
    ]
    return [n for n in names if n]


def discard(names: Iterable[str], *, storage_name: str) -> None:
    """Delete files; a failure is logged, never raised (an orphan is tidied later)."""
    chosen = [n for n in names if n]
    if not chosen:
        return
    try:
        from patientvoice.core.renditions import delete_files

        delete_files(chosen, storage_name=storage_name)
    except Exception:
        logger.exception("Deleting a submission's files failed")


def publish(submission: Submission) -> dict[str, Any]:
    """Copy the submission's private files to the public storage; returns the fields
    to store (``public_file``, ``public_poster``, ``public_renditions``)."""
    from patientvoice.core.renditions import publish_files

    names = private_names(submission)
    if not names:
        return {"public_file": "", "public_poster": "", "public_renditions": {}}
    copied = publish_files(names, from_storage=PRIVATE)
    return {
        "public_file": copied.get(submission.file_name, ""),
        "public_poster": copied.get(submission.poster_name, "") if submission.poster_name else "",
        "public_renditions": {
            str(width): copied[name]
            for width, name in submission.rendition_names.items()
            if name in copied
        },
    }


def publish_made(submission: Submission, made: Iterable[str]) -> dict[str, Any]:
    """For the worker, when the submission was approved before it ran: copy only the
    files it just made (``made``: sizes or a poster) to the public storage and merge
    them into the public fields. The public file already in use keeps its name and
    address. Returns ``public_poster`` and ``public_renditions`` to store."""
    from patientvoice.core.renditions import publish_files

    wanted = [n for n in made if n]
    copied = publish_files(wanted, from_storage=PRIVATE) if wanted else {}
    renditions = dict(submission.public_renditions)
    for width, name in submission.rendition_names.items():
        if name in copied:
            renditions[str(width)] = copied[name]
    return {
        "public_poster": copied.get(submission.poster_name, submission.public_poster),
        "public_renditions": renditions,
    }


def open_private(name: str) -> Any:
    return storages[PRIVATE].open(name, "rb")


def public_url(name: str) -> str:
    return str(storages[PUBLIC].url(name)) if name else ""
