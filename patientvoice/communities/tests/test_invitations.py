"""Invitations to members-only and private communities: links made by moderators
(token stored hashed, shown once), invitations to one person by handle, the link page
(the only way an outsider sees a private community), joining, and use counting that
never lets a link be used more often than it allows."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Invitation, Membership
from patientvoice.communities.queries import guidelines_to_accept
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa

from .conftest import logged_in
from .factories import CommunityFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

GUIDELINES = "Be kind. What is said in the circle stays in the circle."


@pytest.fixture
def moderator() -> User:
    return UserFactory.create()


@pytest.fixture
def private(moderator: User) -> Community:
    community = CommunityFactory.create(
        private=True,
        name="Circle of carers",
        description="For people who care for a parent with dementia.",
    )
    log_in_with_mfa(Client(), moderator)  # a second factor, needed for the role
    actions.make_moderator(actor=None, community=community, user=moderator)
    actions.publish_guidelines(actor=None, community=community, body=GUIDELINES)
    return community


def moderator_client(moderator: User) -> Client:
    client = Client()
    log_in_with_mfa(client, moderator)
    return client


def invite_url(community: Community, token: str) -> str:
    return reverse("communities:invite", kwargs={"slug": community.slug, "token": token})


def make_link(
    community: Community, moderator: User, *, days: int = 14, max_uses: int = 1
) -> tuple[Invitation, str]:
    return actions.create_invitation(
        actor=moderator, community=community, days=days, max_uses=max_uses
    )


# --- Making invitations -----------------------------------------------------------------------


def test_a_new_invitation_stores_only_the_hash_of_its_token(private, moderator):
    invitation, token = make_link(private, moderator)

    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert len(token) >= 43  # 256 random bits


def test_an_invitation_lasts_fourteen_days_and_one_use_by_default(private, moderator):
    invitation, _token = make_link(private, moderator)

    assert invitation.max_uses == 1
    assert invitation.uses == 0
    remaining = invitation.expires_at - timezone.now()
    assert timedelta(days=13, hours=23) < remaining <= timedelta(days=14)


@pytest.mark.parametrize(("days", "max_uses"), [(0, 1), (91, 1), (14, 0), (14, 101)])
def test_an_invitation_lasts_at_most_ninety_days_and_one_hundred_uses(
    private, moderator, days, max_uses
):
    with pytest.raises(ValueError, match="An invitation"):
        make_link(private, moderator, days=days, max_uses=max_uses)


def test_a_public_community_takes_no_invitations(moderator):
    public = CommunityFactory.create()

    with pytest.raises(ValueError, match="public community"):
        actions.create_invitation(actor=moderator, community=public)


def test_the_database_refuses_more_uses_than_allowed(private, moderator):
    invitation, _token = make_link(private, moderator, max_uses=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(uses=2)


def test_making_an_invitation_is_audited(private, moderator):
    invitation, _token = make_link(private, moderator, max_uses=5)

    entry = AuditEntry.objects.get(action="communities.invitation_created")
    assert entry.actor == moderator
    assert entry.data["invitation"] == str(invitation.public_id)
    assert entry.data["max_uses"] == 5


def test_a_moderator_makes_a_link_on_the_page_and_sees_it_only_once(private, moderator):
    client = moderator_client(moderator)
    url = reverse("communities:invitations", kwargs={"slug": private.slug})

    response = client.post(url, {"form": "link", "days": "30", "max_uses": "10"})
    first = client.get(url)
    second = client.get(url)

    assert response.status_code == 302
    invitation = Invitation.objects.get(community=private)
    assert (invitation.max_uses, invitation.uses) == (10, 0)
    assert "/invite/" in first.text
    link = first.text.split('id="new-invitation-link"')[1].split('value="')[1].split('"')[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert Invitation.hash_token(token) == invitation.token_hash
    assert token not in second.text


def test_a_link_with_too_many_uses_comes_back_with_the_reason_and_the_input_kept(
    private, moderator
):
    client = moderator_client(moderator)
    url = reverse("communities:invitations", kwargs={"slug": private.slug})

    response = client.post(url, {"form": "link", "days": "45", "max_uses": "500"})

    assert response.status_code == 400
    assert 'value="45"' in response.text
    assert 'value="500"' in response.text
    assert 'aria-invalid="true"' in response.text or "errorlist" in response.text
    assert not Invitation.objects.exists()


def test_a_moderator_revokes_a_link_and_it_stops_working(private, moderator, outsider):
    invitation, token = make_link(private, moderator)
    client = moderator_client(moderator)

    response = client.post(
        reverse("communities:invitations", kwargs={"slug": private.slug}),
        {"form": "revoke", "invitation": str(invitation.public_id)},
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.filter(action="communities.invitation_revoked").count() == 1
    assert logged_in(outsider).get(invite_url(private, token)).status_code == 404


def test_the_invitations_page_lists_open_invitations_in_a_fixed_number_of_queries(
    private, moderator, django_assert_num_queries
):
    for n in range(12):
        invitee = UserFactory.create()
        if n % 2:
            make_link(private, moderator, max_uses=3)
        else:
            actions.create_invitation(actor=moderator, community=private, invitee=invitee)
    client = moderator_client(moderator)
    url = reverse("communities:invitations", kwargs={"slug": private.slug})
    client.get(url)  # warm the session

    # Session, user; the community, the moderation check (role, second factor) and
    # the invitations with who made them and for whom.
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count('name="form" value="revoke"') == 12


# --- The link page ----------------------------------------------------------------------------


def test_an_outsider_with_the_link_sees_the_private_community_and_its_guidelines(
    private, moderator, outsider
):
    _invitation, token = make_link(private, moderator)

    response = logged_in(outsider).get(invite_url(private, token))

    assert response.status_code == 200
    assert "Circle of carers" in response.text
    assert "For people who care for a parent with dementia." in response.text
    assert "What is said in the circle stays in the circle." in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_the_link_page_shows_no_discussions(private, moderator, outsider, member):
    thread = ThreadFactory.create(community=private, author=member, title="Nights are long")
    _invitation, token = make_link(private, moderator)

    response = logged_in(outsider).get(invite_url(private, token))

    assert thread.title not in response.text
    assert member.handle not in response.text


def test_a_visitor_with_the_link_sees_the_community_and_a_way_to_log_in(private, moderator):
    _invitation, token = make_link(private, moderator)
    url = invite_url(private, token)

    response = Client().get(url)

    assert response.status_code == 200
    assert "Circle of carers" in response.text
    assert f"?next={url}" in response.text.replace("%2F", "/")


def test_a_visitor_joining_is_sent_to_log_in_and_back_to_the_link(private, moderator):
    _invitation, token = make_link(private, moderator)
    url = invite_url(private, token)

    response = Client().post(url)

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert response["Location"].endswith(f"?next={url}".replace("/", "%2F")) or (
        f"next={url}" in response["Location"]
    )


def _normalised_404(response: object, path: str) -> str:
    """The 404 page, with what differs for any two requests taken out: the path (in
    the language switcher, under either prefix) and the per-response CSRF mask."""
    assert response.status_code == 404  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    text = text.replace(path.split("/", 2)[2], "PATH")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


@pytest.mark.parametrize("case", ["wrong token", "expired", "revoked", "used up", "wrong slug"])
def test_an_unusable_link_gives_the_same_404_as_a_community_that_does_not_exist(
    private, moderator, outsider, case
):
    invitation, token = make_link(private, moderator)
    slug = private.slug
    if case == "wrong token":
        token = token[:-4] + "AAAA"
    elif case == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif case == "revoked":
        actions.revoke_invitation(actor=moderator, invitation=invitation)
    elif case == "used up":
        actions.accept_invitation(user=UserFactory.create(), invitation=invitation)
    elif case == "wrong slug":
        slug = CommunityFactory.create(private=True).slug
    client = logged_in(outsider)
    path = reverse("communities:invite", kwargs={"slug": slug, "token": token})
    nowhere = reverse("communities:invite", kwargs={"slug": "no-such-community", "token": token})

    for method in (client.get, client.post):
        unusable = _normalised_404(method(path), path)
        missing = _normalised_404(method(nowhere), nowhere)

        assert unusable == missing
        assert "Circle of carers" not in unusable
    assert not Membership.objects.filter(community=private, user=outsider).exists()


def test_a_used_up_link_gives_404(private, moderator, outsider):
    _invitation, token = make_link(private, moderator, max_uses=1)
    assert logged_in(UserFactory.create()).post(invite_url(private, token)).status_code == 302

    assert logged_in(outsider).get(invite_url(private, token)).status_code == 404
    assert logged_in(outsider).post(invite_url(private, token)).status_code == 404
    assert not Membership.objects.filter(community=private, user=outsider).exists()


# --- Joining ----------------------------------------------------------------------------------


def test_joining_through_the_link_makes_a_member_and_counts_one_use(private, moderator, outsider):
    invitation, token = make_link(private, moderator, max_uses=3)

    response = logged_in(outsider).post(invite_url(private, token))

    assert response.status_code == 302
    assert response["Location"] == private.get_absolute_url()
    assert Membership.objects.filter(community=private, user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.uses == 1
    private.refresh_from_db()
    assert private.member_count == 2  # the moderator and the new member
    entry = AuditEntry.objects.get(action="communities.invitation_used")
    assert entry.actor == outsider


def test_a_member_opening_the_link_goes_to_the_community_and_uses_nothing(
    private, moderator, member
):
    actions.join_community(user=member, community=private)
    invitation, token = make_link(private, moderator)

    get = logged_in(member).get(invite_url(private, token))
    post = logged_in(member).post(invite_url(private, token))

    assert get.status_code == post.status_code == 302
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_two_people_taking_the_last_use_at_once_cannot_both_join(private, moderator):
    invitation, _token = make_link(private, moderator, max_uses=1)
    # Both requests read the invitation while it still had a use left.
    seen_by_first = Invitation.objects.get(pk=invitation.pk)
    seen_by_second = Invitation.objects.get(pk=invitation.pk)
    first, second = UserFactory.create(), UserFactory.create()

    actions.accept_invitation(user=first, invitation=seen_by_first)
    with pytest.raises(actions.InvitationUnusable):
        actions.accept_invitation(user=second, invitation=seen_by_second)

    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert Membership.objects.filter(community=private, user=first).exists()
    assert not Membership.objects.filter(community=private, user=second).exists()


def test_a_link_for_three_lets_exactly_three_people_in(private, moderator):
    invitation, token = make_link(private, moderator, max_uses=3)
    people = UserFactory.create_batch(4)

    statuses = [logged_in(p).post(invite_url(private, token)).status_code for p in people]

    assert statuses == [302, 302, 302, 404]
    invitation.refresh_from_db()
    assert invitation.uses == 3


def test_a_new_member_by_invitation_still_accepts_the_guidelines_before_posting(
    private, moderator, outsider
):
    _invitation, token = make_link(private, moderator)
    client = logged_in(outsider)
    client.post(invite_url(private, token))

    form = client.get(reverse("communities:thread_create", kwargs={"slug": private.slug}))

    assert guidelines_to_accept(outsider, private) is not None
    assert form.status_code == 200
    assert 'name="accept_guidelines"' in form.text


def test_a_members_only_community_takes_invitations_too(moderator, outsider):
    community = CommunityFactory.create(members_only=True)
    log_in_with_mfa(Client(), moderator)
    actions.make_moderator(actor=None, community=community, user=moderator)
    _invitation, token = make_link(community, moderator)

    response = logged_in(outsider).post(invite_url(community, token))

    assert response.status_code == 302
    assert Membership.objects.filter(community=community, user=outsider).exists()


# --- Inviting one person by handle ------------------------------------------------------------


def invite_by_handle(client: Client, community: Community, handle: str) -> object:
    return client.post(
        reverse("communities:invitations", kwargs={"slug": community.slug}),
        {"form": "handle", "handle": handle, "days": "14"},
    )


def test_a_moderator_invites_a_member_by_handle(private, moderator, outsider):
    response = invite_by_handle(moderator_client(moderator), private, f"@{outsider.handle}")

    assert response.status_code == 302  # type: ignore[attr-defined]
    invitation = Invitation.objects.get(community=private)
    assert invitation.invitee == outsider
    assert invitation.max_uses == 1


def test_an_unknown_handle_comes_back_with_the_reason_and_the_input_kept(private, moderator):
    response = invite_by_handle(moderator_client(moderator), private, "nobody-by-this-name")

    assert response.status_code == 400  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    assert "nobody-by-this-name" in text
    assert not Invitation.objects.exists()


def test_a_member_cannot_be_invited_again(private, moderator, member):
    actions.join_community(user=member, community=private)

    response = invite_by_handle(moderator_client(moderator), private, member.handle)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not Invitation.objects.exists()


def test_the_invited_person_finds_the_invitation_and_joins(private, moderator, outsider):
    invitation, _token = actions.create_invitation(
        actor=moderator, community=private, invitee=outsider
    )
    client = logged_in(outsider)

    page = client.get(reverse("communities:my_invitations"))
    response = client.post(
        reverse("communities:answer_invitation"),
        {"invitation": str(invitation.public_id), "answer": "accept"},
    )

    assert "Circle of carers" in page.text
    assert response.status_code == 302
    assert Membership.objects.filter(community=private, user=outsider).exists()
    assert client.get(reverse("communities:my_invitations")).text.count("Circle of carers") == 0


def test_the_invited_person_may_decline(private, moderator, outsider):
    invitation, _token = actions.create_invitation(
        actor=moderator, community=private, invitee=outsider
    )

    response = logged_in(outsider).post(
        reverse("communities:answer_invitation"),
        {"invitation": str(invitation.public_id), "answer": "decline"},
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not Membership.objects.filter(community=private, user=outsider).exists()


def test_an_invitation_to_someone_else_is_a_404_for_anyone_else(private, moderator, outsider):
    intended = UserFactory.create()
    invitation, token = actions.create_invitation(
        actor=moderator, community=private, invitee=intended
    )
    client = logged_in(outsider)

    page = client.get(reverse("communities:my_invitations"))
    answer = client.post(
        reverse("communities:answer_invitation"),
        {"invitation": str(invitation.public_id), "answer": "accept"},
    )

    assert "Circle of carers" not in page.text
    assert answer.status_code == 404
    assert client.get(invite_url(private, token)).status_code == 404
    assert client.post(invite_url(private, token)).status_code == 404
    with pytest.raises(actions.InvitationUnusable):
        actions.accept_invitation(user=outsider, invitation=invitation)
    assert not Membership.objects.filter(community=private, user=outsider).exists()


def test_the_invitations_of_a_person_are_listed_in_a_fixed_number_of_queries(
    moderator, outsider, django_assert_num_queries
):
    log_in_with_mfa(Client(), moderator)
    for _ in range(8):
        community = CommunityFactory.create(private=True)
        actions.make_moderator(actor=None, community=community, user=moderator)
        actions.create_invitation(actor=moderator, community=community, invitee=outsider)
    client = logged_in(outsider)
    client.get(reverse("communities:my_invitations"))

    # Session, user; the invitations with their communities and who made them.
    with django_assert_num_queries(3):
        response = client.get(reverse("communities:my_invitations"))

    assert response.text.count('value="accept"') == 8


def test_the_data_export_lists_invitations_without_their_tokens(private, moderator, outsider):
    from patientvoice.accounts.exporting import build_export

    invitation, token = actions.create_invitation(
        actor=moderator, community=private, invitee=outsider
    )

    received = build_export(outsider)["communities"]["invitations"]
    made = build_export(moderator)["communities"]["invitations"]

    assert [(i["community__name"], i["addressed_to_you"]) for i in received] == [
        ("Circle of carers", True)
    ]
    assert made[0]["made_by_you"] is True
    for archive in (received, made):
        assert token not in str(archive)
        assert invitation.token_hash not in str(archive)
