"""Responsive sizes of stored pictures, and moving upload files between storages."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage, storages
from PIL import Image

from patientvoice.core.images import (
    ImageNotStored,
    ImageRejected,
    ImageSpec,
    process_image,
    store_image,
)
from patientvoice.core.renditions import (
    delete_files,
    make_renditions,
    publish_files,
    rendition_widths,
)

WIDE = ImageSpec(folder="covers", max_width=1600, max_height=1600)
NAME = re.compile(r"renditions/[A-Za-z0-9_-]{32}\.webp")


def stored_picture(size: tuple[int, int], storage_name: str = "private") -> str:
    """A picture as the upload pipeline stores it (re-encoded WebP)."""
    image = Image.new("RGB", size, (20, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return store_image(
        process_image(out.getvalue(), spec=WIDE), spec=WIDE, storage_name=storage_name
    ).name


def opened(name: str, storage_name: str = "private") -> Image.Image:
    with storages[storage_name].open(name, "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    return image


def files_in(storage_name: str) -> set[str]:
    root = Path(storages[storage_name].path(""))
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_wide_picture_gets_every_smaller_width_as_webp_without_metadata() -> None:
    name = stored_picture((1600, 900))

    made = make_renditions(name, storage_name="private")

    assert list(made) == [320, 640, 1280]
    for width, rendition in made.items():
        assert NAME.fullmatch(rendition)
        image = opened(rendition)
        assert image.format == "WEBP"
        assert image.size == (width, round(900 * width / 1600))
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert len(set(made.values())) == 3


def test_widths_as_wide_as_the_picture_or_wider_are_skipped() -> None:
    made = make_renditions(stored_picture((700, 700)), storage_name="private")

    assert list(made) == [320, 640]


def test_a_narrow_picture_is_never_enlarged_but_still_gets_one_rendition() -> None:
    made = make_renditions(stored_picture((300, 200)), storage_name="private")

    assert list(made) == [300]
    assert opened(made[300]).size == (300, 200)


def test_renditions_stay_in_the_storage_of_their_picture() -> None:
    name = stored_picture((800, 400), storage_name="default")

    made = make_renditions(name, storage_name="default", widths=(200, 400))

    assert list(made) == [200, 400]
    assert all(storages["default"].exists(r) for r in made.values())
    assert not any(storages["private"].exists(r) for r in made.values())


@pytest.mark.parametrize(
    ("width", "widths", "expected"),
    [
        (1600, (320, 640, 1280), [320, 640, 1280]),
        (640, (320, 640, 1280), [320]),
        (320, (320, 640), [320]),
        (100, (320, 640), [100]),
        (1000, (640, 320, 320, 0, -5), [320, 640]),
    ],
)
def test_the_widths_made_are_those_below_the_picture(
    width: int, widths: tuple[int, ...], expected: list[int]
) -> None:
    assert rendition_widths(width, widths) == expected


def test_a_storage_that_fails_leaves_no_renditions_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    name = stored_picture((1600, 900))
    before = files_in("private")
    real_save = FileSystemStorage.save
    calls = []

    def fail_on_third(self: FileSystemStorage, *args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", fail_on_third)

    with pytest.raises(ImageNotStored):
        make_renditions(name, storage_name="private")
    assert files_in("private") == before


def test_a_missing_picture_raises_not_stored() -> None:
    with pytest.raises(ImageNotStored):
        make_renditions("covers/" + "a" * 32 + ".webp", storage_name="private")


def test_a_stored_file_that_is_not_a_picture_is_refused() -> None:
    name = storages["private"].save("covers/" + "b" * 32 + ".webp", io.BytesIO(b"<html>"))

    with pytest.raises(ImageRejected):
        make_renditions(name, storage_name="private")


@pytest.mark.parametrize("name", ["../secrets.webp", "covers/short.webp", "covers/" + "a" * 32])
def test_only_names_the_pipelines_make_are_accepted(name: str) -> None:
    with pytest.raises(ValueError, match="uploaded file"):
        make_renditions(name, storage_name="private")
    with pytest.raises(ValueError, match="uploaded file"):
        publish_files([name])
    with pytest.raises(ValueError, match="uploaded file"):
        delete_files([name], storage_name="private")


# --- Publishing and deleting ------------------------------------------------------------------


def test_publishing_copies_private_files_to_public_storage_under_new_names() -> None:
    picture = stored_picture((400, 300))
    poster = stored_picture((200, 100))
    clip = storages["private"].save("videos/" + "c" * 32 + ".mp4", io.BytesIO(b"video bytes"))

    published = publish_files([picture, poster, clip, picture])

    assert list(published) == [picture, poster, clip]
    for old, new in published.items():
        assert new != old
        assert new.split("/")[0] == old.split("/")[0]
        assert new.rsplit(".")[-1] == old.rsplit(".")[-1]
        with storages["private"].open(old, "rb") as a, storages["default"].open(new, "rb") as b:
            assert a.read() == b.read()
        assert storages["private"].exists(old)  # the caller deletes it after commit
        assert not storages["default"].exists(old)


def test_a_publication_that_fails_leaves_nothing_public(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [stored_picture((400, 300)), stored_picture((300, 300))]
    assert files_in("default") == set()
    real_save = FileSystemStorage.save
    calls = []

    def fail_on_second(self: FileSystemStorage, *args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("bucket unreachable")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", fail_on_second)

    with pytest.raises(ImageNotStored):
        publish_files(names)
    assert files_in("default") == set()


def test_publishing_a_missing_file_raises_not_stored() -> None:
    with pytest.raises(ImageNotStored):
        publish_files(["videos/" + "d" * 32 + ".webm"])


def test_deleting_removes_files_and_skips_missing_ones_quietly() -> None:
    first, second = stored_picture((100, 100)), stored_picture((120, 100))
    missing = "covers/" + "e" * 32 + ".webp"

    failed = delete_files([first, missing, "", second], storage_name="private")

    assert failed == []
    assert not storages["private"].exists(first)
    assert not storages["private"].exists(second)


def test_a_deletion_the_storage_refuses_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = stored_picture((100, 100))

    def refuse(self: FileSystemStorage, name: str) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)

    assert delete_files([name], storage_name="private") == [name]
