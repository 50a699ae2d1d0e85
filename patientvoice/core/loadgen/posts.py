"""Generated threads, posts and reactions, with every counter the actions keep.

Planned first (which thread each post goes to, when, by whom, whether it is held),
so each thread is written once with its final counts; then the posts are written in
the order they were sent (ids grow with time, as on a real site), each rendered by
``core.markup`` as the pipeline stores it, with its reactions and its search document.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from patientvoice.communities.models import Post, Reaction, Thread, Visibility
from patientvoice.core.markup import render_markdown, text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.search.registry import PUBLIC, Document

from .bulk import Table, chunk, next_id
from .communities import Communities, Place
from .people import People
from .searchindex import Staging
from .shape import Zipf, pareto_sizes, uuid_from
from .textbank import Writer

POST_KIND = "communities.post"
WORD = re.compile(r"\w+")
HELD_SHARE = 0.004
# The manifest needs a long thread in a public and in a members-only community.
LONG_THREAD = 60
REACTION_KINDS = (("helpful", 0.5), ("hug", 0.3), ("me_too", 0.2))

Progress = Callable[[int, int], None]


@dataclass
class ThreadPlan:
    pk: int
    place: Place
    start: float
    title: str
    language: str
    posts: list[tuple[float, int, bool]] = field(default_factory=list)  # (time, author, held)


@dataclass
class PostsResult:
    threads: list[ThreadPlan]
    published_by: dict[int, int]
    # Word counts of published public posts, for the manifest's search words.
    words: dict[str, int]


def _author(rng: random.Random, people: People, zipf: Zipf, at: float) -> int:
    """A writer: the most active people joined first (old-timers write most)."""
    for _ in range(6):
        pk = people.ids[zipf.draw(rng)]
        if people.joined[pk].timestamp() <= at:
            return pk
    return people.ids[0]


def plan_threads(
    rng: random.Random, total: int, until: datetime, people: People,
    communities: Communities, writers: dict[str, Writer],
) -> list[ThreadPlan]:  # fmt: skip
    places = communities.places
    popularity = communities.popularity
    assert popularity is not None
    forced = []
    if total >= 4 * LONG_THREAD:
        public = next(p for p in places if p.visibility == Visibility.PUBLIC)
        members = next((p for p in places if p.visibility == Visibility.MEMBERS), public)
        forced = [(public, LONG_THREAD), (members, LONG_THREAD)]
    cap = max(LONG_THREAD, min(5000, total // 50))
    sizes = [n for _, n in forced] + pareto_sizes(rng, total - sum(n for _, n in forced), 1.15, cap)
    zipf = Zipf(people.active, 1.05)
    end = until.timestamp()
    plans = []
    for i, size in enumerate(sizes):
        place = forced[i][0] if i < len(forced) else places[popularity.draw(rng)]
        opened = place.created_at.timestamp()
        start = opened + (end - opened) * rng.random() ** 0.7
        if i < len(forced):  # the manifest's threads: long, and still going on
            start = max(opened, end - 90 * 86400)
        language = (
            place.language if rng.random() < 0.95 else ("en" if place.language == "sv" else "sv")
        )
        span = (end - start) * min(1.0, rng.uniform(0.005, 0.2) * (1 + size / 100))
        times = [start, *sorted(start + span * rng.random() for _ in range(size - 1))]
        plan = ThreadPlan(0, place, start, writers[language].title(language), language)
        participants: list[int] = []
        for position, at in enumerate(times, start=1):
            if participants and rng.random() < 0.5:
                author = rng.choice(participants)
            else:
                author = _author(rng, people, zipf, at)
                if len(participants) < 30:
                    participants.append(author)
            held = position > 1 and rng.random() < HELD_SHARE
            plan.posts.append((at, author, held))
            communities.join(author, place.pk, datetime.fromtimestamp(at, UTC))
        plans.append(plan)
    plans.sort(key=lambda p: p.start)
    first = next_id(Thread)
    for n, plan in enumerate(plans):
        plan.pk = first + n
    return plans


def write_threads(
    rng: random.Random, plans: list[ThreadPlan], tags: tuple[list[int], list[int]]
) -> None:
    """Each thread with its final counts (published posts only, as the actions and
    ``recount_threads`` count them), tagged like a third of real threads."""
    table = Table(
        Thread,
        ["id", "public_id", "created_at", "updated_at", "community", "title", "author",
         "is_published", "post_count", "last_post_at", "last_position",
         "last_published_position", "is_pinned", "is_locked"],
    )  # fmt: skip
    conditions = Table(Thread.conditions.through, ["thread_id", "condition_id"])
    medicines = Table(Thread.medicines.through, ["thread_id", "medicine_id"])
    for plan in plans:
        published = [(i, p) for i, p in enumerate(plan.posts, start=1) if not p[2]]
        last_position, last = published[-1][0], published[-1][1]
        opened = datetime.fromtimestamp(plan.start, UTC)
        last_at = datetime.fromtimestamp(last[0], UTC)
        table.add(
            (plan.pk, uuid_from(rng), opened, last_at, plan.place.pk, plan.title[:160],
             plan.posts[0][1], True, len(published), last_at, len(plan.posts), last_position,
             rng.random() < 0.002, False)
        )  # fmt: skip
        if tags[0] and rng.random() < 0.3:
            conditions.add((plan.pk, rng.choice(tags[0])))
        if tags[1] and rng.random() < 0.2:
            medicines.add((plan.pk, rng.choice(tags[1][:50])))
    for t in (table, conditions, medicines):
        t.flush()


POST_COLUMNS = [
    "id", "public_id", "created_at", "updated_at", "author", "body", "body_html", "language",
    "status", "hold_reasons", "published_at", "thread", "community", "helpful_count",
    "hug_count", "me_too_count", "edited_at", "deleted_at", "position", "reply_to",
]  # fmt: skip


def write_posts(
    rng: random.Random, plans: list[ThreadPlan], people: People, communities: Communities,
    writers: dict[str, Writer], staging: Staging, watch: set[str], progress: Progress,
) -> PostsResult:  # fmt: skip
    timeline = sorted(
        (at, t, position)
        for t, plan in enumerate(plans)
        for position, (at, _a, _h) in enumerate(plan.posts, start=1)
    )
    posts = Table(Post, POST_COLUMNS)
    reactions = Table(Reaction, ["id", "created_at", "updated_at", "post", "user", "kind"], 10000)
    post_id, reaction_id = next_id(Post), next_id(Reaction)
    recent: dict[int, list[int]] = {}
    published_by: dict[int, int] = {}
    words = dict.fromkeys(watch, 0)
    end = max((at for at, _t, _p in timeline), default=0.0)
    total = len(timeline)
    for n in range(0, total, 20000):
        with chunk():
            for at, t, position in timeline[n : n + 20000]:
                plan = plans[t]
                _at, author, held = plan.posts[position - 1]
                moment = datetime.fromtimestamp(at, UTC)
                language = plan.language
                body = writers[language].post(language, opening=position == 1, held=held)
                html = render_markdown(body)
                earlier = recent.setdefault(t, [])
                reply_to = rng.choice(earlier) if earlier and rng.random() < 0.15 else None
                counts = [0, 0, 0]
                if not held:
                    reaction_id = _react(
                        rng, post_id, author, moment, end, plan.place, people, communities,
                        reactions, reaction_id, counts,
                    )  # fmt: skip
                posts.add(
                    (post_id, uuid_from(rng), moment, moment, author, body, html, language,
                     ContentStatus.HELD if held else ContentStatus.PUBLISHED,
                     ["personal_data.phone"] if held else [], None if held else moment,
                     plan.pk, plan.place.pk, *counts, None, None, position, reply_to)
                )  # fmt: skip
                if not held:
                    published_by[author] = published_by.get(author, 0) + 1
                    text = text_as_read(html)
                    audiences = [f"c{plan.place.pk}"]
                    if plan.place.visibility == Visibility.PUBLIC:
                        audiences.append(PUBLIC)
                        for word in watch.intersection(WORD.findall(text.casefold())):
                            words[word] += 1
                    staging.add(
                        POST_KIND,
                        Document(
                            object_id=post_id, title=plan.title[:160] if position == 1 else "",
                            body=text, language=language, published_at=moment,
                            community_id=plan.place.pk, audiences=tuple(audiences),
                            author_id=author,
                        ),
                    )  # fmt: skip
                earlier.append(post_id)
                if len(earlier) > 10:
                    del earlier[0]
                post_id += 1
            posts.flush()
            reactions.flush()
            staging.flush()
        progress(min(n + 20000, total), total)
    return PostsResult(threads=plans, published_by=published_by, words=words)


def _react(
    rng: random.Random, post_id: int, author: int, at: datetime, end: float, place: Place,
    people: People, communities: Communities, table: Table, next_pk: int, counts: list[int],
) -> int:  # fmt: skip
    """Most posts get no reaction, a few get many; one of each kind per person. A
    person who reacts can read the post: in a closed community they are a member."""
    if rng.random() < 0.55:
        return next_pk
    wanted = min(150, int(1.0 / (1.0 - rng.random()) ** (1.0 / 1.3)))
    seen: set[tuple[int, str]] = set()
    span = max(0.0, end - at.timestamp())
    for _ in range(wanted):
        user = people.ids[rng.randrange(len(people.ids))]
        if user == author:
            continue
        r = rng.random()
        index = 0 if r < 0.5 else 1 if r < 0.8 else 2
        kind = REACTION_KINDS[index][0]
        if (user, kind) in seen:
            continue
        seen.add((user, kind))
        when = at + timedelta(seconds=min(span, rng.expovariate(1 / 86400)))
        when = max(when, people.joined[user])
        if place.visibility != Visibility.PUBLIC:
            communities.join(user, place.pk, when)
        table.add((next_pk, when, when, post_id, user, kind))
        counts[index] += 1
        next_pk += 1
    return next_pk
