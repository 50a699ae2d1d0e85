"""Uploaded pictures: only real PNG, JPEG and WebP pictures get in, bounded in size and
pixels, re-encoded without metadata, stored under unguessable names."""

from __future__ import annotations

import io
import json
import os
import secrets
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from patientvoice.core.images import (
    LOGO,
    ImageRejected,
    ImageSpec,
    delete_image,
    process_image,
    store_image,
)

ROOT = Path(__file__).resolve().parents[3]
SMALL = ImageSpec(folder="test-images", max_width=64, max_height=64, max_bytes=200_000)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path: Path) -> Path:
    # Django resets default_storage when MEDIA_ROOT changes (setting_changed).
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(
    fmt: str = "PNG", size: tuple[int, int] = (100, 50), mode: str = "RGB", **kw: object
) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    out = io.BytesIO()
    image.save(out, format=fmt, **kw)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 5.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(("fmt", "kw"), [("PNG", {}), ("JPEG", {}), ("WEBP", {"quality": 80})])
def test_png_jpeg_and_webp_pictures_are_accepted_and_become_webp(
    fmt: str, kw: dict[str, Any]
) -> None:
    processed = process_image(picture(fmt, **kw), spec=SMALL)

    assert processed.extension == "webp"
    assert processed.content_type == "image/webp"
    assert reopen(processed.data).format == "WEBP"


@pytest.mark.parametrize(
    "data",
    [
        picture("GIF"),
        picture("BMP"),
        picture("TIFF"),
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<html><body>hello</body></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\n",
        b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10,
    ],
    ids=["gif", "bmp", "tiff", "svg", "html", "pdf", "png-signature-only"],
)
def test_anything_but_a_decodable_png_jpeg_or_webp_is_refused(data: bytes) -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(data, spec=SMALL)

    assert caught.value.code == "not_an_image"


def test_the_file_name_and_content_type_do_not_decide() -> None:
    upload = SimpleUploadedFile("logo.png", picture("GIF"), content_type="image/png")

    with pytest.raises(ImageRejected):
        process_image(upload, spec=SMALL)


def test_a_picture_named_like_a_script_is_still_stored_as_a_picture() -> None:
    upload = SimpleUploadedFile("evil.html", picture("PNG"), content_type="text/html")

    stored = store_image(process_image(upload, spec=SMALL), spec=SMALL)

    assert stored.name.endswith(".webp")
    assert "evil" not in stored.name


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded() -> None:
    upload = SimpleUploadedFile("big.png", b"\x00" * (SMALL.max_bytes + 1))

    with pytest.raises(ImageRejected) as caught:
        process_image(upload, spec=SMALL)

    assert caught.value.code == "too_large"
    assert "MB" in caught.value.messages[0]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(SimpleUploadedFile("empty.png", b""), spec=SMALL)

    assert caught.value.code == "empty"


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG file that claims huge dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_by_its_header_without_decoding_it() -> None:
    bomb = _png_header_only(100_000, 100_000)  # 10 gigapixels in a few bytes

    with pytest.raises(ImageRejected) as caught:
        process_image(bomb, spec=LOGO)

    assert caught.value.code == "too_many_pixels"


def test_a_picture_just_over_the_pixel_limit_is_refused() -> None:
    spec = ImageSpec(folder="test-images", max_width=64, max_height=64, max_pixels=100 * 100)

    with pytest.raises(ImageRejected) as caught:
        process_image(picture("PNG", size=(101, 100)), spec=spec)

    assert caught.value.code == "too_many_pixels"


