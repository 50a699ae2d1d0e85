"""Which video container a file's first bytes show (decisions/0042), before any parser
sees the file: an MP4 or QuickTime ``ftyp`` box with a known brand, or a WebM EBML
header whose DocType is ``webm``. HTML, scripts, pictures, ZIP files and polyglots that
do not start with a container header are ``None``. Pure functions over bytes, used by
:func:`patientvoice.core.video.process_video`."""

from __future__ import annotations

from typing import Literal

# ISO base media (MP4) and QuickTime brands of phones, cameras and browsers. A file is
# accepted when its major brand or one of its compatible brands is one of these.
MP4_BRANDS = frozenset([*b"isom iso2 iso4 iso5 iso6 mp41 mp42 avc1 dash".split(), b"M4V ", b"qt  "])
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_EBML_DOCTYPE = 0x4282


def _is_mp4(head: bytes) -> bool:
    """An ``ftyp`` box first, with a known major or compatible brand."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[0:4], "big")
    if size < 16 or size > len(head) or size % 4:
        return False
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, size, 4)]
    return any(brand in MP4_BRANDS for brand in brands)


def _vint(data: bytes, pos: int, *, marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``pos``: (value, position after it)."""
    if pos >= len(data) or data[pos] == 0:
        raise ValueError("not an EBML integer")
    length = 9 - data[pos].bit_length()
    if pos + length > len(data):
        raise ValueError("EBML integer runs past the header")
    value = data[pos] if marker else data[pos] & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, pos + length


def _is_webm(head: bytes) -> bool:
    """An EBML header first, whose DocType is ``webm`` (not Matroska in general)."""
    if not head.startswith(_EBML_MAGIC):
        return False
    try:
        size, pos = _vint(head, len(_EBML_MAGIC), marker=False)
        end = pos + size
        if size > 256 or end > len(head):
            return False
        while pos < end:
            element, pos = _vint(head, pos, marker=True)
            length, pos = _vint(head, pos, marker=False)
            if pos + length > end:
                return False
            if element == _EBML_DOCTYPE:
                return head[pos : pos + length].rstrip(b"\0") == b"webm"
            pos += length
    except ValueError:
        return False
    return False


def sniff(head: bytes) -> Literal["mp4", "webm"] | None:
    """The container family the first bytes of a file show, or None."""
    if _is_mp4(head):
        return "mp4"
    if _is_webm(head):
        return "webm"
    return None
