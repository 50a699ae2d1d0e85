"""The moderators' pages: who gets in (every view, every role), what the queue shows and
in which order, its filter, its query count, and the header's "Moderation" link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import npgettext_lazy, pgettext, pgettext_lazy

from patientvoice.communities.models import POSTS_PER_PAGE
from patientvoice.communities.tests.test_query_counts import (
    OWN_REACTIONS,
    READER_FACTS,
    SIGNED_IN,
    THREAD_TAGS,
)
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation import actions
from patientvoice.moderation.models import Case, Severity

from .factories import (
    PHONE_BODY,
    PostFactory,
    ThreadFactory,
    flagged,
    organization_staff,
)

pytestmark = pytest.mark.django_db


def swedish(text: str | Promise, **params: object) -> str:
    """``text`` as a Swedish page shows it (the site's default language), HTML-escaped."""
    with translation.override("sv"):
        return escape(str(text) % params if params else str(text))


def client_for(user, *, mfa: bool = True) -> Client:
    """A client logged in as ``user``: after two-step verification (``mfa``), or with a
    password only (privileged powers suspended for the session)."""
    client = Client()
    if user is None:
        return client
    if mfa:
        log_in_with_mfa(client, user)
    else:
        client.force_login(user)
    return client


def _decided_appeal(post, moderator, author):
    """An appeal against ``moderator``'s hiding of ``post``."""
    case = flagged(post)
    decision = actions.decide(
        moderator=moderator,
        case=case,
        action="hide",
        reason_code="community_guidelines",
        explanation="It names another member.",
    )
    return actions.appeal(appellant=author, statement=decision.statement, text="It did not.")


@pytest.fixture
def pages(post, moderator, author, other_community):
    """Every moderators' page, as URLs: a case and an appeal in ``community``."""
    case = flagged(PostFactory.create(thread=post.thread))
    appeal = _decided_appeal(post, moderator, author)
    return {
        "queue": reverse("moderation:queue"),
        "case": reverse("moderation:queue_case", kwargs={"case_id": case.public_id}),
        "appeals": reverse("moderation:queue_appeals"),
        "appeal": reverse("moderation:queue_appeal", kwargs={"appeal_id": appeal.public_id}),
        "member": reverse("moderation:queue_member", kwargs={"handle": author.handle}),
        "log": reverse("moderation:queue_log"),
        "trusted_flaggers": reverse("moderation:queue_trusted_flaggers"),
    }


ALL_PAGES = ["queue", "case", "appeals", "appeal", "member", "log", "trusted_flaggers"]


@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_visitor_is_sent_to_log_in(pages, page):
    response = Client().get(pages[page])

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("page", ALL_PAGES)
@pytest.mark.parametrize("mfa", [False, True])
def test_a_member_who_moderates_nothing_is_refused(pages, reader, page, mfa):
    response = client_for(reader, mfa=mfa).get(pages[page])

    assert response.status_code == 403


@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_moderator_whose_session_did_not_use_two_step_verification_is_refused(
    pages, second_moderator, page
):
    response = client_for(second_moderator, mfa=False).get(pages[page])

    assert response.status_code == 403
    with translation.override("sv"):
        hint = pgettext(
            "error page",
            "If you are a moderator or work for an organisation here, your role works only "
            "after you have logged in with two-step verification.",
        )
    assert hint in response.content.decode()


@pytest.mark.parametrize("page", ALL_PAGES)
def test_staff_without_two_step_verification_in_the_session_are_refused(pages, staff, page):
    response = client_for(staff, mfa=False).get(pages[page])

    assert response.status_code == 403


@pytest.mark.parametrize("page", ["queue", "appeals", "log"])
def test_a_moderator_of_another_community_sees_the_lists_without_this_communitys_items(
    pages, foreign_moderator, post, page
):
    response = client_for(foreign_moderator).get(pages[page])

    assert response.status_code == 200
    assert str(post.community.name) not in response.content.decode()


@pytest.mark.parametrize("page", ["case", "appeal"])
def test_a_moderator_of_another_community_gets_404_for_an_item_outside_theirs(
    pages, foreign_moderator, page
):
    assert client_for(foreign_moderator).get(pages[page]).status_code == 404


@pytest.mark.parametrize("page", ["queue", "case", "appeals", "appeal", "member", "log"])
def test_the_hosting_organisations_moderator_may_use_every_moderators_page(
    pages, org_moderator, page
):
    assert client_for(org_moderator).get(pages[page]).status_code == 200


@pytest.mark.parametrize("page", ["queue", "case", "appeals", "appeal", "member", "log"])
def test_a_community_moderator_may_use_the_moderators_pages(pages, second_moderator, page):
    assert client_for(second_moderator).get(pages[page]).status_code == 200


@pytest.mark.parametrize("page", ALL_PAGES)
def test_site_staff_may_use_every_moderators_page(pages, staff, page):
    assert client_for(staff).get(pages[page]).status_code == 200


@pytest.mark.parametrize("who", ["moderator", "org_moderator"])
def test_trusted_flaggers_are_for_site_staff_only(pages, request, who):
    user = request.getfixturevalue(who)

    assert client_for(user).get(pages["trusted_flaggers"]).status_code == 403


# --- the queue ----------------------------------------------------------------------------


def test_the_queue_lists_items_in_queue_order_with_what_a_moderator_needs(
    thread, moderator, staff, commit
):
    spam = PostFactory.create(thread=thread, body="Buy cheap pills at my shop today")
    crisis = commit(PostFactory.create, thread=thread, body="I can't go on, I want to die.")
    held = commit(PostFactory.create, thread=thread, body=PHONE_BODY)
    spam_case = flagged(spam, reason="spam", explanation="An advert.")
    organization = thread.community.organization
    actions.designate_trusted_flagger(actor=staff, organization=organization)
    trusted = organization_staff(organization, handle="flagger_org")
    actions.flag(reporter=trusted, kind="post", obj=spam, reason="spam")

    response = client_for(moderator).get(reverse("moderation:queue"))
    html = response.content.decode()

    assert response.status_code == 200
    order = [c.public_id for c in Case.objects.filter(object_id__in=[spam.pk, crisis.pk, held.pk])]
    positions = {str(public_id): html.index(str(public_id)) for public_id in order}
    crisis_case = Case.objects.get(object_id=crisis.pk)
    held_case = Case.objects.get(object_id=held.pk)
    assert (
        positions[str(crisis_case.public_id)]
        < positions[str(held_case.public_id)]
        < positions[str(spam_case.public_id)]
    )
    assert pgettext("moderation queue", "Urgent") in html
    assert pgettext("moderation queue", "Trusted flagger") in html
    assert str(held_case.get_source_display()) in html  # held by the automatic checks
    assert pgettext("hold reason", "It seems to contain a phone number.") in html
    # the spam case: a member's flag and the trusted flagger's
    reports = npgettext_lazy("moderation queue", "%(counter)s report", "%(counter)s reports", 2)
    assert swedish(reports, counter=2) in html
    assert "Buy cheap pills" in html
    assert pgettext("moderation queue", "Not claimed") in html
    assert 'class="queue-item-link"' in html  # each item is a link for the keyboard


def test_the_queue_shows_who_claimed_an_item(post, moderator, second_moderator):
    case = flagged(post)
    actions.claim(moderator=second_moderator, case=case)

    html = client_for(moderator).get(reverse("moderation:queue")).content.decode()

    claimed_by = pgettext_lazy("moderation queue", "Claimed by %(handle)s")
    assert swedish(claimed_by, handle=second_moderator.handle) in html


def test_the_queue_is_in_swedish_on_swedish_pages(post, moderator):
    flagged(post)

    html = client_for(moderator).get("/sv/moderation/queue/").content.decode()

    with translation.override("sv"):
        assert pgettext("moderation queue", "Moderation queue") in html
        assert str(Case.objects.get().get_source_display()) in html


def test_the_queue_filters_by_community(post, staff, other_community):
    here = flagged(post)
    elsewhere = flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))
    client = client_for(staff)

    filtered = client.get(reverse("moderation:queue"), {"community": post.community.slug})
    unfiltered = client.get(reverse("moderation:queue"))

    assert str(here.public_id) in filtered.content.decode()
    assert str(elsewhere.public_id) not in filtered.content.decode()
    assert str(elsewhere.public_id) in unfiltered.content.decode()
    # The item links keep the filter, so "decide and next" stays in the community.
    assert f"?community={post.community.slug}" in filtered.content.decode()