def test_a_truncated_picture_is_refused_as_damaged() -> None:
    data = picture("JPEG", size=(300, 300))

    with pytest.raises(ImageRejected) as caught:
        process_image(data[: len(data) // 2], spec=SMALL)

    assert caught.value.code == "broken"


def test_large_pictures_are_scaled_down_to_fit_keeping_their_shape() -> None:
    processed = process_image(picture("PNG", size=(1000, 500)), spec=SMALL)

    assert (processed.width, processed.height) == (64, 32)
    assert reopen(processed.data).size == (64, 32)


def test_small_pictures_are_not_enlarged() -> None:
    processed = process_image(picture("PNG", size=(20, 10)), spec=SMALL)

    assert (processed.width, processed.height) == (20, 10)


def test_location_and_camera_data_are_removed() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test is honest

    processed = process_image(original, spec=SMALL)

    cleaned = reopen(processed.data)
    assert not cleaned.getexif()
    assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(cleaned.info)
    assert b"PhoneMaker" not in processed.data
    assert b"taken at home" not in processed.data


def test_a_phone_photo_is_turned_the_right_way_up_before_its_exif_is_dropped() -> None:
    processed = process_image(jpeg_with_gps(), spec=SMALL)

    # 80 x 60 with orientation 6 displays as 60 x 80, scaled to fit 64 x 64.
    assert processed.height > processed.width


def test_png_text_chunks_do_not_survive() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Doe, Storgatan 12")
    processed = process_image(picture("PNG", pnginfo=info), spec=SMALL)

    assert b"Storgatan" not in processed.data


def test_transparency_is_kept() -> None:
    data = picture("PNG", mode="RGBA", size=(30, 30))

    cleaned = reopen(process_image(data, spec=SMALL).data)

    assert cleaned.mode == "RGBA"
    pixel = cleaned.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    assert pixel[3] == 0


def test_only_the_first_frame_of_an_animation_is_kept() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:], duration=100)

    cleaned = reopen(process_image(out.getvalue(), spec=SMALL).data)

    assert getattr(cleaned, "n_frames", 1) == 1


def test_cmyk_and_greyscale_jpegs_become_rgb() -> None:
    for mode in ("CMYK", "L"):
        image = Image.new(mode, (10, 10))
        out = io.BytesIO()
        image.save(out, format="JPEG")

        assert reopen(process_image(out.getvalue(), spec=SMALL).data).mode == "RGB"


def test_a_sixteen_bit_png_is_accepted() -> None:
    image = Image.new("I;16", (10, 10), 40000)
    out = io.BytesIO()
    image.save(out, format="PNG")

    assert reopen(process_image(out.getvalue(), spec=SMALL).data).mode == "RGB"


def test_png_output_can_be_chosen() -> None:
    spec = ImageSpec(folder="test-images", max_width=64, max_height=64, output_format="PNG")

    processed = process_image(picture("JPEG"), spec=spec)

    assert processed.extension == "png"
    assert reopen(processed.data).format == "PNG"


def test_stored_pictures_get_unguessable_names_in_their_folder(media_in_tmp: Path) -> None:
    processed = process_image(picture("PNG"), spec=SMALL)

    first = store_image(processed, spec=SMALL)
    second = store_image(processed, spec=SMALL)

    assert first.name != second.name
    assert first.name.startswith("test-images/")
    assert len(Path(first.name).stem) >= 32
    assert (media_in_tmp / first.name).read_bytes() == processed.data


def test_a_deleted_picture_is_gone_and_deleting_twice_is_harmless(media_in_tmp: Path) -> None:
    stored = store_image(process_image(picture("PNG"), spec=SMALL), spec=SMALL)

    delete_image(stored.name)
    delete_image(stored.name)

    assert not (media_in_tmp / stored.name).exists()


def test_bad_folder_names_are_refused_when_a_spec_is_written() -> None:
    with pytest.raises(ValueError, match="folder"):
        ImageSpec(folder="../etc", max_width=1, max_height=1)


