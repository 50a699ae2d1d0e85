"""The public transparency report: its numbers against a known set of decisions made
through the actions, the periods, range validation, language, the cache, and the CSV
export (its header, its rows, and no personal data)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from patientvoice.communities import actions as community_actions
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.moderation import actions
from patientvoice.moderation.models import Case, IllegalType, Report, ReportReason
from patientvoice.moderation.queries import CSV_HEADER
from patientvoice.moderation.report_forms import current_half_year, half_year_of
from patientvoice.moderation.report_views import Row, _bar, _table

from .factories import (
    PHONE_BODY,
    CommunityFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    community_moderator,
    flagged,
)

pytestmark = pytest.mark.django_db


def page_url(language: str = "en", /, **query: Any) -> str:
    with translation.override(language):
        url = reverse("moderation:transparency")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def export_url(language: str = "en", /, **query: Any) -> str:
    with translation.override(language):
        url = reverse("moderation:transparency_export")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


class ReportPage(HTMLParser):
    """What a reader of the report sees: each table's rows (label -> number as shown),
    the key figures (by ``data-figure``), links, and the bars' classes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, str]] = {}
        self.figures: dict[str, str] = {}
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.bars: list[str] = []
        self.hidden_tracks = 0
        self._table: str | None = None
        self._cell: str | None = None  # "th" (row label), "num" or "dd"
        self._label = ""
        self._text = ""
        self._figure = ""
        self._link: dict[str, str | None] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "table" and a.get("id", "").startswith("report-"):  # type: ignore[union-attr]
            self._table = str(a["id"])[len("report-") :]
            self.tables[self._table] = {}
        elif self._table and tag == "th" and a.get("scope") == "row":
            self._cell, self._text = "th", ""
        elif self._table and tag == "span" and "report-number" in classes:
            self._cell, self._text = "num", ""
        elif tag == "span" and "report-track" in classes:
            self.hidden_tracks += a.get("aria-hidden") == "true"
        elif tag == "span" and "report-bar" in classes:
            self.bars.extend(c for c in classes if c != "report-bar")
        elif tag == "dd" and a.get("data-figure"):
            self._cell, self._text, self._figure = "dd", "", str(a["data-figure"])
        elif tag == "a":
            self._link, self._text = a, ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "th" and self._cell == "th":
            self._label, self._cell = self._text.strip(), None
        elif tag == "span" and self._cell == "num" and self._table:
            self.tables[self._table][self._label] = self._text.strip()
            self._cell = None
        elif tag == "dd" and self._cell == "dd":
            self.figures[self._figure] = self._text.strip()
            self._cell = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._text.strip(), self._link))
            self._link = None


def read_page(response: Any) -> ReportPage:
    return ReportPage(response.content.decode())


def hide(moderator: Any, case: Case, **kwargs: Any) -> Any:
    kwargs.setdefault("reason_code", "community_guidelines")
    kwargs.setdefault("explanation", "Hurtful.")
    return actions.decide(moderator=moderator, case=case, action="hide", **kwargs)


