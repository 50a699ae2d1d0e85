"""Pages for questions to a sponsor's medical information service (decisions/0038):
the private form on a sponsor's behalf and the asker's own list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from patientvoice.accounts.permissions import signed_in_user

from . import medical_information
from .medical_information import QuestionRefused
from .models import Organization
from .sponsor_forms import MedicalInformationForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask a sponsor's service privately. 404 for an organisation that takes no
    questions; a refusal comes back with its reason and what was typed (400, 403,
    429)."""
    sponsor = get_object_or_404(Organization, slug=slug)
    if not medical_information.takes_questions(sponsor):
        raise Http404
    user = signed_in_user(request)
    form = MedicalInformationForm(request.POST if request.method == "POST" else None)
    status = 200
    refusal = ""
    try:
        medical_information.check_can_ask(user, sponsor)
    except QuestionRefused as refused:
        refusal, status = str(refused), refused.status
    if request.method == "POST" and not refusal:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                medical_information.ask_medical_information(
                    asker=user,
                    sponsor=sponsor,
                    medicine=data["medicine"],
                    question=data["question"],
                    consent=data["consent"],
                    language=get_language() or "sv",
                )
            except QuestionRefused as refused:
                form.add_error(refused.field, str(refused))
                status = refused.status
            else:
                messages.success(
                    request,
                    pgettext(
                        "medical information",
                        "Your question is sent to %(sponsor)s's medical information service. "
                        "It answers you by e-mail.",
                    )
                    % {"sponsor": sponsor.name},
                )
                return redirect("organizations:medical_information_mine")
    return render(
        request,
        "organizations/medical_information_ask.html",
        {"sponsor": sponsor, "form": form, "refusal": refusal},
        status=status,
    )


@never_cache
@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The questions the person sent, newest first."""
    user = signed_in_user(request)
    return render(
        request,
        "organizations/medical_information_mine.html",
        {"requests": list(medical_information.own_requests(user)[:100])},
    )
