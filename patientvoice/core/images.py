"""Uploaded pictures, made safe to store and show (decisions/0024).

Every picture people upload (an organisation's logo, later a community's cover) goes
through :func:`process_image`, then :func:`store_image`:

1. **Size first.** More than ``spec.max_bytes`` is refused before anything is decoded.
2. **Decoded, never trusted.** The bytes are opened with Pillow restricted to PNG, JPEG
   and WebP decoders. The file's name and the browser's content type are ignored: an
   SVG, a GIF, an HTML page or a PDF renamed ``logo.png`` fails here.
3. **Decompression bombs.** The width and height from the header are checked against
   ``spec.max_pixels`` before the pixels are decoded; Pillow's own bomb warning is
   turned into an error as well.
4. **Reduced early.** Memory follows the decoded size, not the file size (a 170 KB
   PNG can hold 6300 × 6300 RGBA pixels, 160 MB, and every full-size copy costs as
   much again). A JPEG is decoded at a reduced scale (``draft``); every picture is
   scaled down to fit ``spec.max_width`` × ``spec.max_height`` right after decoding,
   before any other step makes a copy.
5. **Re-encoded.** The small picture is turned the right way up (EXIF orientation),
   its colours converted to sRGB and written anew from the bare pixels into a fresh
   image. Nothing of the original file survives: no EXIF (GPS position, camera
   serial), XMP, ICC profile, comments, or extra frames of an animation.
6. **Stored under an unguessable name** through Django's default storage (the local
   ``var/media/`` or S3-compatible object storage in production):
   ``<folder>/<192 random bits>.webp``. Names are never reused, so a stored picture
   never changes and may be cached for ever.

Errors are :class:`ImageRejected`, a ``ValidationError`` with a translated message
and a stable ``code``, so a form shows it next to the field and keeps the other
fields. :class:`ImageField` is that form field. A storage that fails when a picture
is saved raises :class:`ImageNotStored`, which a form turns into a field error too.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import warnings
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, re_path
from django.utils.functional import lazy
from django.utils.translation import pgettext
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# What people may upload, by the decoder that can read it (never by file name).
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
OUTPUT_FORMATS = {"WEBP": ("webp", "image/webp"), "PNG": ("png", "image/png")}
_FOLDER = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageSpec:
    """The limits and the shape of one kind of picture."""

    folder: str
    max_width: int
    max_height: int
    max_bytes: int = 5 * 1024 * 1024
    # 24 megapixels: a phone photo (12-24 MP) passes. Decoded, the largest accepted
    # PNG is 96 MB (RGBA); a JPEG is decoded at a reduced scale. Pillow's own bomb
    # warning starts at 89 MP, far too late for a server with a few workers.
    max_pixels: int = 24_000_000
    output_format: str = "WEBP"
    quality: int = 85

    def __post_init__(self) -> None:
        if not _FOLDER.match(self.folder):
            raise ValueError(f"Not a storage folder name: {self.folder!r}")
        if self.output_format not in OUTPUT_FORMATS:
            raise ValueError(f"Not an output format: {self.output_format!r}")


# An organisation's logo: shown at most 160 px wide, stored at twice that for sharp
# screens.
LOGO = ImageSpec(folder="logos", max_width=512, max_height=512)
# A community's cover image (for the lead's cover field): a wide banner.
COVER = ImageSpec(folder="covers", max_width=1600, max_height=800)


# ``Image.thumbnail``'s reducing gap: first a cheap integer reduction (or a JPEG's
# reduced-scale decoding) to at least twice the target, then a proper resampling.
REDUCING_GAP = 2.0
# EXIF orientations that turn the picture a quarter: its width becomes its height.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


class ImageRejected(ValidationError):
    """The upload is not a picture we accept; ``code`` says why."""


class ImageNotStored(Exception):
    """The storage (disk or object storage) failed to save a picture; nothing was
    written that refers to it. A form shows :func:`storage_failed_message`."""


def storage_failed_message() -> str:
    return pgettext(
        "image upload",
        "We could not save the picture just now. Your other changes are not saved "
        "either; try again in a moment.",
    )


@dataclass(frozen=True)
class ProcessedImage:
    """A clean, re-encoded picture, not stored yet."""

    data: bytes
    width: int
    height: int
    extension: str
    content_type: str


@dataclass(frozen=True)
class StoredImage:
    """A picture in the default storage."""

    name: str
    width: int
    height: int


def megabytes(n: int) -> str:
    """``n`` bytes as whole megabytes, for a refusal's message."""
    return f"{n / (1024 * 1024):.0f}"


