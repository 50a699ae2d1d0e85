from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise


class Outcome(enum.Enum):
    """What a finding asks the pipeline to do."""

    HOLD = "hold"  # keep the content from others until a moderator has looked
    HELP = "help"  # publish, and show the author a help panel


@dataclass(frozen=True)
class Finding:
    code: str  # stable, machine-readable: "personal_data.personnummer"
    message: str | Promise  # translated, shown to the author
    outcome: Outcome
    spans: tuple[tuple[int, int], ...] = ()
    help_panel: str = ""  # template name of a panel to show the author


@dataclass(frozen=True)
class CheckContext:
    kind: str = "content"
    author_joined_at: datetime | None = None
    author_published_count: int = 0
    author_is_trusted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