def test_staff_get_the_site_queue_filter(post, author, reader, staff):
    profile_case = flagged(author, by=reader)
    post_case = flagged(post)

    response = client_for(staff).get(reverse("moderation:queue"), {"community": "site"})
    html = response.content.decode()

    assert str(profile_case.public_id) in html
    assert str(post_case.public_id) not in html


def test_a_moderator_gets_no_site_queue_and_nothing_from_a_community_not_theirs(
    post, moderator, author, reader, other_community
):
    flagged(author, by=reader)
    elsewhere = flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))
    client = client_for(moderator)

    site = client.get(reverse("moderation:queue"), {"community": "site"}).content.decode()
    other = client.get(
        reverse("moderation:queue"), {"community": other_community.slug}
    ).content.decode()

    assert 'value="site"' not in site
    assert str(elsewhere.public_id) not in other
    assert pgettext("moderation queue", "Nothing is waiting here.") in other


def _queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("moderation:queue")).status_code == 200
    return len(queries)


def test_the_queue_page_costs_the_same_number_of_queries_for_3_or_30_items(
    thread, moderator, django_assert_num_queries
):
    def add_cases(n):
        for i in range(n):
            post = PostFactory.create(thread=thread)
            reason = ["spam", "harassment", "illegal"][i % 3]
            illegal_type = "fraud" if reason == "illegal" else ""
            case = flagged(post, reason=reason, illegal_type=illegal_type)
            Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(minutes=i))

    add_cases(3)
    client = client_for(moderator)
    client.get(reverse("moderation:queue"))  # warm: consent check, header count cached
    few = _queue_queries(client)
    add_cases(27)
    actions.claim(moderator=moderator, case=Case.objects.order_by("id")[0])

    # session, user, "moderates anything", the filter's communities, the count and
    # the page of cases (with community, author, assignee and report counts)
    with django_assert_num_queries(6):
        response = client.get(reverse("moderation:queue"))

    assert few == 6
    assert response.content.decode().count('class="queue-item-link"') == 30
    assert Case.objects.filter(severity=Severity.HIGH).exists()


