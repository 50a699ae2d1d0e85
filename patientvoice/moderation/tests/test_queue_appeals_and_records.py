"""Appeals decided by another moderator, a member's history with private notes, the
moderation log and the trusted flaggers page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import pgettext

from patientvoice.core import audit
from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions
from patientvoice.moderation.errors import AppealClosed
from patientvoice.moderation.models import (
    Appeal,
    AppealStatus,
    ModeratorNote,
    TrustedFlagger,
)

from .factories import OrganizationFactory, PostFactory, ThreadFactory, flagged
from .test_queue_pages import _decided_appeal, client_for

pytestmark = pytest.mark.django_db


def appeal_url(appeal: Appeal) -> str:
    return reverse("moderation:queue_appeal", kwargs={"appeal_id": appeal.public_id})


# --- appeals ----------------------------------------------------------------------------


def test_the_appeals_queue_leaves_out_appeals_against_ones_own_decisions(
    post, moderator, second_moderator, author
):
    appeal = _decided_appeal(post, moderator, author)

    own = client_for(moderator).get(reverse("moderation:queue_appeals")).content.decode()
    others = client_for(second_moderator).get(reverse("moderation:queue_appeals")).content.decode()

    assert appeal_url(appeal) not in own
    assert appeal_url(appeal) in others
    assert "It did not." in others


def test_the_moderator_who_decided_is_refused_the_appeal_with_a_clear_message(
    post, moderator, author
):
    appeal = _decided_appeal(post, moderator, author)
    client = client_for(moderator)

    shown = client.get(appeal_url(appeal))
    sent = client.post(appeal_url(appeal), {"outcome": "reversed", "reason": "I was wrong."})

    message = pgettext(
        "moderation",
        "You made the decision this appeal is about. Another moderator must decide it.",
    )
    assert shown.status_code == 403
    assert message in shown.content.decode()
    assert sent.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.OPEN


def test_another_moderator_reverses_the_decision_with_reasons(
    post, moderator, second_moderator, author, commit
):
    appeal = _decided_appeal(post, moderator, author)
    client = client_for(second_moderator)

    page = client.get(appeal_url(appeal)).content.decode()
    response = commit(
        client.post,
        appeal_url(appeal),
        {"outcome": "reversed", "reason": "The name was a nickname, not a person."},
    )

    assert "It names another member." in page  # the facts of the decision
    assert "It did not." in page  # and the appeal
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REVERSED
    assert appeal.decided_by == second_moderator
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED


def test_upholding_keeps_the_decision(post, moderator, org_moderator, author):
    appeal = _decided_appeal(post, moderator, author)

    client_for(org_moderator).post(
        appeal_url(appeal), {"outcome": "upheld", "reason": "The rule is clear."}
    )

    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN


def test_an_appeal_decision_without_reasons_comes_back(post, moderator, second_moderator, author):
    appeal = _decided_appeal(post, moderator, author)

    response = client_for(second_moderator).post(appeal_url(appeal), {"outcome": "reversed"})

    assert response.status_code == 400
    assert 'value="reversed"' in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.OPEN


def test_an_appeal_decided_meanwhile_says_so_and_keeps_the_text(
    post, moderator, second_moderator, org_moderator, author
):
    appeal = _decided_appeal(post, moderator, author)
    actions.decide_appeal(moderator=org_moderator, appeal=appeal, outcome="upheld", reason="Ok.")

    response = client_for(second_moderator).post(
        appeal_url(appeal), {"outcome": "reversed", "reason": "My careful reasons."}
    )

    assert response.status_code == 400
    assert str(AppealClosed()) in response.content.decode()
    assert "My careful reasons." in response.content.decode()


# --- a member's history -------------------------------------------------------------------


def test_the_member_history_shows_decisions_sanctions_content_and_notes(
    post, moderator, org_moderator, author
):
    case = flagged(post)
    actions.decide(
        moderator=moderator,
        case=case,
        action="warn",
        reason_code="terms_conduct",
        explanation="Be kind to other members.",
    )
    actions.add_note(
        moderator=org_moderator,
        member=author,
        text="Asked to keep it civil.",
        organization=post.community.organization,
    )

    html = (
        client_for(org_moderator)
        .get(reverse("moderation:queue_member", kwargs={"handle": author.handle}))
        .content.decode()
    )

    assert "Be kind to other members." in html
    assert "Asked to keep it civil." in html
    assert "Reply body no." in html  # their content
    assert reverse("moderation:queue_case", kwargs={"case_id": case.public_id}) in html


def test_an_organisation_moderator_adds_a_note_for_their_organisation(post, org_moderator, author):
    url = reverse("moderation:queue_member", kwargs={"handle": author.handle})
    organization = post.community.organization

    response = client_for(org_moderator).post(
        url, {"organization": organization.slug, "text": "Second warning given by phone."}
    )

    assert response.status_code == 302
    note = ModeratorNote.objects.get()
    assert note.organization == organization
    assert note.author == org_moderator


def test_an_empty_note_comes_back(post, org_moderator, author):
    url = reverse("moderation:queue_member", kwargs={"handle": author.handle})

    response = client_for(org_moderator).post(
        url, {"organization": post.community.organization.slug, "text": ""}
    )

    assert response.status_code == 400
    assert not ModeratorNote.objects.exists()


def test_a_community_moderator_outside_an_organisation_cannot_write_notes(post, moderator, author):
    url = reverse("moderation:queue_member", kwargs={"handle": author.handle})
    client = client_for(moderator)

    page = client.get(url).content.decode()
    response = client.post(url, {"text": "A note."})

    assert 'name="text"' not in page
    assert response.status_code == 403
    assert not ModeratorNote.objects.exists()


def test_notes_of_another_organisation_stay_hidden(post, org_moderator, author, staff):
    elsewhere = OrganizationFactory.create()
    actions.add_note(
        moderator=staff, member=author, text="Other org's note.", organization=elsewhere
    )
    actions.add_note(moderator=staff, member=author, text="Staff-only note.")

    html = (
        client_for(org_moderator)
        .get(reverse("moderation:queue_member", kwargs={"handle": author.handle}))
        .content.decode()
    )

    assert "Other org's note." not in html
    assert "Staff-only note." not in html


def test_staff_may_write_a_site_note(author, staff):
    url = reverse("moderation:queue_member", kwargs={"handle": author.handle})

    client_for(staff).post(url, {"organization": "", "text": "Staff only."})

    assert ModeratorNote.objects.get().organization is None


def test_an_unknown_handle_is_404(moderator):
    url = reverse("moderation:queue_member", kwargs={"handle": "nobody_here"})

    assert client_for(moderator).get(url).status_code == 404


# --- the log ------------------------------------------------------------------------------


def test_the_log_shows_staff_everything_and_moderators_their_communities_only(
    post, moderator, staff, other_community
):
    here = flagged(post)
    elsewhere = flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))
    actions.decide(
        moderator=staff,
        case=here,
        action="hide",
        reason_code="spam",
        explanation="Advert for a shop here.",
    )
    actions.decide(
        moderator=staff,
        case=elsewhere,
        action="remove",
        reason_code="spam",
        explanation="Advert for a shop elsewhere.",
    )
    actions.designate_trusted_flagger(actor=staff, organization=OrganizationFactory.create())

    staff_log = client_for(staff).get(reverse("moderation:queue_log")).content.decode()
    moderator_log = client_for(moderator).get(reverse("moderation:queue_log")).content.decode()

    assert "Advert for a shop here." in staff_log
    assert "Advert for a shop elsewhere." in staff_log
    assert pgettext("moderation log", "Designated a trusted flagger") in staff_log
    assert "Advert for a shop here." in moderator_log
    assert "Advert for a shop elsewhere." not in moderator_log
    assert pgettext("moderation log", "Designated a trusted flagger") not in moderator_log
    assert post.community.name in moderator_log


def test_the_log_is_paginated(post, org_moderator):
    case = flagged(post)
    for n in range(55):
        audit.record(
            actor=org_moderator,
            action="moderation.claim",
            target=case,
            data={"case": str(case.public_id), "community": case.community_id, "n": n},
        )
    client = client_for(org_moderator)

    first = client.get(reverse("moderation:queue_log")).content.decode()
    second = client.get(reverse("moderation:queue_log"), {"page": 2}).content.decode()

    assert first.count('class="log-entry"') == 50
    assert second.count('class="log-entry"') == 5
    assert 'rel="next"' in first


# --- trusted flaggers -----------------------------------------------------------------


def test_staff_designate_and_revoke_a_trusted_flagger(staff):
    organization = OrganizationFactory.create(name="Patient Association North")
    client = client_for(staff)
    url = reverse("moderation:queue_trusted_flaggers")

    page = client.get(url).content.decode()
    designated = client.post(
        url, {"form": "designate", "organization": organization.slug, "reason": "DSC 2026-11"}
    )
    listed = client.get(url).content.decode()
    revoked = client.post(
        url, {"form": "revoke", "organization": organization.slug, "reason": "Ended"}
    )

    assert f'value="{organization.slug}"' in page
    assert designated.status_code == 302
    assert "DSC 2026-11" in listed
    assert revoked.status_code == 302
    designation = TrustedFlagger.objects.get(organization=organization)
    assert designation.revoked_at is not None
    assert designation.revoked_by == staff


def test_designating_without_an_organisation_comes_back(staff):
    response = client_for(staff).post(
        reverse("moderation:queue_trusted_flaggers"), {"form": "designate"}
    )

    assert response.status_code == 400
    assert not TrustedFlagger.objects.exists()


def test_an_organisation_moderator_cannot_designate(org_moderator, organization):
    response = client_for(org_moderator).post(
        reverse("moderation:queue_trusted_flaggers"),
        {"form": "designate", "organization": organization.slug},
    )

    assert response.status_code == 403
    assert not TrustedFlagger.objects.exists()
