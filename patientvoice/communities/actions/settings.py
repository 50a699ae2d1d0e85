"""A community's settings page: its name, texts, join questions, whether it takes
requests, and its cover image (made safe by core.images, decisions/0024)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.images import (
    COVER,
    ProcessedImage,
    StoredImage,
    discard_stored,
    replace_picture,
    store_image,
)

from ..models import Community

# What the settings page may change (the slug, the visibility, the organisation and
# the language are not its to change).
SETTINGS_FIELDS = ("name", "description", "teaser", "join_questions", "accepts_requests")


@dataclass(frozen=True)
class SettingsChange:
    """What :func:`update_community_settings` changed."""

    changed_fields: list[str] = field(default_factory=list)
    cover_changed: bool = False


@transaction.atomic
def update_community_settings(
    *,
    actor: User | None,
    community: Community,
    fields: dict[str, Any],
    cover: ProcessedImage | None = None,
    remove_cover: bool = False,
) -> SettingsChange:
    """Save the settings form as one change: ``fields`` (only ``SETTINGS_FIELDS``) and
    the cover (a new ``cover``, already made safe by ``core.images.ImageField``, or
    ``remove_cover``; a new cover wins).

    Preconditions: the caller has checked that ``actor`` may change the community's
    settings (``permissions.can_change_community_settings``).

    The picture is stored first: when the storage fails,
    ``core.images.ImageNotStored`` is raised before anything is written. When a
    database write fails after that, the new file is deleted again. The old cover is
    deleted after commit. Effects: the changed fields saved and audited by name
    (``communities.settings_changed``), the cover change audited
    (``communities.cover_changed`` / ``communities.cover_removed``)."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not a community setting: {sorted(unknown)}")
    stored = store_image(cover, spec=COVER) if cover is not None else None
    try:
        changed = [name for name, value in fields.items() if getattr(community, name) != value]
        if changed:
            for name in changed:
                setattr(community, name, fields[name])
            community.save(update_fields=[*changed, "updated_at"])
            audit.record(
                actor=actor,
                action="communities.settings_changed",
                target=community,
                data={"fields": changed},
            )
        cover_changed = False
        if stored is not None or remove_cover:
            cover_changed = _replace_cover(actor=actor, community=community, stored=stored)
    except BaseException:
        if stored is not None:
            discard_stored(stored.name)
        raise
    return SettingsChange(changed_fields=changed, cover_changed=cover_changed)


def _replace_cover(*, actor: User | None, community: Community, stored: StoredImage | None) -> bool:
    """The row's part of a cover change (inside the caller's transaction)."""
    if not replace_picture(community, "cover", stored):
        return False
    audit.record(
        actor=actor,
        action="communities.cover_changed" if stored is not None else "communities.cover_removed",
        target=community,
    )
    return True