# --- the header -------------------------------------------------------------------------


def test_a_moderator_sees_the_moderation_link_with_the_open_count(post, moderator):
    flagged(post)
    flagged(PostFactory.create(thread=post.thread))

    html = client_for(moderator).get(reverse("home")).content.decode()

    assert reverse("moderation:queue") in html
    assert 'data-testid="moderation-count">2<' in html


def test_a_moderator_with_an_empty_queue_gets_the_link_without_a_number(moderator):
    html = client_for(moderator).get(reverse("home")).content.decode()

    assert reverse("moderation:queue") in html
    assert 'data-testid="moderation-count"' not in html


@pytest.mark.parametrize("mfa", [False, True])
def test_a_member_gets_no_moderation_link(post, reader, mfa):
    flagged(post)

    html = client_for(reader, mfa=mfa).get(reverse("home")).content.decode()

    assert reverse("moderation:queue") not in html


def test_the_remembered_header_never_shows_one_persons_count_to_another(post, moderator, reader):
    flagged(post)
    url = post.thread.get_absolute_url()

    moderators_page = client_for(moderator).get(url).content.decode()
    members_page = client_for(reader).get(url).content.decode()

    assert 'data-testid="moderation-count">1<' in moderators_page
    assert reverse("moderation:queue") not in members_page


def test_deciding_updates_the_deciders_count_at_once(post, moderator):
    case = flagged(post)
    client = client_for(moderator)
    assert 'data-testid="moderation-count">1<' in client.get(reverse("home")).content.decode()

    client.post(
        reverse("moderation:queue_case", kwargs={"case_id": case.public_id}),
        {"action": "keep", "reason_code": "no_violation", "explanation": "Fine."},
    )

    assert 'data-testid="moderation-count"' not in client.get(reverse("home")).content.decode()


