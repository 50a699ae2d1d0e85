"""The HTTP API under /api/v1/. Each domain adds a thin router here."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI, Swagger

from . import errors
from .routers.accounts import router as accounts_router
from .routers.advisers import router as advisers_router
from .routers.campaigns import router as campaigns_router
from .routers.communities import router as communities_router
from .routers.directory import router as directory_router
from .routers.expertnotes import router as expertnotes_router
from .routers.moderation import router as moderation_router
from .routers.notifications import router as notifications_router
from .routers.organizations import router as organizations_router
from .routers.professionals import router as professionals_router
from .routers.reviews import router as reviews_router
from .routers.reviews_provider import router as reviews_provider_router
from .routers.safety import router as safety_router
from .routers.search import router as search_router
from .routers.stories import router as stories_router
from .throttling import PersonRateThrottle, VisitorRateThrottle

api = NinjaAPI(
    title="PatientVoice API",
    version="1",
    description=(
        "Read and write PatientVoice with your browser session or a personal access "
        "token (`Authorization: Bearer pv_…`). Every error has the shape "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    # No validator badge: it would make the browser call a third-party host.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
    throttle=[
        VisitorRateThrottle(settings.PV_API_RATE_ANON),
        PersonRateThrottle(settings.PV_API_RATE_USER),
    ],
)
errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/", communities_router)
api.add_router("/", directory_router)
api.add_router("/", reviews_router)
api.add_router("/", organizations_router)
api.add_router("/", notifications_router)
api.add_router("/", search_router)
api.add_router("/", moderation_router)
api.add_router("/", reviews_provider_router)
api.add_router("/", professionals_router)
api.add_router("/", advisers_router)
api.add_router("/", expertnotes_router)
api.add_router("/", safety_router)
api.add_router("/", stories_router)
api.add_router("/", campaigns_router)
