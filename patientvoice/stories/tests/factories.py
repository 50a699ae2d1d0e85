"""Stories and comments, made through the stories actions: stories pass the real
publishing pipeline (a draft, then ``publish_draft``), comments too.

Text is distinctive on purpose ("Story no. 7: ...", "Comment no. 12 ..."): the
visibility helper spots objects in pages by their public id and by that text.
"""

from __future__ import annotations

from typing import Any

import factory

from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.tests.factories import PHONE_BODY, CommunityFactory
from patientvoice.organizations.tests.factories import OrganizationFactory
from patientvoice.stories import actions
from patientvoice.stories.models import Story, StoryComment

__all__ = [
    "PHONE_BODY",
    "CommentFactory",
    "CommunityFactory",
    "GuestCommentFactory",
    "OrganizationFactory",
    "StaffFactory",
    "StoryFactory",
    "UserFactory",
    "story_body",
]


def story_body(n: int) -> str:
    return (
        f"Story body no. {n}. The first year after the diagnosis was the hardest. I slept "
        "badly, worked half days and learned to ask for help."
    )


class StoryFactory(factory.django.DjangoModelFactory[Story]):
    """A story told by ``author`` through a draft and ``publish_draft``. With a
    ``community`` the author joins it first. Pass ``body=PHONE_BODY`` for a held
    story."""

    class Meta:
        model = Story
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Story no. {n}: living with it")
    body = factory.Sequence(story_body)
    language = "sv"
    community = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Story:
        author = kwargs["author"]
        community = kwargs.get("community")
        if community is not None:
            community_actions.join_community(user=author, community=community)
        draft = actions.save_draft(
            author=author,
            draft=None,
            title=kwargs["title"],
            body=kwargs["body"],
            language=kwargs.get("language", "sv"),
            community=community,
            conditions=kwargs.get("conditions") or [],
        )
        result = actions.publish_draft(author=author, draft=draft)
        story = result.content
        assert isinstance(story, Story)
        return story


class CommentFactory(factory.django.DjangoModelFactory[StoryComment]):
    """A member's comment through ``comment_as_member`` (joins a community story's
    community first)."""

    class Meta:
        model = StoryComment

    story = factory.SubFactory(StoryFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment no. {n}: thank you for telling this")
    parent = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> StoryComment:
        story = kwargs["story"]
        if story.community is not None:
            community_actions.join_community(user=kwargs["author"], community=story.community)
        result = actions.comment_as_member(
            author=kwargs["author"],
            story=story,
            body=kwargs["body"],
            language="sv",
            parent=kwargs.get("parent"),
        )
        comment = result.content
        assert isinstance(comment, StoryComment)
        return comment


class GuestCommentFactory(factory.django.DjangoModelFactory[StoryComment]):
    """A visitor's comment through ``comment_as_guest`` (always held)."""

    class Meta:
        model = StoryComment

    story = factory.SubFactory(StoryFactory)
    guest_name = factory.Sequence(lambda n: f"Guest no. {n}")
    guest_email = factory.Sequence(lambda n: f"guest{n}@example.org")
    body = factory.Sequence(lambda n: f"Guest comment no. {n}: this helped me a lot")
    parent = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> StoryComment:
        result = actions.comment_as_guest(
            story=kwargs["story"],
            name=kwargs["guest_name"],
            email=kwargs["guest_email"],
            body=kwargs["body"],
            language="sv",
            parent=kwargs.get("parent"),
        )
        comment = result.content
        assert isinstance(comment, StoryComment)
        return comment
