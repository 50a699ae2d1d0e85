"""Uploaded videos, checked by their content and stored without metadata (decisions/0042).

:func:`process_video` takes an upload (a campaign contribution) and either refuses it with
a translated :class:`VideoRejected` or stores a clean copy:

1. **Size first.** At most ``spec.max_bytes`` (+1 byte to notice more) is copied into a
   temporary file in a private temporary folder, which is always deleted. Empty files
   are refused.
2. **Magic bytes, not names** (:mod:`patientvoice.core.video_sniff`). The file must
   start with a real container header: an MP4 or QuickTime ``ftyp`` box with a known
   brand, or a WebM EBML header whose DocType is ``webm``. HTML, scripts, pictures, ZIP
   files and polyglots that do not start with a container header stop here, before any
   parser sees them.
3. **ffprobe**, a separate process with a time and resource limit, reading only that
   local file (``-protocol_whitelist file``, the demuxer forced to the sniffed family).
   The codecs must be on the allowlist, at least one video stream must exist, and the
   duration and the picture size must be within the spec.
4. **Remuxed, not trusted.** ffmpeg copies the first video and the first audio stream
   (no re-encoding) into a new file without global, stream or chapter metadata: GPS
   positions (``©xyz``, ``loci``, Apple's location keys), device names and dates, other
   streams (subtitles, timecode and metadata tracks) and anything appended after the
   container are gone. Any error ffmpeg reports refuses the upload (a truncated file).
5. **Stored under an unguessable name**, ``videos/<192 random bits>.mp4|webm``, in the
   storage the caller names (``private`` until moderators approve it).

:func:`make_poster` (for the worker) grabs one frame with ffmpeg and sends it through
:func:`patientvoice.core.images.process_image`, so the poster is a re-encoded WebP.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import resource
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.utils.functional import lazy
from django.utils.translation import npgettext, pgettext

from patientvoice.core.images import (
    ImageNotStored,
    ImageRejected,
    ImageSpec,
    process_image,
    storage_errors,
    store_image,
)
from patientvoice.core.video_sniff import sniff as sniff  # also part of this module's API

logger = logging.getLogger(__name__)

FOLDER = "videos"
# For a form's file input: QuickTime is accepted because iPhones save .mov files
# (the bytes decide, never this list).
ACCEPT = "video/mp4,video/webm,video/quicktime"

# Wall-clock limits for each program; CPU seconds are limited to the same number.
PROBE_TIMEOUT = 20.0
REMUX_TIMEOUT = 120.0
POSTER_TIMEOUT = 60.0
# Address space for ffprobe and ffmpeg: copying streams needs little; decoding one
# 4K frame for a poster needs a few hundred MB.
MEMORY_LIMIT = 1536 * 1024 * 1024
# Remuxing can make the duration a few hundredths of a second longer (audio priming),
# and the file a little larger (its index written anew).
DURATION_TOLERANCE = 0.5
OUTPUT_MARGIN = 1024 * 1024
_CHUNK = 1024 * 1024
_HEADER = 4096
# Every run: errors only, and nothing but local files (no network, no other protocol).
_SAFE_INPUT = ("-v", "error", "-protocol_whitelist", "file")
_NAME = re.compile(r"^videos/[A-Za-z0-9_-]{16,64}\.(?:mp4|webm)$")

# A poster frame: at most 1280 px on its longest side, like the largest rendition.
POSTER = ImageSpec(folder="posters", max_width=1280, max_height=1280, max_bytes=16 * 1024 * 1024)


@dataclass(frozen=True)
class VideoSpec:
    """The limits of one kind of video. The picture may be in either orientation: a
    phone filming upright gives a 1080 × 1920 video, which fits 1920 × 1080."""

    max_bytes: int
    max_seconds: float
    max_width: int
    max_height: int

    def __post_init__(self) -> None:
        if min(self.max_bytes, self.max_seconds, self.max_width, self.max_height) <= 0:
            raise ValueError(f"Video limits must be positive: {self!r}")


@dataclass(frozen=True)
class StoredVideo:
    """A clean copy of an uploaded video in the storage it was saved to. ``width`` and
    ``height`` are as the video is shown (turned by its rotation, if any)."""

    name: str
    duration_seconds: float
    width: int
    height: int
    content_type: str
    size: int = 0
    has_audio: bool = False


class VideoRejected(ValidationError):
    """The upload is not a video we accept; ``code`` says why (``empty``,
    ``too_large``, ``not_a_video``, ``unsupported_codec``, ``too_long``,
    ``too_big_dimensions``, ``unreadable``, ``unavailable``)."""


class VideoNotStored(ImageNotStored):
    """The storage failed to save (or read) a video or its poster. A subclass of
    :class:`ImageNotStored`, so a form that handles that handles this too."""


@dataclass(frozen=True)
class _Container:
    kind: Literal["mp4", "webm"]
    demuxer: str  # ffmpeg's -f for reading: the sniffed family, never auto-detected
    muxer: str
    content_type: str
    format_names: frozenset[str]
    video_codecs: frozenset[str]
    audio_codecs: frozenset[str]


# Codecs that current browsers play and that the output container can hold.
_MP4 = _Container(
    kind="mp4",
    demuxer="mov",
    muxer="mp4",
    content_type="video/mp4",
    format_names=frozenset({"mov", "mp4"}),
    video_codecs=frozenset({"h264", "hevc", "av1", "vp9"}),
    audio_codecs=frozenset({"aac", "mp3", "opus"}),
)
_WEBM = _Container(
    kind="webm",
    demuxer="matroska",
    muxer="webm",
    content_type="video/webm",
    format_names=frozenset({"webm", "matroska"}),
    video_codecs=frozenset({"vp8", "vp9", "av1"}),
    audio_codecs=frozenset({"opus", "vorbis"}),
)
_CONTAINERS = {"mp4": _MP4, "webm": _WEBM}


# --- Messages ---------------------------------------------------------------------------------


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def _duration_text(seconds: float) -> str:
    """The limit in words: "3 minutes", or "90 seconds" when minutes would round it."""
    whole = math.floor(seconds)
    if whole >= 60 and whole % 60 == 0:
        minutes = whole // 60
        return npgettext("video upload", "%(count)s minute", "%(count)s minutes", minutes) % {
            "count": minutes
        }
    return npgettext("video upload", "%(count)s second", "%(count)s seconds", whole) % {
        "count": whole
    }


def _rejected(code: str, spec: VideoSpec) -> VideoRejected:
    if code == "empty":
        message = pgettext("video upload", "The file is empty. Choose a video.")
    elif code == "too_large":
        message = pgettext(
            "video upload", "The video is too large. Choose one of at most %(mb)s MB."
        ) % {"mb": _megabytes(spec.max_bytes)}
    elif code == "not_a_video":
        message = pgettext(
            "video upload",
            "We could not read this file as a video. Choose an MP4 or WebM video.",
        )
    elif code == "unsupported_codec":
        message = pgettext(
            "video upload",
            "This video is saved in a format we cannot show. Save it as MP4 (H.264) or "
            "WebM (VP9) and try again.",
        )
    elif code == "too_long":
        message = pgettext(
            "video upload", "The video is too long. Choose one of at most %(duration)s."
        ) % {"duration": _duration_text(spec.max_seconds)}
    elif code == "too_big_dimensions":
        message = pgettext(
            "video upload",
            "The video's picture is too large. Choose one of at most %(width)s × %(height)s "
            "pixels.",
        ) % {"width": spec.max_width, "height": spec.max_height}
    elif code == "unavailable":
        message = pgettext("video upload", "We cannot take videos just now. Try again later.")
    else:
        code = "unreadable"
        message = pgettext(
            "video upload",
            "The video seems damaged or incomplete. Save it again, or choose another.",
        )
    return VideoRejected(message, code=code)


def _upload_help(spec: VideoSpec) -> str:
    return pgettext(
        "video upload",
        "MP4 or WebM, at most %(mb)s MB and %(duration)s. We remove location data.",
    ) % {"mb": _megabytes(spec.max_bytes), "duration": _duration_text(spec.max_seconds)}


#: A form field's help text for ``spec``, read in each request's language.
upload_help_text = lazy(_upload_help, str)


# --- Running ffprobe and ffmpeg ---------------------------------------------------------------


def video_uploads_available() -> bool:
    """Whether ffprobe and ffmpeg are on PATH (`make` installs Debian's ffmpeg)."""
    return shutil.which("ffprobe") is not None and shutil.which("ffmpeg") is not None


class _ToolFailed(Exception):
    """ffprobe or ffmpeg failed, was killed by a limit, or ran out of time."""


def _limit(pid: int, seconds: float) -> None:
    """CPU seconds and address space for a started child. Set on the running process
    (``prlimit``) rather than in ``preexec_fn``, which is unsafe in a threaded server;
    the child may run a few microseconds unlimited, the wall-clock timeout covers it."""
    cpu = math.ceil(seconds)
    try:
        resource.prlimit(pid, resource.RLIMIT_CPU, (cpu, cpu))
        resource.prlimit(pid, resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (OSError, ValueError, AttributeError):  # gone already, or not Linux
        logger.debug("Could not limit the resources of process %s", pid)


def _run(args: list[str], *, timeout: float) -> bytes:
    """Run a program (no shell, stdin closed, a minimal environment) and return its
    standard output. Raises :class:`_ToolFailed` on a non-zero exit, on anything it
    wrote to standard error (run with ``-v error``), or when it takes too long."""
    program = shutil.which(args[0])
    if program is None:
        raise _ToolFailed(f"{args[0]} is not installed")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    try:
        proc = subprocess.Popen(  # noqa: S603 - fixed programs, our own arguments
            [program, *args[1:]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
    except OSError as exc:
        raise _ToolFailed(str(exc)) from exc
    _limit(proc.pid, timeout)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise _ToolFailed(f"{args[0]} took longer than {timeout} s") from None
    if proc.returncode != 0 or err.strip():
        raise _ToolFailed(f"{args[0]} exited {proc.returncode}: {err[:500]!r}")
    return out


def _probe(path: Path, container: _Container) -> dict[str, Any]:
    args = ["ffprobe", *_SAFE_INPUT, "-f", container.demuxer]
    args += ["-show_format", "-show_streams", "-of", "json", f"file:{path}"]
    out = _run(args, timeout=PROBE_TIMEOUT)
    try:
        probed = json.loads(out)
    except ValueError as exc:
        raise _ToolFailed("ffprobe wrote no JSON") from exc
    if not isinstance(probed, dict):
        raise _ToolFailed("ffprobe wrote no JSON object")
    return probed


# --- Reading the probe ------------------------------------------------------------------------


def _number(value: object) -> float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _duration(probed: dict[str, Any]) -> float | None:
    fmt = probed.get("format") or {}
    duration = _number(fmt.get("duration"))
    if duration is not None:
        return duration
    durations = [_number(s.get("duration")) for s in probed.get("streams") or []]
    known = [d for d in durations if d is not None]
    return max(known) if known else None


def _rotation(stream: dict[str, Any]) -> int:
    """Degrees the player turns the picture: the display matrix, or an old rotate tag."""
    values = [
        side_data.get("rotation")
        for side_data in stream.get("side_data_list") or []
        if isinstance(side_data, dict)
    ]
    values.append((stream.get("tags") or {}).get("rotate"))
    for value in values:
        try:
            return round(abs(float(str(value))))
        except (ValueError, OverflowError):
            continue
    return 0


@dataclass(frozen=True)
class _Streams:
    video: dict[str, Any]
    audio: dict[str, Any] | None


def _streams(probed: dict[str, Any]) -> _Streams | None:
    """The first real video stream (not a cover picture) and the first audio stream."""
    video = audio = None
    for stream in probed.get("streams") or []:
        if not isinstance(stream, dict):
            continue
        kind = stream.get("codec_type")
        if kind == "video" and video is None:
            if not (stream.get("disposition") or {}).get("attached_pic"):
                video = stream
        elif kind == "audio" and audio is None:
            audio = stream
    return _Streams(video=video, audio=audio) if video is not None else None


def _shown_size(stream: dict[str, Any]) -> tuple[int, int] | None:
    width, height = stream.get("width"), stream.get("height")
    if not isinstance(width, int) or not isinstance(height, int) or width < 1 or height < 1:
        return None
    if _rotation(stream) % 180 == 90:
        return height, width
    return width, height


def _fits(size: tuple[int, int], spec: VideoSpec) -> bool:
    width, height = size
    return (width <= spec.max_width and height <= spec.max_height) or (
        width <= spec.max_height and height <= spec.max_width
    )


def _check(probed: dict[str, Any], container: _Container, spec: VideoSpec) -> _Streams:
    names = set(str((probed.get("format") or {}).get("format_name", "")).split(","))
    if not names & container.format_names:
        raise _rejected("not_a_video", spec)
    streams = _streams(probed)
    if streams is None:
        raise _rejected("not_a_video", spec)
    if streams.video.get("codec_name") not in container.video_codecs:
        raise _rejected("unsupported_codec", spec)
    if streams.audio is not None and streams.audio.get("codec_name") not in container.audio_codecs:
        raise _rejected("unsupported_codec", spec)
    size = _shown_size(streams.video)
    if size is None:
        raise _rejected("unreadable", spec)
    if not _fits(size, spec):
        raise _rejected("too_big_dimensions", spec)
    duration = _duration(probed)
    if duration is not None and duration > spec.max_seconds + DURATION_TOLERANCE:
        raise _rejected("too_long", spec)
    return streams


# --- The pipeline -----------------------------------------------------------------------------


def _copy_bounded(upload: Any, dest: IO[bytes], spec: VideoSpec) -> int:
    """Copy at most ``spec.max_bytes`` of the upload (bytes, an uploaded file or a file
    object) into ``dest``; more is refused without reading on."""
    if isinstance(upload, bytes | bytearray):
        if len(upload) > spec.max_bytes:
            raise _rejected("too_large", spec)
        dest.write(upload)
        total = len(upload)
    else:
        size = getattr(upload, "size", None)
        if isinstance(size, int) and size > spec.max_bytes:
            raise _rejected("too_large", spec)
        if hasattr(upload, "seek"):
            upload.seek(0)
        total = 0
        while chunk := upload.read(min(_CHUNK, spec.max_bytes + 1 - total)):
            total += len(chunk)
            if total > spec.max_bytes:
                raise _rejected("too_large", spec)
            dest.write(chunk)
    dest.flush()
    if total == 0:
        raise _rejected("empty", spec)
    return total


def _remux(
    source: Path, target: Path, container: _Container, streams: _Streams, spec: VideoSpec
) -> None:
    args = ["ffmpeg", *_SAFE_INPUT, "-nostdin", "-xerror", "-f", container.demuxer]
    # Exactly the streams checked above, by index (a cover picture can be v:0).
    args += ["-i", f"file:{source}", "-map", f"0:{int(streams.video['index'])}"]
    if streams.audio is not None:
        args += ["-map", f"0:{int(streams.audio['index'])}"]
    args += ["-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact"]
    # Never more than just past the limits, whatever the header claimed: an index can
    # point at the same bytes many times over, which a copy would write out in full.
    args += ["-t", f"{spec.max_seconds + 2 * DURATION_TOLERANCE:.3f}"]
    args += ["-fs", str(spec.max_bytes + OUTPUT_MARGIN + 1)]
    if container.kind == "mp4":
        args += ["-movflags", "+faststart"]
        if streams.video.get("codec_name") == "hevc":
            args += ["-tag:v", "hvc1"]  # the tag Safari plays
    args += ["-f", container.muxer, "-y", f"file:{target}"]
    _run(args, timeout=REMUX_TIMEOUT)


def _store(path: Path, container: _Container, storage_name: str) -> str:
    name = f"{FOLDER}/{secrets.token_urlsafe(24)}.{container.kind}"
    storage = storages[storage_name]
    try:
        with path.open("rb") as fh:
            return storage.save(name, File(fh, name=name))
    except storage_errors() as exc:
        logger.exception("Storing a video failed")
        raise VideoNotStored(name) from exc


def process_video(upload: Any, *, spec: VideoSpec, storage_name: str = "private") -> StoredVideo:
    """Check ``upload`` (an uploaded file, a file object or bytes) by its content and
    store a remuxed copy without metadata in ``storages[storage_name]``.

    Raises :class:`VideoRejected` for anything we do not accept (never another error
    for hostile input) and :class:`VideoNotStored` when the storage fails. Runs
    ffprobe and ffmpeg without decoding the pictures: seconds for a large file."""
    if not video_uploads_available():
        raise _rejected("unavailable", spec)
    with tempfile.TemporaryDirectory(prefix="pv-video-") as folder:
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".upload", delete=False) as raw:
            _copy_bounded(upload, raw, spec)
        source = Path(raw.name)
        with source.open("rb") as fh:
            kind = sniff(fh.read(_HEADER))
        if kind is None:
            raise _rejected("not_a_video", spec)
        container = _CONTAINERS[kind]
        try:
            streams = _check(_probe(source, container), container, spec)
            target = Path(folder) / f"clean.{container.kind}"
            _remux(source, target, container, streams, spec)
            source.unlink()
            clean = _probe(target, container)
        except _ToolFailed as exc:
            logger.info("A video upload was refused: %s", exc)
            raise _rejected("unreadable", spec) from None
        if target.stat().st_size > spec.max_bytes + OUTPUT_MARGIN:
            raise _rejected("too_large", spec)
        clean_streams = _streams(clean)
        duration = _duration(clean)
        if clean_streams is None or duration is None:
            raise _rejected("unreadable", spec)
        if duration > spec.max_seconds + DURATION_TOLERANCE:
            raise _rejected("too_long", spec)
        size = _shown_size(clean_streams.video)
        if size is None:
            raise _rejected("unreadable", spec)
        name = _store(target, container, storage_name)
        return StoredVideo(
            name=name,
            duration_seconds=round(duration, 3),
            width=size[0],
            height=size[1],
            content_type=container.content_type,
            size=target.stat().st_size,
            has_audio=clean_streams.audio is not None,
        )


# --- Poster frames ----------------------------------------------------------------------------


# Square pixels, then at most 1280 px on each side (never enlarged).
_POSTER_FILTER = (
    "scale=w='iw*sar':h=ih,setsar=1,"
    "scale=w='min(iw,1280)':h='min(ih,1280)':force_original_aspect_ratio=decrease"
)


def _grab_frame(source: Path, container: _Container, at: float, target: Path) -> bytes:
    args = ["ffmpeg", *_SAFE_INPUT, "-nostdin", "-threads", "2", "-f", container.demuxer]
    args += ["-ss", f"{at:.3f}", "-i", f"file:{source}", "-map", "0:v:0", "-frames:v", "1"]
    args += ["-vf", _POSTER_FILTER, "-f", "image2", "-c:v", "png", "-y", f"file:{target}"]
    _run(args, timeout=POSTER_TIMEOUT)
    return target.read_bytes() if target.exists() else b""


def make_poster(name: str, *, storage_name: str = "private") -> str:
    """Make a poster for a video stored by :func:`process_video`: one frame at 1 s or at
    10 % of the duration (whichever is earlier), re-encoded as WebP by the picture
    pipeline and stored as ``posters/<random>.webp`` in the same storage. Returns its
    name. Decodes video: run it in the worker, not in a request.

    Raises :class:`VideoNotStored` when the storage fails and :class:`VideoRejected`
    (``unreadable``, ``unavailable``) when no frame can be made."""
    if not _NAME.match(name):
        raise ValueError(f"Not a stored video's name: {name!r}")
    container = _CONTAINERS[name.rsplit(".", 1)[1]]
    spec = VideoSpec(max_bytes=1, max_seconds=1, max_width=1, max_height=1)  # messages only
    if not video_uploads_available():
        raise _rejected("unavailable", spec)
    storage = storages[storage_name]
    with tempfile.TemporaryDirectory(prefix="pv-poster-") as folder:
        source = Path(folder) / f"video.{container.kind}"
        try:
            with storage.open(name, "rb") as stored, source.open("wb") as fh:
                shutil.copyfileobj(stored, fh, _CHUNK)
        except storage_errors() as exc:
            logger.exception("Reading a stored video failed")
            raise VideoNotStored(name) from exc
        try:
            duration = _duration(_probe(source, container)) or 0.0
            frame = _grab_frame(source, container, min(1.0, duration / 10), Path(folder) / "a.png")
            if not frame:  # a very short or oddly cut video: its first frame
                frame = _grab_frame(source, container, 0.0, Path(folder) / "b.png")
        except _ToolFailed as exc:
            logger.warning("No poster frame for %s: %s", name, exc)
            raise _rejected("unreadable", spec) from None
        if not frame:
            raise _rejected("unreadable", spec)
        try:
            picture = process_image(frame, spec=POSTER)
        except ImageRejected:
            raise _rejected("unreadable", spec) from None
    try:
        return store_image(picture, spec=POSTER, storage_name=storage_name).name
    except ImageNotStored as exc:
        raise VideoNotStored(name) from exc
