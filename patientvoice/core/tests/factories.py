"""Concrete content for testing core's pipeline: communities, threads and posts.

Core has no content of its own, so its tests borrow the first kind that exists
(communities.Post). Rows are made with the ORM; posts go through ``publish``.
"""

from __future__ import annotations

from typing import Any

import factory

from patientvoice.communities.models import Post, Thread
from patientvoice.communities.tests.factories import CommunityFactory

__all__ = ["CommunityFactory", "ThreadFactory", "publish_post", "unsaved_post"]
from patientvoice.core.publishing import PublishResult, publish


class ThreadFactory(factory.django.DjangoModelFactory[Thread]):
    class Meta:
        model = Thread

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    is_published = True


def unsaved_post(*, thread: Thread, author: Any, body: str, language: str = "sv") -> Post:
    return Post(
        thread=thread, community=thread.community, author=author, body=body, language=language
    )


def publish_post(*, thread: Thread, author: Any, body: str, **kwargs: Any) -> PublishResult:
    """A post written by ``author`` in ``thread``, through the real pipeline."""
    return publish(unsaved_post(thread=thread, author=author, body=body), **kwargs)
