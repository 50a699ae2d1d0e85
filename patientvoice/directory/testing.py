"""Where communities, threads and posts show on directory pages: the condition page
lists what is tagged with the condition, a medicine's page the discussions tagged with
the medicine. Imported by the visibility helper in tests, never by production code
(see patientvoice.core.testing.visibility)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.testing import post_markers, thread_markers
from patientvoice.core.testing.visibility import ListSurface, register


def _tagged(obj: Any) -> bool:
    return bool(obj.conditions.exists())


def _condition_page(obj: Any) -> str:
    condition = obj.conditions.order_by("slug").first()
    return str(condition.get_absolute_url())


def _medicine_tagged(thread: Thread) -> bool:
    return bool(thread.medicines.filter(is_active=True).exists())


def _medicine_page(thread: Thread) -> str:
    medicine = thread.medicines.filter(is_active=True).order_by("slug").first()
    assert medicine is not None
    return reverse("directory:medicine_detail", kwargs={"slug": medicine.slug})


def _community_markers(community: Community) -> list[str]:
    return [community.get_absolute_url()]


register(
    Community,
    ListSurface(
        "directory.condition_page",
        url=_condition_page,
        markers=_community_markers,
        applies=_tagged,
    ),
)

register(
    Thread,
    ListSurface(
        "directory.condition_page", url=_condition_page, markers=thread_markers, applies=_tagged
    ),
    # The medicine page lists the ten most recently active discussions: a test's thread
    # is among them unless it tags more than ten threads with the same medicine.
    ListSurface(
        "directory.medicine_page",
        url=_medicine_page,
        markers=thread_markers,
        applies=_medicine_tagged,
    ),
)

register(
    Post,
    # The condition page shows no post bodies; this guards against it starting to.
    ListSurface(
        "directory.condition_page",
        url=lambda p: _condition_page(p.thread),
        markers=post_markers,
        exhaustive=False,
        applies=lambda p: _tagged(p.thread),
    ),
    # Nor does the medicine page.
    ListSurface(
        "directory.medicine_page",
        url=lambda p: _medicine_page(p.thread),
        markers=post_markers,
        exhaustive=False,
        applies=lambda p: _medicine_tagged(p.thread),
    ),
)
