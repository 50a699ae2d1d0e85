"""The current user, their profile, consents, tokens and data export."""

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, pgettext
from ninja import Router, Status

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import (
    REQUIRED_PURPOSES,
    Audience,
    ConsentPurpose,
    Presence,
    User,
)
from patientvoice.accounts.permissions import (
    check_view_profile,
    has_mfa,
    recently_authenticated,
    signed_in_user,
)
from patientvoice.accounts.queries import consent_state, person_by_handle

from .. import actions
from ..auth import ActiveSessionAuth, optional_auth, token_or_session
from ..errors import ApiError
from ..models import PersonalAccessToken, TokenScope
from ..schemas import (
    ConsentIn,
    ConsentOut,
    ErrorOut,
    MeOut,
    ProfileOut,
    ProfilePatch,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["accounts"])


def _me_out(user: User) -> dict[str, Any]:
    return {
        "public_id": user.public_id,
        "handle": user.handle,
        "email": user.email,
        "bio": user.bio,
        "presence": user.presence,
        "preferred_language": user.preferred_language,
        "profile_audience": user.profile_audience,
        "date_joined": user.date_joined,
        "has_mfa": has_mfa(user),
    }


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=token_or_session)
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person. The only place the API returns an e-mail address."""
    return _me_out(signed_in_user(request))


@router.patch("/me", response={200: MeOut, 401: ErrorOut, 422: ErrorOut}, auth=token_or_session)
def update_me(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    user = signed_in_user(request)
    try:
        body_is_object = isinstance(json.loads(request.body or b"{}"), dict)
    except ValueError:
        body_is_object = False
    if not body_is_object:
        raise ApiError(
            422,
            "invalid",
            pgettext("api error", "The request is not valid. See details."),
            [{"loc": ["body"], "msg": "a JSON object"}],
        )
    choices = {
        "presence": Presence.values,
        "preferred_language": [code for code, _ in settings.LANGUAGES],
        "profile_audience": Audience.values,
    }
    data = payload.dict(exclude_none=True)
    for field, allowed in choices.items():
        if field in data and data[field] not in allowed:
            raise ApiError(
                422,
                "invalid",
                pgettext("api error", "The request is not valid. See details."),
                [{"loc": ["body", field], "msg": f"one of {sorted(allowed)}"}],
            )
    account_actions.update_profile(
        user=user,
        bio=data.get("bio", user.bio),
        presence=data.get("presence", user.presence),
        preferred_language=data.get("preferred_language", user.preferred_language),
        profile_audience=data.get("profile_audience", user.profile_audience),
    )
    return _me_out(user)


@router.get("/profiles/{handle}", response={200: ProfileOut, 404: ErrorOut}, auth=optional_auth)
def profile(request: HttpRequest, handle: str) -> User:
    user = person_by_handle(handle)
    if user is None:
        raise Http404
    check_view_profile(request.user, user)
    return user


def _consents(user: User) -> list[dict[str, Any]]:
    state = consent_state(user)
    out = []
    for purpose in ConsentPurpose:
        record = state.get(purpose.value)
        out.append(
            {
                "purpose": purpose.value,
                "label": str(purpose.label),
                "required": purpose in REQUIRED_PURPOSES,
                "granted": bool(record and record.granted),
                "policy_version": record.policy.version if record else None,
                "at": record.at if record else None,
            }
        )
    return out


@router.get("/me/consents", response={200: list[ConsentOut], 401: ErrorOut}, auth=token_or_session)
def consents(request: HttpRequest) -> list[dict[str, Any]]:
    return _consents(signed_in_user(request))


@router.put(
    "/me/consents", response={200: list[ConsentOut], 401: ErrorOut, 422: ErrorOut},
    auth=token_or_session,
)  # fmt: skip
def set_consents(request: HttpRequest, payload: ConsentIn) -> list[dict[str, Any]]:
    """Set optional consents. The required consent cannot be withdrawn through the
    API: closing an account needs the explanation on the consent page."""
    user = signed_in_user(request)
    granted = set(payload.granted)
    unknown = granted - set(ConsentPurpose.values)
    if unknown or not granted >= REQUIRED_PURPOSES:
        raise ApiError(
            422,
            "invalid",
            pgettext(
                "api error",
                "Unknown purpose, or a required consent is missing. To withdraw a "
                "required consent, use the consent page.",
            ),
            sorted(unknown),
        )
    account_actions.record_consents(user=user, granted=granted, language=get_language() or "sv")
    return _consents(user)


@router.get("/me/export", response={200: dict[str, Any], 401: ErrorOut}, auth=token_or_session)
def export(request: HttpRequest) -> dict[str, Any]:
    """The complete data export, the same archive as "Download my data"."""
    return build_export(signed_in_user(request))


# Tokens are managed with the browser session only: a leaked token must not be able
# to mint more tokens.
@router.get("/me/tokens", response={200: list[TokenOut], 401: ErrorOut}, auth=ActiveSessionAuth())
def list_tokens(request: HttpRequest) -> Any:
    return PersonalAccessToken.objects.filter(user=signed_in_user(request))


@router.post(
    "/me/tokens", response={201: TokenCreatedOut, 401: ErrorOut, 422: ErrorOut},
    auth=ActiveSessionAuth(),
)  # fmt: skip
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Create a token. Needs a login (or password confirmation) in the last five
    minutes: a stolen session alone must not mint a long-lived credential."""
    if not recently_authenticated(request):
        raise ApiError(
            403,
            "reauthentication_required",
            pgettext(
                "api error",
                "Confirm your password first: open Access tokens under My account.",
            ),
        )
    if payload.scope not in TokenScope.values:
        raise ApiError(
            422, "invalid", pgettext("api error", "The request is not valid. See details."),
            [{"loc": ["body", "scope"], "msg": f"one of {TokenScope.values}"}],
        )  # fmt: skip
    token, raw = actions.create_token(
        user=signed_in_user(request), name=payload.name, scope=payload.scope,
        lifetime_days=payload.lifetime_days,
    )  # fmt: skip
    out = TokenOut.from_orm(token).dict()
    out["token"] = raw
    return Status(201, out)


@router.delete(
    "/me/tokens/{public_id}", response={204: None, 401: ErrorOut, 404: ErrorOut},
    auth=ActiveSessionAuth(),
)  # fmt: skip
def revoke_token(request: HttpRequest, public_id: str) -> Status[None]:
    user = signed_in_user(request)
    token = get_object_or_404(PersonalAccessToken, user=user, public_id=public_id)
    actions.revoke_token(user=user, token=token)
    return Status(204, None)
