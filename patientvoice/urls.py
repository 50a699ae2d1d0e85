from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from patientvoice.api import views as api_views
from patientvoice.api.urls import api
from patientvoice.core import views as core_views
from patientvoice.core.images import local_media_urlpatterns

# Pages live under a language prefix (/sv/, /en/): a link always opens in the
# language it was shared in, and search engines see one language per URL
# (docs/decisions/0003-language-in-url.md). The API and health check have none.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg")),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
]
# Uploaded pictures from var/media/ in the local profile only (production: object storage).
urlpatterns += local_media_urlpatterns()

urlpatterns += i18n_patterns(
    path("", include("patientvoice.core.urls")),
    path("account/", include("patientvoice.accounts.urls")),
    path("account/tokens/", api_views.token_list, name="api_tokens"),
    path(
        "account/tokens/<uuid:public_id>/revoke/", api_views.token_revoke, name="api_token_revoke"
    ),
    path("", include("patientvoice.notifications.urls")),
    path("account/", include("allauth.urls")),
    path("", include("patientvoice.communities.urls")),
    path("organisations/", include("patientvoice.organizations.urls")),
    path("", include("patientvoice.directory.urls")),
    path("reviews/", include("patientvoice.reviews.urls")),
    path("professionals/", include("patientvoice.professionals.urls")),
    path("notes/", include("patientvoice.expertnotes.urls")),
    path("search/", include("patientvoice.search.urls")),
    path("moderation/", include("patientvoice.moderation.urls")),
    path("safety/", include("patientvoice.safety.urls")),
    path("stories/", include("patientvoice.stories.urls")),
    path("campaigns/", include("patientvoice.campaigns.urls")),
    path("staff/admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "patientvoice.core.views.bad_request"
handler403 = "patientvoice.core.views.permission_denied"
handler404 = "patientvoice.core.views.page_not_found"
handler500 = "patientvoice.core.views.server_error"
