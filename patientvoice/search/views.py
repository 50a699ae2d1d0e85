from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import SearchForm
from .queries import EMPTY, search


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """The search page: a GET form that works without JavaScript. Bad input (a
    malformed date, a community the person may not read) is a 400 with the form and
    its messages, never a server error."""
    form = SearchForm(request.GET or None, user=request.user)
    results, status, searched = EMPTY, 200, False
    if form.is_bound:
        if form.is_valid():
            params = form.params()
            searched = bool(params.q.strip())
            if searched:
                results = search(request.user, params)
        else:
            status = 400
    context = {"form": form, "results": results, "searched": searched}
    return render(request, "search/search.html", context, status=status)