def rejected(code: str, spec: ImageSpec) -> ImageRejected:
    """The translated refusal for ``code`` (``too_large``, ``empty``, ``not_an_image``,
    ``too_many_pixels``, ``broken``), with the limits of ``spec``."""
    messages = {
        "too_large": pgettext(
            "image upload", "The picture is too large. Choose one of at most %(mb)s MB."
        )
        % {"mb": megabytes(spec.max_bytes)},
        "empty": pgettext("image upload", "The file is empty. Choose a picture."),
        "not_an_image": pgettext(
            "image upload",
            "We could not read this file as a picture. Choose a PNG, JPEG or WebP picture.",
        ),
        "too_many_pixels": pgettext(
            "image upload",
            "The picture has too many pixels. Choose one of at most %(mp)s megapixels.",
        )
        % {"mp": f"{spec.max_pixels / 1_000_000:.0f}"},
        "broken": pgettext(
            "image upload",
            "The picture seems damaged or incomplete. Save it again, or choose another.",
        ),
    }
    return ImageRejected(messages[code], code=code)


def _read_bounded(upload: Any, spec: ImageSpec) -> bytes:
    """At most ``spec.max_bytes`` of the upload; more is refused without reading on."""
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > spec.max_bytes:
            raise rejected("too_large", spec)
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(spec.max_bytes + 1)
    if len(data) > spec.max_bytes:
        raise rejected("too_large", spec)
    if not data:
        raise rejected("empty", spec)
    return data


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded ICC profile into sRGB, so dropping the
    profile keeps the colours. A profile that cannot be used is ignored."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def normalised_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit and float greyscale: scale to 8 bits.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")


def _decoded_and_reduced(original: Image.Image, spec: ImageSpec) -> Image.Image:
    """Decode the first frame, already scaled down to fit ``spec`` as it will be
    shown (after its EXIF orientation is applied), so that no later step copies the
    full-size pixels."""
    box = (spec.max_width, spec.max_height)
    if original.getexif().get(0x0112) in _QUARTER_TURNS:
        box = (spec.max_height, spec.max_width)
    if original.format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale when that still leaves twice the target.
        original.draft(None, (int(box[0] * REDUCING_GAP), int(box[1] * REDUCING_GAP)))
    # Only the first frame of an animation: load() decodes frame 0.
    original.load()
    image: Image.Image = original
    if image.mode in ("1", "P") or image.mode.startswith("I;16"):
        # Resampling a palette gives nearest-neighbour only; 16-bit modes cannot be
        # resampled. Both are at most two bytes a pixel before the conversion.
        image = normalised_mode(image)
    image.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    return image


def process_image(upload: Any, *, spec: ImageSpec) -> ProcessedImage:
    """Decode ``upload`` (an uploaded file, a file object or bytes) as a PNG, JPEG or
    WebP picture and re-encode it within ``spec``, without any metadata.

    Raises :class:`ImageRejected` (code ``too_large``, ``empty``, ``not_an_image``,
    ``too_many_pixels`` or ``broken``). Pure: stores nothing."""
    data = _read_bounded(upload, spec)
    with warnings.catch_warnings():
        # Pillow warns (and only past twice the limit raises) about decompression
        # bombs; any such warning refuses the picture.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            original = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise rejected("not_an_image", spec) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise rejected("too_many_pixels", spec) from None
        with original:
            width, height = original.size
            if width < 1 or height < 1:
                raise rejected("not_an_image", spec)
            if width * height > spec.max_pixels:
                raise rejected("too_many_pixels", spec)
            try:
                image = _decoded_and_reduced(original, spec)
                image = ImageOps.exif_transpose(image)
                image = _to_srgb(image)
                image = normalised_mode(image)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise rejected("too_many_pixels", spec) from None
            except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
                raise rejected("broken", spec) from None
    # A fresh image from the bare pixels: no info, EXIF, XMP or ICC can ride along.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if spec.output_format == "WEBP":
        clean.save(out, format="WEBP", quality=spec.quality, method=4)
    else:
        clean.save(out, format="PNG", optimize=True)
    extension, content_type = OUTPUT_FORMATS[spec.output_format]
    return ProcessedImage(
        data=out.getvalue(),
        width=clean.width,
        height=clean.height,
        extension=extension,
        content_type=content_type,
    )


