"""Responsive sizes of stored pictures, and moving upload files between storages
(decisions/0042).

* :func:`make_renditions` makes smaller WebP copies of a picture that
  :mod:`patientvoice.core.images` has already processed, for ``srcset``: one per
  requested width below the picture's own width, never enlarged, each re-encoded from
  bare pixels (no metadata) and stored under a new, unguessable name in the same
  storage. Decoding and encoding take CPU: run it in the worker.
* :func:`publish_files` copies files from the private storage (a held submission) to
  the default storage (public URLs) under new names, so a name that was ever private
  is never a public URL. :func:`delete_files` removes files, quietly skipping missing
  ones.

Storage failures raise :class:`patientvoice.core.images.ImageNotStored`, after removing
what the failed call had already written.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import warnings
from collections.abc import Iterable

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from PIL import Image, UnidentifiedImageError

from patientvoice.core.images import (
    ImageNotStored,
    ImageSpec,
    normalised_mode,
    rejected,
    storage_errors,
)

logger = logging.getLogger(__name__)

FOLDER = "renditions"
DEFAULT_WIDTHS = (320, 640, 1280)
QUALITY = 82
# A stored picture was processed already (at most a few megapixels); these bounds only
# keep a wrong name from costing a worker its memory.
MAX_SOURCE_BYTES = 32 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000
# Names the upload pipelines make: <folder>/<random>.<extension>.
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}/[A-Za-z0-9_-]{16,64}\.(?:webp|png|mp4|webm)$")
# For the messages of a picture that cannot be read (never shown for our own files).
_SPEC = ImageSpec(folder=FOLDER, max_width=1280, max_height=1280, max_bytes=MAX_SOURCE_BYTES)


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"Not the name of an uploaded file: {name!r}")
    return name


def _new_name(folder: str, extension: str) -> str:
    return f"{folder}/{secrets.token_urlsafe(24)}.{extension}"


def _discard(storage: Storage, names: Iterable[str]) -> None:
    """Remove what a failed call wrote; a second failure is logged (an orphan file)."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Removing a file of a failed call failed")


def _read(storage: Storage, name: str) -> bytes:
    try:
        with storage.open(name, "rb") as fh:
            data: bytes = fh.read(MAX_SOURCE_BYTES + 1)
    except storage_errors() as exc:
        logger.exception("Reading a stored picture failed")
        raise ImageNotStored(name) from exc
    if not data:
        raise rejected("empty", _SPEC)
    if len(data) > MAX_SOURCE_BYTES:
        raise rejected("too_large", _SPEC)
    return data


def _decoded(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=("WEBP", "PNG", "JPEG"))
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise rejected("too_many_pixels", _SPEC)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise rejected("too_many_pixels", _SPEC) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise rejected("broken", _SPEC) from None
    return normalised_mode(image)


def rendition_widths(width: int, widths: Iterable[int] = DEFAULT_WIDTHS) -> list[int]:
    """The widths to make for a picture ``width`` pixels wide: those below it, or the
    picture's own width when all are as wide or wider (never enlarged, always one)."""
    smaller = sorted({w for w in widths if 0 < w < width})
    return smaller or [width]


def _encoded(image: Image.Image, width: int) -> bytes:
    height = max(1, round(image.height * width / image.width))
    resized = image
    if width != image.width:
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
    # A fresh image from the bare pixels: nothing of the source's info rides along.
    clean = Image.frombytes(resized.mode, resized.size, resized.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def make_renditions(
    name: str, *, storage_name: str, widths: Iterable[int] = DEFAULT_WIDTHS
) -> dict[int, str]:
    """Make WebP copies of the stored picture ``name`` at each of ``widths`` below its
    own width (see :func:`rendition_widths`) and store them in the same storage as
    ``renditions/<random>.webp``. Returns {actual width: name}, smallest first.

    Raises :class:`ImageNotStored` when the storage fails (nothing of this call is
    left behind) and :class:`ImageRejected` when the file is not a picture."""
    storage = storages[storage_name]
    image = _decoded(_read(storage, _checked(name)))
    made: dict[int, str] = {}
    try:
        for width in rendition_widths(image.width, widths):
            target = _new_name(FOLDER, "webp")
            made[width] = storage.save(target, ContentFile(_encoded(image, width)))
    except storage_errors() as exc:
        logger.exception("Storing a rendition failed")
        _discard(storage, made.values())
        raise ImageNotStored(name) from exc
    return made


def publish_files(names: Iterable[str], *, from_storage: str = "private") -> dict[str, str]:
    """Copy each file from ``storages[from_storage]`` to the default storage under a new
    unguessable name in the same folder, with the same extension. Returns {old: new}.
    The originals stay; delete them with :func:`delete_files` after the database
    write that points at the new names has committed.

    Raises :class:`ImageNotStored` when a storage fails (the copies already made are
    removed again) and ``ValueError`` for a name no upload pipeline makes."""
    source = storages[from_storage]
    target = storages["default"]
    wanted = list(dict.fromkeys(_checked(name) for name in names))
    published: dict[str, str] = {}
    try:
        for name in wanted:
            folder, _, filename = name.partition("/")
            new = _new_name(folder, filename.rsplit(".", 1)[1])
            with source.open(name, "rb") as fh:
                published[name] = target.save(new, File(fh, name=new))
    except storage_errors() as exc:
        logger.exception("Publishing a file failed")
        _discard(target, published.values())
        raise ImageNotStored(name) from exc
    return published


def delete_files(names: Iterable[str], *, storage_name: str) -> list[str]:
    """Delete each file from ``storages[storage_name]``; missing files and empty names
    are skipped quietly. Never raises for a storage failure: it is logged and the name
    is returned, so a caller after commit (or a sweep) can try again.

    Raises ``ValueError`` (before deleting anything) for a name no upload pipeline
    makes."""
    storage = storages[storage_name]
    wanted = [_checked(name) for name in names if name]
    failed: list[str] = []
    for name in wanted:
        try:
            storage.delete(name)
        except FileNotFoundError:
            continue
        except storage_errors():
            logger.exception("Deleting an uploaded file failed")
            failed.append(name)
    return failed
