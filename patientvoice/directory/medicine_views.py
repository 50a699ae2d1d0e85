"""The medicine pages (the searchable list and a medicine's page) and the form where
members suggest a missing medicine, clinic or physician. Directory entries are public
reference data: anyone may read them; inactive ones answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_safe

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.queries import tagged_threads
from patientvoice.core.fragments import CSRF_SLOT, csrf_pieces
from patientvoice.reviews.views import entry_reviews

from . import actions, medicine_page
from .errors import DirectoryError, SuggestionLimit
from .forms import SuggestionForm
from .medicine_page import DISCUSSIONS_ON_MEDICINE_PAGE, MEDICINE_PAGES
from .models import Medicine, MedicineForm, SuggestionKind
from .queries import active_medicine, medicine_name, search_medicines

ENTRIES_PER_PAGE = 25
# Läkemedelsverket's page for reporting a suspected side effect (patients and
# professionals alike).
SIDE_EFFECT_REPORT_URL = "https://www.lakemedelsverket.se/rapportera-biverkningar"


def _listing(medicine: Medicine, language: str) -> dict[str, object]:
    return {"medicine": medicine, "name": medicine_name(medicine, language)}


@require_safe
def medicine_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    language = get_language() or "sv"
    page = Paginator(search_medicines(q=q), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/medicine_list.html",
        {
            "q": q,
            "page": page,
            "rows": [_listing(m, language) for m in page.object_list],
            "query_string": urlencode({"q": q}) if q else "",
        },
    )


@require_safe
def medicine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A medicine's page: its facts, official information, ratings and discussions.
    Remembered per state (``medicine_page``): a request whose state was seen before
    is answered from the memo without building the page."""
    try:
        key = medicine_page.page_key(request, slug)
    except medicine_page.Missing:
        raise Http404 from None
    if key is not None and (pieces := MEDICINE_PAGES.get(key)) is not None:
        return medicine_page.respond(request, pieces)
    medicine = active_medicine(slug)
    if medicine is None:
        raise Http404
    context = _detail_context(request, medicine)
    if key is None:
        return render(request, MEDICINE_TEMPLATE, context)
    html = render_to_string(MEDICINE_TEMPLATE, {**context, "csrf_token": CSRF_SLOT}, request)
    pieces = csrf_pieces(html)
    MEDICINE_PAGES.put(key, pieces)
    return medicine_page.respond(request, pieces)


MEDICINE_TEMPLATE = "directory/medicine_detail.html"


def _detail_context(request: HttpRequest, medicine: Medicine) -> dict[str, object]:
    language = get_language() or "sv"
    name = medicine_name(medicine, language)
    other = medicine.name_sv if name != medicine.name_sv else medicine.inn_en
    synonyms = medicine.synonyms_en if language.startswith("en") else medicine.synonyms_sv
    return {
        "medicine": medicine,
        "name": name,
        "other_name": other if other and other != name else "",
        "synonyms": list(synonyms or []),
        "form_labels": _form_labels(medicine),
        "fass_link": medicine.fass_link(),
        "side_effect_report_url": SIDE_EFFECT_REPORT_URL,
        # Through the visibility rule (communities.queries.tagged_threads).
        "discussions": list(tagged_threads(request.user, medicine)[:DISCUSSIONS_ON_MEDICINE_PAGE]),
        # Summary, reviews and the reader's own review (reviews.views.entry_reviews).
        "reviews": entry_reviews(request, medicine),
    }


def _form_labels(medicine: Medicine) -> list[str]:
    labels = dict(MedicineForm.choices)
    return [str(labels.get(f, f)) for f in medicine.forms or []]


@login_required
@require_http_methods(["GET", "POST"])
def suggest_entry(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = SuggestionForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.suggest_entry(
                    user=signed_in_user(request),
                    kind=data["kind"],
                    name=data["name"],
                    details=data["details"],
                )
            except SuggestionLimit as error:
                form.add_error(None, str(error))
                status = 429
            except DirectoryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    pgettext(
                        "suggestion form",
                        "Thank you! We have received your suggestion. Staff check it before it is "
                        "added to the directory.",
                    ),
                )
                return redirect("directory:suggest")
    else:
        kind = request.GET.get("kind", "")
        form = SuggestionForm(initial={"kind": kind if kind in SuggestionKind.values else ""})
    return render(request, "directory/suggest_entry.html", {"form": form}, status=status)
