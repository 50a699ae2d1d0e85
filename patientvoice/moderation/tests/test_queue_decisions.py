"""Deciding through the case page and the queue's bulk form: each action, "decide and
next", what the backend refuses (400, with what was typed), claims and assignments."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import npgettext_lazy, pgettext, pgettext_lazy

from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Post
from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions
from patientvoice.moderation.actions import REDACTION_MARK
from patientvoice.moderation.errors import CaseClaimed, CaseClosed, ContentGone
from patientvoice.moderation.models import (
    Case,
    CaseStatus,
    ContentLabel,
    Decision,
    Sanction,
    SanctionKind,
    StatementOfReasons,
)

from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, flagged
from .test_queue_pages import client_for

pytestmark = pytest.mark.django_db

MARK = "[removed by moderators]"


def swedish(text: str | Promise, **params: object) -> str:
    """``text`` as a Swedish page shows it (the site's default language), HTML-escaped."""
    with translation.override("sv"):
        return escape(str(text) % params if params else str(text))


def case_url(case: Case, name: str = "moderation:queue_case") -> str:
    return reverse(name, kwargs={"case_id": case.public_id})


def decision(**fields):
    data = {
        "reason_code": "community_guidelines",
        "explanation": "The post names another member and their illness.",
    }
    data.update(fields)
    return data


def test_the_case_page_shows_the_content_reports_and_the_forms(post, moderator, reader, staff):
    case = flagged(post, by=reader, reason="harassment", explanation="Calls me names.")

    html = client_for(moderator).get(case_url(case)).content.decode()

    assert "Reply body no." in html  # the content, as it is now
    assert case.url in html  # and where it is
    assert "Calls me names." in html
    assert str(case.reports.get().get_reason_display()) in html
    assert reverse("moderation:queue_member", kwargs={"handle": post.author.handle}) in html
    assert reader.handle not in html  # reporters are for staff's eyes only
    for value in ("keep", "hide", "remove", "redact", "label", "lock", "suspend"):
        assert f'value="{value}"' in html
    assert 'value="merge"' not in html  # not built
    assert 'value="move"' not in html  # no other community of theirs to move it to
    assert 'value="restore"' not in html  # nothing to restore
    assert 'name="site_wide"' not in html  # staff only
    assert case_url(case, "moderation:queue_claim") in html


def test_staff_see_who_reported(post, staff, reader):
    case = flagged(post, by=reader)

    html = client_for(staff).get(case_url(case)).content.decode()

    assert reader.handle in html
    assert 'name="site_wide"' in html


def test_the_redaction_text_starts_as_the_original(post, moderator):
    case = flagged(post, reason="personal_information")

    html = client_for(moderator).get(case_url(case)).content.decode()

    assert f"{post.body}</textarea>" in html
    # the reminder to mark what was cut, with the mark as Swedish readers will see it
    reminder = pgettext_lazy(
        "moderation decision",
        "Starts as the original. Replace each piece of personal data with “%(mark)s”, "
        "so readers see that something was removed.",
    )
    assert swedish(reminder, mark=REDACTION_MARK) in html


def test_hiding_through_the_page_hides_the_post_and_goes_to_the_next_item(post, moderator, commit):
    case = flagged(post)
    later = flagged(PostFactory.create(thread=post.thread))
    Case.objects.filter(pk=later.pk).update(opened_at=timezone.now() + timedelta(minutes=1))

    response = commit(client_for(moderator).post, case_url(case), decision(action="hide"))

    assert response.status_code == 302
    assert response["Location"] == case_url(later)
    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    assert StatementOfReasons.objects.get(decision__case=case).recipient == post.author


def test_removing_through_the_page_removes_the_post(post, org_moderator):
    case = flagged(post)

    response = client_for(org_moderator).post(case_url(case), decision(action="remove"))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == ContentStatus.REMOVED


def test_the_last_decision_goes_back_to_the_empty_queue_keeping_the_filter(post, moderator):
    case = flagged(post)
    slug = post.community.slug

    response = client_for(moderator).post(
        f"{case_url(case)}?community={slug}", decision(action="keep", community=slug)
    )

    assert response["Location"] == f"{reverse('moderation:queue')}?community={slug}"


def test_next_skips_items_another_moderator_has_claimed(post, moderator, second_moderator):
    case = flagged(post)
    taken = flagged(PostFactory.create(thread=post.thread))
    actions.claim(moderator=second_moderator, case=taken)

    response = client_for(moderator).post(case_url(case), decision(action="keep"))

    assert response["Location"] == reverse("moderation:queue")


def test_redacting_replaces_the_text_and_keeps_the_original(post, moderator):
    case = flagged(post, reason="personal_information")
    original = post.body

    response = client_for(moderator).post(
        case_url(case),
        decision(action="redact", reason_code="personal_data", text=f"My neighbour {MARK} said"),
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == f"My neighbour {MARK} said"
    assert post.revisions.get().body == original


def test_a_redaction_without_the_mark_comes_back_with_the_message_and_the_text(post, moderator):
    case = flagged(post, reason="personal_information")

    response = client_for(moderator).post(
        case_url(case),
        decision(action="redact", reason_code="personal_data", text="My neighbour said"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    backends_message = pgettext_lazy(
        "moderation",
        "Replace what you edit out with “[removed by moderators]”, so readers see "
        "that something was removed.",
    )
    assert swedish(backends_message) in html
    assert "My neighbour said</textarea>" in html
    assert "The post names another member and their illness." in html
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_labelling_puts_a_label_on_the_post(post, moderator):
    case = flagged(post, reason="medical_misinformation")

    client_for(moderator).post(
        case_url(case),
        decision(
            action="label",
            reason_code="medical_misinformation",
            label_text="Disputed: see the professional's note",
        ),
    )

    label = ContentLabel.objects.get(object_id=post.pk)
    assert label.text == "Disputed: see the professional's note"


def test_a_label_without_its_text_is_a_field_error(post, moderator):
    case = flagged(post)

    response = client_for(moderator).post(case_url(case), decision(action="label"))

    assert response.status_code == 400
    assert pgettext("moderation decision", "Write the label readers will see.") in (
        response.content.decode()
    )
    assert 'href="#id_label_text"' in response.content.decode()  # the error summary links
    assert not ContentLabel.objects.exists()


def test_suspending_lasts_through_the_chosen_day(post, moderator):
    case = flagged(post, reason="harassment")
    day = timezone.localdate() + timedelta(days=7)

    client_for(moderator).post(
        case_url(case),
        decision(action="suspend", reason_code="terms_conduct", suspension_until=day.isoformat()),
    )

    sanction = Sanction.objects.get(user=post.author)
    assert sanction.kind == SanctionKind.SUSPENSION
    assert sanction.community == post.community
    assert timezone.localtime(sanction.until).date() == day + timedelta(days=1)
    assert timezone.localtime(sanction.until).hour == 0


def test_a_suspension_in_the_past_is_refused(post, moderator):
    case = flagged(post)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client_for(moderator).post(
        case_url(case), decision(action="suspend", suspension_until=yesterday.isoformat())
    )

    assert response.status_code == 400
    assert not Sanction.objects.exists()


def test_keeping_a_held_post_publishes_it(thread, author, moderator, commit):
    held = commit(PostFactory.create, thread=thread, author=author, body=PHONE_BODY)
    case = Case.objects.get(object_id=held.pk)
    assert held.status == ContentStatus.HELD

    response = client_for(moderator).post(
        case_url(case),
        decision(action="keep", reason_code="no_violation", explanation="A clinic's number."),
    )

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == ContentStatus.PUBLISHED
    assert not StatementOfReasons.objects.exists()  # keeping restricts nothing


def test_moving_the_discussion_to_another_community_of_the_organisation(post, org_moderator):
    target = CommunityFactory.create(organization=post.community.organization)
    case = flagged(post)
    client = client_for(org_moderator)

    page = client.get(case_url(case)).content.decode()
    response = client.post(case_url(case), decision(action="move", move_to=str(target.pk)))

    assert 'value="move"' in page
    assert f'<option value="{target.pk}">{target.name}</option>' in page
    assert response.status_code == 302
    post.thread.refresh_from_db()
    assert post.thread.community == target


def test_missing_explanation_keeps_everything_typed(post, moderator):
    case = flagged(post)

    response = client_for(moderator).post(
        case_url(case), decision(action="label", label_text="Disputed", explanation="")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Disputed"' in html
    assert re.search(r'<input type="radio" name="action" value="label"[^>]* checked', html)


def test_deciding_a_case_decided_meanwhile_says_so(post, moderator, second_moderator):
    case = flagged(post)
    actions.decide(
        moderator=second_moderator,
        case=case,
        action="keep",
        reason_code="no_violation",
        explanation="Fine.",
    )

    response = client_for(moderator).post(case_url(case), decision(action="hide"))

    assert response.status_code == 400
    assert str(CaseClosed()) in response.content.decode()
    assert "The post names another member" in response.content.decode()


def test_redacting_a_post_its_author_deleted_says_the_content_is_gone(post, author, moderator):
    case = flagged(post)
    community_actions.delete_post(user=author, post=Post.objects.get(pk=post.pk))

    response = client_for(moderator).post(
        case_url(case), decision(action="redact", text=f"Nothing {MARK}")
    )

    assert response.status_code == 400
    assert str(ContentGone()) in response.content.decode()


def test_a_moderator_of_another_community_cannot_decide(post, foreign_moderator):
    case = flagged(post)

    response = client_for(foreign_moderator).post(case_url(case), decision(action="hide"))

    assert response.status_code == 404
    assert not Decision.objects.exists()


# --- claims ---------------------------------------------------------------------------


def test_claiming_and_releasing(post, moderator):
    case = flagged(post)
    client = client_for(moderator)

    claimed = client.post(case_url(case, "moderation:queue_claim"))
    assert claimed.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == moderator

    client.post(case_url(case, "moderation:queue_release"))
    assert Case.objects.get(pk=case.pk).assignee is None


def test_claiming_an_item_someone_else_has_is_refused_with_the_reason(
    post, moderator, second_moderator
):
    case = flagged(post)
    actions.claim(moderator=second_moderator, case=case)

    response = client_for(moderator).post(case_url(case, "moderation:queue_claim"))

    assert response.status_code == 400
    assert str(CaseClaimed()) in response.content.decode()
    assert Case.objects.get(pk=case.pk).assignee == second_moderator


def test_claiming_a_decided_item_is_refused(post, moderator):
    case = flagged(post)
    actions.decide(
        moderator=moderator, case=case, action="keep", reason_code="no_violation", explanation="Ok"
    )

    response = client_for(moderator).post(case_url(case, "moderation:queue_claim"))

    assert response.status_code == 400
    assert str(CaseClosed()) in response.content.decode()


def test_assigning_to_another_moderator_of_the_community(post, moderator, second_moderator):
    case = flagged(post)

    page = client_for(moderator).get(case_url(case)).content.decode()
    response = client_for(moderator).post(
        case_url(case, "moderation:queue_assign"), {"to": str(second_moderator.public_id)}
    )

    assert f'value="{second_moderator.public_id}"' in page
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == second_moderator


def test_assigning_to_someone_who_may_not_decide_it_is_refused(post, moderator, foreign_moderator):
    case = flagged(post)

    response = client_for(moderator).post(
        case_url(case, "moderation:queue_assign"), {"to": str(foreign_moderator.public_id)}
    )

    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).assignee is None


# --- bulk ---------------------------------------------------------------------------------


def test_a_bulk_decision_decides_each_item_and_reports_each(
    thread, moderator, second_moderator, other_community
):
    posts = [PostFactory.create(thread=thread) for _ in range(3)]
    cases = [flagged(p) for p in posts]
    actions.decide(
        moderator=second_moderator,
        case=cases[2],
        action="keep",
        reason_code="no_violation",
        explanation="Fine.",
    )
    elsewhere = flagged(PostFactory.create(thread=ThreadFactory.create(community=other_community)))

    response = client_for(moderator).post(
        reverse("moderation:queue_bulk"),
        {
            "cases": [str(c.public_id) for c in [*cases, elsewhere]],
            "action": "hide",
            "reason_code": "spam",
            "explanation": "Advertising.",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    decided = npgettext_lazy(
        "moderation queue", "%(counter)s item decided.", "%(counter)s items decided.", 2
    )
    not_decided = npgettext_lazy(
        "moderation queue",
        "%(counter)s item could not be decided.",
        "%(counter)s items could not be decided.",
        2,
    )
    assert swedish(decided, counter=2) in html
    assert swedish(not_decided, counter=2) in html
    assert str(CaseClosed()) in html
    assert pgettext("moderation queue", "Not found among the items you may decide.") in html
    statuses = [Post.objects.get(pk=p.pk).status for p in posts]
    assert statuses == [ContentStatus.HIDDEN, ContentStatus.HIDDEN, ContentStatus.PUBLISHED]
    assert Case.objects.get(pk=elsewhere.pk).status == CaseStatus.OPEN


def test_a_bulk_decision_without_items_or_explanation_comes_back(post, moderator):
    flagged(post)

    response = client_for(moderator).post(
        reverse("moderation:queue_bulk"), {"action": "hide", "reason_code": "spam"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert pgettext("moderation queue", "Tick at least one item to decide.") in html
    assert 'class="queue-item-link"' in html  # the queue is shown again
    assert not Decision.objects.exists()


def test_an_urgent_item_is_never_decided_in_a_batch(thread, moderator):
    crisis, spam = (flagged(PostFactory.create(thread=thread)) for _ in range(2))
    Case.objects.filter(pk=crisis.pk).update(urgent=True)
    queue = client_for(moderator).get(reverse("moderation:queue")).content.decode()
    assert f'value="{spam.public_id}"' in queue
    assert f'value="{crisis.public_id}"' not in queue  # no checkbox for it

    response = client_for(moderator).post(
        reverse("moderation:queue_bulk"),
        {
            "cases": [str(crisis.public_id), str(spam.public_id)],
            "action": "remove",
            "reason_code": "spam",
            "explanation": "Advertising.",
        },
    )

    assert response.status_code == 200
    assert escape(pgettext("moderation queue", "Urgent items are decided one at a time.")) in (
        response.content.decode()
    )
    crisis.refresh_from_db()
    spam.refresh_from_db()
    assert crisis.status == "open"
    assert spam.status == "decided"
