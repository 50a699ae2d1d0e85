"""One run of the generator: the phases in order, each with a progress line."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db import connection

from patientvoice.accounts.models import ConsentRecord, User
from patientvoice.communities.models import Community, Membership, Post, Reaction, Thread
from patientvoice.core.models import ContentStatus
from patientvoice.directory.import_command import ProgressLine
from patientvoice.directory.models import Condition, Medicine
from patientvoice.moderation.pipeline import open_cases_after_publish
from patientvoice.reviews.aggregates import rebuild_all
from patientvoice.reviews.models import Review
from patientvoice.search.indexing import rebuild
from patientvoice.search.models import SearchEntry

from . import communities as community_gen
from . import people as people_gen
from . import posts as post_gen
from . import reviews as review_gen
from .bulk import chunk, loading, next_id, reset_sequences, update_many
from .manifest import ManifestFacts, give_notifications, make_bench_member, manifest
from .searchindex import Staging
from .shape import Sizes
from .textbank import Writer

FREQUENT_CANDIDATES = ("läkaren", "dosen", "veckor", "biverkningarna", "trött", "doctor")
DIRECTORY_KINDS = ["directory.medicine", "directory.clinic", "directory.physician"]


def run_tag() -> str:
    """``r1`` for the first run on a database, ``r2`` for an appended one..."""
    done = User.objects.filter(
        email__startswith="bench-", email__endswith=f"@{people_gen.DOMAIN}"
    ).count()
    return f"r{done + 1}"


def generated_members() -> int:
    return User.objects.filter(email__endswith=f"@{people_gen.DOMAIN}").count()


def generate(
    *, sizes: Sizes, seed: int, until: datetime, write: Callable[[str], Any]
) -> dict[str, Any]:
    """Fill the database; returns the manifest."""
    started = time.monotonic()
    tag = run_tag()
    # An appended set draws from its own stream: new public ids, new texts.
    rng = random.Random(seed if tag == "r1" else f"{seed}:{tag}")  # noqa: S311 - data, not secrets

    def phase(label: str) -> ProgressLine:
        write(f"{label}…")
        return ProgressLine(f"  {label}", write)

    with loading():
        conditions = list(Condition.objects.order_by("pk"))
        with chunk():
            organizations = people_gen.make_organizations(
                rng, max(1, sizes.communities // 10), tag, until
            )
            places = community_gen.make_communities(
                rng, sizes.communities, tag, until, organizations, conditions
            )
        with chunk():
            # Through the action, before the bulk rows take the next ids.
            bench = make_bench_member(tag, until)
            people = people_gen.make_members(rng, sizes.members, tag, until, phase("Members"))
            # Old-timers write most: the Zipf ranks follow the order of joining.
            people.ids.sort(key=lambda pk: (people.joined[pk], pk))
        with chunk():
            entries = review_gen.make_entries(rng, sizes.entries, tag)
        medicines = list(Medicine.objects.filter(pk__lt=min(entries["medicine"])).order_by("pk"))
        names = {
            "sv": [m.name_sv or m.inn_en for m in medicines],
            "en": [m.inn_en for m in medicines],
        }
        generated = list(Medicine.objects.filter(pk__in=entries["medicine"]).order_by("pk"))
        writers = {
            lang: Writer(
                rng,
                names[lang] + [m.name_sv for m in generated],
                [c.name_sv if lang == "sv" else c.name_en for c in conditions],
            )
            for lang in ("sv", "en")
        }
        rare = {m.name_sv.casefold() for m in generated[-200:]}
        community_gen.make_memberships(rng, people, places, phase("Memberships planned"))
        plans = post_gen.plan_threads(rng, sizes.posts, until, people, places, writers)
        with chunk():
            post_gen.write_threads(
                rng, plans, ([c.pk for c in conditions], [m.pk for m in medicines + generated])
            )
        staging = Staging()
        watch = set(FREQUENT_CANDIDATES) | rare
        first_post = next_id(Post)
        result = post_gen.write_posts(
            rng, plans, people, places, writers, staging, watch, phase("Posts and reactions")
        )
        by_size = sorted(plans, key=lambda p: (-len(p.posts), p.pk))
        public = next(p for p in by_size if p.place.visibility == "public")
        members = next((p for p in by_size if p.place.visibility == "members"), public)
        at = datetime.fromtimestamp(members.start, until.tzinfo)
        for place in {public.place.pk, members.place.pk, *(p.place.pk for p in plans[-3:])}:
            places.join(bench.pk, place, at)
        with chunk():
            member_counts = community_gen.write_memberships(places, phase("Memberships"))
            threads_per: dict[int, int] = {}
            for plan in plans:
                threads_per[plan.place.pk] = threads_per.get(plan.place.pk, 0) + 1
            update_many(
                "UPDATE communities_community SET member_count = %s, thread_count = %s"
                " WHERE id = %s",
                [(member_counts.get(p.pk, 0), threads_per.get(p.pk, 0), p.pk)
                 for p in places.places],
            )  # fmt: skip
        first_review = next_id(Review)
        review_by, best = review_gen.write_reviews(
            rng, sizes.reviews, until, entries, people, [c.pk for c in conditions], writers,
            staging, phase("Reviews"),
        )  # fmt: skip
        write("Review summaries (rebuild_review_summaries)…")
        summaries = rebuild_all()
        with chunk():
            published = dict(result.published_by)
            for author, n in review_by.items():
                published[author] = published.get(author, 0) + n
            update_many(
                "UPDATE accounts_user SET published_count = published_count + %s WHERE id = %s",
                [(n, pk) for pk, n in published.items()],
            )
        write("Moderation cases of held content…")
        with chunk():
            for model, first in ((Post, first_post), (Review, first_review)):
                for held in model.objects.filter(pk__gte=first, status=ContentStatus.HELD):
                    open_cases_after_publish(held)
        write("Search index…")
        indexed = staging.finish(next_id(SearchEntry))
        reset_sequences([SearchEntry])  # rebuild() below writes through the ORM
        for counts in rebuild(labels=DIRECTORY_KINDS):
            indexed += counts.indexed
        with chunk():
            unread = give_notifications(rng, bench, [members.pk, public.pk])
        # PostgreSQL: the next row an action writes must not take a generated id.
        reset_sequences(
            [User, EmailAddress, ConsentRecord, Community, Membership, Thread, Post, Reaction,
             Review, SearchEntry]
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    word_counts = result.words
    frequent = max(FREQUENT_CANDIDATES, key=lambda w: word_counts.get(w, 0))
    found = sorted((n, w) for w, n in word_counts.items() if w in rare and n > 0)
    rare_word = found[0][1] if found else frequent
    best_medicine = best.get("medicine") or (
        medicines[0].pk if medicines else entries["medicine"][0]
    )
    facts = ManifestFacts(
        tag=tag, seed=seed, sizes=sizes.as_dict(),
        counts={"posts": sum(len(p.posts) for p in plans), "threads": len(plans),
                "memberships": len(places.memberships), "summaries": summaries,
                "indexed": indexed, "bench_unread_notifications": unread},
        public_thread=public.pk, members_thread=members.pk, medicine=best_medicine,
        frequent_word=frequent, rare_word=rare_word, seconds=time.monotonic() - started,
    )  # fmt: skip
    return manifest(facts)
