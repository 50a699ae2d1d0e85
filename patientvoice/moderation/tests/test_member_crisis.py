"""Issue 4, item 7: a post with crisis language shows its author help at once (the
pipeline's help panel, decisions/0008) and gives the moderators an urgent item
(``moderation.pipeline``), through the pages as a member uses them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.communities.models import Post
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in
from patientvoice.moderation import queries
from patientvoice.moderation.models import Case, CaseSource

pytestmark = pytest.mark.django_db

CRISIS_BODY = "I can't go on, I want to die. Nothing helps any more."


def test_a_reply_with_crisis_language_shows_its_author_help_and_opens_an_urgent_case(
    thread, author, reader, moderator, django_capture_on_commit_callbacks
):
    client = Client()
    log_in(client, author)
    reply_url = reverse("communities:reply", args=[thread.community.slug, thread.public_id])

    with django_capture_on_commit_callbacks(execute=True):  # the after-publish hooks
        response = client.post(reply_url, {"body": CRISIS_BODY})
    page = client.get(response["Location"]).text

    assert response["Location"].endswith("#crisis-help")
    assert 'id="crisis-help"' in page
    assert 'href="tel:112"' in page
    assert 'href="tel:1177"' in page
    post = Post.objects.get(author=author, body=CRISIS_BODY)
    assert post.status == ContentStatus.PUBLISHED  # published, never held for it
    case = Case.objects.get(kind="post", object_id=post.pk)
    assert case.urgent
    assert case.source == CaseSource.CRISIS
    assert queries.queue(moderator).first() == case  # first in the moderators' queue
    other = Client()
    log_in(other, reader)
    assert 'id="crisis-help"' not in other.get(thread.get_absolute_url()).text  # theirs only
