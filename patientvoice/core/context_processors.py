from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_URL": settings.SITE_URL,
        "MINIMUM_AGE": settings.PV_MINIMUM_AGE,
        "OPERATOR_NAME": settings.PV_OPERATOR_NAME,
        "CONTACT_EMAIL": settings.PV_CONTACT_EMAIL,
        "PRIVACY_EMAIL": settings.PV_PRIVACY_EMAIL,
        "SECURITY_EMAIL": settings.PV_SECURITY_EMAIL,
    }
