"""Evidence is accepted by its content, never its name, and kept where no URL serves it."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import Image

from patientvoice.professionals.evidence import (
    MAX_BYTES,
    EvidenceRejected,
    check_evidence,
    looks_like_pdf,
    open_evidence,
    store_evidence,
)
from patientvoice.professionals.forms import ApplicationForm

from .factories import ANSWERS, pdf_bytes, png_bytes


def _upload(data: bytes, name: str, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_real_pdf_is_accepted_as_sent_with_its_hash_and_size():
    data = pdf_bytes()

    checked = check_evidence(_upload(data, "licence.pdf"))

    assert checked.kind == "pdf"
    assert checked.data == data
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


def test_a_png_renamed_pdf_is_accepted_as_a_picture_by_its_content():
    checked = check_evidence(_upload(png_bytes(), "licence.pdf", "application/pdf"))

    assert checked.kind == "image"
    assert checked.extension == "webp"
    assert Image.open(io.BytesIO(checked.data)).format == "WEBP"


def test_a_photo_loses_its_location_data():
    exif = Image.Exif()
    exif[0x8825] = {2: (59.0, 20.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(out, format="JPEG", exif=exif)

    checked = check_evidence(out.getvalue())

    assert not Image.open(io.BytesIO(checked.data)).getexif()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"This is my licence, trust me.\n", "not_accepted"),  # a text file named .pdf
        (b"%PDF-1.4\n1 0 obj << >> endobj\n", "not_accepted"),  # truncated: no %%EOF
        (b"<html><script>alert(1)</script></html>%%EOF", "not_accepted"),
        (b"", "empty"),
        (
            pdf_bytes(
                b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
            ),
            "active_pdf",
        ),
        (pdf_bytes(b"1 0 obj << /Type /EmbeddedFile >> endobj\n"), "active_pdf"),
    ],
)
def test_files_that_are_not_a_plain_pdf_or_a_picture_are_refused(data, code):
    with pytest.raises(EvidenceRejected) as refused:
        check_evidence(_upload(data, "licence.pdf"))

    assert refused.value.code == code
    assert refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (MAX_BYTES + 10) + b"%%EOF")

    with pytest.raises(EvidenceRejected) as refused:
        check_evidence(big)

    assert refused.value.code == "too_large"


def test_the_pdf_check_needs_the_header_at_the_start_and_the_marker_at_the_end():
    assert looks_like_pdf(pdf_bytes())
    assert not looks_like_pdf(b" " + pdf_bytes())
    assert not looks_like_pdf(pdf_bytes() + b"x" * 2000)


def test_the_form_refuses_a_text_file_named_pdf_on_the_evidence_field_only():
    form = ApplicationForm(
        {**ANSWERS, "shows_real_name": "real_name", "no_industry_ties": "on", "confirm": "on"},
        MultiValueDict({"evidence": [_upload(b"just text", "licence.pdf")]}),
    )

    assert not form.is_valid()
    assert list(form.errors) == ["evidence"]


def test_evidence_is_stored_privately_outside_media_and_has_no_url(settings):
    name = store_evidence(check_evidence(pdf_bytes()))

    assert (settings.PV_PRIVATE_ROOT / name).exists()
    assert (settings.PV_PRIVATE_ROOT / name).stat().st_mode & 0o077 == 0
    assert not (settings.MEDIA_ROOT / name).exists()
    with open_evidence(name) as handle:
        assert handle.read() == pdf_bytes()
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url(name)


def test_only_names_the_module_made_can_be_opened():
    with pytest.raises(FileNotFoundError):
        open_evidence("../secret_key")
