"""A community's settings page (``/c/<slug>/settings/``): name, description, teaser,
join questions, whether it takes requests, and its cover image.

Who: whoever moderates the community (its moderators, the hosting organisation's
administrators and moderators, with their powers active, and acting site staff:
``permissions.check_change_community_settings``); 404 for those who may not know a
private community exists, 403 for the others. Saved by one action,
``actions.update_community_settings`` (audited). A refused picture or a storage
failure comes back as a field error (400) with every other input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.images import ImageNotStored, storage_failed_message

from . import actions
from .forms import CommunitySettingsForm
from .models import Community
from .permissions import check_change_community_settings


@login_required
@require_http_methods(["GET", "POST"])
def community_settings(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(Community.objects.select_related("organization"), slug=slug)
    check_change_community_settings(request.user, community)
    posted = request.method == "POST"
    form = CommunitySettingsForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=CommunitySettingsForm.initial_from(community),
    )
    if posted and form.is_valid():
        try:
            actions.update_community_settings(
                actor=signed_in_user(request),
                community=community,
                fields=form.settings_fields(),
                cover=form.cleaned_data["cover"],
                remove_cover=form.cleaned_data["remove_cover"],
            )
        except ImageNotStored:
            # Nothing was saved (one transaction); the form comes back as it was sent.
            community.refresh_from_db()
            form.add_error("cover", storage_failed_message())
        else:
            messages.success(request, pgettext("community settings", "The settings are saved."))
            return redirect(community)
    return render(
        request,
        "communities/community_settings.html",
        {"community": community, "form": form},
        status=400 if form.errors else 200,
    )
