"""The moderation API for moderators: the queue, a case, claiming, deciding and appeals,
with the pages' permissions (a second factor in a browser session; never a token), the
API's one error shape, and query counts that do not grow with the queue."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.api import actions as api_actions
from patientvoice.api.tests.conftest import assert_error
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.moderation import actions
from patientvoice.moderation.errors import CaseClaimed
from patientvoice.moderation.models import (
    Appeal,
    Case,
    CaseStatus,
    Decision,
    Sanction,
    SanctionKind,
)

from .factories import PostFactory, UserFactory, flagged

pytestmark = pytest.mark.django_db

ROWS = 12  # enough that one query per row would show
API_SIGNED_IN = 2  # session and user (communities/tests/test_query_counts.py)
CASES = "/api/v1/moderation/cases"
APPEALS = "/api/v1/moderation/appeals"


def swedish(text: str | Promise) -> str:
    """``text`` in Swedish, the language of these requests (the site's default), as the
    API sends it: JSON, not HTML-escaped."""
    with translation.override("sv"):
        return str(text)


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json")


def acting(user: User) -> Client:
    """A browser session that logged in with a second factor: moderating powers on."""
    client = Client()
    log_in_with_mfa(client, user)
    return client


def signed_in(user: User) -> Client:
    client = Client()
    log_in(client, user)
    return client


def with_token(user: User, scope: str = "read_write") -> Client:
    _token, raw = api_actions.create_token(user=user, name="test", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def decision_body(**fields: Any) -> dict[str, Any]:
    return {
        "action": "hide",
        "reason_code": "community_guidelines",
        "explanation": "Hurtful words about another member.",
        **fields,
    }


def hide(moderator: User, case: Case) -> Decision:
    return actions.decide(
        moderator=moderator, case=case, action="hide", reason_code="community_guidelines",
        explanation="Hurtful.",
    )  # fmt: skip


@pytest.fixture
def case(post) -> Case:
    return flagged(post, reason="harassment", explanation="Calls me names.")


@pytest.fixture
def profile_case(author) -> Case:
    """A case in the site-wide queue (staff only)."""
    return flagged(author, reason="spam")


# --- who sees the queue -------------------------------------------------------------------


def client_for(role: str, request: pytest.FixtureRequest) -> Client:
    people = {
        "member": "reader",
        "moderator": "moderator",
        "org_moderator": "org_moderator",
        "foreign_moderator": "foreign_moderator",
        "staff": "staff",
    }
    if role == "visitor":
        return Client()
    if role == "moderator_without_mfa":
        client = Client()
        client.force_login(request.getfixturevalue("moderator"))
        return client
    if role == "moderator_token":
        return with_token(request.getfixturevalue("moderator"), "read")
    return acting(request.getfixturevalue(people[role]))


@pytest.mark.parametrize(
    ("role", "status", "sees"),
    [
        ("visitor", 401, set()),
        ("member", 403, set()),
        ("moderator_without_mfa", 403, set()),
        ("moderator_token", 403, set()),
        ("foreign_moderator", 200, set()),
        ("moderator", 200, {"case"}),
        ("org_moderator", 200, {"case"}),
        ("staff", 200, {"case", "profile_case"}),
    ],
)
def test_the_queue_shows_each_role_the_cases_it_may_decide(
    role, status, sees, case, profile_case, request
):
    expected = {
        name: str(c.public_id) for name, c in {"case": case, "profile_case": profile_case}.items()
    }

    response = client_for(role, request).get(CASES)

    assert response.status_code == status, response.content
    if status == 200:
        assert {item["public_id"] for item in response.json()["items"]} == {
            expected[name] for name in sees
        }
    else:
        assert set(response.json()) == {"error"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("member", 404),
        ("moderator_without_mfa", 404),
        ("moderator_token", 404),
        ("foreign_moderator", 404),
        ("moderator", 200),
        ("org_moderator", 200),
        ("staff", 200),
    ],
)
def test_a_case_is_404_to_everyone_who_may_not_decide_it(role, status, case, request):
    response = client_for(role, request).get(f"{CASES}/{case.public_id}")

    assert response.status_code == status
    if status == 404:
        assert_error(response, 404, "not_found")


def test_the_queue_is_in_queue_order_and_narrows_to_a_community_or_the_site(
    thread, author, moderator, staff, other_community, profile_case
):
    spam = flagged(PostFactory.create(thread=thread, author=author), reason="spam")
    harm = flagged(PostFactory.create(thread=thread, author=author), reason="self_harm")
    misinformation = flagged(
        PostFactory.create(thread=thread, author=author), reason="medical_misinformation"
    )
    client = acting(staff)

    everything = client.get(CASES).json()["items"]
    here = client.get(CASES, {"community": thread.community.slug}).json()["items"]
    elsewhere = client.get(CASES, {"community": other_community.slug}).json()
    site = client.get(CASES, {"site": "true"}).json()["items"]

    ids = [str(c.public_id) for c in (harm, misinformation, spam)]
    assert [item["public_id"] for item in here] == ids  # urgent, then severity
    assert [item["public_id"] for item in site] == [str(profile_case.public_id)]
    assert len(everything) == 4
    assert elsewhere["count"] == 0
    assert here[0]["urgent"] is True
    assert here[0]["community"] == thread.community.slug
    assert here[0]["report_count"] == 1
    assert here[0]["author"] == author.handle


def test_a_bad_community_filter_is_422(moderator):
    response = acting(moderator).get(CASES, {"community": "no such/slug"})

    assert_error(response, 422, "invalid")


def test_the_queue_costs_the_same_number_of_queries_however_long(
    thread, author, moderator, django_assert_num_queries
):
    for _ in range(ROWS):
        flagged(PostFactory.create(thread=thread, author=author), reason="spam")
    client = acting(moderator)
    client.get(CASES)  # warm the session

    # the moderator's powers, count, page of cases with community, author, assignee and
    # report counts
    with django_assert_num_queries(API_SIGNED_IN + 3):
        response = client.get(CASES, {"limit": 100})

    assert response.json()["count"] == ROWS


def test_the_queue_is_paginated(thread, author, moderator):
    for _ in range(3):
        flagged(PostFactory.create(thread=thread, author=author))

    response = acting(moderator).get(CASES, {"limit": 2, "offset": 2})

    body = response.json()
    assert body["count"] == 3
    assert len(body["items"]) == 1


# --- a case -------------------------------------------------------------------------------


def test_a_case_shows_its_reports_and_who_reported_only_to_staff(case, moderator, staff):
    for_moderator = acting(moderator).get(f"{CASES}/{case.public_id}").json()
    for_staff = acting(staff).get(f"{CASES}/{case.public_id}").json()

    report = case.reports.get()
    assert for_moderator["reports"][0]["reference"] == report.reference
    assert for_moderator["reports"][0]["explanation"] == "Calls me names."
    assert for_moderator["reports"][0]["reporter"] is None
    assert for_staff["reports"][0]["reporter"] == report.reporter.handle
    assert for_moderator["decisions"] == []


def test_a_case_lists_the_earlier_decisions_on_the_same_item(post, moderator):
    earlier = actions.decide(
        moderator=moderator, case=flagged(post), action="label",
        reason_code="medical_misinformation", explanation="Needs a source.",
        label_text="Disputed",
    )  # fmt: skip
    again = flagged(post, reason="spam")  # still shown (labelled), so flagged again

    body = acting(moderator).get(f"{CASES}/{again.public_id}").json()

    assert [d["public_id"] for d in body["decisions"]] == [str(earlier.public_id)]
    assert body["decisions"][0]["statement"] == earlier.statement.reference
    assert body["decisions"][0]["moderator"] == moderator.handle


def test_a_case_costs_the_same_number_of_queries_however_many_reports(
    post, moderator, django_assert_num_queries
):
    case = flagged(post)
    for _ in range(ROWS - 1):
        flagged(post)
    client = acting(moderator)
    client.get(CASES)

    # the case, its reports with reporters, the decisions on the item
    with django_assert_num_queries(API_SIGNED_IN + 3):
        response = client.get(f"{CASES}/{case.public_id}")

    assert len(response.json()["reports"]) == ROWS
    assert response.json()["report_count"] == ROWS


# --- claiming -----------------------------------------------------------------------------


def test_claiming_and_releasing_a_case(case, moderator, second_moderator):
    url = f"{CASES}/{case.public_id}"

    claimed = acting(moderator).post(f"{url}/claim")
    taken = acting(second_moderator).post(f"{url}/claim")
    released = acting(second_moderator).post(f"{url}/release")

    assert claimed.status_code == 200
    assert claimed.json()["assignee"] == moderator.handle
    body = assert_error(taken, 409, "case_claimed")
    assert body["error"]["message"] == swedish(CaseClaimed.default_message)
    assert released.status_code == 200
    assert released.json()["assignee"] is None
    assert Case.objects.get(pk=case.pk).assignee is None


def test_a_moderator_of_another_community_cannot_claim(case, foreign_moderator):
    response = acting(foreign_moderator).post(f"{CASES}/{case.public_id}/claim")

    assert_error(response, 404, "not_found")
    assert Case.objects.get(pk=case.pk).assignee is None


# --- deciding -----------------------------------------------------------------------------


def test_a_moderator_hides_a_post_and_the_author_gets_a_statement(case, post, moderator):
    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions", decision_body()
    )

    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    body = response.json()
    assert body["public_id"] == str(decision.public_id)
    assert body["case"] == str(case.public_id)
    assert body["statement"] == decision.statement.reference
    assert body["moderator"] == moderator.handle
    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_deciding_a_decided_case_is_409(case, moderator, second_moderator):
    hide(moderator, case)

    response = send(
        acting(second_moderator), "post", f"{CASES}/{case.public_id}/decisions", decision_body()
    )

    assert_error(response, 409, "case_closed")
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"action": "label"},
            pgettext_lazy("moderation", "Write the label (200 characters at most)."),
        ),
        ({"action": "suspend"}, pgettext_lazy("moderation", "Choose when the suspension ends.")),
        (
            {"action": "redact", "redacted_text": "No mark here"},
            pgettext_lazy(
                "moderation",
                "Replace what you edit out with “[removed by moderators]”, so readers see "
                "that something was removed.",
            ),
        ),
        ({"action": "move"}, pgettext_lazy("moderation", "Choose where to move the discussion.")),
        (
            {"action": "merge"},
            pgettext_lazy("api error", "Merging discussions is not available yet."),
        ),
    ],
    ids=["label", "suspend", "redact", "move", "merge"],
)
def test_an_incomplete_decision_is_422_with_its_message(case, moderator, fields, message):
    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions", decision_body(**fields)
    )

    body = assert_error(response, 422, "invalid")
    assert body["error"]["message"] == swedish(message)
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_an_unknown_action_is_422(case, moderator):
    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions",
        decision_body(action="delete_everything"),
    )  # fmt: skip

    body = assert_error(response, 422, "invalid")
    assert body["error"]["details"][0]["loc"][-1] == "action"


def test_a_suspension_until_a_local_time_suspends_the_author(case, author, moderator):
    until = (timezone.localtime() + timedelta(days=7)).replace(tzinfo=None, microsecond=0)

    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions",
        decision_body(action="suspend", reason_code="terms_conduct",
                      suspension_until=until.isoformat()),
    )  # fmt: skip

    assert response.status_code == 201, response.content
    sanction = Sanction.objects.get(user=author)
    assert sanction.kind == SanctionKind.SUSPENSION
    assert timezone.localtime(sanction.until).replace(tzinfo=None) == until


def test_a_label_is_added_with_its_text(case, moderator):
    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions",
        decision_body(action="label", label_text="Disputed: see the nurse's note"),
    )  # fmt: skip

    assert response.status_code == 201
    assert response.json()["label_text"] == "Disputed: see the nurse's note"


def test_moving_to_a_community_the_moderator_cannot_see_is_404(case, moderator):
    from .factories import CommunityFactory

    hidden = CommunityFactory.create(private=True)

    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions",
        decision_body(action="move", move_to=hidden.slug),
    )  # fmt: skip

    assert_error(response, 404, "not_found")
    assert not Decision.objects.exists()


def test_site_wide_sanctions_are_for_staff_only(case, moderator):
    response = send(
        acting(moderator), "post", f"{CASES}/{case.public_id}/decisions",
        decision_body(action="ban", reason_code="terms_conduct", site_wide=True),
    )  # fmt: skip

    assert_error(response, 403, "forbidden")
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("visitor", 401, "unauthenticated"),
        ("member", 404, "not_found"),
        ("moderator_without_mfa", 404, "not_found"),
        ("moderator_token", 403, "insufficient_scope"),  # a read token writes nothing
        ("foreign_moderator", 404, "not_found"),
    ],
)
def test_nobody_else_decides(role, status, code, case, request):
    client = client_for(role, request)

    response = send(client, "post", f"{CASES}/{case.public_id}/decisions", decision_body())

    assert_error(response, status, code)
    assert not Decision.objects.exists()


def test_a_moderators_write_token_carries_no_moderating_powers(case, moderator):
    response = send(
        with_token(moderator, "read_write"), "post", f"{CASES}/{case.public_id}/decisions",
        decision_body(),
    )  # fmt: skip

    assert_error(response, 404, "not_found")
    assert not Decision.objects.exists()


# --- appeals ------------------------------------------------------------------------------


@pytest.fixture
def appeal(case, author, moderator) -> Appeal:
    decision = hide(moderator, case)
    return actions.appeal(appellant=author, statement=decision.statement, text="It was a joke.")


def test_the_appeal_queue_leaves_out_the_moderators_own_decisions(
    appeal, moderator, second_moderator, reader
):
    own = acting(moderator).get(APPEALS).json()
    others = acting(second_moderator).get(APPEALS).json()
    member = signed_in(reader).get(APPEALS)

    assert own["count"] == 0
    assert [item["public_id"] for item in others["items"]] == [str(appeal.public_id)]
    assert others["items"][0]["text"] == "It was a joke."
    assert others["items"][0]["action"] == "hide"
    assert_error(member, 403, "forbidden")


def test_the_moderator_who_decided_cannot_decide_the_appeal(appeal, moderator):
    response = send(
        acting(moderator), "post", f"{APPEALS}/{appeal.public_id}/decision",
        {"outcome": "upheld", "reason": "I was right."},
    )  # fmt: skip

    body = assert_error(response, 403, "forbidden")
    assert body["error"]["message"] == swedish(
        pgettext_lazy(
            "moderation",
            "You made the decision this appeal is about. Another moderator must decide it.",
        )
    )
    assert Appeal.objects.get(pk=appeal.pk).status == "open"


def test_another_moderator_reverses_and_the_post_is_shown_again(appeal, post, second_moderator):
    url = f"{APPEALS}/{appeal.public_id}/decision"
    client = acting(second_moderator)

    reversed_ = send(client, "post", url, {"outcome": "reversed", "reason": "It was a joke."})
    again = send(client, "post", url, {"outcome": "upheld", "reason": "Changed my mind."})

    assert reversed_.status_code == 200, reversed_.content
    assert reversed_.json()["status"] == "reversed"
    assert reversed_.json()["community"] == post.community.slug
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert_error(again, 409, "appeal_closed")


def test_an_appeal_outside_the_moderators_communities_is_404(appeal, foreign_moderator):
    response = send(
        acting(foreign_moderator), "post", f"{APPEALS}/{appeal.public_id}/decision",
        {"outcome": "reversed", "reason": "Why not."},
    )  # fmt: skip

    assert_error(response, 404, "not_found")


def test_an_appeal_outcome_must_be_upheld_or_reversed(appeal, second_moderator):
    response = send(
        acting(second_moderator), "post", f"{APPEALS}/{appeal.public_id}/decision",
        {"outcome": "maybe", "reason": "Hmm."},
    )  # fmt: skip

    assert_error(response, 422, "invalid")


def test_the_appeal_queue_costs_the_same_number_of_queries_however_long(
    thread, author, moderator, second_moderator, django_assert_num_queries
):
    for _ in range(ROWS):
        decision = hide(moderator, flagged(PostFactory.create(thread=thread, author=author)))
        actions.appeal(appellant=author, statement=decision.statement, text="Not fair.")
    client = acting(second_moderator)
    client.get(APPEALS)

    # the moderator's powers, count, page with statement, decision, case, community and
    # appellant
    with django_assert_num_queries(API_SIGNED_IN + 3):
        response = client.get(APPEALS, {"limit": 100})

    assert response.json()["count"] == ROWS


def test_a_members_token_can_read_the_queue_of_nothing(reader):
    response = with_token(reader, "read").get(CASES)

    body = assert_error(response, 403, "forbidden")
    assert body["error"]["message"] == swedish(
        pgettext_lazy(
            "api error",
            "Only moderators can do this, logged in with two-step verification "
            "(an access token never carries moderating powers).",
        )
    )


def test_a_new_member_is_no_moderator(case):
    response = acting(UserFactory.create()).get(CASES)

    assert_error(response, 403, "forbidden")
