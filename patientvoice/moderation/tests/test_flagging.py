"""Members flag what they can see; visitors send notices of illegal content."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404

from patientvoice.moderation import actions
from patientvoice.moderation.errors import FlagLimit, InvalidReport, NoticeTargetNotFound
from patientvoice.moderation.models import Case, CaseSource, CaseStatus, Report, Severity
from patientvoice.moderation.permissions import can_flag

from .factories import (
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
    organization_staff,
)

pytestmark = pytest.mark.django_db


def test_a_member_flags_a_post_and_it_opens_a_case_in_the_communitys_queue(post, reader):
    report = actions.flag(
        reporter=reader, kind="post", obj=post, reason="harassment", explanation="Rude."
    )

    case = report.case
    assert case.status == CaseStatus.OPEN
    assert (case.kind, case.object_id, case.community) == ("post", post.pk, post.community)
    assert case.source == CaseSource.FLAG
    assert case.severity == Severity.MEDIUM
    assert case.author == post.author
    assert "Reply body no." in case.excerpt
    assert report.reference.startswith("PV-")
    assert report.reference.endswith(f"{report.pk:06d}")
    assert report.excerpt == case.excerpt


def test_flagging_the_same_post_twice_gives_back_the_first_report(post, reader):
    first = actions.flag(reporter=reader, kind="post", obj=post, reason="spam")

    second = actions.flag(reporter=reader, kind="post", obj=post, reason="harassment")

    assert second.pk == first.pk
    assert Report.objects.filter(reporter=reader).count() == 1


def test_two_members_flagging_one_post_join_one_case_at_the_higher_severity(post, reader):
    other = UserFactory.create()
    actions.flag(reporter=reader, kind="post", obj=post, reason="spam")

    report = actions.flag(reporter=other, kind="post", obj=post, reason="medical_misinformation")

    assert Case.objects.filter(object_id=post.pk).count() == 1
    assert report.case.severity == Severity.MEDIUM
    assert report.case.reports.count() == 2


def test_a_flood_of_flags_is_refused_and_the_first_flags_are_kept(settings, community, reader):
    settings.PV_FLAGS_PER_HOUR = 3
    thread = ThreadFactory.create(community=community)
    posts = [PostFactory.create(thread=thread) for _ in range(4)]
    for post in posts[:3]:
        actions.flag(reporter=reader, kind="post", obj=post, reason="spam")

    with pytest.raises(FlagLimit) as refused:
        actions.flag(reporter=reader, kind="post", obj=posts[3], reason="spam")

    # Said in the active language: Swedish, the site's default (the root conftest).
    assert str(refused.value) == str(FlagLimit.default_message)
    assert Report.objects.filter(reporter=reader).count() == 3
    assert not Case.objects.filter(object_id=posts[3].pk).exists()


def test_flagging_ones_own_post_is_refused(post, author):
    assert not can_flag(author, post)
    with pytest.raises(PermissionDenied):
        actions.flag(reporter=author, kind="post", obj=post, reason="spam")


def test_a_non_member_flagging_a_members_only_post_they_cannot_see_gets_404(outsider):
    members_only = CommunityFactory.create(members_only=True)
    post = PostFactory.create(thread=ThreadFactory.create(community=members_only))

    assert not can_flag(outsider, post)
    with pytest.raises(Http404):
        actions.flag(reporter=outsider, kind="post", obj=post, reason="spam")
    assert not Case.objects.exists()


def test_a_visitor_cannot_flag(post):
    with pytest.raises(PermissionDenied):
        actions.flag(reporter=AnonymousUser(), kind="post", obj=post, reason="spam")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reason", "explanation", "illegal_type"),
    [("other", "", ""), ("illegal", "It is illegal", ""), ("nonsense", "", "")],
)
def test_a_flag_without_what_its_reason_needs_is_refused(
    post, reader, reason, explanation, illegal_type
):
    with pytest.raises(InvalidReport):
        actions.flag(
            reporter=reader,
            kind="post",
            obj=post,
            reason=reason,
            explanation=explanation,
            illegal_type=illegal_type,
        )
    assert not Report.objects.exists()


def test_a_flag_for_a_risk_of_self_harm_is_urgent(post, reader):
    report = actions.flag(reporter=reader, kind="post", obj=post, reason="self_harm")

    assert report.case.urgent
    assert report.case.severity == Severity.HIGH


def test_a_flag_from_a_trusted_flagger_organisation_marks_the_case_trusted(post, staff):
    flagger_org = OrganizationFactory.create()
    person = organization_staff(flagger_org)
    actions.designate_trusted_flagger(actor=staff, organization=flagger_org)

    report = actions.flag(reporter=person, kind="post", obj=post, reason="spam")

    assert report.trusted
    assert report.case.trusted


def test_a_notice_from_a_trusted_flagger_goes_first_in_the_queue(post, staff):
    flagger_org = OrganizationFactory.create()
    person = organization_staff(flagger_org)
    actions.designate_trusted_flagger(actor=staff, organization=flagger_org)

    report = actions.send_notice(
        name="Petra",
        email="petra@example.org",
        explanation="Defamation of a named person.",
        illegal_type="defamation",
        good_faith=True,
        kind="post",
        obj=post,
        sender=person,
    )

    assert report.trusted
    assert report.case.trusted


def test_a_member_flags_a_profile_for_the_site_queue(reader, author):
    author.bio = "Buy cheap pills at example.com"
    author.save()

    report = actions.flag(reporter=reader, kind="profile", obj=author, reason="spam")

    assert report.case.kind == "profile"
    assert report.case.community is None
    assert report.case.author == author
    assert "Buy cheap pills" in report.case.excerpt


# --- notices (DSA art. 16) ---------------------------------------------------------------


def test_a_visitors_notice_by_address_is_acknowledged_with_its_reference(post, commit):
    url = f"https://patientvoice.example/sv/c/{post.community.slug}/t/{post.thread.public_id}/p/{post.public_id}/"

    report = commit(
        actions.send_notice,
        name="Vera Visitor",
        email="Vera@Example.org",
        url=url,
        explanation="This accuses a named nurse of a crime.",
        illegal_type="defamation",
        good_faith=True,
    )

    assert report.is_notice
    assert (report.kind, report.object_id, report.reporter) == ("post", post.pk, None)
    assert report.case.source == CaseSource.NOTICE
    assert report.case.severity == Severity.HIGH
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.org"]
    assert report.reference in message.subject
    assert report.reference in message.body


def test_a_notice_about_a_post_in_a_private_community_is_answered_like_a_wrong_address():
    private = CommunityFactory.create(private=True)
    post = PostFactory.create(thread=ThreadFactory.create(community=private))

    for url in (
        f"/sv/c/{private.slug}/t/{post.thread.public_id}/#post-{post.public_id}",
        "/nowhere/",
    ):
        with pytest.raises(NoticeTargetNotFound):
            actions.send_notice(
                name="V", email="v@example.org", url=url, explanation="Illegal.",
                illegal_type="fraud", good_faith=True,
            )  # fmt: skip
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("name", "email", "explanation", "illegal_type", "good_faith"),
    [
        ("V", "v@example.org", "Illegal.", "fraud", False),
        ("V", "v@example.org", "", "fraud", True),
        ("", "", "Illegal.", "fraud", True),
        ("V", "v@example.org", "Illegal.", "", True),
    ],
)
def test_a_notice_without_what_the_law_asks_of_it_is_refused(
    post, name, email, explanation, illegal_type, good_faith
):
    with pytest.raises(InvalidReport):
        actions.send_notice(
            name=name, email=email, kind="post", obj=post, explanation=explanation,
            illegal_type=illegal_type, good_faith=good_faith,
        )  # fmt: skip


def test_a_notice_of_child_sexual_abuse_material_may_be_anonymous(post, commit):
    report = commit(
        actions.send_notice,
        name="", email="", kind="post", obj=post, explanation="Abuse material.",
        illegal_type="child_safety", good_faith=True,
    )  # fmt: skip

    assert report.is_notice
    assert report.reporter_email == ""
    assert mail.outbox == []


def test_a_flood_of_notices_from_one_address_is_refused(settings, post):
    settings.PV_FLAGS_PER_HOUR = 2
    for _ in range(2):
        actions.send_notice(
            name="V", email="v@example.org", kind="post", obj=post, explanation="Illegal.",
            illegal_type="fraud", good_faith=True,
        )  # fmt: skip

    with pytest.raises(FlagLimit):
        actions.send_notice(
            name="V", email="V@example.org", kind="post", obj=post, explanation="Illegal.",
            illegal_type="fraud", good_faith=True,
        )  # fmt: skip
    assert Report.objects.count() == 2