@pytest.fixture
def known_decisions(thread, author, moderator, second_moderator, commit):
    """Four decisions of four kinds, one of each way of finding and deciding:
    a visitor's notice of defamation, removed on legal grounds and appealed (upheld);
    a spam flag hidden automatically; a post held by the automated checks and kept;
    a harassment flag, its author suspended."""
    noticed, spam, harassing = (PostFactory.create(thread=thread, author=author) for _ in "abc")
    held = commit(PostFactory.create, thread=thread, author=author, body=PHONE_BODY)
    actions.send_notice(
        name="Vera Visitor", email="vera@example.org", kind="post", obj=noticed,
        explanation="It names my neighbour as a thief.", illegal_type="defamation",
        good_faith=True,
    )  # fmt: skip
    removal = actions.decide(
        moderator=moderator, case=Case.objects.get(object_id=noticed.pk), action="remove",
        reason_code="illegal_content", explanation="Names a person as a criminal.",
    )  # fmt: skip
    actions.decide(
        moderator=None, case=flagged(spam, reason="spam"), action="hide", reason_code="spam",
        explanation="Same link everywhere.", automated=True,
    )  # fmt: skip
    actions.decide(
        moderator=moderator, case=Case.objects.get(object_id=held.pk), action="keep",
        reason_code="no_violation", explanation="A clinic's public number.",
    )  # fmt: skip
    actions.decide(
        moderator=moderator, case=flagged(harassing, reason="harassment"), action="suspend",
        reason_code="terms_conduct", explanation="Insults again.",
        suspension_until=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    appeal = actions.appeal(appellant=author, statement=removal.statement, text="It is true.")
    actions.decide_appeal(
        moderator=second_moderator, appeal=appeal, outcome="upheld", reason="Unproven claim."
    )


# --- the numbers --------------------------------------------------------------------------


@pytest.mark.usefixtures("known_decisions")
def test_the_report_counts_a_known_set_of_decisions(client):
    response = client.get(page_url())

    assert response.status_code == 200
    page = read_page(response)
    assert page.figures["notices"] == "1"
    assert page.figures["flags"] == "2"
    assert page.figures["decisions"] == "4"
    assert page.figures["legal"] == "1"
    assert page.figures["appeals"] == "1"
    assert page.tables["notices"]["Defamation"] == "1"
    assert page.tables["notices"]["Unlawful hate speech"] == "0"  # what did not happen too
    assert page.tables["flags"]["Spam or advertising"] == "1"
    assert page.tables["flags"]["Harassment or hate"] == "1"
    assert page.tables["trusted"] == {
        "Notices of illegal content": "0",
        "Reports from members": "0",
    }
    actions_taken = page.tables["actions"]
    assert actions_taken["Remove"] == actions_taken["Hide"] == actions_taken["Keep (no action)"]
    assert actions_taken["Suspend the member"] == "1"
    assert actions_taken["Ban the member"] == "0"
    assert page.tables["grounds"]["Illegal content under Swedish law"] == "1"
    assert page.tables["grounds"]["Spam"] == "1"
    assert page.tables["detection"] == {
        "Automated checks": "1",  # the held post
        "People (reports, notices, moderators)": "3",
    }
    assert page.tables["decided"] == {"Automatically": "1", "A moderator": "3"}
    assert page.tables["accounts"] == {
        "Warn the member": "0", "Suspend the member": "1", "Ban the member": "0",
    }  # fmt: skip
    assert page.tables["appeals"]["Decision upheld"] == "1"
    assert page.tables["appeals"]["Decision reversed"] == "0"


def test_a_trusted_flaggers_report_is_counted_as_theirs(post, staff, organization):
    from .factories import organization_staff

    flagger = organization_staff(organization)
    community_actions.join_community(user=flagger, community=post.community)
    actions.designate_trusted_flagger(actor=staff, organization=organization)
    flagged(post, by=flagger, reason="medical_misinformation")

    page = read_page(Client().get(page_url()))

    assert page.tables["trusted"]["Reports from members"] == "1"
    assert page.tables["flags"]["Dangerous or misleading medical information"] == "1"


def test_the_median_time_to_a_decision_is_written_the_way_each_language_writes_numbers(
    post, moderator
):
    case = flagged(post)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(hours=2.5))
    hide(moderator, case)

    english = read_page(Client().get(page_url("en"))).figures["median-action"]
    swedish = read_page(Client().get(page_url("sv"))).figures["median-action"]

    assert english == "2.5 hours"
    assert "2,5" in swedish  # a decimal comma
    assert "2.5" not in swedish


def test_an_empty_period_says_there_were_no_decisions(client):
    page = read_page(client.get(page_url()))

    assert page.figures["decisions"] == "0"
    assert page.figures["median-action"] == "No decisions in this period"
    assert set(page.bars) == {"report-bar-0"}  # no bar drawn for nothing


def test_bars_are_decoration_sized_by_class_relative_to_the_longest_row(post, moderator):
    hide(moderator, flagged(post))
    response = Client().get(page_url())
    page = read_page(response)
    html = response.content.decode()

    assert page.hidden_tracks == sum(len(rows) for rows in page.tables.values())
    assert "report-bar-100" in page.bars
    assert " style=" not in html  # CSP style-src 'self': no inline styles
    assert "<script>" not in html
    assert [_bar(n, 40) for n in (0, 1, 10, 39, 40)] == [0, 5, 25, 100, 100]
    table = _table("t", "Caption", "Heading", [("a", 3), ("b", 0), ("c", 6)])
    assert table.rows == [Row("a", 3, 50), Row("b", 0, 0), Row("c", 6, 100)]


# --- periods ------------------------------------------------------------------------------


