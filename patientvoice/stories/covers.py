"""A story's cover picture: the rules of ``core.images`` with a wide banner's size."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from patientvoice.core.images import ImageSpec, StoredImage, delete_image

# Shown at most ~800 px wide on the page, stored at twice that for sharp screens.
STORY_COVER = ImageSpec(folder="story-covers", max_width=1600, max_height=900)


def set_cover_fields(instance: Any, stored: StoredImage | None) -> str:
    """Point ``instance``'s cover columns (a story's or a draft's) at ``stored`` (or
    clear them); returns the old file's name, for the caller to delete after commit.
    Saves nothing."""
    old = instance.cover.name if instance.cover else ""
    instance.cover = stored.name if stored else ""
    instance.cover_width = stored.width if stored else None
    instance.cover_height = stored.height if stored else None
    return str(old or "")


def delete_after_commit(name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: delete_image(name))
