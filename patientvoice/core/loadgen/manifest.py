"""The benchmark's member (made through the account action, so it logs in like any
person) and the manifest that tells ``bench/run.py`` what to request."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import translation

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.communities.models import Post, Thread
from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import Medicine
from patientvoice.notifications.models import (
    Notification,
    NotificationKind,
    NotificationState,
    Subscription,
)

from .people import DOMAIN, LOAD_PASSWORD
from .shape import uuid_from

MANIFEST_VERSION = 1


def bench_email(tag: str) -> str:
    return f"bench-{tag}@{DOMAIN}"


def make_bench_member(tag: str, until: datetime) -> User:
    return account_actions.create_member(
        email=bench_email(tag), password=LOAD_PASSWORD, handle=f"Bench_{tag}",
        presence="patient", language="sv", bio="Konto för lasttester.", email_verified=True,
        joined_at=until - timedelta(days=400),
    )  # fmt: skip


def give_notifications(rng: Any, member: User, thread_ids: list[int]) -> int:
    """The member follows the threads and was told of their latest replies; a few are
    read. ``unread_count`` is kept as notifications.actions keeps it."""
    unread = 0
    rows = []
    for thread_id in thread_ids:
        Subscription.objects.create(user=member, thread_id=thread_id)
        latest = Post.objects.filter(thread_id=thread_id, status=ContentStatus.PUBLISHED).order_by(
            "-position"
        )[:6]
        for n, post in enumerate(latest):
            read = n >= 3
            unread += not read
            rows.append(
                Notification(
                    public_id=uuid_from(rng),
                    recipient=member,
                    post=post,
                    kind=NotificationKind.REPLY,
                    read_at=post.published_at if read else None,
                )
            )
    Notification.objects.bulk_create(rows)
    NotificationState.objects.update_or_create(user=member, defaults={"unread_count": unread})
    return unread


@dataclass
class ManifestFacts:
    tag: str
    seed: int
    sizes: dict[str, int]
    counts: dict[str, int]
    public_thread: int
    members_thread: int
    medicine: int
    frequent_word: str
    rare_word: str
    seconds: float


def manifest(facts: ManifestFacts) -> dict[str, Any]:
    public = Thread.objects.select_related("community").get(pk=facts.public_thread)
    members = Thread.objects.select_related("community").get(pk=facts.members_thread)
    medicine = Medicine.objects.get(pk=facts.medicine)
    with translation.override("sv"):
        search = reverse("search:search")
        paths = {
            "home": reverse("home"),
            "public_community": reverse(
                "communities:detail", kwargs={"slug": public.community.slug}
            ),
            "public_thread": public.get_absolute_url(),
            "members_community": reverse(
                "communities:detail", kwargs={"slug": members.community.slug}
            ),
            "members_thread": members.get_absolute_url(),
            "medicine": reverse("directory:medicine_detail", kwargs={"slug": medicine.slug}),
            "search_frequent": f"{search}?q={facts.frequent_word}",
            "search_rare": f"{search}?q={facts.rare_word}",
        }
    return {
        "version": MANIFEST_VERSION,
        "run": facts.tag,
        "seed": facts.seed,
        "sizes": facts.sizes,
        "counts": facts.counts,
        "seconds": round(facts.seconds, 1),
        "login": {"email": bench_email(facts.tag), "password": LOAD_PASSWORD},
        "paths": paths,
        "search_words": {"frequent": facts.frequent_word, "rare": facts.rare_word},
        "threads": {
            "public": {
                "id": str(public.public_id),
                "posts": public.post_count,
                "community": public.community.slug,
            },
            "members": {
                "id": str(members.public_id),
                "posts": members.post_count,
                "community": members.community.slug,
            },
        },
        "api": {
            "public_threads": f"/api/v1/communities/{public.community.slug}/threads",
            "members_threads": f"/api/v1/communities/{members.community.slug}/threads",
            "medicine": medicine.slug,
        },
    }


def write_manifest(path: str, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
