"""Professionals' public cards and expert notes in the one search index: who is found,
by whom, and how the index follows approval, revocation, expiry and moderation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from patientvoice.communities import actions as community_actions
from patientvoice.core.models import ContentStatus
from patientvoice.expertnotes import actions as note_actions
from patientvoice.expertnotes.search import NOTE_KIND
from patientvoice.expertnotes.tests.factories import (
    expire,
    members_only_post,
    note,
    post,
    professional,
)
from patientvoice.professionals import actions
from patientvoice.professionals.models import Credential
from patientvoice.professionals.search import CARD_KIND
from patientvoice.search.indexing import rebuild
from patientvoice.search.models import SearchEntry
from patientvoice.search.queries import SearchParams, search

from . import factories

pytestmark = pytest.mark.django_db

visitor = None


def found(q: str, user: Any = visitor, kind: str | None = None) -> list[str]:
    return [r.hit.url for r in search(user, SearchParams(q=q, kind=kind)).results]


def indexed_ids(label: str) -> set[int]:
    return set(SearchEntry.objects.filter(kind=label).values_list("object_id", flat=True))


def card_url(credential: Credential) -> str:
    return reverse("professionals:card", kwargs={"public_id": credential.public_id})


# --- cards


def test_an_approved_professional_is_found_by_name_and_by_profession_in_both_languages(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        credential = factories.approved(real_name="Kerstin Lindqvist", specialty="Reumatologi")

    assert card_url(credential) in found("Lindqvist")
    assert card_url(credential) in found("sjuksköterska Reumatologi")
    assert card_url(credential) in found("nurse")


def test_a_professional_who_hides_their_real_name_is_found_by_handle_not_by_name(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        credential = factories.approved(real_name="Kerstin Lindqvist", shows_real_name=False)

    assert found("Lindqvist") == []
    hits = search(visitor, SearchParams(q=credential.user.handle)).results
    assert [h.hit.title for h in hits] == [credential.user.handle]


def test_a_revoked_credential_leaves_the_index(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        credential = factories.approved(real_name="Kerstin Lindqvist")
    assert credential.pk in indexed_ids(CARD_KIND)

    with django_capture_on_commit_callbacks(execute=True):
        actions.revoke_credential(
            staff=factories.staff(), credential=credential, reason="Licence withdrawn"
        )

    assert credential.pk not in indexed_ids(CARD_KIND)
    assert found("Lindqvist") == []


def test_an_expired_credential_is_never_listed_even_before_its_row_leaves() -> None:
    credential = factories.approved(real_name="Kerstin Lindqvist")
    rebuild(labels=[CARD_KIND])
    expire(credential.user)

    assert credential.pk in indexed_ids(CARD_KIND)
    assert found("Lindqvist") == []


def test_reconfirming_replaces_the_old_card_in_the_index(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.approved(real_name="Kerstin Lindqvist")
        second = factories.approved(first.user, real_name="Kerstin Lindqvist")

    assert indexed_ids(CARD_KIND) == {second.pk}
    assert found("Lindqvist") == [card_url(second)]


def test_the_kind_filter_lists_professionals_only(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        credential = factories.approved(real_name="Kerstin Diabetesvård")
    rebuild(labels=[CARD_KIND])

    assert found("Diabetesvård", kind=CARD_KIND) == [card_url(credential)]


# --- expert notes


def test_a_published_note_on_a_public_post_is_found_by_a_visitor() -> None:
    written = note(body="Levaxin should be taken on an empty stomach, thirty minutes early.")
    rebuild(labels=[NOTE_KIND])

    urls = found("Levaxin stomach")
    assert len(urls) == 1
    assert urls[0].endswith(f"#note-{written.public_id}")


def test_a_note_on_a_members_only_post_is_found_by_members_only() -> None:
    target = members_only_post()
    nurse, member = professional(), factories.applicant()
    community_actions.join_community(user=nurse, community=target.community)
    community_actions.join_community(user=member, community=target.community)
    written = note(nurse, target, body="Levaxin should be taken on an empty stomach.")
    rebuild(labels=[NOTE_KIND])

    assert found("Levaxin") == []
    assert found("Levaxin", user=factories.applicant()) == []
    assert [u.split("#")[1] for u in found("Levaxin", user=member)] == [f"note-{written.public_id}"]


def test_a_note_on_content_that_is_not_shown_is_not_indexed() -> None:
    target = post()
    written = note(target=target, body="Levaxin should be taken on an empty stomach.")
    type(target).objects.filter(pk=target.pk).update(status=ContentStatus.HIDDEN)
    rebuild(labels=[NOTE_KIND])

    assert written.pk not in indexed_ids(NOTE_KIND)


def test_a_hidden_note_leaves_the_index(django_capture_on_commit_callbacks: Any) -> None:
    written = note(body="Levaxin should be taken on an empty stomach.")
    rebuild(labels=[NOTE_KIND])
    assert written.pk in indexed_ids(NOTE_KIND)

    with django_capture_on_commit_callbacks(execute=True):
        note_actions.set_content_status(written, ContentStatus.HIDDEN)

    assert written.pk not in indexed_ids(NOTE_KIND)
    assert found("Levaxin") == []


def test_notes_by_an_expired_professional_stay_findable_as_written() -> None:
    # A note was sourced and true when written; the badge's expiry does not unsay it.
    author = professional()
    note(author=author, body="Levaxin should be taken on an empty stomach.")
    expire(author)
    rebuild(labels=[NOTE_KIND])

    assert len(found("Levaxin")) == 1


def test_a_community_made_public_lets_visitors_find_the_notes_on_its_posts() -> None:
    from patientvoice.communities.models import Community, Visibility
    from patientvoice.search import indexing

    target = members_only_post()
    nurse = professional()
    community_actions.join_community(user=nurse, community=target.community)
    note(nurse, target, body="Levaxin should be taken on an empty stomach.")
    rebuild(labels=[NOTE_KIND])
    assert found("Levaxin") == []
    Community.objects.filter(pk=target.community_id).update(visibility=Visibility.PUBLIC)

    indexing.reindex_community(target.community_id)

    assert len(found("Levaxin")) == 1
