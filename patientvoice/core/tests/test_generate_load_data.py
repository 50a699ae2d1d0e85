"""manage.py generate_load_data: a tiny run leaves the database as the actions would."""

from __future__ import annotations

import json
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Max, Q

from patientvoice.accounts.models import User
from patientvoice.communities.models import (
    REACTION_COUNT_FIELDS,
    Community,
    Membership,
    Post,
    Reaction,
    Thread,
)
from patientvoice.core.loadgen.people import DOMAIN, LOAD_PASSWORD
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in
from patientvoice.reviews.models import RatingSummary, Review

pytestmark = pytest.mark.django_db

TINY = ["--members", "60", "--communities", "6", "--posts", "600", "--reviews", "200",
        "--entries", "50", "--until", "2026-06-01"]  # fmt: skip


def generate(tmp_path: Path, *extra: str) -> dict[str, Any]:
    path = tmp_path / "manifest.json"
    call_command("generate_load_data", *TINY, "--manifest", str(path), *extra)
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@pytest.fixture
def manifest(tmp_path: Path) -> dict[str, Any]:
    return generate(tmp_path)


@pytest.fixture
def bench_member(manifest: dict[str, Any]) -> User:
    return User.objects.get(email=manifest["login"]["email"])


def test_thread_and_community_counters_equal_the_real_counts(manifest: dict[str, Any]) -> None:
    published = Q(posts__status=ContentStatus.PUBLISHED)
    threads = Thread.objects.annotate(
        real=Count("posts", filter=published),
        top=Max("posts__position"),
        top_published=Max("posts__position", filter=published),
    )
    assert threads.count() == manifest["counts"]["threads"]
    for thread in threads:
        assert (thread.post_count, thread.last_position, thread.last_published_position) == (
            thread.real, thread.top, thread.top_published,
        )  # fmt: skip
        assert thread.is_published
    for community in Community.objects.all():
        assert community.thread_count == Thread.objects.filter(community=community).count()
        assert community.member_count == Membership.objects.filter(community=community).count()


def test_reaction_counts_and_published_counts_equal_the_rows(manifest: dict[str, Any]) -> None:
    reactions = Counter(Reaction.objects.values_list("post_id", "kind"))
    assert reactions, "some posts have reactions"
    for post in Post.objects.all():
        for kind, field in REACTION_COUNT_FIELDS.items():
            assert getattr(post, field) == reactions.get((post.pk, kind), 0)
    written = Counter(
        Post.objects.filter(status=ContentStatus.PUBLISHED).values_list("author_id", flat=True)
    ) + Counter(
        Review.objects.filter(status=ContentStatus.PUBLISHED).values_list("author_id", flat=True)
    )
    for user in User.objects.filter(email__endswith=DOMAIN):
        assert user.published_count == written.get(user.pk, 0)


def test_most_members_never_post_and_a_few_write_most(manifest: dict[str, Any]) -> None:
    authors = Counter(Post.objects.values_list("author_id", flat=True))
    members = User.objects.filter(email__endswith=DOMAIN).count()
    assert len(authors) < members * 0.5
    assert authors.most_common(1)[0][1] > 600 / len(authors) * 3


def test_review_summaries_match_the_published_reviews(manifest: dict[str, Any]) -> None:
    rows = RatingSummary.objects.filter(kind="medicine", condition__isnull=True)
    assert rows.exists()
    for row in rows:
        reviews = Review.objects.filter(medicine=row.medicine, status=ContentStatus.PUBLISHED)
        assert row.count == reviews.count()
        satisfaction = [r.scores["satisfaction"] for r in reviews]
        assert row.sums["satisfaction"] == sum(satisfaction)
        assert row.histograms["satisfaction"] == [satisfaction.count(s) for s in range(1, 6)]


def test_members_only_thread_answers_a_member_and_not_a_visitor(
    client: Any, manifest: dict[str, Any], bench_member: User
) -> None:
    path = manifest["paths"]["members_thread"]
    assert client.get(path).status_code == 404
    assert client.get(manifest["paths"]["public_thread"]).status_code == 200
    log_in(client, bench_member)
    assert client.get(path).status_code == 200


def test_every_manifest_path_answers_200_for_the_bench_member(
    client: Any, manifest: dict[str, Any]
) -> None:
    login = manifest["login"]
    assert login["password"] == LOAD_PASSWORD
    assert client.login(email=login["email"], password=login["password"])
    paths = [*manifest["paths"].values(), *(v for k, v in manifest["api"].items() if "/" in v)]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert manifest["threads"]["members"]["posts"] >= 50
    assert manifest["threads"]["public"]["posts"] >= 50


def test_generated_members_can_log_in(client: Any, manifest: dict[str, Any]) -> None:
    member = User.objects.filter(email__endswith=DOMAIN).exclude(email__startswith="bench").first()
    assert member is not None
    assert member.consented_policy_version is not None
    assert client.login(email=member.email, password=LOAD_PASSWORD)
    assert client.get("/sv/").status_code == 200


def test_search_finds_members_only_posts_for_members_only(
    client: Any, manifest: dict[str, Any], bench_member: User
) -> None:
    community = manifest["threads"]["members"]["community"]
    thread = Thread.objects.get(public_id=manifest["threads"]["members"]["id"])
    word = thread.title.split()[0].strip("?:")
    assert (
        manifest["threads"]["members"]["id"]
        not in client.get("/sv/search/", {"q": word}).content.decode()
    )
    log_in(client, bench_member)
    found = client.get("/sv/search/", {"q": word, "community": community}).content.decode()
    assert manifest["threads"]["members"]["id"] in found


class Rollback(Exception):
    pass


def fingerprint() -> list[Any]:
    return [
        list(User.objects.filter(email__endswith=DOMAIN, email__contains="-m")
             .order_by("pk").values_list("handle", "date_joined")),
        list(Thread.objects.order_by("pk").values_list("public_id", "title", "post_count")),
        list(Post.objects.order_by("pk").values_list("body", "author__handle", "created_at")),
        list(Review.objects.order_by("pk").values_list("scores", "body")),
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    with suppress(Rollback), transaction.atomic():
        generate(tmp_path)
        first = fingerprint()
        raise Rollback
    generate(tmp_path)
    assert fingerprint() == first
    assert first[2]


def test_a_second_run_is_refused_unless_appended(tmp_path: Path) -> None:
    generate(tmp_path)
    with pytest.raises(CommandError, match="--append"):
        generate(tmp_path)
    generate(tmp_path, "--append")
    assert User.objects.filter(email__startswith="bench-").count() == 2


def test_the_production_profile_is_refused(settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate(tmp_path)
    assert not User.objects.filter(email__endswith=DOMAIN).exists()