@pytest.fixture
def long_thread(reader):
    from patientvoice.communities.tests.factories import CommunityFactory

    thread = ThreadFactory.create(community=CommunityFactory.create(members=[reader]))
    for _ in range(POSTS_PER_PAGE):
        PostFactory.create(thread=thread)
    return thread


# The thread page's budget for a signed-in member (communities/tests/test_query_counts):
# the header's moderation link adds nothing to it.
THREAD_PAGE = SIGNED_IN + 2 + READER_FACTS + THREAD_TAGS + OWN_REACTIONS


def test_the_moderation_count_costs_a_member_no_query_on_the_thread_page(
    long_thread, reader, django_assert_num_queries
):
    client = client_for(reader, mfa=False)
    client.get(long_thread.get_absolute_url())

    with django_assert_num_queries(THREAD_PAGE):
        response = client.get(long_thread.get_absolute_url())

    assert response.status_code == 200
    assert reverse("moderation:queue") not in response.content.decode()


def test_a_member_with_two_step_verification_pays_nothing_once_the_answer_is_remembered(
    long_thread, reader, django_assert_num_queries
):
    client = client_for(reader, mfa=True)
    client.get(long_thread.get_absolute_url())

    with django_assert_num_queries(THREAD_PAGE):
        response = client.get(long_thread.get_absolute_url())

    assert reverse("moderation:queue") not in response.content.decode()


@pytest.mark.parametrize("moderator_first", [True, False])
def test_a_remembered_thread_page_keeps_each_readers_own_header(
    post, foreign_moderator, other_community, outsider, moderator_first
):
    """Neither reader is a member or moderator of this community, so the thread page
    is the same for both but for the header: a moderator elsewhere gets the link and
    their count, a member gets neither, whoever read the page first (the page is
    remembered whole per state: communities.thread_page.header_key)."""
    flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))
    url = post.thread.get_absolute_url()
    moderator_client, member_client = client_for(foreign_moderator), client_for(outsider)
    first, second = (
        (moderator_client, member_client) if moderator_first else (member_client, moderator_client)
    )
    first.get(url)

    page = second.get(url).content.decode()

    if moderator_first:
        assert reverse("moderation:queue") not in page
    else:
        assert 'data-testid="moderation-count">1<' in page


# --- every list costs the same, however long ---------------------------------------------


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm: the header's answers are remembered
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_with_1_or_12_reports(post, moderator, staff):
    case = flagged(post)
    url = reverse("moderation:queue_case", kwargs={"case_id": case.public_id})
    client = client_for(staff)
    one = _queries(client, url)
    for _ in range(11):
        flagged(post)  # each flag by a new member joins the same case

    assert Case.objects.get(pk=case.pk).reports.count() == 12
    assert _queries(client, url) == one


def test_the_appeals_log_and_member_pages_cost_the_same_for_1_or_8_records(
    thread, author, moderator, second_moderator
):
    def appeal_one():
        _decided_appeal(PostFactory.create(thread=thread, author=author), moderator, author)

    appeal_one()
    client = client_for(second_moderator)
    urls = [
        reverse("moderation:queue_appeals"),
        reverse("moderation:queue_log"),
        reverse("moderation:queue_member", kwargs={"handle": author.handle}),
    ]
    before = [_queries(client, url) for url in urls]
    for _ in range(7):
        appeal_one()

    assert [_queries(client, url) for url in urls] == before


def _case_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return sum(1 for q in queries if 'FROM "moderation_case"' in q["sql"])


@pytest.mark.parametrize("who", ["staff", "moderator"])
def test_the_header_counts_once_then_remembers_the_count(post, request, who):
    """Site staff and moderators pay one COUNT of open cases on the first page (then
    it is remembered); staff need no query to know they moderate."""
    flagged(post)
    client = client_for(request.getfixturevalue(who))

    assert _case_queries(client) == 1
    assert _case_queries(client) == 0
