"""Time-based one-time passwords (RFC 6238 over RFC 4226), as an authenticator app makes
them, so a journey can turn on two-step verification and log in with it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

PERIOD = 30
DIGITS = 6


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def totp_now(secret: str, *, margin: float = 3.0) -> str:
    """The code for the current period. The server accepts the current period only, so
    when fewer than ``margin`` seconds of it remain, wait for the next one."""
    remaining = PERIOD - time.time() % PERIOD
    if remaining < margin:
        time.sleep(remaining + 0.05)
    return hotp(secret, int(time.time()) // PERIOD)
