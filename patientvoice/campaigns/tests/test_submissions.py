# ruff: noqa: S603, S607 - ffmpeg makes the test video from a fixed command line
"""Sending, checking, storing, approving and withdrawing submissions (issue 8 items 4
and "bad input")."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.campaigns import actions
from patientvoice.campaigns.errors import InvalidSubmission, SubmissionsClosed, TooYoung
from patientvoice.campaigns.models import AgeGroup, CampaignStatus, Submission, SubmissionKind
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see

from .factories import approved, entry, make_campaign, png_bytes, staff_of, submit

pytestmark = pytest.mark.django_db


def _files(root: Any) -> list[Path]:
    folder = Path(root)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "image",
        "title": "Blue mornings",
        "text": "How my hands feel before nine.",
        "alt_text": "Two blue hands on a white table",
        "licence": "cc-by-4.0",
        "age_group": "adult",
        "rules_accepted": "on",
    }
    data.update(overrides)
    return data


def _post(
    client: Client, campaign: Any, data: dict[str, Any], upload: bytes | None, name: str
) -> Any:
    if upload is not None:
        data = {**data, "file": SimpleUploadedFile(name, upload, content_type="image/jpeg")}
    with translation.override("en"):
        url = reverse("campaigns:submit", args=[campaign.slug])
    return client.post(url, data)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says ``width`` × ``height`` (a decompression bomb's
    announcement, without the memory to make one)."""
    data = bytearray(png_bytes(4, 4))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 40, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 45.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


# --- sent and held ---------------------------------------------------------------------


def test_a_submission_is_held_until_a_moderator_approves_it():
    campaign = make_campaign()
    author = UserFactory.create()

    submission = submit(campaign, author)

    assert submission.status == ContentStatus.HELD
    assert submission.hold_reasons == ["review.required"]
    assert_can_see(author, submission)
    assert_cannot_see(None, submission)
    assert_cannot_see(UserFactory.create(), submission)


def test_the_organisations_moderators_see_a_held_submission():
    campaign = make_campaign()
    moderator = staff_of(campaign.organization, role="moderator")
    client = Client()
    from patientvoice.core.testing.sessions import log_in_with_mfa

    log_in_with_mfa(client, moderator)
    submission = submit(campaign)

    response = client.get(submission.get_absolute_url())

    assert response.status_code == 200
    assert submission.title in response.content.decode()


def test_a_picture_is_re_encoded_without_its_location_and_kept_privately(settings):
    campaign = make_campaign()

    submission = submit(campaign, kind=SubmissionKind.IMAGE, upload=jpeg_with_gps())

    stored = Path(settings.PV_PRIVATE_ROOT) / submission.file_name
    with Image.open(stored) as image:
        assert image.format == "WEBP"
        assert not image.getexif()
    assert _files(settings.MEDIA_ROOT) == []


