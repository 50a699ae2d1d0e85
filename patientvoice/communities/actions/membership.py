"""Joining, asking to join, leaving."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.notifications.tasks import reconcile_after_leaving

from ..models import (
    Community,
    JoinRequest,
    JoinRequestStatus,
    Membership,
)
from ..permissions import (
    check_moderate_community,
)


@transaction.atomic
def join_community(*, user: User, community: Community) -> Membership:
    membership, created = Membership.objects.get_or_create(community=community, user=user)
    if created:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
    return membership


@transaction.atomic
def request_to_join(*, user: User, community: Community, answer: str) -> JoinRequest:
    """Ask to join ``community`` (private: a moderator decides), answering its join
    questions. Preconditions: the person is not a member, and the caller has checked
    that they may ask (the community's ask page is open to them). Effects: one pending
    request per person and community; asking again while one is pending updates its
    answer. The answer is cut at ``JoinRequest.MAX_ANSWER_LENGTH``."""
    answer = answer.strip()[: JoinRequest.MAX_ANSWER_LENGTH]
    pending = (
        JoinRequest.objects.select_for_update()
        .filter(community=community, user=user, status=JoinRequestStatus.PENDING)
        .first()
    )
    if pending is not None:
        if pending.answer != answer:
            pending.answer = answer
            pending.save(update_fields=["answer", "updated_at"])
        return pending
    return JoinRequest.objects.create(community=community, user=user, answer=answer)


def _decide(*, actor: User, join_request: JoinRequest, status: str) -> JoinRequest:
    check_moderate_community(actor, join_request.community)
    updated = JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequestStatus.PENDING
    ).update(status=status, decided_by=actor, decided_at=timezone.now(), updated_at=timezone.now())
    if not updated:
        raise ValueError("This request was decided already.")
    join_request.refresh_from_db()
    audit.record(
        actor=actor,
        action=f"communities.join_request_{status}",
        target=join_request.community,
        data={"user": str(join_request.user.public_id), "request": join_request.pk},
    )
    return join_request


@transaction.atomic
def approve_join_request(*, actor: User, join_request: JoinRequest) -> Membership:
    """Let the person in. Raises ``Http404`` unless ``actor`` may moderate the
    community (``permissions.can_moderate_community``), ``ValueError`` when the request
    was decided already. Effects: the request is approved (who, when), the person
    joins through ``join_community``; audited."""
    _decide(actor=actor, join_request=join_request, status=JoinRequestStatus.APPROVED)
    return join_community(user=join_request.user, community=join_request.community)


@transaction.atomic
def decline_join_request(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    """Say no. Raises as ``approve_join_request``. Effects: the request is declined
    (who, when) and the person may ask again later; audited."""
    return _decide(actor=actor, join_request=join_request, status=JoinRequestStatus.DECLINED)


@transaction.atomic
def leave_community(*, user: User, community: Community) -> bool:
    deleted, _ = Membership.objects.filter(community=community, user=user).delete()
    if deleted:
        Community.objects.filter(pk=community.pk, member_count__gt=0).update(
            member_count=F("member_count") - 1
        )
        transaction.on_commit(lambda: reconcile_after_leaving.enqueue(user_id=user.pk))
    return bool(deleted)


@transaction.atomic
def leave_all_communities(user: User) -> int:
    """Erasure, both modes: end every membership of ``user`` and keep each
    community's ``member_count`` right (deleting the user row would cascade the
    memberships away without touching the counts). Returns how many were ended."""
    community_ids = list(
        Membership.objects.filter(user=user).values_list("community_id", flat=True)
    )
    Membership.objects.filter(user=user).delete()
    Community.objects.filter(pk__in=community_ids, member_count__gt=0).update(
        member_count=F("member_count") - 1
    )
    return len(community_ids)
