"""core.publishing.publish: the contract every kind of content relies on."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Post, Thread
from patientvoice.core import publishing
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import ContentTooLong, publish

from .factories import CommunityFactory, ThreadFactory, publish_post, unsaved_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> User:
    return UserFactory.create()


@pytest.fixture
def thread() -> Thread:
    return ThreadFactory.create()


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Only the hooks a test registers run; the real ones are set aside."""
    registry: dict[str, Any] = {}
    monkeypatch.setattr(publishing, "_AFTER_PUBLISH_HOOKS", registry)
    return registry


def test_published_post_has_rendered_html(author: User, thread: Thread) -> None:
    result = publish_post(thread=thread, author=author, body="# Hej\n\n**viktigt**")

    post = Post.objects.get(pk=result.content.pk)
    assert post.body_html == "<h3>Hej</h3>\n<p><strong>viktigt</strong></p>"


def test_clean_text_is_published_with_a_publication_time(author: User, thread: Thread) -> None:
    result = publish_post(thread=thread, author=author, body="Tack för tipset!")

    post = Post.objects.get(pk=result.content.pk)
    assert result.published
    assert post.status == ContentStatus.PUBLISHED
    assert post.published_at is not None
    assert post.hold_reasons == []


def test_text_with_personal_data_is_held_with_its_reasons(author: User, thread: Thread) -> None:
    body = "Ring 070-123 45 67 eller skriv till anna@example.se"

    result = publish_post(thread=thread, author=author, body=body)

    post = Post.objects.get(pk=result.content.pk)
    assert result.held
    assert post.status == ContentStatus.HELD
    assert post.hold_reasons == ["personal_data.phone", "personal_data.email"]
    assert post.published_at is None
    assert len(result.hold_messages) == 2


def test_hold_for_review_holds_clean_text(author: User, thread: Thread) -> None:
    result = publish_post(
        thread=thread, author=author, body="Helt vanlig text", hold_for_review=True
    )

    post = Post.objects.get(pk=result.content.pk)
    assert post.status == ContentStatus.HELD
    assert post.hold_reasons == ["review.required"]


def test_hold_for_review_puts_the_callers_reason_first(author: User, thread: Thread) -> None:
    result = publish_post(
        thread=thread,
        author=author,
        body="Maila anna@example.se",
        hold_for_review=True,
        hold_reason="guest.comment",
    )

    assert Post.objects.get(pk=result.content.pk).hold_reasons == [
        "guest.comment",
        "personal_data.email",
    ]


def test_crisis_language_is_published_with_a_help_panel(author: User, thread: Thread) -> None:
    result = publish_post(thread=thread, author=author, body="Jag orkar inte leva längre")

    assert result.published
    assert result.help_panels == ["core/crisis_help.html"]
    assert result.hold_messages == []


def test_text_longer_than_the_limit_is_refused_and_not_saved(author: User, thread: Thread) -> None:
    body = "a" * (Post.MAX_BODY_LENGTH + 1)

    with pytest.raises(ContentTooLong):
        publish_post(thread=thread, author=author, body=body)

    assert not Post.objects.exists()


def test_text_at_the_limit_is_published(author: User, thread: Thread) -> None:
    result = publish_post(thread=thread, author=author, body="a" * Post.MAX_BODY_LENGTH)

    assert result.published


def test_check_text_is_what_the_checks_see(author: User, thread: Thread) -> None:
    result = publish_post(
        thread=thread, author=author, body="Harmless body", check_text="Title 070-123 45 67"
    )

    assert result.content.hold_reasons == ["personal_data.phone"]


def test_published_count_grows_with_each_published_text(author: User, thread: Thread) -> None:
    publish_post(thread=thread, author=author, body="first")
    publish_post(thread=thread, author=author, body="second")

    author.refresh_from_db()
    assert author.published_count == 2


def test_held_text_does_not_count_as_published(author: User, thread: Thread) -> None:
    publish_post(thread=thread, author=author, body="Ring 070-123 45 67")

    author.refresh_from_db()
    assert author.published_count == 0


def test_new_account_gains_link_rights_after_publishing_enough(thread: Thread) -> None:
    newcomer = UserFactory.create(published_count=2)
    publish_post(thread=thread, author=newcomer, body="Hej allihop")

    result = publish_post(
        thread=thread, author=newcomer, body="https://a.example and https://b.example"
    )

    assert result.published


def test_after_publish_hooks_run_only_after_commit(
    author: User, thread: Thread, hooks: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[str] = []
    hooks["record"] = lambda content: seen.append(content.body)

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish_post(thread=thread, author=author, body="hello")
        assert seen == []

    assert seen == ["hello"]


def test_after_publish_hooks_also_see_held_content(
    author: User, thread: Thread, hooks: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[str] = []
    hooks["record"] = lambda content: seen.append(content.status)

    with django_capture_on_commit_callbacks(execute=True):
        publish_post(thread=thread, author=author, body="Ring 070-123 45 67")

    assert seen == [ContentStatus.HELD]


def test_a_failing_hook_does_not_stop_the_others(
    author: User, thread: Thread, hooks: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[str] = []

    def broken(content: Any) -> None:
        raise RuntimeError("search index is down")

    hooks["broken"] = broken
    hooks["record"] = lambda content: seen.append(content.body)

    with django_capture_on_commit_callbacks(execute=True):
        publish_post(thread=thread, author=author, body="still delivered")

    assert seen == ["still delivered"]


class ActionFailed(Exception):
    pass


def _publish_then_fail(thread: Thread, author: User) -> None:
    with transaction.atomic():
        publish_post(thread=thread, author=author, body="never happened")
        raise ActionFailed


def test_hooks_do_not_run_when_the_transaction_rolls_back(
    author: User, thread: Thread, hooks: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[str] = []
    hooks["record"] = lambda content: seen.append(content.body)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionFailed):
        _publish_then_fail(thread, author)

    assert seen == []
    assert not Post.objects.exists()


def test_publish_without_author_is_held_when_it_has_links(thread: Thread) -> None:
    post = unsaved_post(thread=thread, author=None, body="https://a.example https://b.example")

    result = publish(post)

    assert result.content.hold_reasons == ["spam.links_from_new_account"]


def test_thread_opened_through_the_action_is_visible_once_published(author: User) -> None:
    community = CommunityFactory.create()

    thread, result = community_actions.create_thread(
        author=author, community=community, title="Trötthet", body="Hur orkar ni?", language="sv"
    )

    thread.refresh_from_db()
    assert result.published
    assert thread.is_published
    assert thread.post_count == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Ring 070&#45;123&#32;45&#32;67", "personal_data.phone"),
        ("Mitt nummer 811218&#45;9876", "personal_data.personnummer"),
        ("Skriv till anna&#64;example.com", "personal_data.email"),
        ("Ring 070\\-1234567", "personal_data.phone"),
        ("Ring 070\u200b1234567", "personal_data.phone"),
        ("Ring ０７０-１２３ ４５ ６７", "personal_data.phone"),
    ],
)
def test_personal_data_hidden_by_entities_escapes_or_invisible_characters_is_held(
    body: str, code: str
) -> None:
    thread = ThreadFactory.create()
    author = UserFactory.create()

    result = publish_post(thread=thread, author=author, body=body)

    assert result.held
    assert code in result.content.hold_reasons
