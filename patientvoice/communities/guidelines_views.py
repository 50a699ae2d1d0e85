"""Editing a community's guidelines on a page (not only in the Django admin).

Who: the hosting organisation's administrators and moderators with their powers
active, and acting site staff (``organizations.permissions.check_edit_guidelines``,
through ``organizations.queries.access_guidelines_for_editing``). Everyone else gets
404 when they may not know the community exists (a private one), else 403. The form
is ``organizations.forms.GuidelinesForm``. Publishing goes through
``communities.actions.publish_guidelines``: every change is a new, numbered version
that members accept again; the same text again publishes nothing, and the page says
so.

Kept apart from ``communities/views.py`` (owned by the communities work); it may move
there later unchanged.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.markup import render_markdown
from patientvoice.organizations.forms import GuidelinesForm
from patientvoice.organizations.queries import access_guidelines_for_editing

from . import actions


@login_required
@require_http_methods(["GET", "POST"])
def guidelines_edit(request: HttpRequest, slug: str) -> HttpResponse:
    guidelines = access_guidelines_for_editing(request.user, slug)
    community, versions, current = guidelines.community, guidelines.versions, guidelines.current
    form = GuidelinesForm(
        request.POST if request.method == "POST" else None,
        initial={"body": current.body if current else ""},
    )
    preview_html = ""
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if "preview" in request.POST:
            # Rendered by the one Markdown module, exactly as it will be published.
            preview_html = render_markdown(body)
        else:
            published = actions.publish_guidelines(
                actor=signed_in_user(request), community=community, body=body
            )
            if current is not None and published.pk == current.pk:
                messages.info(
                    request,
                    pgettext(
                        "guidelines form",
                        "The text is the same as the current version, so nothing was "
                        "published and nobody is asked to accept it again.",
                    ),
                )
            else:
                messages.success(
                    request,
                    pgettext(
                        "guidelines form",
                        "Version %(version)s is published. Members accept it before they "
                        "next post.",
                    )
                    % {"version": published.version},
                )
            return redirect("communities:guidelines_edit", slug=community.slug)
    return render(
        request,
        "communities/guidelines_edit.html",
        {
            "community": community,
            "form": form,
            "current": current,
            "versions": versions,
            "preview_html": preview_html,
        },
        status=400 if form.errors else 200,
    )
