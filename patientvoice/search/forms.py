from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.communities.models import Community
from patientvoice.communities.permissions import visible_communities
from patientvoice.directory.queries import name_sort_key

from .queries import NEWEST, RELEVANCE, SearchParams
from .registry import kinds

MAX_QUERY_LENGTH = 200
PER_PAGE = 20
# The window holds at most 300 results: 15 pages of 20.
MAX_PAGE = 15
# A member of more communities than this picks the rest from a community's own page.
MAX_OFFERED_COMMUNITIES = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("search form", "Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    community = forms.ChoiceField(
        label=pgettext_lazy("search form", "Community"),
        required=False,
        error_messages={
            "invalid_choice": pgettext_lazy(
                "search form", "There is no community at that address. Search them all instead."
            )
        },
    )
    kind = forms.ChoiceField(label=pgettext_lazy("search form", "Kind"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("search form", "From date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": pgettext_lazy("search form", "Enter a date as YYYY-MM-DD.")},
    )
    until = forms.DateField(
        label=pgettext_lazy("search form", "To date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": pgettext_lazy("search form", "Enter a date as YYYY-MM-DD.")},
    )
    order = forms.ChoiceField(
        label=pgettext_lazy("search form", "Order"),
        required=False,
        choices=[
            (RELEVANCE, pgettext_lazy("search order", "Best match")),
            (NEWEST, pgettext_lazy("search order", "Newest first")),
        ],
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the communities the person belongs to (a short list) and the one
        # asked for. Every public community would be thousands of options: a list
        # nobody can use on a phone, and the page's slowest part. Any community the
        # person may know of can still be asked for by its slug (the community page's
        # search box does); a private community's slug is "not a valid choice",
        # exactly like a slug that does not exist.
        asked = str(self.data.get("community") or "") if self.is_bound else ""
        offered = Community.objects.none()
        if getattr(user, "is_authenticated", False):
            offered = Community.objects.filter(memberships__user=user).order_by("name")[
                :MAX_OFFERED_COMMUNITIES
            ]
        self.community_ids: dict[str, int] = {}
        choices: list[tuple[str, Any]] = [("", pgettext_lazy("search form", "All communities"))]
        rows = list(offered.values_list("pk", "slug", "name"))
        if asked and asked not in {slug for _, slug, _ in rows}:
            # A members-only community's name is public: searching it finds nothing a
            # visitor may not read (every result passes the visibility rule), which
            # is better than refusing a shared link. A private one does not exist here.
            known = visible_communities(user, Community.objects.filter(slug=asked))
            rows = list(known.values_list("pk", "slug", "name")) + rows
        for pk, slug, name in rows:
            self.community_ids[slug] = pk
            choices.append((slug, name))
        cast(forms.ChoiceField, self.fields["community"]).choices = choices
        # Kinds register from their apps in any order: list them by name.
        registered = sorted(kinds().items(), key=lambda item: name_sort_key(str(item[1].name)))
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", pgettext_lazy("search form", "Everything"))
        ] + [(label, kind.name) for label, kind in registered]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error(
                "until", pgettext("search form", "The end date must not be before the start date.")
            )
        return data

    def params(self, per_page: int = PER_PAGE) -> SearchParams:
        data = self.cleaned_data
        return SearchParams(
            q=data.get("q") or "",
            community_id=self.community_ids.get(data.get("community") or ""),
            kind=data.get("kind") or None,
            since=data.get("since"),
            until=data.get("until"),
            order=data.get("order") or RELEVANCE,
            offset=((data.get("page") or 1) - 1) * per_page,
            limit=per_page,
        )