def store_image(
    image: ProcessedImage, *, spec: ImageSpec, storage_name: str = "default"
) -> StoredImage:
    """Save a processed picture in the default storage (or ``storages[storage_name]``,
    e.g. ``"private"`` for a held upload) under a new, unguessable name.
    Not transactional: call it just before the database write that refers to it.
    Raises :class:`ImageNotStored` when the storage fails."""
    name = f"{spec.folder}/{secrets.token_urlsafe(24)}.{image.extension}"
    storage = default_storage if storage_name == "default" else storages[storage_name]
    try:
        saved = storage.save(name, ContentFile(image.data))
    except storage_errors() as exc:
        logger.exception("Storing a picture failed")
        raise ImageNotStored(name) from exc
    return StoredImage(name=saved, width=image.width, height=image.height)


def storage_errors() -> tuple[type[BaseException], ...]:
    """What a storage raises when it cannot save: the disk's ``OSError``, and
    botocore's errors for S3-compatible storage (a network failure, a refusal)."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import (  # type: ignore[import-untyped,unused-ignore]
            BotoCoreError,
            ClientError,
        )
    except ImportError:  # pragma: no cover - django-storages[s3] brings botocore
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


def delete_image(name: str) -> None:
    """Remove a stored picture (after the row that referred to it changed). A missing
    file is not an error."""
    if name:
        default_storage.delete(name)


def discard_stored(name: str) -> None:
    """Delete a picture stored for a change that failed; a second failure is logged,
    never raised over the first (the file is an orphan then, decisions/0024)."""
    try:
        delete_image(name)
    except Exception:
        logger.exception("Deleting the picture of a failed change failed")


def replace_picture(instance: Any, field: str, stored: StoredImage | None) -> bool:
    """Point ``instance.<field>`` (with its ``<field>_width`` and ``<field>_height``
    columns) at ``stored``, or clear it when ``stored`` is None, and save those columns;
    the old file is deleted after commit. Call it inside the caller's transaction.
    Returns whether anything changed (the caller audits)."""
    current = getattr(instance, field)
    old = current.name if current else ""
    if stored is None and not old:
        return False
    if stored is None:
        setattr(instance, field, "")
        setattr(instance, f"{field}_width", None)
        setattr(instance, f"{field}_height", None)
    else:
        setattr(instance, field, stored.name)
        setattr(instance, f"{field}_width", stored.width)
        setattr(instance, f"{field}_height", stored.height)
    instance.save(update_fields=[field, f"{field}_width", f"{field}_height", "updated_at"])
    if old:
        transaction.on_commit(lambda: delete_image(old))
    return True


def _upload_help(size_mb: str) -> str:
    return pgettext(
        "image upload", "PNG, JPEG or WebP, at most %(mb)s MB. We remove location data."
    ) % {"mb": size_mb}


_upload_help_text = lazy(_upload_help, str)


class ImageField(forms.FileField):
    """A form field that accepts a picture only if :func:`process_image` can make it
    safe; ``cleaned_data`` holds the :class:`ProcessedImage` (or ``None``)."""

    def __init__(self, *, spec: ImageSpec, **kwargs: Any) -> None:
        self.spec = spec
        # Lazy: the field is made at import time, the text is read per request, in
        # that request's language.
        kwargs.setdefault("help_text", _upload_help_text(megabytes(spec.max_bytes)))
        # A plain file input: removing a picture is the form's own checkbox.
        kwargs.setdefault(
            "widget", forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        )
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        return process_image(upload, spec=self.spec)


# --- Serving uploads in the local profile -----------------------------------------------------
# Production serves uploads from object storage (its URLs point there). `make run` has
# no web server in front of granian, so in the local profile, with files on disk, the
# app serves them itself: only names this module makes, never a directory listing.
_MEDIA_NAME = r"(?P<name>[a-z][a-z0-9-]{0,30}/[A-Za-z0-9_-]{16,64}\.(?:webp|png|mp4|webm))"


def serve_local_media(request: HttpRequest, name: str) -> HttpResponseBase:
    from django.views.static import serve

    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    if not default_storage.exists(name):
        raise Http404
    response = serve(request, name, document_root=str(settings.MEDIA_ROOT))
    # A name is never reused, so the file never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def local_media_urlpatterns() -> list[URLPattern]:
    """URL patterns serving MEDIA_ROOT in the local profile with files on disk; none in
    production or when uploads go to object storage."""
    from django.core.files.storage import FileSystemStorage
    from django.utils.module_loading import import_string

    backend = import_string(str(settings.STORAGES["default"]["BACKEND"]))
    if getattr(settings, "PRODUCTION", False) or not issubclass(backend, FileSystemStorage):
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{re.escape(prefix)}{_MEDIA_NAME}$", serve_local_media, name="media")]
