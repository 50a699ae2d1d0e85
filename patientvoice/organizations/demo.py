"""Demo logos for ``seed_demo``: drawn with Pillow at seed time (nothing binary in the
repository) and stored through the same pipeline as an upload."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from patientvoice.core.images import LOGO, process_image

from . import actions
from .models import Organization

# Colours with enough contrast for white initials (WCAG AA for large text).
_COLOURS = ["#1f5f8b", "#8a3b12", "#2e6b3a", "#5b3f8c", "#7a1f4f"]


def draw_logo(initials: str, colour: str, size: int = 256) -> bytes:
    """A round badge with the organisation's initials, as PNG bytes."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=colour)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(size=size // 3)
    except (OSError, ValueError):  # a Pillow without FreeType: the small bitmap font
        font = ImageFont.load_default()
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _initials(name: str) -> str:
    words = [w for w in name.replace("–", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "PV"


def seed_demo_logos(organizations: dict[str, Organization]) -> None:
    """Give each demo organisation without a logo a drawn one. Idempotent."""
    for n, organization in enumerate(organizations.values()):
        if organization.logo:
            continue
        picture = draw_logo(_initials(organization.name), _COLOURS[n % len(_COLOURS)])
        actions.set_organization_logo(
            actor=None, organization=organization, image=process_image(picture, spec=LOGO)
        )
