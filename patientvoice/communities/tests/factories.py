"""Communities, threads and posts, made through the communities actions: threads and
replies pass the real publishing pipeline, and counts are kept as in production.

Text is distinctive on purpose ("Thread no. 7: ...", "Post body no. 12 ..."): the
visibility helper spots objects in pages by their public id and by that text.
"""

from __future__ import annotations

from typing import Any

import factory

from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post, Thread, Visibility
from patientvoice.organizations.tests.factories import OrganizationFactory

__all__ = [
    "PHONE_BODY",
    "CommunityFactory",
    "OrganizationFactory",
    "PostFactory",
    "StaffFactory",
    "ThreadFactory",
    "UserFactory",
]

# The pipeline holds a text with a phone number for a moderator.
PHONE_BODY = "Call me on 070-123 45 67 and we can talk about the side effects."


class CommunityFactory(factory.django.DjangoModelFactory[Community]):
    """A community with no members. ``CommunityFactory(members=[a, b])`` joins people."""

    class Meta:
        model = Community
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community no. {n}")
    slug = factory.Sequence(lambda n: f"community-no-{n}")
    description = factory.Sequence(lambda n: f"A place to talk, description no. {n}.")
    teaser = ""
    visibility = Visibility.PUBLIC
    language = "sv"
    organization = None

    class Params:
        members_only = factory.Trait(visibility=Visibility.MEMBERS)
        private = factory.Trait(visibility=Visibility.PRIVATE)
        hosted = factory.Trait(organization=factory.SubFactory(OrganizationFactory))

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Community:
        return actions.create_community(actor=None, **kwargs)

    @factory.post_generation
    def members(obj: Community, create: bool, extracted: Any, **kwargs: Any) -> None:
        for user in extracted or ():
            actions.join_community(user=user, community=obj)
        if extracted:
            obj.refresh_from_db(fields=["member_count"])


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    """A thread opened by ``author`` (joined to the community first) with its first
    post, through ``create_thread``. Pass ``body=PHONE_BODY`` for a held thread."""

    class Meta:
        model = Thread

    community = factory.SubFactory(CommunityFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Thread no. {n}: how do you manage mornings")
    body = factory.Sequence(lambda n: f"Opening post no. {n} about sleep and fatigue")
    language = "sv"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Thread:
        actions.join_community(user=kwargs["author"], community=kwargs["community"])
        thread, _result = actions.create_thread(**kwargs)
        thread.refresh_from_db()
        return thread


class PostFactory(factory.django.DjangoModelFactory[Post]):
    """A reply by ``author`` (joined to the community first) through
    ``reply_to_thread``. Pass ``body=PHONE_BODY`` for a held reply."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Reply body no. {n} with a distinctive story")
    language = "sv"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Post:
        thread = kwargs["thread"]
        actions.join_community(user=kwargs["author"], community=thread.community)
        result = actions.reply_to_thread(**kwargs)
        post = result.content
        assert isinstance(post, Post)
        return post
