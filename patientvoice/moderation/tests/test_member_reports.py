"""A member's own reports: the list at ``/moderation/my-reports/`` and each report's
page once a moderator has decided (what it says must fit the status), and reference
numbers kept on one line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.communities import actions as community_actions
from patientvoice.moderation import actions
from patientvoice.moderation.models import Report, ReportReason

from .factories import CommunityFactory, PostFactory, ThreadFactory, UserFactory
from .pages import client_for, sv

pytestmark = pytest.mark.django_db

MY_REPORTS = "/sv/moderation/my-reports/"


def report(reporter: User, obj: Any, reason: str = ReportReason.SPAM, **kwargs: Any) -> Report:
    kind = "profile" if isinstance(obj, User) else "post"
    return actions.flag(reporter=reporter, kind=kind, obj=obj, reason=reason, **kwargs)


def hide(moderator: User, flagged: Report) -> None:
    actions.decide(
        moderator=moderator,
        case=flagged.case,
        action="hide",
        reason_code="community_guidelines",
        explanation="Advertising, which the guidelines do not allow.",
    )


def keep(moderator: User, flagged: Report) -> None:
    actions.decide(
        moderator=moderator,
        case=flagged.case,
        action="keep",
        reason_code="no_violation",
        explanation="It answers the question; nothing wrong.",
    )


def entries(page: str) -> list[str]:
    return re.findall(r'<li class="report-entry">.*?</li>', page, re.S)


def looked_at_on(when: Any) -> str:
    with translation.override("sv"):
        date = formats.date_format(timezone.localtime(when), "DATE_FORMAT")
        return pgettext("report page", "A moderator looked at it on %(date)s.") % {"date": date}


def report_url(flagged: Report) -> str:
    return reverse("moderation:my_report", args=[flagged.public_id])


# --- the list -------------------------------------------------------------------------


def test_the_address_is_the_one_the_lead_agreed():
    assert reverse("moderation:my_reports") == MY_REPORTS


def test_a_visitor_is_sent_to_log_in():
    response = Client().get(MY_REPORTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_member_sees_their_reports_newest_first_with_what_why_and_status(
    thread, author, reader
):
    older = report(reader, PostFactory.create(thread=thread, author=author, body="Buy pills"))
    newer = report(
        reader,
        PostFactory.create(thread=thread, author=author, body="You are all idiots"),
        reason=ReportReason.HARASSMENT,
    )

    page = client_for(reader).get(MY_REPORTS).text

    rows = entries(page)
    assert len(rows) == 2
    assert newer.reference in rows[0]
    assert older.reference in rows[1]
    assert f'href="{report_url(newer)}"' in rows[0]
    assert sv("report reason", "Harassment or hate") in rows[0]
    assert "You are all idiots" in rows[0]
    assert f'href="{newer.url}"' in rows[0]  # what was reported, linked
    assert sv("report page", "Waiting for a moderator.") in rows[0]
    assert '<span class="reference">' + newer.reference + "</span>" in rows[0]


def test_a_notice_sent_while_signed_in_is_listed_with_its_type(post, reader):
    client = client_for(reader)
    client.post(
        "/sv/moderation/notice/",
        {
            "name": "Bo Reader",
            "email": "bo@example.com",
            "url": post.thread.get_absolute_url(),
            "illegal_type": "fraud",
            "explanation": "It sells fake medicine.",
            "good_faith": "on",
        },
    )

    page = client.get(MY_REPORTS).text

    notice = Report.objects.get(reporter=reader)
    assert notice.is_notice
    assert notice.reference in page
    assert escape(sv("illegal content type", "Fraud or scam")) in page


@pytest.mark.parametrize(
    "role", ["author", "outsider", "moderator", "foreign_moderator", "org_moderator", "staff"]
)
def test_nobody_else_sees_a_members_reports(role, post, reader, request):
    flagged = report(reader, post)

    response = client_for(request.getfixturevalue(role), mfa=role != "author").get(MY_REPORTS)

    assert response.status_code == 200
    assert flagged.reference not in response.text
    assert sv("report page", "You have not reported anything.") in response.text


def test_a_decided_report_says_when_a_moderator_looked_at_it_and_no_longer_links_to_it(
    post, reader, moderator
):
    flagged = report(reader, post)
    hide(moderator, flagged)
    flagged.case.refresh_from_db()

    (row,) = entries(client_for(reader).get(MY_REPORTS).text)

    assert looked_at_on(flagged.case.decided_at) in row
    assert sv("report page", "Waiting for a moderator.") not in row
    assert f'href="{flagged.url}"' not in row  # the reporter cannot see it any more
    assert sv("report page", "no longer shown to you") in row
    assert f'href="{report_url(flagged)}"' in row


def test_a_moved_thread_is_linked_where_it_is_now(post, reader, staff, organization):
    flagged = report(reader, post)
    elsewhere = CommunityFactory.create(organization=organization)
    community_actions.move_thread(actor=staff, thread=post.thread, to=elsewhere)

    (row,) = entries(client_for(reader).get(MY_REPORTS).text)

    assert f"/c/{elsewhere.slug}/t/{post.thread.public_id}/p/{post.public_id}/" in row
    assert f'href="{flagged.url}"' not in row  # where it was: 404 now


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    author, reader, community, settings, django_assert_num_queries
):
    settings.PV_FLAGS_PER_HOUR = 100

    def report_posts(n: int) -> None:  # each in its own thread: different addresses
        for _ in range(n):
            thread = ThreadFactory.create(community=community, author=author)
            report(reader, PostFactory.create(thread=thread, author=author))

    report_posts(2)
    report(reader, author)  # a profile, the other kind: on the first page both times
    client = client_for(reader)
    client.get(MY_REPORTS)  # the header's counts are read once, then cached
    # session, user, count, the page of reports with their cases, one query per kind
    with django_assert_num_queries(6):
        client.get(MY_REPORTS)
    report_posts(20)
    report(reader, UserFactory.create())

    with django_assert_num_queries(6):
        first = client.get(MY_REPORTS)
    second = client.get(MY_REPORTS, {"page": 2})

    assert len(entries(first.text)) == 20
    assert len(entries(second.text)) == 4
    assert 'rel="next"' in first.text


def test_my_account_links_to_my_reports_next_to_the_decisions(reader):
    page = client_for(reader).get(reverse("accounts:settings")).text

    links = re.search(
        r'<li><a href="/sv/moderation/decisions/">[^<]*</a></li>\s*'
        r'<li><a href="/sv/moderation/my-reports/">([^<]*)</a></li>',
        page,
    )
    assert links is not None
    assert links.group(1) == sv("account", "My reports")


# --- one report -----------------------------------------------------------------------


def test_a_report_page_links_to_the_list(post, reader):
    page = client_for(reader).get(report_url(report(reader, post))).text

    assert f'href="{MY_REPORTS}"' in page


def test_a_waiting_report_says_what_happens_next(post, reader):
    flagged = report(reader, post)

    page = client_for(reader).get(report_url(flagged)).text

    assert sv("report page", "Thank you, your report is sent") in page
    assert sv("report page", "What happens next") in page
    assert sv("report page", "Waiting for a moderator.") in page
    assert f'href="{flagged.url}"' in page
    assert f'<strong class="reference">{flagged.reference}</strong>' in page


@pytest.mark.parametrize("query", [{}, {"again": "1"}])
def test_once_decided_the_report_page_says_a_moderator_looked_at_it_not_that_it_waits(
    query, post, reader, moderator
):
    flagged = report(reader, post)
    keep(moderator, flagged)
    flagged.case.refresh_from_db()

    page = client_for(reader).get(report_url(flagged), query).text

    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert h1 is not None
    assert h1.group(1) == sv("report page", "A moderator has looked at your report")
    assert looked_at_on(flagged.case.decided_at) in page
    assert flagged.reference in page
    for waiting in (
        sv("report page", "Thank you, your report is sent"),
        sv("report page", "You already reported this"),
        sv("report page", "What happens next"),
        sv("report page", "Waiting for a moderator."),
    ):
        assert waiting not in page
    assert f'href="{flagged.url}"' in page  # kept: the reporter still sees it


def test_a_report_page_does_not_link_to_what_the_reporter_can_no_longer_see(
    post, reader, moderator
):
    flagged = report(reader, post)
    hide(moderator, flagged)

    page = client_for(reader).get(report_url(flagged)).text

    assert f'href="{flagged.url}"' not in page
    assert sv("report page", "Go to the start page") in page


# --- reference numbers on one line ------------------------------------------------------


def test_references_are_kept_on_one_line_by_the_style_sheet():
    css = (Path(django_settings.PACKAGE_DIR) / "static/css/site.css").read_text()

    rule = re.search(r"(?m)^\.reference \{([^}]*)\}", css)
    assert rule is not None
    assert "white-space: nowrap" in rule.group(1)


def test_the_flag_page_keeps_the_earlier_reference_on_one_line(post, reader):
    flagged = report(reader, post)

    page = client_for(reader).get(reverse("moderation:flag", args=["post", post.public_id])).text

    assert f'<span class="reference">{flagged.reference}</span>' in page
