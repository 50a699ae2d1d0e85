"""Signals from the publishing pipeline: what opens one, what it keeps, idempotency,
Day 0, and survival of deletion and erasure (decisions/0036)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.communities import actions as community_actions
from patientvoice.communities.tests.factories import PHONE_BODY
from patientvoice.core.publishing import run_after_publish
from patientvoice.moderation.models import Case
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.reviews.tests.factories import review
from patientvoice.safety import actions
from patientvoice.safety.models import ReporterRef, SafetyCase, SafetySignal
from patientvoice.safety.queries import own_signalled_ids

from .factories import (  # noqa: F401 - fixtures
    HEADACHE_EN,
    HEADACHE_SV,
    CommunityFactory,
    StaffFactory,
    UserFactory,
    _starter_detector_built,
    client_for,
    officer,
    post_saying,
    signals_of,
    starter_detector,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("patientvoice.safety.tests.urls"),
    pytest.mark.usefixtures("starter_detector"),
]


def words(found, span_field):
    start, end = getattr(found, span_field)
    return found.excerpt[start:end]


def run_hooks(content):
    run_after_publish.call(content._meta.label, content.pk)


def test_a_published_post_about_a_medicine_and_a_reaction_opens_a_signal_with_its_snapshot(
    django_capture_on_commit_callbacks,
):
    author = UserFactory.create(handle="anna_writes")
    with django_capture_on_commit_callbacks(execute=True):
        post = post_saying(HEADACHE_SV, author=author)

    [found] = signals_of(post)

    assert (found.medicine_slug, found.reaction, found.status) == ("sertraline", "headache", "new")
    assert words(found, "reaction_span") == "huvudvärk"
    assert words(found, "medicine_span") == "Sertralin"
    assert found.confidence >= 0.5
    assert found.origin == "spontaneous"
    assert found.day_zero == post.published_at
    assert found.day_zero_basis == "published"
    assert (found.language, found.audience) == ("sv", "public")
    assert found.place == post.community.name
    assert found.reporter_ref == ReporterRef.objects.get(user=author).ref
    assert "anna_writes" not in found.excerpt


def test_running_the_hook_again_opens_no_second_signal():
    post = post_saying(HEADACHE_EN, language="en")

    run_hooks(post)
    run_hooks(post)

    assert len(signals_of(post)) == 1


def test_an_edit_that_adds_a_mention_opens_only_the_new_signal():
    author = UserFactory.create()
    post = post_saying(HEADACHE_SV, author=author)
    run_hooks(post)
    first = signals_of(post)[0]

    community_actions.edit_post(
        user=author, post=post, body=HEADACHE_SV + " Och jag mår illa av Sertralin också."
    )
    run_hooks(post)

    found = signals_of(post)
    assert [s.reaction for s in found] == ["headache", "nausea"]
    assert found[0].pk == first.pk
    assert found[0].day_zero == first.day_zero
    post.refresh_from_db()
    assert found[1].day_zero == post.edited_at


def test_a_denied_reaction_opens_no_signal():
    post = post_saying("Jag fick ingen huvudvärk alls av Sertralin, skönt.")

    run_hooks(post)

    assert signals_of(post) == []


def test_a_post_in_a_private_community_is_screened_too():
    community = CommunityFactory.create(private=True)

    post = post_saying(HEADACHE_SV, community=community)
    run_hooks(post)

    [found] = signals_of(post)
    assert found.audience == "private"


def test_a_held_post_has_no_day_zero_until_a_moderator_opens_its_case(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_saying(PHONE_BODY + " " + HEADACHE_SV)
    [found] = signals_of(post)
    assert (found.content_status, found.day_zero) == ("held", None)
    case = Case.objects.get(kind="post", object_id=post.pk)
    moderator = with_second_factor(StaffFactory.create())

    before = timezone.now()
    response = client_for(moderator).get(f"/sv/moderation/queue/{case.public_id}/")

    assert response.status_code == 200
    found.refresh_from_db()
    assert found.day_zero is not None
    assert found.day_zero >= before
    assert found.day_zero_basis == "seen"


def test_held_content_published_before_anyone_saw_it_counts_from_its_publication(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_saying(PHONE_BODY + " " + HEADACHE_SV)
    assert signals_of(post)[0].day_zero is None

    post.status, post.published_at = "published", timezone.now()
    post.save(update_fields=["status", "published_at"])
    run_hooks(post)

    [found] = signals_of(post)
    assert found.day_zero == post.published_at
    assert found.day_zero_basis == "published"


def test_a_first_sight_before_publication_is_day_zero(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_saying(PHONE_BODY + " " + HEADACHE_SV)
    seen = timezone.now() - timedelta(hours=5)
    actions.record_staff_sight(content=post, at=seen)

    post.status, post.published_at = "published", timezone.now()
    post.save(update_fields=["status", "published_at"])
    run_hooks(post)

    assert signals_of(post)[0].day_zero == seen


def test_an_officer_seeing_an_unseen_held_signal_in_the_queue_starts_its_clock(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_saying(PHONE_BODY + " " + HEADACHE_SV)

    response = client_for(officer()).get("/sv/safety/")

    assert response.status_code == 200
    found = signals_of(post)[0]
    assert found.day_zero is not None
    assert found.day_zero_basis == "seen"


def test_a_review_s_side_effect_answers_open_solicited_signals():
    from patientvoice.directory.models import Medicine

    sertraline = Medicine.objects.get(slug="sertraline")
    written = review(sertraline, side_effects=["headache", "dizziness"], body="")

    run_hooks(written)

    found = {s.reaction: s for s in signals_of(written)}
    assert set(found) == {"headache", "dizziness"}
    assert {s.origin for s in found.values()} == {"solicited"}
    assert found["headache"].medicine_slug == "sertraline"
    assert found["headache"].place == "reviews"
    assert words(found["headache"], "reaction_span") == "Huvudvärk"


def test_a_medicine_review_that_does_not_name_the_medicine_is_read_as_about_it():
    from patientvoice.directory.models import Medicine

    sertraline = Medicine.objects.get(slug="sertraline")
    written = review(sertraline, body="Jag mår illa varje morgon sedan jag började.")

    run_hooks(written)

    [found] = [s for s in signals_of(written) if s.field == "body"]
    assert (found.medicine_slug, found.reaction, found.origin) == (
        "sertraline",
        "nausea",
        "spontaneous",
    )
    assert found.medicine_span is None
    assert found.excerpt.startswith("Jag mår illa")


def test_a_signal_survives_the_deletion_of_its_post():
    author = UserFactory.create()
    post = post_saying(HEADACHE_SV, author=author)
    run_hooks(post)

    community_actions.delete_post(user=author, post=post)

    [found] = signals_of(post)
    assert found.excerpt == HEADACHE_SV


def test_a_signal_survives_the_erasure_of_its_author_and_names_nobody():
    author = UserFactory.create(handle="erase_me_please", email="erase.me@example.org")
    post = post_saying(HEADACHE_SV, author=author)
    run_hooks(post)
    the_officer = officer()
    [found] = signals_of(post)
    actions.open_case(officer=the_officer, signal=found, origin="spontaneous")
    account_actions.request_erasure(user=author, mode="remove")

    account_actions.erase_account(user=author)

    survivor = SafetySignal.objects.get(pk=found.pk)
    assert survivor.excerpt == HEADACHE_SV
    assert survivor.case.reporter_ref == survivor.reporter_ref
    assert survivor.reporter_ref is not None
    assert not ReporterRef.objects.filter(ref=survivor.reporter_ref).exists()
    kept = [
        *SafetySignal.objects.filter(pk=found.pk).values().get().values(),
        *SafetyCase.objects.filter(signal=found).values().get().values(),
    ]
    assert not any("erase_me_please" in str(v) or "erase.me@" in str(v) for v in kept)


def test_a_moderator_sending_a_post_to_the_safety_queue_opens_a_signal_even_without_a_detection():
    post = post_saying("Efter sprutan kunde jag inte gå på två dagar.")
    moderator = with_second_factor(StaffFactory.create())

    actions.open_signals_from_escalation(content=post, moderator=moderator)
    actions.open_signals_from_escalation(content=post, moderator=moderator)

    [found] = signals_of(post)
    assert (found.source, found.medicine_slug, found.reaction) == ("moderator", "", "")
    assert found.excerpt.startswith("Efter sprutan")


def test_own_signalled_ids_tells_the_author_and_nobody_else():
    author = UserFactory.create()
    flagged_post = post_saying(HEADACHE_SV, author=author)
    quiet_post = post_saying("Hej allihop, vilket fint väder.", author=author)
    run_hooks(flagged_post)
    run_hooks(quiet_post)
    ids = [flagged_post.pk, quiet_post.pk]

    assert own_signalled_ids(author, "communities.post", ids) == {flagged_post.pk}
    assert own_signalled_ids(UserFactory.create(), "communities.post", ids) == set()


def test_an_expert_note_in_a_members_only_community_is_screened_with_its_place():
    from patientvoice.expertnotes.tests.factories import members_only_post, note

    written = note(
        target=members_only_post(),
        body="Yrsel av Sertralin är vanligt de första veckorna, och min patient fick det.",
    )

    run_hooks(written)

    found = signals_of(written)
    assert found
    assert {s.audience for s in found} == {"members"}
    assert {s.content_kind for s in found} == {"expertnotes.expertnote"}
