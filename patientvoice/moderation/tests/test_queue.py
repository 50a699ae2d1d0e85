"""Who sees which cases, in what order, and at what cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from patientvoice.communities.models import Membership
from patientvoice.moderation import actions, queries
from patientvoice.moderation.models import Case
from patientvoice.moderation.permissions import can_decide, check_decide, visible_cases

from .factories import (
    CommunityFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    community_moderator,
    flagged,
)

pytestmark = pytest.mark.django_db


def test_queue_order_is_urgent_then_severity_then_trusted_then_oldest(thread, staff):
    posts = [PostFactory.create(thread=thread) for _ in range(6)]
    now = timezone.now()

    def case(post, minutes_ago, severity, *, trusted=False, urgent=False):
        opened = actions.open_case(
            kind="post", obj=post, source="flag", severity=severity, trusted=trusted, urgent=urgent
        )
        Case.objects.filter(pk=opened.pk).update(opened_at=now - timedelta(minutes=minutes_ago))
        return opened.pk

    old_spam = case(posts[0], 90, 1)
    new_spam = case(posts[1], 10, 1)
    trusted_spam = case(posts[2], 5, 1, trusted=True)
    misinformation = case(posts[3], 1, 2)
    illegal = case(posts[4], 2, 3)
    crisis = case(posts[5], 0, 1, urgent=True)

    order = [c.pk for c in queries.queue(staff)]

    assert order == [crisis, illegal, misinformation, trusted_spam, old_spam, new_spam]


def test_a_community_moderator_sees_the_cases_of_their_communities_only(
    post, moderator, foreign_moderator, other_community, author
):
    here = flagged(post)
    elsewhere = flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))

    assert [c.pk for c in queries.queue(moderator)] == [here.pk]
    assert [c.pk for c in queries.queue(foreign_moderator)] == [elsewhere.pk]
    assert queries.open_count(moderator) == 1


def test_the_hosting_organisations_moderator_sees_its_communities_cases(
    post, org_moderator, other_community
):
    here = flagged(post)
    flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))

    assert [c.pk for c in queries.queue(org_moderator)] == [here.pk]


def test_site_staff_see_every_case_and_the_site_queue(post, staff, author, reader):
    community_case = flagged(post)
    profile_case = flagged(author, by=reader)

    assert {c.pk for c in queries.queue(staff)} == {community_case.pk, profile_case.pk}
    assert [c.pk for c in queries.queue(staff, site_only=True)] == [profile_case.pk]
    assert [c.pk for c in queries.queue(staff, post.community)] == [community_case.pk]


@pytest.mark.parametrize("who", ["member", "outsider", "suspended_moderator", "no_second_factor"])
def test_people_without_moderating_powers_see_no_case_and_cannot_decide(
    who, post, reader, outsider, moderator, community
):
    case = flagged(post)
    person = {
        "member": reader,
        "outsider": outsider,
        "suspended_moderator": moderator,
        "no_second_factor": UserFactory.create(),
    }[who]
    if who == "suspended_moderator":
        person.privileges_suspended = True  # a session without two-step verification
    if who == "no_second_factor":
        Membership.objects.create(user=person, community=community, role="moderator")

    assert queries.open_count(person) == 0
    assert not can_decide(person, case)
    with pytest.raises(PermissionDenied):
        check_decide(person, case)


def test_a_community_moderator_cannot_see_the_site_queue(moderator, author, reader):
    flagged(author, by=reader)

    assert list(queries.queue(moderator)) == []


def test_the_queue_costs_one_query_however_long_it_is(thread, moderator, django_assert_num_queries):
    for _ in range(3):
        flagged(PostFactory.create(thread=thread))
    with django_assert_num_queries(1):
        short = list(queries.queue(moderator))
    for _ in range(12):
        flagged(PostFactory.create(thread=thread))

    with django_assert_num_queries(1):
        long = list(queries.queue(moderator))
        shown = [(c.community, c.author, c.report_count, c.assignee) for c in long]  # type: ignore[attr-defined]

    assert len(short) == 3
    assert len(long) == 15
    assert all(count == 1 for _name, _handle, count, _assignee in shown)


def test_the_queue_of_an_organisation_moderator_costs_one_query(
    thread, org_moderator, django_assert_num_queries
):
    for _ in range(10):
        flagged(PostFactory.create(thread=thread))

    with django_assert_num_queries(1):
        assert len(list(queries.queue(org_moderator))) == 10


def test_the_header_badge_is_one_query(post, moderator, django_assert_num_queries):
    flagged(post)

    with django_assert_num_queries(1):
        assert queries.open_count(moderator) == 1


def test_decided_cases_leave_the_queue(post, moderator):
    case = flagged(post)

    actions.decide(
        moderator=moderator, case=case, action="keep", reason_code="no_violation",
        explanation="Within the guidelines.",
    )  # fmt: skip

    assert list(queries.queue(moderator)) == []
    assert visible_cases(moderator, Case.objects.all()).count() == 1


def test_a_private_communitys_case_is_seen_by_its_moderators_only(outsider):
    private = CommunityFactory.create(private=True)
    post = PostFactory.create(thread=ThreadFactory.create(community=private))
    mod = community_moderator(private)
    case = flagged(post)

    assert [c.pk for c in queries.queue(mod)] == [case.pk]
    assert list(queries.queue(outsider)) == []
