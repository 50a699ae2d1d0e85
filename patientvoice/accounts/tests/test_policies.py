"""A published policy version is what people consented to: its text never changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

POLICIES = Path(__file__).resolve().parent.parent / "policies"

# The texts of every published version, as first released. To change wording,
# publish a new version (a new file and a data migration): people are asked again.
PUBLISHED = {
    "privacy_v1.en.md": "107f3c9334b807142cf843c76e3dbae68bd2fa976aa9627476479812b2c0f820",
    "privacy_v1.summary.en.md": "1df1b53730f6e38d0fec073a3db3fa3d6640f5dc6d6124961eb95779296466cc",
    "privacy_v1.summary.sv.md": "fbc360142b816b1f4664a9565b459f5f3ffcd0de22b605774f9430e867de309b",
    "privacy_v1.sv.md": "0a1c729293bedc79e65620a5b598b003218d6dfb83ec782e705d492f5fa8ba51",
    "terms_v1.en.md": "269e368a45faa6fbea15c024f7796417bd227f94888672885bc03e95705e41a2",
    "terms_v1.summary.en.md": "cb5e79d0a56ec061771832b6d53e8748addd9efcf024e223ace05ac5fa8da2f6",
    "terms_v1.summary.sv.md": "5ec4fd63b092655895cdaa3c882d123201b2c85d451495bf49a1facd9584e54f",
    "terms_v1.sv.md": "fcba977b9b08aa6759a73375d8fdb37b4540220c9cc093ae9a2a7a3ffa583639",
}


@pytest.mark.parametrize(("name", "digest"), sorted(PUBLISHED.items()))
def test_a_published_policy_text_is_never_edited(name: str, digest: str) -> None:
    text = (POLICIES / name).read_bytes()

    assert hashlib.sha256(text).hexdigest() == digest, (
        f"{name} changed after it was published. Restore it and publish a new version."
    )


def test_every_policy_file_is_a_published_version() -> None:
    on_disk = {p.name for p in POLICIES.glob("*.md")}

    assert on_disk == set(PUBLISHED)
