from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


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


class ProfilePatch(Schema):
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


class ConsentIn(Schema):
    granted: list[str]


class TokenIn(Schema):
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
