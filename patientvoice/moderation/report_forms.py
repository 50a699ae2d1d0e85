"""The transparency report's period: half-years, and any range a visitor chooses
(``?from=YYYY-MM-DD&to=YYYY-MM-DD``, both days included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

# A chosen range covers at most three years (one leap day included): longer ones would
# make one request count and stream everything ever decided.
MAX_RANGE_DAYS = 3 * 365 + 1
# Dates the report can be asked about at all (the day after ``to`` must still exist).
EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    """``first`` to ``last``, both days included, in the site's time zone."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime:
        """The moment the period ends (midnight after its last day): the report counts
        ``start <= time < end``."""
        return _midnight(self.last + timedelta(days=1))

    @property
    def is_half_year(self) -> bool:
        return self == half_year_of(self.first)

    @property
    def half(self) -> int:
        """1 for January–June, 2 for July–December (meaningful for half-years)."""
        return 1 if self.first.month < 7 else 2

    def query(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    def cache_key(self) -> str:
        return f"{self.first.isoformat()}:{self.last.isoformat()}"

    def before(self) -> Period:
        """The half-year before this half-year."""
        return half_year_of(self.first - timedelta(days=1))


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def half_year_of(day: date) -> Period:
    """The half-year (1 January–30 June or 1 July–31 December) ``day`` falls in."""
    if day.month < 7:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30))
    return Period(date(day.year, 7, 1), date(day.year, 12, 31))


def current_half_year() -> Period:
    return half_year_of(timezone.localdate())


def half_years_since(first_day: date | None, *, limit: int = 20) -> list[Period]:
    """The current half-year and those before it, back to the one ``first_day`` falls
    in (newest first, at most ``limit``)."""
    period = current_half_year()
    periods = [period]
    if first_day is None:
        return periods
    oldest = half_year_of(min(first_day, timezone.localdate()))
    while period != oldest and len(periods) < limit:
        period = period.before()
        periods.append(period)
    return periods


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": pgettext_lazy("transparency form", "Enter a date as YYYY-MM-DD.")
        },
    )


class TransparencyRangeForm(forms.Form):
    """``from`` and ``to`` (Python keywords, hence added in ``__init__``): both or
    neither (the current half-year)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = _date_field(pgettext_lazy("transparency form", "From"))
        self.fields["to"] = _date_field(pgettext_lazy("transparency form", "To (included)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from"), data.get("to")
        for name, day in (("from", first), ("to", last)):
            if day is not None and not (EARLIEST <= day <= LATEST):
                self.add_error(
                    name,
                    pgettext("transparency form", "Choose a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
                )
        if self.errors:
            return data
        if (first is None) != (last is None):
            missing = "to" if last is None else "from"
            self.add_error(
                missing, pgettext("transparency form", "Give both the first and the last day.")
            )
        elif first is not None and last is not None:
            if first > last:
                self.add_error(
                    "to",
                    pgettext("transparency form", "The last day must not be before the first."),
                )
            elif (last - first).days + 1 > MAX_RANGE_DAYS:
                self.add_error(
                    "to",
                    pgettext("transparency form", "Choose a period of at most three years."),
                )
        return data

    def period(self) -> Period:
        """The chosen period (the current half-year when none was chosen). Call after
        ``is_valid()``."""
        first, last = self.cleaned_data.get("from"), self.cleaned_data.get("to")
        if first is None or last is None:
            return current_half_year()
        return Period(first, last)