def test_the_current_half_year_is_shown_first_with_links_to_earlier_ones(post):
    case = flagged(post)
    current = current_half_year()
    older = half_year_of(current.first - timedelta(days=200))
    Case.objects.filter(pk=case.pk).update(opened_at=older.start + timedelta(days=3))

    page = read_page(Client().get(page_url()))

    period_links = [a for _, a in page.links if "/transparency/?" in str(a.get("href"))]
    hrefs = [str(a["href"]) for a in period_links]
    assert len(hrefs) == 3  # the current half-year, the one between, the older one
    assert hrefs[0].endswith(f"from={current.first.isoformat()}&to={current.last.isoformat()}")
    assert hrefs[-1].endswith(f"from={older.first.isoformat()}&to={older.last.isoformat()}")
    assert period_links[0].get("aria-current") == "page"
    assert all(a.get("aria-current") is None for a in period_links[1:])


def test_a_half_year_link_shows_that_half_year(post, moderator):
    hide(moderator, flagged(post))
    earlier = current_half_year().before()

    response = Client().get(
        page_url(**{"from": earlier.first.isoformat(), "to": earlier.last.isoformat()})
    )

    assert response.status_code == 200
    page = read_page(response)
    assert page.figures["decisions"] == "0"  # the decision was made in this half-year
    months = "January–June" if earlier.half == 1 else "July–December"
    assert f"{months} {earlier.first.year}" in response.content.decode()


def test_a_chosen_range_counts_what_happened_in_it_both_days_included(post, moderator):
    hide(moderator, flagged(post))
    today = timezone.localdate()

    only_today = read_page(Client().get(page_url(**{"from": today, "to": today})))
    before = read_page(
        Client().get(
            page_url(**{"from": today - timedelta(days=365), "to": today - timedelta(days=1)})
        )
    )

    assert only_today.figures["decisions"] == "1"
    assert before.figures["decisions"] == "0"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-02-30", "to": "2026-03-01"}, "Enter a date as YYYY-MM-DD."),
        ({"from": "yesterday", "to": "2026-03-01"}, "Enter a date as YYYY-MM-DD."),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "The last day must not be before the first."),
        ({"from": "2020-01-01", "to": "2023-01-02"}, "Choose a period of at most three years."),
        ({"from": "2026-03-02"}, "Give both the first and the last day."),
        ({"to": "2026-03-02"}, "Give both the first and the last day."),
        ({"from": "1066-10-14", "to": "1066-10-15"}, "Choose a date between"),
    ],
)
def test_a_bad_range_is_a_400_with_the_form_its_message_and_what_was_typed(query, message):
    response = Client().get(page_url(**query))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert 'href="#id_' in html  # the summary links to the field
    for value in query.values():
        assert f'value="{value}"' in html
    assert 'class="report"' not in html  # no report for a range that was not understood


def test_three_years_is_the_longest_range():
    response = Client().get(page_url(**{"from": "2020-01-01", "to": "2022-12-31"}))

    assert response.status_code == 200


def test_the_errors_are_in_swedish_on_the_swedish_page():
    response = Client().get(page_url("sv", **{"from": "2026-03-02", "to": "2026-03-01"}))

    with translation.override("sv"):
        expected = pgettext("transparency form", "The last day must not be before the first.")
        title = pgettext("transparency", "Transparency report")
    assert response.status_code == 400
    html = response.content.decode()
    assert expected in html
    assert title in html
    assert '<html lang="sv">' in html


def test_the_swedish_page_uses_the_swedish_labels(post, moderator):
    hide(moderator, flagged(post, reason="spam"))

    page = read_page(Client().get(page_url("sv")))

    with translation.override("sv"):
        spam = str(ReportReason.SPAM.label)
        defamation = str(IllegalType.DEFAMATION.label)
    assert page.tables["flags"][spam] == "1"
    assert page.tables["notices"][defamation] == "0"


# --- who may read it ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["visitor", "member", "moderator", "staff"])
def test_everyone_reads_the_same_report_without_logging_in(role, post, moderator, staff):
    hide(moderator, flagged(post))
    client = Client()
    if role == "member":
        log_in(client, UserFactory.create())
    elif role == "moderator":
        log_in_with_mfa(client, moderator)
    elif role == "staff":
        log_in(client, staff)

    response = client.get(page_url())

    assert response.status_code == 200
    assert read_page(response).figures["decisions"] == "1"
    assert post.author.handle not in response.content.decode()


# --- the cache ----------------------------------------------------------------------------


