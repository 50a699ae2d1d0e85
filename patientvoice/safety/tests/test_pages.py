"""The safety officers' pages and the members' messages: who may see what, the queue's
query budget, decisions, cases, follow-up, bad input (decisions/0036)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.moderation.tests.factories import community_moderator, with_second_factor
from patientvoice.safety import actions
from patientvoice.safety.models import (
    FollowUpAttempt,
    SafetyCase,
    SafetyMessage,
    SafetySignal,
)
from patientvoice.safety.permissions import check_safety_officer

from .factories import (  # noqa: F401 - fixtures
    HEADACHE_SV,
    StaffFactory,
    UserFactory,
    _starter_detector_built,
    case_for,
    client_for,
    officer,
    post_saying,
    signal,
    starter_detector,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("patientvoice.safety.tests.urls"),
    pytest.mark.usefixtures("starter_detector"),
]

OPENED_FAR = timezone.now() - timedelta(days=3)


def people():
    community = CommunityFactory.create()
    return {
        "visitor": None,
        "member": UserFactory.create(),
        "moderator": community_moderator(community),
        "staff": with_second_factor(StaffFactory.create()),
        "officer_without_mfa": officer(),
        "officer": officer(),
    }


# --- role x action ------------------------------------------------------------------------

EXPECTED = {
    # role: (queue, signal, cases, case, decide)
    "visitor": (302, 302, 302, 302, 302),
    "member": (403, 403, 403, 403, 403),
    "moderator": (403, 403, 403, 403, 403),
    "staff": (403, 403, 403, 403, 403),
    "officer_without_mfa": (403, 403, 403, 403, 403),
    "officer": (200, 200, 200, 200, 302),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_only_safety_officers_with_two_step_verification_reach_the_safety_pages(role):
    everyone = people()
    person = everyone[role]
    the_case = case_for(signal(day_zero=OPENED_FAR), everyone["officer"])
    found = signal(day_zero=OPENED_FAR, excerpt="Något annat om Sertralin och huvudvärk.")
    client = client_for(person, mfa=role != "officer_without_mfa")

    answers = (
        client.get("/sv/safety/").status_code,
        client.get(f"/sv/safety/signals/{found.public_id}/").status_code,
        client.get("/sv/safety/cases/").status_code,
        client.get(f"/sv/safety/cases/{the_case.public_id}/").status_code,
        client.post(
            f"/sv/safety/signals/{found.public_id}/",
            {"decision": "not_a_case", "reason": "Inte om läkemedlet."},
        ).status_code,
    )

    assert answers == EXPECTED[role]
    found.refresh_from_db()
    assert (found.status == "not_a_case") == (role == "officer")


def test_an_officer_without_a_second_factor_is_told_to_log_in_with_one():
    person = officer()
    person.privileges_suspended = True

    with pytest.raises(PermissionDenied) as refused, translation.override("en"):
        check_safety_officer(person)

    with translation.override("en"):
        assert "two-step verification" in str(refused.value)


def test_staff_grant_the_role_only_to_people_with_a_second_factor():
    staff = with_second_factor(StaffFactory.create())
    without = UserFactory.create()
    ready = with_second_factor(UserFactory.create())

    with pytest.raises(PermissionDenied):
        actions.grant_safety_officer(actor=staff, user=without)
    assert actions.grant_safety_officer(actor=staff, user=ready) is True
    with pytest.raises(PermissionDenied):
        actions.grant_safety_officer(actor=UserFactory.create(), user=ready)

    assert AuditEntry.objects.filter(action="safety.officer_granted").count() == 1


# --- the queue ----------------------------------------------------------------------------


def _queue_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get("/sv/safety/")
    assert response.status_code == 200
    return response


def test_the_queue_costs_the_same_number_of_queries_for_3_or_25_signals(
    django_assert_num_queries,
):
    client = client_for(officer())
    for i in range(3):
        signal(day_zero=OPENED_FAR - timedelta(hours=i))
    client.get("/sv/safety/")  # warm: consent and the policy version

    # session, user, the group, the second factor, the page's count, the page of
    # signals, the audit entry, the counts per status
    _queue_queries(client, django_assert_num_queries, 8)
    for i in range(22):
        signal(day_zero=OPENED_FAR + timedelta(hours=i), reaction=f"x{i}")
    response = _queue_queries(client, django_assert_num_queries, 8)

    assert response.content.decode().count('id="signal-') == 25


def test_the_queue_shows_the_oldest_signal_first_with_its_age_clock_and_marked_words():
    client = client_for(officer())
    signal(day_zero=timezone.now() - timedelta(days=1), reaction="nausea", excerpt="Jag mår illa.")
    oldest = signal(day_zero=timezone.now() - timedelta(days=4, hours=1))

    with translation.override("en"):
        page = client.get("/en/safety/").content.decode()

    assert page.index(f"signal-{oldest.public_id}") < page.index("Jag mår illa")
    assert "4 days" in page
    assert "10 days left" in page
    assert '<mark class="safety-reaction">huvudvärk</mark>' in page
    assert '<mark class="safety-medicine">Sertralin</mark>' in page
    assert "Sertraline" in page  # the medicine's English name
    assert "Headache" in page


def test_a_signal_with_an_excerpt_of_html_is_shown_as_text():
    client = client_for(officer())
    signal(excerpt="<script>alert(1)</script> huvudvärk", reaction_span=[26, 35])

    page = client.get("/sv/safety/").content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_every_view_of_a_signal_and_of_a_case_is_audited():
    person = officer()
    client = client_for(person)
    found = signal(day_zero=OPENED_FAR)
    the_case = case_for(signal(day_zero=OPENED_FAR, reaction="nausea"), person)

    client.get(f"/sv/safety/signals/{found.public_id}/")
    client.get(f"/sv/safety/cases/{the_case.public_id}/")
    client.get("/sv/safety/")

    assert AuditEntry.objects.filter(
        action="safety.signal_viewed", target_id=str(found.public_id), actor=person
    ).exists()
    assert AuditEntry.objects.filter(
        action="safety.case_viewed", target_id=str(the_case.public_id), actor=person
    ).exists()
    assert (
        str(found.public_id) in AuditEntry.objects.get(action="safety.queue_viewed").data["signals"]
    )


# --- deciding -----------------------------------------------------------------------------


def test_not_a_case_without_a_reason_is_refused_with_the_form_kept():
    client = client_for(officer())
    found = signal(day_zero=OPENED_FAR)

    with translation.override("en"):
        response = client.post(
            f"/en/safety/signals/{found.public_id}/", {"decision": "not_a_case", "reason": "  "}
        )

    assert response.status_code == 400
    assert "Say why this is not a case" in response.content.decode()
    found.refresh_from_db()
    assert found.status == "new"


def test_choosing_a_case_opens_the_case_form_filled_from_the_signal():
    client = client_for(officer())
    found = signal(day_zero=OPENED_FAR)

    response = client.post(f"/sv/safety/signals/{found.public_id}/", {"decision": "case"})
    form = client.get(response["Location"])

    assert response["Location"] == f"/sv/safety/signals/{found.public_id}/case/"
    assert 'value="headache" selected' in form.content.decode()


def test_a_case_is_due_in_90_days_or_15_when_serious_and_valid_with_all_four_criteria():
    client = client_for(officer())
    found = signal(day_zero=OPENED_FAR)
    url = f"/sv/safety/signals/{found.public_id}/case/"
    criteria = {
        "identifiable_reporter": "on",
        "identifiable_patient": "on",
        "suspect_medicine_known": "on",
        "reaction_known": "on",
    }

    client.post(url, {**criteria, "origin": "spontaneous", "narrative": "Huvudvärk i en vecka."})
    the_case = SafetyCase.objects.get(signal=found)
    assert the_case.is_valid
    assert the_case.due_at == OPENED_FAR + timedelta(days=90)

    client.post(
        f"/sv/safety/cases/{the_case.public_id}/",
        {**criteria, "origin": "spontaneous", "hospitalisation": "on"},
    )
    the_case.refresh_from_db()
    assert the_case.is_serious
    assert the_case.due_at == OPENED_FAR + timedelta(days=15)
    found.refresh_from_db()
    assert found.status == "case"


def test_a_case_form_with_bad_input_answers_400_and_keeps_the_narrative():
    client = client_for(officer())
    found = signal(day_zero=OPENED_FAR)
    narrative = "Huvudvärken började på dag tre. " * 400  # over 10,000 characters

    response = client.post(
        f"/sv/safety/signals/{found.public_id}/case/",
        {"origin": "sometimes", "narrative": narrative, "reaction": "no_such_reaction"},
    )

    assert response.status_code == 400
    assert "Huvudvärken började på dag tre." in response.content.decode()
    assert not SafetyCase.objects.exists()


def test_a_closed_case_takes_no_more_changes():
    person = officer()
    client = client_for(person)
    the_case = case_for(signal(day_zero=OPENED_FAR), person)

    refused = client.post(f"/sv/safety/cases/{the_case.public_id}/close/", {"reason": ""})
    closed = client.post(
        f"/sv/safety/cases/{the_case.public_id}/close/", {"reason": "Rapporterad 2025-01-05."}
    )
    changed = client.post(
        f"/sv/safety/cases/{the_case.public_id}/", {"origin": "solicited", "death": "on"}
    )

    assert (refused.status_code, closed.status_code, changed.status_code) == (400, 302, 409)
    the_case.refresh_from_db()
    assert (the_case.status, the_case.death) == ("closed", False)


# --- follow-up ----------------------------------------------------------------------------


def test_a_follow_up_reaches_the_author_privately_and_their_answer_reaches_the_case(
    mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory.create(preferred_language="en")
    post = post_saying(HEADACHE_SV, author=author)
    found = signal(post=post, day_zero=OPENED_FAR)
    person = officer()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(person).post(
            f"/sv/safety/signals/{found.public_id}/follow-up/",
            {"asked_for": ["patient", "outcome"], "note": ""},
        )

    assert response.status_code == 302
    message = SafetyMessage.objects.get(recipient=author)
    assert "Who had the reaction" in message.text  # in the author's language
    assert "lakemedelsverket.se" in message.text
    [mail] = mailoutbox
    assert mail.to == [author.email]
    assert "huvudvärk" not in mail.body.lower()
    assert "headache" not in mail.body.lower()
    found.refresh_from_db()
    assert found.status == "follow_up"

    reader = client_for(author, mfa=False)
    assert reader.get(f"/en/safety/messages/{message.public_id}/").status_code == 200
    answered = reader.post(
        f"/en/safety/messages/{message.public_id}/",
        {"consent_to_contact": "yes", "answer": "I am 54. It stopped when I stopped."},
    )

    assert answered.status_code == 302
    attempt = FollowUpAttempt.objects.get(signal=found)
    assert (attempt.outcome, attempt.consent_to_contact) == ("answered", True)
    page = client_for(person).get(f"/sv/safety/signals/{found.public_id}/").content.decode()
    assert "I am 54. It stopped when I stopped." in page


def test_a_follow_up_to_an_erased_author_is_logged_as_not_delivered():
    found = signal(day_zero=OPENED_FAR, reporter_ref=None)

    attempt = actions.send_follow_up(officer=officer(), signal=found, asked_for=["reaction"])

    assert attempt.outcome == "not_delivered"
    assert not SafetyMessage.objects.exists()


def test_someone_else_s_safety_message_is_a_404():
    post = post_saying(HEADACHE_SV)
    attempt = actions.send_follow_up(
        officer=officer(), signal=signal(post=post, day_zero=OPENED_FAR), asked_for=[]
    )
    message = attempt.message

    response = client_for(UserFactory.create(), mfa=False).get(
        f"/sv/safety/messages/{message.public_id}/"
    )

    assert response.status_code == 404


def test_an_answer_that_is_too_long_comes_back_400_with_the_text_kept():
    post = post_saying(HEADACHE_SV)
    attempt = actions.send_follow_up(
        officer=officer(), signal=signal(post=post, day_zero=OPENED_FAR), asked_for=[]
    )
    text = "Det började efter två veckor. " * 200

    response = client_for(post.author, mfa=False).post(
        f"/sv/safety/messages/{attempt.message.public_id}/",
        {"consent_to_contact": "no", "answer": text},
    )

    assert response.status_code == 400
    assert "Det började efter två veckor." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.outcome == "sent"


def test_signals_and_cases_list_nothing_for_anyone_but_officers():
    from patientvoice.safety.queries import case_list, signal_queue

    signal(day_zero=OPENED_FAR)
    staff = with_second_factor(StaffFactory.create())

    assert list(signal_queue(staff)) == []
    assert list(case_list(staff)) == []
    assert SafetySignal.objects.count() == 1


def test_the_report_link_and_the_composer_notice_render_in_the_page_s_language():
    from django.template import Context, Template

    with translation.override("en"):
        html = Template("{% load safety %}{% report_yourself %}{% side_effect_notice %}").render(
            Context({})
        )

    assert 'href="https://www.lakemedelsverket.se/rapportera-biverkningar"' in html
    assert "Report a side effect yourself to Läkemedelsverket" in html
    assert "without your handle or e-mail address" in html


def test_every_safety_page_answers_its_own_people():
    person = officer()
    post = post_saying(HEADACHE_SV)
    found = signal(post=post, day_zero=OPENED_FAR)
    attempt = actions.send_follow_up(officer=person, signal=found, asked_for=["medicine"])
    other = signal(day_zero=OPENED_FAR, reaction="nausea")
    client = client_for(person)

    assert client.get(f"/sv/safety/signals/{found.public_id}/follow-up/").status_code == 200
    assert client.get(f"/sv/safety/signals/{other.public_id}/case/").status_code == 200
    assert client.get("/sv/safety/cases/?status=closed").status_code == 200
    assert client.get("/sv/safety/?status=follow_up&page=99").status_code == 200
    author = client_for(post.author, mfa=False)
    assert author.get("/sv/safety/messages/").status_code == 200
    assert author.get(f"/sv/safety/messages/{attempt.message.public_id}/").status_code == 200
