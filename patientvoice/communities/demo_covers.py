"""Demo cover images and a demo invitation link for ``seed_demo``. The pictures are
drawn with Pillow at seed time (nothing binary in the repository) and stored through
the same pipeline as an upload; everything is written through the actions and is
idempotent (run it twice, nothing changes)."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from PIL import Image, ImageDraw

from patientvoice.core.images import COVER, process_image

from . import actions
from .models import Community, Invitation

# (community slug, the banner's two colours): calm colours, no text (a cover is
# decorative and shown with empty alt text).
COVERS = [
    ("reumatoid-artrit", "#1f5f8b", "#8fc1e3"),
    ("breast-cancer", "#7a1f4f", "#f2b8d0"),
]
# The private demo community that gets an open invitation link.
INVITATION_COMMUNITY = "caregivers-circle"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def draw_cover(start: str, end: str, width: int = 1600, height: int = 800) -> bytes:
    """A soft diagonal gradient with a few circles, as PNG bytes."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    a, b = _rgb(start), _rgb(end)
    for x in range(width):
        t = x / (width - 1)
        draw.line(
            [(x, 0), (x, height)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))
        )
    for n, radius in enumerate((height // 2, height // 3, height // 5)):
        cx, cy = width * (0.25 + 0.25 * n), height * (0.7 - 0.2 * n)
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius), outline=(255, 255, 255), width=6
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_demo_covers(communities: dict[str, Community]) -> None:
    """Give the demo communities in ``COVERS`` a drawn cover, unless they have one."""
    for slug, start, end in COVERS:
        community = communities.get(slug)
        if community is None or community.cover:
            continue
        actions.update_community_settings(
            actor=None,
            community=community,
            fields={},
            cover=process_image(draw_cover(start, end), spec=COVER),
        )


def demo_invitation_token(community: Community) -> str:
    """The demo link's token: derived from SECRET_KEY, so ``seed_demo`` finds (and
    prints) the same link every time, and nobody can guess it without the key."""
    return salted_hmac(
        "patientvoice.communities.demo_invitation", community.slug, algorithm="sha256"
    ).hexdigest()


def seed_demo_invitation(communities: dict[str, Community]) -> str:
    """An open invitation link (90 days, 100 uses) to the private demo community.
    Returns its path under /en/, or "" when the demo has no such community, or its link
    is used up or expired."""
    community = communities.get(INVITATION_COMMUNITY)
    if community is None:
        return ""
    token = demo_invitation_token(community)
    found = Invitation.objects.filter(token_hash=Invitation.hash_token(token)).first()
    if found is None:
        actions.create_invitation(
            actor=None, community=community, days=Invitation.MAX_DAYS, max_uses=100, token=token
        )
    elif not found.is_open(timezone.now()):
        return ""
    with translation.override("en"):
        return reverse("communities:invite", kwargs={"slug": community.slug, "token": token})