def test_approval_publishes_copies_and_the_gallery_offers_responsive_sizes(
    settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(
            campaign, kind=SubmissionKind.IMAGE, upload=png_bytes(1600, 1200), title="Wide sky"
        )
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_submission_status(submission, ContentStatus.PUBLISHED)
    submission.refresh_from_db()

    page = Client().get(reverse("campaigns:gallery", args=[campaign.slug])).content.decode()

    assert submission.public_file
    assert submission.public_file != submission.file_name
    assert set(submission.public_renditions) == {"320", "640", "1280"}
    assert "srcset=" in page
    assert " 320w" in page
    assert 'alt="Blue squares on a white ground"' in page
    assert len(_files(settings.MEDIA_ROOT)) == 4


def test_the_author_reads_a_held_picture_through_the_checking_view_and_others_get_404():
    campaign = make_campaign()
    author = UserFactory.create()
    submission = submit(campaign, author, kind=SubmissionKind.IMAGE)
    url = reverse("campaigns:submission_file", args=[campaign.slug, submission.public_id, "file"])
    own, other = Client(), Client()
    own.force_login(author)
    other.force_login(UserFactory.create())

    mine = own.get(url)

    assert mine.status_code == 200
    assert mine["Content-Type"] == "image/webp"
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert other.get(url).status_code == 404


def test_the_author_withdraws_and_every_copy_of_the_files_is_deleted(
    settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    author = UserFactory.create()
    submission = approved(campaign, author, kind=SubmissionKind.IMAGE)
    client = Client()
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:withdraw", args=[campaign.slug, submission.public_id])
        )

    assert response.status_code == 302
    assert _files(settings.MEDIA_ROOT) == []
    assert _files(settings.PV_PRIVATE_ROOT) == []
    assert_cannot_see(None, submission)
    assert_cannot_see(author, submission)


# --- bad input -----------------------------------------------------------------------------


@pytest.fixture
def member_client():
    client = Client()
    client.force_login(UserFactory.create())
    return client


@pytest.mark.parametrize(
    ("upload", "name", "expected"),
    [
        # A GIF that is also a script: not a format we decode.
        (b"GIF89a/*\x00\x00*/=1;alert(document.domain)//", "image.gif", "could not read"),
        (b"<html><script>alert(1)</script></html>", "holiday.jpg", "could not read"),
        (png_claiming(20_000, 20_000), "huge.png", "too many pixels"),
        (b"", "empty.jpg", "The file is empty"),
        (b"\0" * (15 * 1024 * 1024 + 1), "big.jpg", "too large"),
    ],
    ids=["polyglot", "renamed-to-jpg", "20000x20000", "empty", "oversized"],
)
def test_a_file_that_is_not_an_acceptable_picture_is_refused_with_the_form_kept(
    member_client, settings, upload, name, expected
):
    campaign = make_campaign()

    response = _post(member_client, campaign, _form(), upload, name)

    page = response.content.decode()
    assert response.status_code == 400
    assert expected in page
    assert "Blue mornings" in page
    assert "Two blue hands on a white table" in page
    assert not Submission.objects.exists()
    assert _files(settings.PV_PRIVATE_ROOT) == []


def test_a_picture_with_a_script_appended_is_stored_without_it(member_client, settings):
    campaign = make_campaign()
    polyglot = png_bytes(32, 32) + b"<script>alert(1)</script>"

    response = _post(member_client, campaign, _form(), polyglot, "trick.png")

    assert response.status_code == 302
    (stored,) = _files(settings.PV_PRIVATE_ROOT)
    assert b"<script>" not in stored.read_bytes()


def test_a_picture_without_alt_text_is_refused(member_client):
    campaign = make_campaign()

    response = _post(member_client, campaign, _form(alt_text=""), png_bytes(), "a.png")

    assert response.status_code == 400
    assert "alt text" in response.content.decode()


def test_an_expired_campaign_refuses_a_submission_with_its_closing_date(member_client, settings):
    campaign = make_campaign(
        submissions_open_at=timezone.now() - timedelta(days=10),
        submissions_close_at=timezone.now() - timedelta(days=1),
    )

    response = _post(member_client, campaign, _form(), png_bytes(), "a.png")

    assert response.status_code == 409
    assert "stopped taking submissions" in response.content.decode()
    assert not Submission.objects.exists()
    assert _files(settings.PV_PRIVATE_ROOT) == []


def test_a_draft_campaign_takes_no_submissions():
    campaign = make_campaign(status=CampaignStatus.DRAFT)

    with pytest.raises(SubmissionsClosed):
        submit(campaign)


def test_a_stored_file_is_deleted_when_saving_the_submission_fails(settings, monkeypatch):
    campaign = make_campaign()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr("patientvoice.campaigns.actions.submissions.publish", broken)

    with pytest.raises(RuntimeError):
        submit(campaign, kind=SubmissionKind.IMAGE)

    assert _files(settings.PV_PRIVATE_ROOT) == []


def test_a_younger_contributor_names_a_guardian_who_agrees():
    campaign = make_campaign()

    with pytest.raises(InvalidSubmission) as missing:
        submit(campaign, age_group=AgeGroup.MINOR)
    submission = submit(
        campaign,
        age_group=AgeGroup.MINOR,
        guardian_name="Karin Berg",
        guardian_email="karin@example.org",
        guardian_consent=True,
    )

    assert missing.value.field == "guardian_name"
    assert submission.guardian_email == "karin@example.org"


def test_a_child_below_the_campaigns_minimum_age_is_refused(member_client):
    campaign = make_campaign()

    with pytest.raises(TooYoung):
        actions.submit_entry(
            author=UserFactory.create(),
            campaign=campaign,
            entry=entry(age_group="child"),
            language="en",
        )
    response = _post(member_client, campaign, _form(kind="text", age_group="child"), None, "")

    assert response.status_code == 403
    assert "at least 13 years old" in response.content.decode()


def test_a_kind_the_campaign_does_not_accept_is_refused():
    campaign = make_campaign(accepted_kinds=[SubmissionKind.TEXT])

    with pytest.raises(InvalidSubmission) as refused:
        submit(campaign, kind=SubmissionKind.IMAGE)

    assert refused.value.field == "kind"


def test_a_file_named_like_a_video_that_is_not_one_is_refused(member_client, settings):
    campaign = make_campaign()

    response = _post(
        member_client, campaign, _form(kind="video", alt_text=""), b"<html></html>", "clip.mp4"
    )

    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert _files(settings.PV_PRIVATE_ROOT) == []


def _mp4(folder: Path) -> bytes:
    target = folder / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi",
            "-i", "testsrc=duration=2:size=320x240:rate=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-metadata", "location=+59.3293+018.0686/", str(target),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return target.read_bytes()


def test_an_approved_video_plays_with_its_poster_and_loads_nothing_until_asked(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(
            campaign, kind=SubmissionKind.VIDEO, upload=_mp4(tmp_path), title="Ten seconds"
        )
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_submission_status(submission, ContentStatus.PUBLISHED)
    submission.refresh_from_db()

    page = Client().get(reverse("campaigns:gallery", args=[campaign.slug])).content.decode()

    assert submission.content_type == "video/mp4"
    assert submission.poster_name
    assert submission.public_poster
    assert 'controls preload="none"' in page
    assert f'poster="/media/{submission.public_poster}"' in page
    assert b"59.3293" not in (Path(settings.MEDIA_ROOT) / submission.public_file).read_bytes()
