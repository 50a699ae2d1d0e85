"""A sponsor-controlled deployment (``PV_SPONSOR_CONTROLLED``): texts by sponsor staff
wait for a recorded medical and legal approval, which site staff record and which
publishes them (decisions/0038)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Post
from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory
from patientvoice.core.models import AuditEntry, ContentStatus
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.moderation.models import Case, CaseStatus
from patientvoice.moderation.permissions import visible_cases
from patientvoice.moderation.tests.factories import community_moderator
from patientvoice.organizations import sponsor_approval
from patientvoice.organizations.models import SponsorContentApproval, StaffRole

from .sponsor_factories import sponsor, staff_of

pytestmark = pytest.mark.django_db

TEXT = "We fund this community. Read about our support programme for patients."


@pytest.fixture
def controlled(settings: Any) -> None:
    settings.PV_SPONSOR_CONTROLLED = True


@pytest.fixture
def community() -> Community:
    return CommunityFactory.create()


@pytest.fixture
def worker(community: Community, django_capture_on_commit_callbacks: Any) -> User:
    """Someone who works for a sponsor, and a member of ``community``."""
    with django_capture_on_commit_callbacks(execute=True):
        person = staff_of(sponsor(name="Pharma Nordic AB"), role=StaffRole.MODERATOR)
    community_actions.join_community(user=person, community=community)
    return person


@pytest.fixture
def staff() -> User:
    person = StaffFactory.create()
    log_in_with_mfa(Client(), person)  # a second factor: powers active
    return person


def _reply(author: User, community: Community, commit: Any, body: str = TEXT) -> Post:
    thread = ThreadFactory.create(community=community)
    with commit(execute=True):  # the after-publish hooks open the moderation case
        result = community_actions.reply_to_thread(
            author=author, thread=thread, body=body, language="sv"
        )
    post = result.content
    assert isinstance(post, Post)
    return post


def _case_of(post: Post) -> Case:
    return Case.objects.get(kind="post", object_id=post.pk, status=CaseStatus.OPEN)


def test_with_the_setting_off_sponsor_staff_publish_like_anyone(
    worker: User, community: Community, django_capture_on_commit_callbacks: Any
) -> None:
    post = _reply(worker, community, django_capture_on_commit_callbacks)

    assert post.status == ContentStatus.PUBLISHED


def test_a_sponsor_text_is_held_and_its_author_told_why(
    controlled: None, worker: User, community: Community
) -> None:
    thread = ThreadFactory.create(community=community)

    result = community_actions.reply_to_thread(
        author=worker, thread=thread, body=TEXT, language="sv"
    )

    assert result.held
    assert result.content.hold_reasons == [sponsor_approval.APPROVAL_REQUIRED]
    with translation.override("en"):
        assert any("medical and legal approval" in str(m) for m in result.hold_messages)


def test_other_people_publish_as_before_in_a_sponsor_controlled_deployment(
    controlled: None, community: Community, django_capture_on_commit_callbacks: Any
) -> None:
    patient = UserFactory.create()
    community_actions.join_community(user=patient, community=community)

    post = _reply(patient, community, django_capture_on_commit_callbacks)

    assert post.status == ContentStatus.PUBLISHED


def test_only_site_staff_see_the_held_sponsor_text_in_the_queues(
    controlled: None,
    worker: User,
    community: Community,
    staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    moderator = community_moderator(community)
    case = _case_of(_reply(worker, community, django_capture_on_commit_callbacks))

    assert not visible_cases(moderator, Case.objects.filter(pk=case.pk)).exists()
    assert visible_cases(staff, Case.objects.filter(pk=case.pk)).exists()
    assert list(sponsor_approval.approval_queue(staff)) == [case]
    assert list(sponsor_approval.approval_queue(moderator)) == []


def test_staff_record_the_approval_and_the_text_is_published(
    controlled: None,
    worker: User,
    community: Community,
    staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = _reply(worker, community, django_capture_on_commit_callbacks)

    approval = sponsor_approval.approve_sponsor_content(
        actor=staff,
        case=_case_of(post),
        approver="Dr Eva Lind, medical signatory",
        reference="PN-2026-114",
    )

    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert approval.body_sha256 == sponsor_approval.text_sha256(TEXT)
    assert (approval.author, approval.recorded_by) == (worker, staff)
    assert approval.sponsor is not None
    assert approval.sponsor.name == "Pharma Nordic AB"
    assert AuditEntry.objects.filter(action="organizations.sponsor_text_approved").exists()
    assert AuditEntry.objects.filter(action="moderation.keep").exists()


def test_keeping_a_sponsor_text_without_its_approval_is_refused(
    controlled: None,
    worker: User,
    community: Community,
    staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = _reply(worker, community, django_capture_on_commit_callbacks)

    with pytest.raises(sponsor_approval.ApprovalRequired), translation.override("en"):
        sponsor_approval.check_release("keep", post)
    sponsor_approval.check_release("hide", post)  # hiding or removing stays possible
    SponsorContentApproval.objects.create(
        content_type="communities.post",
        object_id=post.pk,
        body_sha256=sponsor_approval.text_sha256(post.body),
        approver="Dr Eva Lind",
        reference="PN-1",
    )
    sponsor_approval.check_release("keep", post)  # approved: nothing to refuse


def test_an_edited_text_waits_for_a_new_approval(
    controlled: None,
    worker: User,
    community: Community,
    staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = _reply(worker, community, django_capture_on_commit_callbacks)
    sponsor_approval.approve_sponsor_content(
        actor=staff, case=_case_of(post), approver="Dr Eva Lind", reference="PN-1"
    )
    post.refresh_from_db()

    result = community_actions.edit_post(user=worker, post=post, body=TEXT + " Now cheaper!")

    assert result.held
    with pytest.raises(sponsor_approval.ApprovalRequired):
        sponsor_approval.check_release("keep", result.content)


def test_an_approval_needs_who_approved_it_and_the_reference(
    controlled: None,
    worker: User,
    community: Community,
    staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _case_of(_reply(worker, community, django_capture_on_commit_callbacks))

    with pytest.raises(sponsor_approval.ApprovalError) as refused:
        sponsor_approval.approve_sponsor_content(
            actor=staff, case=case, approver=" ", reference="1"
        )

    assert refused.value.field == "approver"
    assert not SponsorContentApproval.objects.exists()


def test_neither_the_sponsor_nor_a_moderator_can_record_an_approval(
    controlled: None, worker: User, community: Community, django_capture_on_commit_callbacks: Any
) -> None:
    case = _case_of(_reply(worker, community, django_capture_on_commit_callbacks))

    for person in (worker, community_moderator(community)):
        with pytest.raises(PermissionDenied):
            sponsor_approval.approve_sponsor_content(
                actor=person, case=case, approver="Myself", reference="1"
            )


def test_the_approvals_page_publishes_and_a_refused_form_keeps_what_was_typed(
    controlled: None,
    worker: User,
    community: Community,
    staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = _reply(worker, community, django_capture_on_commit_callbacks)
    case = _case_of(post)
    client = Client()
    log_in_with_mfa(client, staff)
    with translation.override("en"):
        url = reverse("organizations:sponsor_approve", args=[case.public_id])
        listed = client.get(reverse("organizations:sponsor_approvals"))
        refused = client.post(url, {"approver": "Dr Eva Lind, medical signatory", "reference": ""})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"approver": "Dr Eva Lind", "reference": "PN-2026-114"})

    assert listed.status_code == 200
    assert TEXT[:40] in listed.text
    assert refused.status_code == 400
    assert "reference for the approval." in refused.text
    assert "Dr Eva Lind, medical signatory" in refused.text
    assert done.status_code == 302
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED


def test_a_member_cannot_reach_the_approvals_page(controlled: None) -> None:
    client = Client()
    log_in(client, UserFactory.create())

    assert client.get(reverse("organizations:sponsor_approvals")).status_code == 403