def test_the_local_profile_serves_stored_pictures_as_images() -> None:
    stored = store_image(process_image(picture("PNG"), spec=SMALL), spec=SMALL)

    response = Client().get(reverse("media", kwargs={"name": stored.name}))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/media/test-images/missing-but-well-formed-name-000.webp",
        "/media/settings.py",
        "/media/../settings.py",
        "/media/test-images/a.html",
        "/media/test-images/Well_formed_name_but_html_0000.html",
        "/media/test-images/Well_formed_name_but_svg_00000.svg",
        "/media/Top_level_well_formed_name_000.webp",
        "/media/",
        "/media/test-images/",
    ],
)
def test_local_media_serves_nothing_but_stored_pictures(path: str, media_in_tmp: Path) -> None:
    # Given real files of every shape we refuse, in the media folder and beside it.
    folder = media_in_tmp / "test-images"
    folder.mkdir()
    script = b"<html><script>alert(document.cookie)</script></html>"
    for name in ("a.html", "Well_formed_name_but_html_0000.html"):
        (folder / name).write_bytes(script)
    (folder / "Well_formed_name_but_svg_00000.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (media_in_tmp / "Top_level_well_formed_name_000.webp").write_bytes(picture("WEBP"))
    (media_in_tmp / "settings.py").write_bytes(b"SECRET_KEY = 'x'")
    (media_in_tmp.parent / "settings.py").write_bytes(b"SECRET_KEY = 'x'")

    response = Client().get(path)

    assert response.status_code == 404
    assert b"alert" not in response.content
    assert b"SECRET_KEY" not in response.content


def test_the_media_view_answers_only_reads() -> None:
    stored = store_image(process_image(picture("PNG"), spec=SMALL), spec=SMALL)

    response = Client().post(reverse("media", kwargs={"name": stored.name}))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_media_is_served_to_a_signed_in_person_who_has_not_consented_yet() -> None:
    # A public picture carries no personal data: the consent page itself may show it.
    from patientvoice.accounts.tests.factories import UserFactory

    stored = store_image(process_image(picture("PNG"), spec=SMALL), spec=SMALL)
    client = Client()
    client.force_login(UserFactory.create(consented=False))
    assert "/consent" in client.get(reverse("communities:list"))["Location"]  # honest test

    response = client.get(reverse("media", kwargs={"name": stored.name}))

    assert response.status_code == 200


# --- Large pictures: reduced before anything copies them (decisions/0024) ---------------------


def png_with_orientation(size: tuple[int, int], orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 90, 160, 255)).save(out, format="PNG", exif=exif)
    return out.getvalue()


def test_a_picture_of_many_pixels_in_a_small_file_is_refused_before_decoding() -> None:
    # 6300 x 6300 RGBA compresses to ~170 KB and would decode to 160 MB.
    data = png_with_orientation((6300, 6300))
    assert len(data) < LOGO.max_bytes

    with pytest.raises(ImageRejected) as caught:
        process_image(data, spec=LOGO)

    assert caught.value.code == "too_many_pixels"
    assert "24" in caught.value.messages[0]


def test_a_large_turned_picture_becomes_a_bounded_upright_logo() -> None:
    # 5000 x 4000 (20 MP), to be shown turned a quarter: 4000 wide, 5000 high.
    processed = process_image(png_with_orientation((5000, 4000)), spec=LOGO)

    assert (processed.width, processed.height) == (410, 512)
    assert reopen(processed.data).size == (410, 512)
    assert not reopen(processed.data).getexif()


