"""Verification evidence: checked by content, kept privately, deleted after the decision
(decisions/0033).

* **By content, never by name.** A picture is accepted only if core's image pipeline
  can decode it as PNG, JPEG or WebP (decisions/0024); it is re-encoded from the bare
  pixels, so a phone photo of a licence loses its GPS position and camera serial. A
  file that is not a picture is accepted only if it is structurally a PDF: it starts
  with ``%PDF-1.x`` or ``%PDF-2.x`` and ends with an ``%%EOF`` marker (in its last
  kilobyte), and it names none of PDF's active features in plain text (JavaScript,
  launch actions, embedded files). That is a tripwire, not a parser: pypdf is not a
  dependency, and a hostile PDF can hide those names in compressed streams. That is
  why verifiers only ever download it (``Content-Disposition: attachment``) and open
  it in their browser's sandboxed viewer. The name and the browser's content type are
  never read: a PNG renamed ``.pdf`` is a picture, a text file named ``.pdf`` is
  refused.
* **Private storage.** ``storages["private"]``: :class:`PrivateFileStorage`, a folder
  under ``PV_VAR_DIR`` (``PV_PRIVATE_ROOT``) that no URL serves (its ``url()``
  raises), or a bucket that is never public (``PV_PRIVATE_BUCKET``). Verifiers read a
  file through ``views.evidence``, which checks the role.
* **Deleted after the decision** unless ``PV_KEEP_VERIFICATION_EVIDENCE``; the row
  keeps the SHA-256 and size of the file as the applicant sent it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import lazy
from django.utils.translation import pgettext

from patientvoice.core.images import ImageRejected, ImageSpec, process_image

from .models import EvidenceKind

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
FOLDER = "evidence"
# A licence or a certificate photographed or scanned: large enough to read the small
# print, re-encoded without metadata.
EVIDENCE_IMAGE = ImageSpec(
    folder=FOLDER, max_width=2400, max_height=2400, max_bytes=MAX_BYTES, quality=90
)
_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_PDF_TAIL = 1024
# PDF features that run or carry something when the file is opened.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_NAME = re.compile(r"^evidence/[A-Za-z0-9_-]{16,64}\.(?:pdf|webp)$")


class PrivateFileStorage(FileSystemStorage):
    """Files on disk under ``PV_PRIVATE_ROOT`` that have no URL. The folder is read
    from the settings on every use, so tests (which point it at a temporary folder)
    and deployments can move it."""

    def __init__(self, **kwargs: Any) -> None:
        # Readable by the application's own user only.
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(settings.PV_PRIVATE_ROOT)

    @property
    def location(self) -> str:
        import os

        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a view that checks.")


def private_storage() -> Storage:
    return storages["private"]


@dataclass(frozen=True)
class CheckedEvidence:
    """An upload that passed the checks, not stored yet: what to store (a PDF as sent,
    a picture re-encoded), its kind, and the SHA-256 and size of what was sent."""

    data: bytes
    kind: str
    extension: str
    sha256: str
    size: int

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.kind == EvidenceKind.PDF else "image/webp"


class EvidenceRejected(ValidationError):
    """The file is not evidence we accept; ``code`` says why."""


def _megabytes() -> str:
    return f"{MAX_BYTES / (1024 * 1024):.0f}"


def _rejected(code: str) -> EvidenceRejected:
    messages = {
        "too_large": pgettext(
            "evidence upload", "The file is too large. Choose one of at most %(mb)s MB."
        )
        % {"mb": _megabytes()},
        "empty": pgettext("evidence upload", "The file is empty. Choose your document."),
        "not_accepted": pgettext(
            "evidence upload",
            "We could not read this file as a PDF document or a picture. Choose a PDF, "
            "or a PNG, JPEG or WebP picture.",
        ),
        "active_pdf": pgettext(
            "evidence upload",
            "This PDF contains scripts, actions or attached files, which we do not accept. "
            "Save it again as a plain PDF (for example with “Print to PDF”), or send a "
            "picture of the document.",
        ),
    }
    return EvidenceRejected(messages[code], code=code)


def _read_bounded(upload: Any) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_BYTES:
            raise _rejected("too_large")
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _rejected("too_large")
    if not data:
        raise _rejected("empty")
    return data


def looks_like_pdf(data: bytes) -> bool:
    """The structural check: a PDF header at the start and an end-of-file marker in
    the last kilobyte (a truncated upload has none)."""
    return bool(_PDF_HEADER.match(data)) and b"%%EOF" in data[-_PDF_TAIL:]


def check_evidence(upload: Any) -> CheckedEvidence:
    """Accept ``upload`` (an uploaded file, a file object or bytes) as a picture or a
    PDF, by its content. Raises :class:`EvidenceRejected` (``too_large``, ``empty``,
    ``not_accepted``, ``active_pdf``). Pure: stores nothing."""
    data = _read_bounded(upload)
    digest = hashlib.sha256(data).hexdigest()
    if looks_like_pdf(data):
        if _PDF_ACTIVE.search(data):
            raise _rejected("active_pdf")
        return CheckedEvidence(
            data=data, kind=EvidenceKind.PDF, extension="pdf", sha256=digest, size=len(data)
        )
    try:
        image = process_image(data, spec=EVIDENCE_IMAGE)
    except ImageRejected as rejected:
        if rejected.code in ("too_many_pixels", "broken"):
            raise EvidenceRejected(rejected.messages[0], code=rejected.code) from None
        raise _rejected("not_accepted") from None
    return CheckedEvidence(
        data=image.data,
        kind=EvidenceKind.IMAGE,
        extension=image.extension,
        sha256=digest,
        size=len(data),
    )


class EvidenceNotStored(Exception):
    """The private storage failed; nothing refers to the file."""


def store_evidence(evidence: CheckedEvidence) -> str:
    """Save in private storage under a new, unguessable name; returns the name."""
    name = f"{FOLDER}/{secrets.token_urlsafe(24)}.{evidence.extension}"
    try:
        return str(private_storage().save(name, ContentFile(evidence.data)))
    except OSError as exc:
        logger.exception("Storing verification evidence failed")
        raise EvidenceNotStored(name) from exc


def open_evidence(name: str) -> Any:
    """The stored file, opened for reading (a name this module made only)."""
    if not _NAME.match(name):
        raise FileNotFoundError(name)
    return private_storage().open(name, "rb")


def delete_evidence(name: str) -> None:
    """Remove a stored file; a missing one is not an error, a failure is logged (the
    decision stands; an orphan file is swept by hand, decisions/0033)."""
    if not name:
        return
    try:
        private_storage().delete(name)
    except Exception:
        logger.exception("Deleting verification evidence failed")


def _help() -> str:
    return pgettext(
        "evidence upload",
        "Your licence certificate or a document that shows your licence: a PDF, or a "
        "picture (PNG, JPEG or WebP), at most %(mb)s MB. Only verifiers see it, and it is "
        "deleted when they have decided.",
    ) % {"mb": _megabytes()}


_help_text = lazy(_help, str)


class EvidenceField(forms.FileField):
    """The form field: ``cleaned_data`` holds the :class:`CheckedEvidence`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _help_text())
        kwargs.setdefault(
            "widget",
            forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg,image/webp"}),
        )
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        return check_evidence(upload)