def test_the_report_is_kept_per_language_and_range_for_a_few_minutes(
    post, thread, author, moderator, django_assert_num_queries
):
    hide(moderator, flagged(post))
    assert read_page(Client().get(page_url("en"))).figures["decisions"] == "1"
    hide(moderator, flagged(PostFactory.create(thread=thread, author=author)))

    with django_assert_num_queries(0):  # a visitor, the report and the periods remembered
        again = read_page(Client().get(page_url("en")))
    swedish = read_page(Client().get(page_url("sv")))
    today = timezone.localdate()
    other_range = read_page(Client().get(page_url("en", **{"from": today, "to": today})))
    cache.clear()
    later = read_page(Client().get(page_url("en")))

    assert again.figures["decisions"] == "1"  # remembered
    assert swedish.figures["decisions"] == "2"  # another language: counted anew
    assert other_range.figures["decisions"] == "2"  # another range too
    assert later.figures["decisions"] == "2"  # once the remembered report has gone


def test_the_cached_report_holds_nothing_of_the_first_reader(post, moderator):
    hide(moderator, flagged(post))
    first = Client()
    log_in_with_mfa(first, moderator)
    first.get(page_url())

    response = Client().get(page_url())

    html = response.content.decode()
    assert moderator.handle not in html
    assert "csrfmiddlewaretoken" not in html


# --- the CSV export -----------------------------------------------------------------------


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # a byte-order mark: spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.usefixtures("known_decisions")
def test_the_csv_has_the_dsa_fields_and_one_row_per_decision():
    today = timezone.localdate()

    response = Client().get(export_url(**{"from": today, "to": today}))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="patientvoice-transparency-{today}-{today}.csv"'
    )
    header, *rows = csv_rows(response)
    assert header == CSV_HEADER
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert sorted(r["action"] for r in records) == ["hide", "keep", "remove", "suspend"]
    removal = next(r for r in records if r["action"] == "remove")
    assert removal["ground_type"] == "illegal"
    assert removal["illegal_content_type"] == "defamation"
    assert removal["source"] == "notice"
    assert removal["appeal_outcome"] == "upheld"
    kept = next(r for r in records if r["action"] == "keep")
    assert kept["automated_detection"] == "yes"
    assert next(r for r in records if r["action"] == "hide")["automated_decision"] == "yes"


@pytest.mark.usefixtures("known_decisions")
def test_the_csv_holds_no_handle_email_address_name_or_text(author, moderator, second_moderator):
    reporters = [r.reporter for r in Report.objects.filter(reporter__isnull=False)]

    response: Any = Client().get(export_url())

    text = b"".join(response.streaming_content).decode("utf-8")
    people = [author, moderator, second_moderator, *reporters]
    assert len(people) == 5  # two members flagged
    for secret in [
        *(p.handle for p in people),
        *(p.email for p in people),
        "Vera Visitor",
        "vera@example.org",
        "neighbour",  # the notice's explanation
        "Reply body",  # the posts' text
        "070-123",  # the held post's phone number
        "Names a person",  # a moderator's explanation
        "It is true",  # the appeal
        "Unproven claim",  # the appeal's outcome
    ]:
        assert secret.lower() not in text.lower(), secret
    assert len(text.splitlines()) == 5  # the header and four decisions


def test_the_csv_of_the_current_half_year_by_default():
    period = current_half_year()

    response = Client().get(export_url())

    assert response.status_code == 200
    assert f"{period.first}-{period.last}.csv" in response["Content-Disposition"]
    assert csv_rows(response) == [CSV_HEADER]


def test_the_csv_refuses_a_bad_range_as_the_page_does():
    response = Client().get(export_url(**{"from": "2026-03-02", "to": "2026-03-01"}))

    assert response.status_code == 400
    assert "The last day must not be before the first." in response.content.decode()


def test_the_page_links_to_the_csv_of_the_same_range():
    today = timezone.localdate()

    page = read_page(Client().get(page_url(**{"from": today, "to": today})))

    csv_links = [a for _, a in page.links if "export.csv" in str(a.get("href"))]
    assert len(csv_links) == 1
    assert str(csv_links[0]["href"]).endswith(f"export.csv?from={today}&to={today}")


def test_a_community_elsewhere_counts_too():
    """The report is the whole site's: decisions in every community are counted."""
    community = CommunityFactory.create()
    elsewhere_moderator = community_moderator(community)
    post = PostFactory.create(thread=ThreadFactory.create(community=community))
    hide(elsewhere_moderator, flagged(post))

    assert read_page(Client().get(page_url())).figures["decisions"] == "1"
