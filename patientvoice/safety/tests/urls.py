"""The project's URLs with the safety pages, for the safety tests, until the root
URLconf includes them (then this adds nothing)."""

from collections.abc import Sequence

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path

from patientvoice import urls as root

handler400 = root.handler400
handler403 = root.handler403
handler404 = root.handler404
handler500 = root.handler500


def _has_safety(patterns: Sequence[object]) -> bool:
    return any(
        isinstance(pattern, URLResolver)
        and (pattern.namespace == "safety" or _has_safety(pattern.url_patterns))
        for pattern in patterns
    )


urlpatterns = list(root.urlpatterns)
if not _has_safety(urlpatterns):
    urlpatterns += i18n_patterns(
        path("safety/", include("patientvoice.safety.urls")), prefix_default_language=True
    )
