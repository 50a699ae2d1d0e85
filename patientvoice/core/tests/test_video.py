"""Uploaded videos: only real MP4 and WebM videos within the limits get in, remuxed
without metadata and stored under unguessable names; posters are re-encoded frames.

The videos are made here with ffmpeg (the Makefile installs it), never downloaded."""

# The tests run Debian's ffmpeg and ffprobe from PATH with constant arguments.
# ruff: noqa: S603, S607

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from patientvoice.core import video
from patientvoice.core.images import ImageNotStored
from patientvoice.core.video import (
    VideoNotStored,
    VideoRejected,
    VideoSpec,
    make_poster,
    process_video,
    sniff,
    upload_help_text,
    video_uploads_available,
)

SPEC = VideoSpec(max_bytes=2_000_000, max_seconds=3, max_width=320, max_height=240)
LOCATION = "+59.3293+018.0686/"
TESTSRC = ["-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10"]
SINE = ["-f", "lavfi", "-i", "sine=duration=2"]
X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]


def ffmpeg(folder: Path, name: str, *args: str) -> bytes:
    target = folder / name
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", *args, str(target)],
        check=True,
        timeout=60,
    )
    return target.read_bytes()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every test video, made once for this module."""
    folder = tmp_path_factory.mktemp("clips")
    phone = ["-metadata", f"location={LOCATION}", "-metadata", "comment=Anna's Phone 15"]
    made = {
        "mp4": ffmpeg(folder, "a.mp4", *TESTSRC, *SINE, *X264, "-c:a", "aac", *phone),
        "webm": ffmpeg(
            folder, "a.webm", *TESTSRC, *SINE, "-c:v", "libvpx", "-c:a", "libopus", *phone
        ),
        "vp9": ffmpeg(
            folder,
            "b.webm",
            *TESTSRC,
            *("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"),
        ),
        "long": ffmpeg(
            folder, "long.mp4", "-f", "lavfi", "-i", "testsrc=duration=5:size=160x120:rate=5", *X264
        ),
        "wide": ffmpeg(
            folder, "wide.mp4", "-f", "lavfi", "-i", "testsrc=duration=1:size=640x480:rate=5", *X264
        ),
        "upright": ffmpeg(
            folder, "up.mp4", "-f", "lavfi", "-i", "testsrc=duration=1:size=240x320:rate=5", *X264
        ),
        "mpeg4": ffmpeg(folder, "m4.mp4", *TESTSRC, "-c:v", "mpeg4"),
        "pcm": ffmpeg(folder, "pcm.mov", *TESTSRC, *SINE, *X264, "-c:a", "pcm_s16le"),
        "audio": ffmpeg(folder, "audio.mp4", *SINE, "-c:a", "aac"),
        "mkv": ffmpeg(folder, "a.mkv", *TESTSRC, "-c:v", "libvpx"),
    }
    made["fast"] = ffmpeg(
        folder, "fast.mp4", "-i", str(folder / "a.mp4"), "-c", "copy", "-movflags", "+faststart"
    )
    # A phone filming upright: stored 320 × 240, shown turned a quarter.
    made["turned"] = ffmpeg(
        folder,
        "turned.mp4",
        "-i",
        str(folder / "a.mp4"),
        "-c",
        "copy",
        "-metadata:s:v",
        "rotate=90",
    )
    return made


def probe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def private_path(name: str) -> Path:
    return Path(storages["private"].path(name))


def refused(data: Any, spec: VideoSpec = SPEC) -> str:
    with pytest.raises(VideoRejected) as caught:
        process_video(data, spec=spec)
    assert caught.value.messages[0]  # a sentence for the person, not a traceback
    return str(caught.value.code)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_ffmpeg_and_ffprobe_are_installed_so_no_video_test_is_skipped() -> None:
    assert video_uploads_available()


def test_an_mp4_is_stored_privately_under_an_unguessable_name(clips: dict[str, bytes]) -> None:
    upload = SimpleUploadedFile("holiday.mov", clips["mp4"], content_type="video/quicktime")

    stored = process_video(upload, spec=SPEC)

    assert re.fullmatch(r"videos/[A-Za-z0-9_-]{32}\.mp4", stored.name)
    assert private_path(stored.name).is_file()
    assert not storages["default"].exists(stored.name)
    assert (stored.width, stored.height, stored.content_type) == (320, 240, "video/mp4")
    assert 1.9 <= stored.duration_seconds <= 2.1
    assert stored.has_audio
    assert stored.size == private_path(stored.name).stat().st_size


def test_the_same_video_uploaded_twice_gets_two_names(clips: dict[str, bytes]) -> None:
    first = process_video(clips["mp4"], spec=SPEC)
    second = process_video(clips["mp4"], spec=SPEC)

    assert first.name != second.name


@pytest.mark.parametrize("kind", ["mp4", "webm"])
def test_location_and_device_data_do_not_survive(clips: dict[str, bytes], kind: str) -> None:
    original = clips[kind]
    assert "location" in all_tags(probe_bytes(original))  # the test is honest

    stored = process_video(original, spec=SPEC)

    assert "location" not in all_tags(probe(private_path(stored.name)))
    assert "phone 15" not in all_tags(probe(private_path(stored.name)))
    data = private_path(stored.name).read_bytes()
    assert b"loci" not in data
    assert b"\xa9xyz" not in data
    assert LOCATION.encode() not in data
    assert b"Phone 15" not in data


def all_tags(probed: dict[str, Any]) -> str:
    """Every metadata tag of the file and its streams, as lower-case text."""
    tags = [probed["format"].get("tags", {})] + [s.get("tags", {}) for s in probed["streams"]]
    return json.dumps(tags).lower()


def probe_bytes(data: bytes) -> dict[str, Any]:
    from tempfile import NamedTemporaryFile

    with NamedTemporaryFile(suffix=".bin") as fh:
        fh.write(data)
        fh.flush()
        return probe(Path(fh.name))


def test_a_webm_video_is_accepted_and_stays_webm(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["webm"], spec=SPEC)

    assert re.fullmatch(r"videos/[A-Za-z0-9_-]{32}\.webm", stored.name)
    assert stored.content_type == "video/webm"
    assert stored.has_audio
    codecs = {s["codec_name"] for s in probe(private_path(stored.name))["streams"]}
    assert codecs == {"vp8", "opus"}


def test_a_silent_vp9_webm_is_accepted(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["vp9"], spec=SPEC)

    assert stored.content_type == "video/webm"
    assert not stored.has_audio


def test_a_video_longer_than_allowed_is_refused(clips: dict[str, bytes]) -> None:
    assert refused(clips["long"]) == "too_long"


def test_a_video_with_a_larger_picture_than_allowed_is_refused(clips: dict[str, bytes]) -> None:
    assert refused(clips["wide"]) == "too_big_dimensions"


def test_an_upright_phone_video_fits_a_landscape_limit(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["upright"], spec=SPEC)

    assert (stored.width, stored.height) == (240, 320)


def test_a_turned_video_reports_the_size_it_is_shown_at(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["turned"], spec=SPEC)

    assert (stored.width, stored.height) == (240, 320)


def test_a_file_over_the_size_limit_is_refused(clips: dict[str, bytes]) -> None:
    spec = VideoSpec(max_bytes=len(clips["mp4"]) - 1, max_seconds=3, max_width=320, max_height=240)

    assert refused(SimpleUploadedFile("a.mp4", clips["mp4"]), spec) == "too_large"
    assert refused(io.BytesIO(clips["mp4"]), spec) == "too_large"  # no size to trust
    assert refused(clips["mp4"], spec) == "too_large"


def test_a_video_exactly_at_the_size_limit_is_accepted(clips: dict[str, bytes]) -> None:
    spec = VideoSpec(max_bytes=len(clips["mp4"]), max_seconds=3, max_width=320, max_height=240)

    assert process_video(io.BytesIO(clips["mp4"]), spec=spec).name


def test_an_empty_file_is_refused() -> None:
    assert refused(SimpleUploadedFile("empty.mp4", b"")) == "empty"


def zip_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("video.mp4", b"not a video")
    return out.getvalue()


MP4_HEADER_ONLY = b"\x00\x00\x00\x14ftypisom\x00\x00\x02\x00isom" + b"<html>" * 20


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda clips: b"<!doctype html><html><script>alert(1)</script></html>", "not_a_video"),
        (lambda clips: png(), "not_a_video"),
        (lambda clips: zip_file(), "not_a_video"),
        (lambda clips: b"#!/bin/sh\nrm -rf /\n", "not_a_video"),
        (lambda clips: b"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\nfile:///etc/passwd\n", "not_a_video"),
        (lambda clips: b"<html><body>" + clips["mp4"] + b"</body></html>", "not_a_video"),
        (lambda clips: png() + clips["mp4"], "not_a_video"),
        (lambda clips: clips["mkv"], "not_a_video"),
        (lambda clips: clips["audio"], "not_a_video"),
        (lambda clips: b"\x00\x00\x00\x14ftypevil\x00\x00\x00\x00" + b"\x00" * 64, "not_a_video"),
        (lambda clips: MP4_HEADER_ONLY, "unreadable"),
    ],
    ids=[
        "html",
        "png",
        "zip",
        "script",
        "hls-playlist",
        "html-with-an-mp4-inside",
        "png-with-an-mp4-appended",
        "matroska-not-webm",
        "sound-only",
        "unknown-brand",
        "mp4-header-then-html",
    ],
)
def test_anything_but_an_mp4_or_webm_video_is_refused_whatever_its_name(
    clips: dict[str, bytes], make: Any, code: str
) -> None:
    upload = SimpleUploadedFile("clip.mp4", make(clips), content_type="video/mp4")

    assert refused(upload) == code


def test_a_video_with_a_web_page_appended_is_stored_without_it(clips: dict[str, bytes]) -> None:
    polyglot = clips["mp4"] + b"<html><script>alert(document.cookie)</script></html>"

    stored = process_video(polyglot, spec=SPEC)

    data = private_path(stored.name).read_bytes()
    assert b"<script" not in data
    assert b"<html" not in data


@pytest.mark.parametrize("kind", ["mp4", "fast", "webm"])
def test_a_truncated_video_is_refused_as_damaged(clips: dict[str, bytes], kind: str) -> None:
    data = clips[kind]

    assert refused(data[: len(data) // 2]) == "unreadable"


@pytest.mark.parametrize("kind", ["mpeg4", "pcm"])
def test_video_or_sound_that_browsers_cannot_play_is_refused(
    clips: dict[str, bytes], kind: str
) -> None:
    assert refused(clips[kind]) == "unsupported_codec"


def test_nothing_is_left_in_the_temporary_folder(
    clips: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))

    stored = process_video(clips["mp4"], spec=SPEC)
    refused(clips["long"])
    refused(clips["mp4"][:500])
    make_poster(stored.name)

    assert list(scratch.iterdir()) == []


def fake_tools(folder: Path, script: str) -> None:
    folder.mkdir()
    for program in ("ffprobe", "ffmpeg"):
        path = folder / program
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(0o755)


def test_without_ffmpeg_video_uploads_are_off_and_refused_clearly(
    clips: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    assert not video_uploads_available()
    assert refused(clips["mp4"]) == "unavailable"


def test_a_program_that_runs_too_long_is_stopped_and_the_video_refused(
    clips: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_tools(tmp_path / "bin", "exec sleep 30")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    monkeypatch.setattr(video, "PROBE_TIMEOUT", 0.5)

    assert refused(clips["mp4"]) == "unreadable"


def test_a_program_that_crashes_refuses_the_video(
    clips: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_tools(tmp_path / "bin", "kill -SEGV $$")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")

    assert refused(clips["mp4"]) == "unreadable"


def test_a_storage_that_fails_raises_video_not_stored(
    clips: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", fail)

    with pytest.raises(ImageNotStored) as caught:
        process_video(clips["mp4"], spec=SPEC)
    assert isinstance(caught.value, VideoNotStored)


def test_a_video_can_go_to_the_default_storage(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["webm"], spec=SPEC, storage_name="default")

    assert storages["default"].exists(stored.name)
    assert not storages["private"].exists(stored.name)


def test_refusals_and_help_say_the_limits_in_words() -> None:
    spec = VideoSpec(max_bytes=50 * 1024 * 1024, max_seconds=180, max_width=1920, max_height=1080)
    with translation.override("en"):
        with pytest.raises(VideoRejected) as caught:
            process_video(b"", spec=spec)
        assert caught.value.messages == ["The file is empty. Choose a video."]
        assert str(upload_help_text(spec)) == (
            "MP4 or WebM, at most 50 MB and 3 minutes. We remove location data."
        )
        short = VideoSpec(max_bytes=1, max_seconds=90, max_width=1, max_height=1)
        assert "90 seconds" in str(video._rejected("too_long", short).messages[0])


EBML = bytes.fromhex("1a45dfa3")
# EBMLVersion 1, EBMLReadVersion 1, EBMLMaxIDLength 4, EBMLMaxSizeLength 8.
EBML_FIELDS = bytes.fromhex("4286810142f7810142f2810442f38108")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "mp4"),
        (b"\x00\x00\x00\x18ftypXAVC\x00\x00\x00\x00XAVCmp42", "mp4"),  # compatible brand
        (b"\x00\x00\x00\x14ftypheic\x00\x00\x00\x00mif1", None),  # a HEIC photo
        (b"\x00\x00\x10\x00ftypisom", None),  # box larger than the header read
        (EBML + bytes.fromhex("97") + EBML_FIELDS + b"\x42\x82\x84webm", "webm"),
        (EBML + bytes.fromhex("9b") + EBML_FIELDS + b"\x42\x82\x88matroska", None),
        (EBML + bytes.fromhex("9f") + EBML_FIELDS + b"\x42\x82\x84webm", None),  # short
        (EBML + bytes.fromhex("ff"), None),
        (b"RIFF\x00\x00\x00\x00AVI ", None),
        (b"", None),
    ],
    ids=[
        "mp42",
        "quicktime",
        "xavc",
        "heic",
        "huge-box",
        "webm",
        "mkv",
        "header-cut-short",
        "garbage-ebml",
        "avi",
        "empty",
    ],
)
def test_only_mp4_and_webm_headers_are_recognised(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


# --- Posters ------------------------------------------------------------------------------------


def test_the_poster_is_a_clean_webp_frame_in_the_same_storage(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["mp4"], spec=SPEC)

    poster = make_poster(stored.name)

    assert re.fullmatch(r"posters/[A-Za-z0-9_-]{32}\.webp", poster)
    assert storages["private"].exists(poster)
    assert not storages["default"].exists(poster)
    with Image.open(private_path(poster)) as image:
        assert image.format == "WEBP"
        assert image.size == (320, 240)
        assert not image.getexif()


def test_a_webm_gets_a_poster_in_the_default_storage(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["webm"], spec=SPEC, storage_name="default")

    poster = make_poster(stored.name, storage_name="default")

    assert storages["default"].exists(poster)


def test_the_poster_of_a_turned_video_is_upright(clips: dict[str, bytes]) -> None:
    stored = process_video(clips["turned"], spec=SPEC)

    with Image.open(private_path(make_poster(stored.name))) as image:
        assert image.size == (240, 320)


def test_a_poster_of_a_missing_video_raises_not_stored() -> None:
    with pytest.raises(VideoNotStored):
        make_poster("videos/" + "a" * 32 + ".mp4")


def test_a_poster_is_only_made_for_names_the_pipeline_made() -> None:
    with pytest.raises(ValueError, match="stored video"):
        make_poster("../../etc/passwd")


def test_ffprobe_and_ffmpeg_run_with_cpu_and_memory_limits() -> None:
    # What a hostile file can cost: the limits are on the child process itself.
    out = video._run(["sh", "-c", "sleep 0.3; cat /proc/$$/limits"], timeout=5).decode()

    cpu = re.search(r"^Max cpu time\s+(\d+)\s+(\d+)", out, re.MULTILINE)
    memory = re.search(r"^Max address space\s+(\d+)\s+(\d+)", out, re.MULTILINE)
    assert cpu is not None
    assert cpu.groups() == ("5", "5")
    assert memory is not None
    assert memory.groups() == (str(video.MEMORY_LIMIT),) * 2
