"""Adding, editing, marking and replying to notes: what a professional, a member and
the target's author may do, and each refusal with its reason."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import translation

from patientvoice.communities.tests.factories import PHONE_BODY, PostFactory
from patientvoice.core.models import ContentStatus
from patientvoice.expertnotes import actions
from patientvoice.expertnotes.errors import (
    InvalidNote,
    NoteExists,
    NotHelpfulToSelf,
    NotTargetAuthor,
    OwnContent,
    ReplyExists,
    TargetNotPublished,
)
from patientvoice.expertnotes.models import ExpertNote, ExpertNoteRevision, NoteAuthorReply
from patientvoice.expertnotes.queries import notes_for
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.professionals.permissions import NotAProfessional

from .factories import (
    FASS,
    UserFactory,
    a_review,
    expire,
    fresh,
    note,
    post,
    professional,
)

pytestmark = pytest.mark.django_db


def test_a_verified_professional_adds_a_sourced_note_to_a_post():
    nurse = professional()
    target = post()

    written = note(nurse, target, kind="correction", evidence_level="guideline")

    assert written.status == ContentStatus.PUBLISHED
    assert written.target_kind == "post"
    assert written.post_id == target.pk
    assert written.credential is not None
    assert written.credential.user_id == nurse.pk
    assert written.source_list() == [{"title": FASS[0], "url": FASS[1]}]
    assert "<p>" in written.body_html


def test_a_professional_adds_a_note_to_a_review():
    written = note(target=a_review())

    assert written.target_kind == "review"
    assert written.is_published


def test_a_member_without_a_credential_is_refused_with_the_reason():
    member = with_second_factor(UserFactory.create())

    with pytest.raises(NotAProfessional) as refused:
        note(member)

    assert refused.value.code == "none"
    assert not ExpertNote.objects.exists()


def test_a_professional_whose_credential_expired_is_refused_with_the_date():
    nurse = professional()
    expire(nurse)

    with translation.override("en"), pytest.raises(NotAProfessional) as refused:
        note(fresh(nurse))

    assert refused.value.code == "expired"
    assert "expired on" in str(refused.value)


def test_a_note_without_a_source_is_refused():
    with translation.override("en"):
        with pytest.raises(InvalidNote) as refused:
            note(sources=[("", ""), ("  ", "")])
        message = str(refused.value)

    assert refused.value.field == "sources"
    assert "at least one source" in message
    assert not ExpertNote.objects.exists()


@pytest.mark.parametrize(
    "url", ["ftp://fass.se/x", "javascript:alert(1)", "www.fass.se", "https://"]
)
def test_a_source_that_is_not_an_http_address_is_refused(url):
    with pytest.raises(InvalidNote) as refused:
        note(sources=[("1177", "https://www.1177.se/"), ("FASS", url)])

    assert refused.value.field == "source_url_1"  # the page marks that row's address
    assert not ExpertNote.objects.exists()


def test_more_than_eight_sources_are_refused():
    with pytest.raises(InvalidNote):
        note(sources=[(f"Source {i}", f"https://example.org/{i}") for i in range(9)])


def test_a_source_with_a_title_but_no_address_is_refused():
    with pytest.raises(InvalidNote) as refused:
        note(sources=[FASS, ("1177 on diabetes", "")])

    assert "1177 on diabetes" in str(refused.value)


def test_a_professional_cannot_note_their_own_post():
    nurse = professional()
    own = PostFactory.create(author=nurse)

    with pytest.raises(OwnContent):
        note(nurse, own)


def test_a_professional_writes_one_note_per_target_and_edits_it_instead():
    nurse = professional()
    target = post()
    first = note(nurse, target)

    with pytest.raises(NoteExists) as refused:
        note(nurse, target)

    assert refused.value.note == first
    assert refused.value.status == 409


def test_a_held_post_takes_no_notes():
    held = PostFactory.create(body=PHONE_BODY)
    assert held.status == ContentStatus.HELD

    with pytest.raises(TargetNotPublished):
        note(target=held)


def test_an_edit_keeps_the_previous_version_with_its_sources():
    nurse = professional()
    written = note(nurse, kind="context", evidence_level="expert_opinion")

    actions.edit_note(
        note=written,
        editor=nurse,
        kind="correction",
        body="Updated: take it with the evening meal.",
        evidence_level="guideline",
        sources=[("1177: Metformin", "https://www.1177.se/metformin")],
    )

    written.refresh_from_db()
    assert written.kind == "correction"
    assert written.edited_at is not None
    assert written.source_list() == [
        {"title": "1177: Metformin", "url": "https://www.1177.se/metformin"}
    ]
    revision = ExpertNoteRevision.objects.get(note=written)
    assert (revision.kind, revision.evidence_level) == ("context", "expert_opinion")
    assert revision.sources == [{"title": FASS[0], "url": FASS[1]}]


def test_an_unchanged_edit_keeps_no_revision():
    nurse = professional()
    written = note(nurse)

    actions.edit_note(note=written, editor=nurse, kind="context", body=written.body, sources=[FASS])

    assert not ExpertNoteRevision.objects.exists()


def test_only_the_author_edits_a_note():
    written = note()

    with pytest.raises(Http404):
        actions.edit_note(
            note=written, editor=professional(), kind="context", body="Mine now", sources=[FASS]
        )


def test_expiry_stops_edits_but_does_not_hide_existing_notes():
    nurse = professional()
    target = post()
    written = note(nurse, target)
    expire(nurse)

    with pytest.raises(NotAProfessional):
        actions.edit_note(
            note=written, editor=fresh(nurse), kind="context", body="Later", sources=[FASS]
        )

    shown = notes_for(None, "post", [target.pk])[target.pk]
    assert [n.pk for n in shown] == [written.pk]
    assert shown[0].credential_id == written.credential_id


def test_a_member_marks_a_note_helpful_once_and_takes_it_back():
    written = note()
    reader = UserFactory.create()

    assert actions.set_helpful(user=reader, note=written, helpful=True)
    assert not actions.set_helpful(user=reader, note=written, helpful=True)
    written.refresh_from_db()
    assert written.helpful_count == 1

    assert actions.set_helpful(user=reader, note=written, helpful=False)
    written.refresh_from_db()
    assert written.helpful_count == 0


def test_a_professional_cannot_mark_their_own_note_helpful():
    nurse = professional()
    written = note(nurse)

    with pytest.raises(NotHelpfulToSelf):
        actions.set_helpful(user=nurse, note=written, helpful=True)


def test_the_targets_author_replies_once_and_can_edit_the_reply():
    target = post()
    written = note(target=target)
    author = target.author
    assert author is not None

    result = actions.reply_to_note(author=author, note=written, body="Thank you, good to know.")
    with pytest.raises(ReplyExists):
        actions.reply_to_note(author=author, note=written, body="Again")
    assert isinstance(result.content, NoteAuthorReply)
    actions.edit_reply(reply=result.content, editor=author, body="Thanks, I asked my doctor.")

    written.reply.refresh_from_db()
    assert written.reply.body == "Thanks, I asked my doctor."
    assert written.reply.edited_at is not None


def test_only_the_targets_author_may_reply():
    written = note()

    with pytest.raises(NotTargetAuthor):
        actions.reply_to_note(author=UserFactory.create(), note=written, body="Me too")


def test_crisis_language_in_a_note_asks_for_the_help_panel():
    result = actions.add_note(
        author=professional(),
        target=post(),
        kind="context",
        body="If you think about suicide or want to kill yourself, call 112.",
        sources=[FASS],
    )

    assert result.help_panels
