"""Deciding cases: what each action does, what the member is told, what is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Post, PostRevision, Thread
from patientvoice.communities.permissions import visible_posts
from patientvoice.core.models import AuditEntry, ContentStatus
from patientvoice.moderation import actions, queries
from patientvoice.moderation.errors import (
    CaseClosed,
    ContentGone,
    InvalidDecision,
    MemberSanctioned,
)
from patientvoice.moderation.models import (
    Case,
    CaseStatus,
    ContentLabel,
    Decision,
    Sanction,
    StatementOfReasons,
)
from patientvoice.search import indexing as search_indexing
from patientvoice.search.models import SearchEntry

from .factories import (
    PHONE_BODY,
    CommunityFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    flagged,
)

pytestmark = pytest.mark.django_db


def decide(moderator, case, action, **kwargs):
    kwargs.setdefault("reason_code", "community_guidelines")
    kwargs.setdefault("explanation", "The post attacks another member by name.")
    return actions.decide(moderator=moderator, case=case, action=action, **kwargs)


def test_hiding_a_post_takes_it_from_readers_and_tells_the_author_why(
    post, moderator, reader, author, commit
):
    search_indexing.index("communities.post", [post.pk])
    before = post.updated_at
    case = flagged(post, by=reader)

    decision = commit(decide, moderator, case, "hide")

    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    assert post.updated_at > before  # the thread page renders it again
    assert not visible_posts(reader, Post.objects.filter(pk=post.pk)).exists()
    assert visible_posts(author, Post.objects.filter(pk=post.pk)).exists()
    assert not SearchEntry.objects.filter(kind="communities.post", object_id=post.pk).exists()
    assert Thread.objects.get(pk=post.thread_id).post_count == 1  # the opening post only
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert case.decided_at is not None
    assert decision.moderator == moderator
    assert not decision.automated
    statement = decision.statement
    assert statement.recipient == author
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert statement.reference in mail.outbox[0].subject
    assert "The post attacks another member by name." in mail.outbox[0].body


def test_the_statement_of_reasons_says_what_why_on_what_ground_and_how_to_appeal(
    post, moderator, author
):
    case = flagged(post)

    decision = decide(moderator, case, "remove", reason_code="personal_data")

    statement = decision.statement
    assert statement.restriction == "remove"
    assert statement.restriction_text  # what was restricted, in words
    assert statement.content_excerpt == case.excerpt
    assert statement.ground == "personal_data"
    assert statement.ground_text
    assert not statement.illegal
    assert statement.facts == "The post attacks another member by name."
    assert not statement.automated_detection
    assert not statement.automated_decision
    assert statement.appeal_deadline - decision.created_at >= timedelta(days=182)
    assert statement.redress_text
    assert (
        statement.reference
        == f"SOR-{timezone.localtime(decision.created_at).year}-{decision.pk:06d}"
    )
    assert statement.language == author.preferred_language
    assert queries.unread_statement_count(author) == 1


def test_a_statement_on_a_pipeline_hold_says_automated_means_found_it(thread, author, moderator):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    case = actions.open_case(kind="post", obj=held, source="pipeline", reasons=held.hold_reasons)

    decision = decide(moderator, case, "remove", reason_code="personal_data")

    assert decision.statement.automated_detection
    assert not decision.statement.automated_decision


def test_reading_the_statement_clears_the_in_app_notice(post, moderator, author, reader):
    decision = decide(moderator, flagged(post), "hide")

    assert not actions.mark_statement_read(user=reader, statement=decision.statement)
    assert actions.mark_statement_read(user=author, statement=decision.statement)

    assert queries.unread_statement_count(author) == 0
    assert StatementOfReasons.objects.get(pk=decision.statement.pk).read_at is not None


def test_removing_a_post_hides_it_from_its_author_too(post, moderator, author):
    decide(moderator, flagged(post), "remove")

    post.refresh_from_db()
    assert post.status == ContentStatus.REMOVED
    assert post.deleted_at is None  # not the author's deletion: no placeholder
    assert not visible_posts(author, Post.objects.filter(pk=post.pk)).exists()


def test_hiding_the_only_post_of_a_thread_unpublishes_the_thread(community, author, moderator):
    thread = ThreadFactory.create(community=community, author=author)
    opening = Post.objects.get(thread=thread)

    decide(moderator, flagged(opening), "hide")

    thread.refresh_from_db()
    community.refresh_from_db()
    assert not thread.is_published
    assert community.thread_count == 0


def test_keeping_a_held_post_publishes_it(thread, author, moderator, reader, commit):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    assert held.status == ContentStatus.HELD
    published_before = author.published_count
    case = actions.open_case(kind="post", obj=held, source="pipeline", reasons=held.hold_reasons)

    decision = commit(
        decide, moderator, case, "keep", reason_code="no_violation",
        explanation="The number is a public helpline.",
    )  # fmt: skip

    held.refresh_from_db()
    author.refresh_from_db()
    assert held.status == ContentStatus.PUBLISHED
    assert held.hold_reasons == []
    assert held.published_at is not None
    assert author.published_count == published_before + 1
    assert visible_posts(reader, Post.objects.filter(pk=held.pk)).exists()
    assert Thread.objects.get(pk=thread.pk).post_count == 2
    assert SearchEntry.objects.filter(kind="communities.post", object_id=held.pk).exists()
    assert not StatementOfReasons.objects.filter(decision=decision).exists()  # no restriction
    assert mail.outbox == []


def test_keeping_a_held_opening_post_publishes_its_thread(community, author, moderator):
    thread = ThreadFactory.create(community=community, author=author, body=PHONE_BODY)
    opening = Post.objects.get(thread=thread)
    case = actions.open_case(kind="post", obj=opening, source="pipeline", reasons=["x"])

    decide(moderator, case, "keep", reason_code="no_violation", explanation="Fine.")

    thread.refresh_from_db()
    community.refresh_from_db()
    assert thread.is_published
    assert community.thread_count == 1


def test_redacting_replaces_personal_data_with_a_visible_mark_and_keeps_the_original(
    thread, author, moderator, reader
):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    case = actions.open_case(kind="post", obj=held, source="pipeline", reasons=held.hold_reasons)
    redacted = "Call me on [removed by moderators] and we can talk about the side effects."

    decision = decide(moderator, case, "redact", reason_code="personal_data", text=redacted)

    held.refresh_from_db()
    assert held.body == redacted
    assert "[removed by moderators]" in held.body_html
    assert held.status == ContentStatus.PUBLISHED
    assert PostRevision.objects.get(post=held).body == PHONE_BODY
    assert visible_posts(reader, Post.objects.filter(pk=held.pk)).exists()
    assert decision.statement.restriction == "redact"


def test_a_redaction_without_the_mark_is_refused(post, moderator):
    case = flagged(post)

    with pytest.raises(InvalidDecision):
        decide(moderator, case, "redact", text="Quietly rewritten.")

    post.refresh_from_db()
    assert "Reply body" in post.body
    assert not Decision.objects.exists()


def test_a_label_is_shown_with_the_post(post, moderator):
    before = post.updated_at

    decision = decide(
        moderator, flagged(post), "label", reason_code="medical_misinformation",
        label_text="Disputed: see the professional's note",
    )  # fmt: skip

    post.refresh_from_db()
    assert queries.labels_for("post", [post.pk]) == {
        post.pk: ["Disputed: see the professional's note"]
    }
    assert post.updated_at > before
    assert ContentLabel.objects.get().decision == decision


def test_locking_the_thread_through_a_decision(post, moderator, reader):
    decide(moderator, flagged(post), "lock")

    thread = Thread.objects.get(pk=post.thread_id)
    assert thread.is_locked
    with pytest.raises(PermissionDenied):
        community_actions.reply_to_thread(
            author=reader, thread=thread, body="One more", language="sv"
        )


def test_moving_the_thread_through_a_decision(post, organization, moderator, org_moderator):
    target = CommunityFactory.create(organization=organization)

    decision = decide(org_moderator, flagged(post), "move", move_to=target)

    assert Thread.objects.get(pk=post.thread_id).community == target
    assert decision.details["move_to"] == target.pk
    assert decision.details["community"] == post.community_id


def test_merging_is_not_built_and_leaves_nothing_behind(post, moderator):
    case = flagged(post)

    with pytest.raises(NotImplementedError):
        decide(moderator, case, "merge")

    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_suspended_member_cannot_post_in_that_community_until_it_ends(
    post, moderator, author, other_community
):
    until = timezone.now() + timedelta(days=7)

    decision = decide(moderator, flagged(post), "suspend", suspension_until=until)

    sanction = Sanction.objects.get()
    assert (sanction.user, sanction.kind, sanction.until) == (author, "suspension", until)
    assert sanction.community == post.community
    assert decision.statement.restriction == "suspend"
    thread = Thread.objects.get(pk=post.thread_id)
    with pytest.raises(MemberSanctioned) as refused:
        community_actions.reply_to_thread(author=author, thread=thread, body="Hi", language="sv")
    # Said in the active language: Swedish, the site's default (the root conftest).
    assert str(refused.value) == str(MemberSanctioned.message)
    with pytest.raises(MemberSanctioned):
        community_actions.create_thread(
            author=author, community=post.community, title="New", body="Hi", language="sv"
        )
    # Elsewhere the member still posts.
    community_actions.create_thread(
        author=author, community=other_community, title="New", body="Hi", language="sv"
    )
    Sanction.objects.filter(pk=sanction.pk).update(until=timezone.now() - timedelta(seconds=1))
    community_actions.reply_to_thread(author=author, thread=thread, body="Back", language="sv")


def test_a_suspension_needs_an_end_in_the_future(post, moderator):
    with pytest.raises(InvalidDecision):
        decide(moderator, flagged(post), "suspend", suspension_until=timezone.now())


def test_a_site_wide_ban_by_staff_stops_posting_everywhere(post, staff, author, other_community):
    decide(staff, flagged(post), "ban", reason_code="terms_conduct", site_wide=True)

    assert Sanction.objects.get().community is None
    with pytest.raises(MemberSanctioned):
        community_actions.create_thread(
            author=author, community=other_community, title="New", body="Hi", language="sv"
        )


def test_a_community_moderator_cannot_ban_site_wide(post, moderator):
    with pytest.raises(PermissionDenied):
        decide(moderator, flagged(post), "ban", site_wide=True)
    assert not Sanction.objects.exists()


def test_a_warning_does_not_stop_posting(post, moderator, author):
    decide(moderator, flagged(post), "warn")

    assert Sanction.objects.get().kind == "warning"
    community_actions.reply_to_thread(
        author=author, thread=Thread.objects.get(pk=post.thread_id), body="Ok", language="sv"
    )


def test_a_moderator_cannot_decide_outside_their_communities(post, foreign_moderator):
    case = flagged(post)

    with pytest.raises(PermissionDenied):
        decide(foreign_moderator, case, "hide")

    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_a_decided_case_cannot_be_decided_again(post, moderator, second_moderator):
    case = flagged(post)
    decide(moderator, case, "keep", reason_code="no_violation")

    with pytest.raises(CaseClosed):
        decide(second_moderator, case, "hide")
    assert Decision.objects.count() == 1


def test_a_decision_needs_an_explanation_and_a_known_ground(post, moderator):
    case = flagged(post)

    with pytest.raises(InvalidDecision):
        decide(moderator, case, "hide", explanation="   ")
    with pytest.raises(InvalidDecision):
        decide(moderator, case, "hide", reason_code="because")
    with pytest.raises(InvalidDecision):
        decide(moderator, case, "restore_everything")


def test_content_gone_can_only_be_acted_on_through_its_author(post, moderator, author):
    case = flagged(post)
    Post.objects.filter(pk=post.pk).delete()

    with pytest.raises(ContentGone):
        decide(moderator, case, "hide")
    decide(moderator, case, "warn")

    assert Sanction.objects.get().user == author


def test_every_decision_is_audited(post, moderator):
    case = flagged(post)

    decision = decide(moderator, case, "hide")

    entry = AuditEntry.objects.get(action="moderation.hide")
    assert entry.actor == moderator
    assert entry.target_id == str(post.public_id)
    assert entry.reason == decision.explanation
    assert entry.data["case"] == str(case.public_id)
    assert entry.data["community"] == post.community_id
    assert entry.data["statement"] == decision.statement.reference


def test_senders_of_notices_hear_the_outcome(post, moderator, commit):
    commit(
        actions.send_notice,
        name="Vera", email="vera@example.org", kind="post", obj=post,
        explanation="Defames a named doctor.", illegal_type="defamation", good_faith=True,
    )  # fmt: skip
    case = Case.objects.get()
    mail.outbox.clear()

    commit(decide, moderator, case, "remove", reason_code="illegal_content")

    to_vera = [m for m in mail.outbox if m.to == ["vera@example.org"]]
    assert len(to_vera) == 1
    assert Case.objects.get().reports.get().reference in to_vera[0].subject


def test_escalating_restricts_nothing_and_tells_nobody(post, moderator, commit):
    handled: list[Decision] = []
    from patientvoice.moderation import registry

    registry.register_escalation("escalate_safety", handled.append)
    try:
        decision = commit(
            decide, moderator, flagged(post), "escalate_safety", reason_code="no_violation",
            explanation="Mentions a rash after starting a medicine.",
        )  # fmt: skip
    finally:
        registry._ESCALATIONS.pop("escalate_safety", None)

    assert handled == [decision]
    assert not StatementOfReasons.objects.exists()
    assert mail.outbox == []


def test_an_automated_decision_says_so(post, author):
    decision = actions.decide(
        moderator=None, case=flagged(post), action="hide", reason_code="spam",
        explanation="Sent the same link to twenty threads.", automated=True,
    )  # fmt: skip

    assert decision.statement.automated_decision
    assert AuditEntry.objects.get(action="moderation.hide").actor_label == "system"


def test_hiding_a_profile_clears_its_text(author, reader, staff):
    author.bio = "Call 070-123 45 67 for miracle cures"
    author.save()
    case = flagged(author, by=reader, reason="spam")

    decision = decide(staff, case, "hide", reason_code="spam")

    author.refresh_from_db()
    assert author.bio == ""
    assert decision.statement.recipient == author


def test_decisions_are_append_only(post, moderator):
    decision = decide(moderator, flagged(post), "hide")

    with pytest.raises(TypeError):
        Decision.objects.filter(pk=decision.pk).update(explanation="changed")
    with pytest.raises(TypeError):
        decision.save()
    with pytest.raises(TypeError):
        StatementOfReasons.objects.all().delete()


def test_a_hidden_post_in_another_community_is_untouched(other_community, moderator):
    post = PostFactory.create(thread=ThreadFactory.create(community=other_community))
    case = flagged(post)

    with pytest.raises(PermissionDenied):
        decide(moderator, case, "hide")
    assert Community.objects.get(pk=other_community.pk).thread_count == 1


def test_only_a_person_can_decide_without_the_automated_flag(post):
    with pytest.raises(InvalidDecision):
        actions.decide(
            moderator=None, case=flagged(post), action="hide", reason_code="spam",
            explanation="x",
        )  # fmt: skip


def test_a_member_told_of_a_decision_without_a_verified_address_gets_no_e_mail(
    post, moderator, author, commit
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=author).update(verified=False)

    decision = commit(decide, moderator, flagged(post), "hide")

    assert decision.statement is not None
    assert mail.outbox == []


def test_a_member_can_still_post_after_a_sanction_is_lifted(post, moderator, author):
    decide(moderator, flagged(post), "ban")
    Sanction.objects.update(lifted_at=timezone.now())

    result = community_actions.reply_to_thread(
        author=author, thread=Thread.objects.get(pk=post.thread_id), body="Hi", language="sv"
    )

    assert result.published


def test_a_new_member_is_not_sanctioned(post):
    newcomer = UserFactory.create()
    community_actions.join_community(user=newcomer, community=post.community)

    result = community_actions.reply_to_thread(
        author=newcomer, thread=Thread.objects.get(pk=post.thread_id), body="Hi", language="sv"
    )

    assert result.published


def test_keeping_a_held_post_its_author_deleted_meanwhile_does_not_bring_it_back(
    thread, author, moderator
):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    case = actions.open_case(kind="post", obj=held, source="pipeline", reasons=held.hold_reasons)
    community_actions.delete_post(user=author, post=held)

    decide(moderator, case, "keep", reason_code="no_violation", explanation="Fine.")

    held.refresh_from_db()
    assert held.status == ContentStatus.REMOVED
    assert held.deleted_at is not None
