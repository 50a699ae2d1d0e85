"""A member's history for moderators, the transparency report and its CSV, and what
moderation hands over and forgets about a person."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import patientvoice
from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import ErasureMode
from patientvoice.core.testing.querysets import guarded_models, scan_files
from patientvoice.moderation import actions, queries, registry
from patientvoice.moderation.exporters import export_moderation
from patientvoice.moderation.models import (
    Case,
    Decision,
    ModeratorNote,
    Report,
    StatementOfReasons,
)

from .factories import PostFactory, ThreadFactory, flagged

pytestmark = pytest.mark.django_db


def hide(moderator, case, **kwargs):
    kwargs.setdefault("reason_code", "community_guidelines")
    return actions.decide(
        moderator=moderator, case=case, action="hide", explanation="Hurtful.", **kwargs
    )


# --- member history -----------------------------------------------------------------------


def test_a_moderator_sees_a_members_history_within_their_communities(
    post, author, moderator, other_community, foreign_moderator, organization, org_moderator
):
    elsewhere = PostFactory.create(
        thread=ThreadFactory.create(community=other_community), author=author
    )
    here_decision = hide(moderator, flagged(post))
    hide(foreign_moderator, flagged(elsewhere))
    actions.add_note(
        moderator=org_moderator, member=author, text="Talked on the phone.",
        organization=organization,
    )  # fmt: skip

    history = queries.member_history(moderator, author)

    assert [d.pk for d in history.decisions] == [here_decision.pk]
    assert [c.community for c in history.cases] == [post.community]
    assert post.pk not in [p.pk for p in history.content["post"]]  # hidden from readers
    assert elsewhere.pk not in [p.pk for p in history.content["post"]]  # hidden too
    assert history.notes == []  # a community moderator holds no organisation role
    assert [n.text for n in queries.member_history(org_moderator, author).notes] == [
        "Talked on the phone."
    ]


def test_someone_who_moderates_nothing_gets_no_history(author, reader):
    with pytest.raises(PermissionDenied):
        queries.member_history(reader, author)


def test_the_history_costs_a_fixed_number_of_queries(
    thread, author, moderator, django_assert_num_queries
):
    for _ in range(2):
        hide(moderator, flagged(PostFactory.create(thread=thread, author=author)))
    # the role check, one query per kind with authored content (posts, reviews,
    # provider replies, expert notes, replies to them, stories, ...), one per list
    # (cases, decisions, sanctions, notes), and the sanctions rule's own role check
    authored_kinds = sum(1 for k in registry.kinds() if k.authored_by is not None)
    assert authored_kinds >= 5
    expected = 1 + authored_kinds + 4 + 1
    with django_assert_num_queries(expected):
        queries.member_history(moderator, author)
    for _ in range(5):
        hide(moderator, flagged(PostFactory.create(thread=thread, author=author)))

    with django_assert_num_queries(expected):
        history = queries.member_history(moderator, author)
    assert len(history.decisions) == 7


# --- transparency -------------------------------------------------------------------------


def test_the_transparency_report_counts_notices_actions_automation_and_appeals(
    thread, author, moderator, second_moderator
):
    start = timezone.now() - timedelta(minutes=1)
    first = PostFactory.create(thread=thread, author=author)
    second = PostFactory.create(thread=thread, author=author)
    actions.send_notice(
        name="V", email="v@example.org", kind="post", obj=first, explanation="Defamation.",
        illegal_type="defamation", good_faith=True,
    )  # fmt: skip
    decision = actions.decide(
        moderator=moderator, case=Case.objects.get(object_id=first.pk), action="remove",
        reason_code="illegal_content", explanation="Names a person as a criminal.",
    )  # fmt: skip
    actions.decide(
        moderator=None, case=flagged(second, reason="spam"), action="hide",
        reason_code="spam", explanation="Same link everywhere.", automated=True,
    )  # fmt: skip
    appeal = actions.appeal(appellant=author, statement=decision.statement, text="It is true.")
    actions.decide_appeal(
        moderator=second_moderator, appeal=appeal, outcome="upheld", reason="Unproven claim."
    )

    report = queries.transparency(start, timezone.now() + timedelta(minutes=1))

    assert report["notices"] == {
        "total": 1,
        "by_type": {"defamation": 1},
        "from_trusted_flaggers": 0,
    }
    assert report["flags"]["by_reason"] == {"spam": 1}
    assert report["actions"]["by_action"] == {"hide": 1, "remove": 1}
    assert report["actions"]["by_reason"] == {"illegal_content": 1, "spam": 1}
    assert report["actions"]["on_legal_grounds"] == 1
    assert report["automation"] == {
        "automated_detection": 0, "automated_decisions": 1, "manual_decisions": 1,
    }  # fmt: skip
    assert report["median_hours_to_action"] is not None
    assert report["appeals"]["by_outcome"] == {"upheld": 1}


def test_an_empty_period_reports_zeros(staff):
    now = timezone.now()

    report = queries.transparency(now - timedelta(days=1), now)

    assert report["actions"]["total"] == 0
    assert report["median_hours_to_action"] is None
    assert report["appeals"]["total"] == 0


def test_the_csv_has_one_row_per_decision_with_the_dsa_fields_and_no_personal_data(
    post, author, moderator
):
    start = timezone.now() - timedelta(minutes=1)
    decision = hide(moderator, flagged(post, reason="harassment"))

    rows = list(queries.transparency_rows(start, timezone.now() + timedelta(minutes=1)))
    text = io.StringIO()
    csv.writer(text).writerows(rows)

    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["statement_reference"] == decision.statement.reference
    assert record["action"] == "hide"
    assert record["ground_type"] == "terms_of_service"
    assert record["report_reason"] == "harassment"
    assert record["source"] == "flag"
    assert record["automated_decision"] == "no"
    assert record["appealed"] == "no"
    assert author.handle not in text.getvalue()
    assert "Reply body" not in text.getvalue()


# --- export and erasure ---------------------------------------------------------------------


def test_the_export_holds_the_decisions_about_the_person_and_their_reports(
    post, author, reader, moderator
):
    hide(moderator, flagged(post, by=reader, reason="spam"))

    authors = build_export(author)["moderation"]
    readers = build_export(reader)["moderation"]

    assert [d["restriction"] for d in authors["decisions_about_you"]] == ["hide"]
    assert [r["reason"] for r in readers["reports_you_sent"]] == ["spam"]
    assert readers["decisions_about_you"] == []


def test_erasure_keeps_the_records_and_forgets_the_person(post, author, moderator, staff):
    decision = hide(moderator, flagged(post))
    actions.add_note(moderator=staff, member=author, text="Second account?")
    account_actions.request_erasure(user=author, mode=ErasureMode.REMOVE)

    account_actions.erase_account(user=author)

    statement = StatementOfReasons.objects.get(pk=decision.statement.pk)
    assert statement.recipient is None  # pseudonymised: the record stays
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert not ModeratorNote.objects.exists()
    assert Case.objects.get().excerpt == ""
    assert Report.objects.get().excerpt == ""


def test_no_moderation_read_builds_an_unfiltered_queryset_of_private_content():
    root = Path(patientvoice.__file__).parent
    files = [root / "moderation" / "queries.py"]

    assert scan_files(files, guarded_models(), root.parent) == []


def test_the_moderation_export_costs_nine_queries_however_much_there_is(
    post, author, reader, moderator, django_assert_num_queries
):
    # accounts/tests/test_export.py counts these nine in EXPORT_QUERIES.
    hide(moderator, flagged(post, by=reader))

    with django_assert_num_queries(9):
        section = export_moderation(author)

    assert len(section["decisions_about_you"]) == 1