def test_the_orientation_and_colour_steps_only_see_the_reduced_picture(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import ImageOps

    seen: list[tuple[int, int]] = []
    transpose = ImageOps.exif_transpose

    def spy(image: Image.Image, **kwargs: Any) -> Any:
        seen.append(image.size)
        return transpose(image, **kwargs)

    monkeypatch.setattr(ImageOps, "exif_transpose", spy)

    process_image(png_with_orientation((3000, 2000)), spec=LOGO)

    assert seen == [(512, 341)]


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[tuple[int, int]] = []
    thumbnail = Image.Image.thumbnail

    def spy(self: Image.Image, *args: Any, **kwargs: Any) -> None:
        decoded.append(self.size)
        thumbnail(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "thumbnail", spy)
    out = io.BytesIO()
    Image.new("RGB", (4800, 3200), (0, 90, 160)).save(out, format="JPEG")

    processed = process_image(out.getvalue(), spec=LOGO)

    # Decoded at half its size (the largest reduction that leaves twice the logo on
    # each side), never at 4800 x 3200.
    assert decoded == [(2400, 1600)]
    assert (processed.width, processed.height) == (512, 341)


def test_the_upload_help_text_is_in_the_language_of_the_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.utils import translation
    from django.utils.functional import Promise

    from patientvoice.core import images

    # A catalogue that shows which language each lookup was made in.
    monkeypatch.setattr(
        images, "pgettext", lambda context, text: f"[{translation.get_language()}] {text}"
    )
    field = images.ImageField(spec=LOGO)  # made once, as a form class makes it at import

    with translation.override("sv"):
        swedish = str(field.help_text)
    with translation.override("en"):
        english = str(field.help_text)

    assert isinstance(field.help_text, Promise)
    assert swedish == "[sv] PNG, JPEG or WebP, at most 5 MB. We remove location data."
    assert english == "[en] PNG, JPEG or WebP, at most 5 MB. We remove location data."


def test_a_storage_that_fails_raises_image_not_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.files.storage import FileSystemStorage

    from patientvoice.core.images import ImageNotStored

    def fail(*args: Any, **kwargs: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", fail)

    with pytest.raises(ImageNotStored):
        store_image(process_image(picture("PNG"), spec=SMALL), spec=SMALL)


# --- Production: pictures from object storage ----------------------------------------------


def production_settings(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PV_", "DJANGO_", "PYTEST_", "DEBUG", "SECURE_", "AWS_"))
    }
    env.update(
        PV_PROFILE="production",
        PV_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        DJANGO_SETTINGS_MODULE="patientvoice.settings",
        **extra,
    )
    return env


PRINT_MEDIA_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'img_src': s.SECURE_CSP['img-src'], "
    "'querystring_auth': s.AWS_QUERYSTRING_AUTH, 'backend': s.STORAGES['default']['BACKEND']}))"
)


@pytest.mark.parametrize(
    ("extra", "origins"),
    [
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, ["https://media.example.org"]),
        (
            {"AWS_S3_ENDPOINT_URL": "https://s3.objects.example.net"},
            ["https://s3.objects.example.net", "https://pv-media.s3.objects.example.net"],
        ),
        (
            {"AWS_S3_REGION_NAME": "eu-north-1"},
            ["https://pv-media.s3.amazonaws.com", "https://pv-media.s3.eu-north-1.amazonaws.com"],
        ),
    ],
    ids=["custom-domain", "endpoint", "aws"],
)
def test_with_object_storage_pictures_may_come_from_its_origin_unsigned(
    tmp_path: Path, extra: dict[str, str], origins: list[str]
) -> None:
    env = production_settings(tmp_path, AWS_STORAGE_BUCKET_NAME="pv-media", **extra)

    completed = subprocess.run(  # noqa: S603 - our own interpreter and a constant
        [sys.executable, "-c", PRINT_MEDIA_SETTINGS],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stderr
    media = json.loads(completed.stdout.strip().splitlines()[-1])
    assert media["img_src"] == ["'self'", "data:", *origins]
    assert media["querystring_auth"] is False
    assert media["backend"] == "storages.backends.s3.S3Storage"


def test_production_with_object_storage_passes_the_deploy_check(tmp_path: Path) -> None:
    env = production_settings(
        tmp_path, AWS_STORAGE_BUCKET_NAME="pv-media", AWS_S3_CUSTOM_DOMAIN="media.example.org"
    )

    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "WARNING" not in completed.stdout + completed.stderr
