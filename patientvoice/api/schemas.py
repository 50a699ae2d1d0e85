from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from ninja.params.functions import Path
from pydantic import Field, field_validator


class InputSchema(Schema):
    """Base of every request body: text with a NUL character is refused (422), because
    PostgreSQL cannot store one and would answer 500."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("Text cannot contain NUL characters.")
        return value


class ErrorDetail(Schema):
    code: str
    message: str
    details: list[object] = []


class ErrorOut(Schema):
    error: ErrorDetail


class MeOut(Schema):
    public_id: UUID
    handle: str
    email: str
    bio: str
    presence: str
    preferred_language: str
    profile_audience: str
    date_joined: datetime
    has_mfa: bool


class ProfileOut(Schema):
    handle: str
    bio: str
    presence: str


class ProfilePatch(InputSchema):
    bio: str | None = Field(default=None, max_length=500)
    presence: str | None = None
    preferred_language: str | None = None
    profile_audience: str | None = None


class ConsentOut(Schema):
    purpose: str
    label: str
    required: bool
    granted: bool
    policy_version: int | None
    at: datetime | None


class ConsentIn(InputSchema):
    granted: list[str]


class TokenIn(InputSchema):
    name: str = Field(min_length=1, max_length=80)
    scope: str = "read"
    lifetime_days: int = Field(default=90, ge=1, le=365)


class TokenOut(Schema):
    public_id: UUID
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


# A slug in an address, as Django's <slug:> converter takes it: anything else (a NUL
# byte, say) is 422, never a database error.
SLUG = Path(..., pattern=r"^[-a-zA-Z0-9_]+$")
