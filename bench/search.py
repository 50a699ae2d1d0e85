"""Search over a million posts: p50/p95 of the real candidate query, on SQLite FTS5
and on PostgreSQL full text (docs/decisions/0021).

For each backend, a worker process points Django at a scratch database (a temporary
SQLite file; a ``pv_bench_search`` database on PostgreSQL), creates the index tables
exactly as the migrations do (``search.schema``), fills them with generated posts by
bulk inserts straight into the index (no Post rows: the index is what is measured),
then times ``search.backends.<backend>.candidates()`` (the same code the search page
runs) over a mix of frequent, medium and rare words, one and two words, as a
visitor, a member of a few communities and staff. The final visibility check and
snippets work on the 1,000 candidates and the 20 shown, whatever the index size; they
are not part of this figure.

Posts are Swedish (70 %) and English, 10 to 120 words long, drawn from a Zipf
distribution over function words, a few hundred real words about illness and care
(in several inflected forms) and 30,000 made-up rare words per language; 500
communities, 70 % public, 20 % members-only, 10 % private.

    python bench/search.py                 # 1,000,000 posts, both backends
    python bench/search.py --posts 100000 --backends sqlite

It never asserts a duration; it prints the figures and writes JSON to bench/results/.
"""

# SQL here is put together from our own table names, constants and placeholders only;
# every value from a person is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/"
PG_DATABASE = "pv_bench_search"
COMMUNITIES = 500
WINDOW = 300  # search.queries.WINDOW

FUNCTION_WORDS = {
    "sv": str.split(
        "och att det som en på är av för med jag har inte till den om men var så kan "
        "de ett vi han hon mig min när från eller bara också efter hade nu"
    ),
    "en": str.split(
        "the and to of a i in it is that my for with have was not but on this be at "
        "as so had me they about when all from can"
    ),
}
# (word, inflected forms): the forms are what people write; the stemmer joins them.
REAL_WORDS = {
    "sv": [
        ("smärta", ["smärta", "smärtan", "smärtor", "smärtorna"]),
        ("biverkning", ["biverkning", "biverkningen", "biverkningar", "biverkningarna"]),
        ("trötthet", ["trötthet", "tröttheten", "trött", "trötta"]),
        ("medicin", ["medicin", "medicinen", "mediciner", "medicinerna"]),
        ("läkare", ["läkare", "läkaren", "läkarna"]),
        ("behandling", ["behandling", "behandlingen", "behandlingar"]),
        ("huvudvärk", ["huvudvärk", "huvudvärken"]),
        ("sömn", ["sömn", "sömnen", "sömnlös", "sömnproblem"]),
        ("illamående", ["illamående", "illamåendet"]),
        ("yrsel", ["yrsel", "yrseln"]),
        ("dos", ["dos", "dosen", "doser", "doserna"]),
        ("tablett", ["tablett", "tabletten", "tabletter", "tabletterna"]),
        ("sjukhus", ["sjukhus", "sjukhuset", "sjukhusen"]),
        ("vårdcentral", ["vårdcentral", "vårdcentralen"]),
        ("operation", ["operation", "operationen", "operationer"]),
        ("feber", ["feber", "febern"]),
        ("ångest", ["ångest", "ångesten"]),
        ("depression", ["depression", "depressionen"]),
        ("diabetes", ["diabetes", "diabetesen"]),
        ("insulin", ["insulin", "insulinet"]),
        ("astma", ["astma", "astman"]),
        ("migrän", ["migrän", "migränen"]),
        ("reumatism", ["reumatism", "reumatismen"]),
        ("cancer", ["cancer", "cancern"]),
        ("cellgift", ["cellgift", "cellgifter", "cellgifterna"]),
        ("strålning", ["strålning", "strålningen"]),
        ("prov", ["prov", "provet", "proverna"]),
        ("värde", ["värde", "värdet", "värden", "värdena"]),
        ("familj", ["familj", "familjen", "familjer"]),
        ("arbete", ["arbete", "arbetet", "jobbet"]),
        ("träning", ["träning", "träningen", "tränar"]),
        ("kost", ["kost", "kosten"]),
        ("vecka", ["vecka", "veckan", "veckor"]),
        ("morgon", ["morgon", "morgonen", "morgnar"]),
        ("hjälp", ["hjälp", "hjälpen", "hjälpte"]),
        ("erfarenhet", ["erfarenhet", "erfarenheten", "erfarenheter"]),
        ("fråga", ["fråga", "frågan", "frågor"]),
        ("känsla", ["känsla", "känslan", "känslor"]),
        ("sjuksköterska", ["sjuksköterska", "sjuksköterskan"]),
        ("recept", ["recept", "receptet"]),
    ],
    "en": [
        ("pain", ["pain", "pains", "painful"]),
        ("headache", ["headache", "headaches"]),
        ("side", ["side", "sides"]),
        ("effect", ["effect", "effects"]),
        ("fatigue", ["fatigue", "tired", "tiredness"]),
        ("medicine", ["medicine", "medicines", "medication", "medications"]),
        ("doctor", ["doctor", "doctors"]),
        ("treatment", ["treatment", "treatments", "treated", "treating"]),
        ("sleep", ["sleep", "sleeping", "slept", "sleepless"]),
        ("nausea", ["nausea", "nauseous"]),
        ("dizziness", ["dizziness", "dizzy"]),
        ("dose", ["dose", "doses", "dosing"]),
        ("tablet", ["tablet", "tablets", "pill", "pills"]),
        ("hospital", ["hospital", "hospitals"]),
        ("surgery", ["surgery", "surgeries"]),
        ("fever", ["fever", "fevers"]),
        ("anxiety", ["anxiety", "anxious"]),
        ("depression", ["depression", "depressed"]),
        ("diabetes", ["diabetes", "diabetic"]),
        ("insulin", ["insulin"]),
        ("asthma", ["asthma", "inhaler", "inhalers"]),
        ("migraine", ["migraine", "migraines"]),
        ("arthritis", ["arthritis", "joints", "joint"]),
        ("cancer", ["cancer", "cancers"]),
        ("chemo", ["chemo", "chemotherapy"]),
        ("radiation", ["radiation"]),
        ("test", ["test", "tests", "tested"]),
        ("result", ["result", "results"]),
        ("family", ["family", "families"]),
        ("work", ["work", "working", "worked"]),
        ("exercise", ["exercise", "exercising"]),
        ("diet", ["diet", "diets"]),
        ("week", ["week", "weeks"]),
        ("morning", ["morning", "mornings"]),
        ("help", ["help", "helped", "helps", "helpful"]),
        ("experience", ["experience", "experiences"]),
        ("question", ["question", "questions"]),
        ("feeling", ["feeling", "feelings", "feel"]),
        ("nurse", ["nurse", "nurses"]),
        ("prescription", ["prescription", "prescriptions"]),
    ],
}
SYLLABLES = {
    "sv": str.split("ka lo mi sa be tu rö vä ni ko la fe ström berg lund dal vik sjö ny gå sk"),
    "en": str.split("ba co de fi go hu ja ke lu mo ne pi ra so te vi wa zo ph th"),
}
RARE_PER_LANGUAGE = 30_000


def vocabulary(language: str, rng: random.Random) -> tuple[list[str], list[float]]:
    """Words in Zipf order with cumulative weights: function words, real words (all
    forms), then made-up rare words."""
    real = [form for _base, forms in REAL_WORDS[language] for form in forms]
    rng.shuffle(real)
    rare: set[str] = set()
    syllables = SYLLABLES[language]
    while len(rare) < RARE_PER_LANGUAGE:
        rare.add("".join(rng.choice(syllables) for _ in range(rng.randint(3, 5))))
    words = FUNCTION_WORDS[language] + real + sorted(rare)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 2.7)
        cumulative.append(total)
    return words, cumulative


def worker(
    backend_name: str, posts: int, queries: int, seed: int, window: int, reuse: bool
) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patientvoice.settings")
    django.setup()
    from django.db import connection

    from patientvoice.search import stemming

    rng = random.Random(seed)
    vocab = {lang: vocabulary(lang, rng) for lang in ("sv", "en")}
    stems = {lang: {w: stemming.stem(w, lang) for w in vocab[lang][0]} for lang in vocab}
    visibilities = ["public"] * 7 + ["members"] * 2 + ["private"]
    community_visibility = {c: rng.choice(visibilities) for c in range(1, COMMUNITIES + 1)}
    started = datetime(2023, 1, 1, tzinfo=UTC)
    span = timedelta(days=3 * 365).total_seconds()

    def generate() -> Iterator[tuple[Any, ...]]:
        for n in range(1, posts + 1):
            language = "sv" if rng.random() < 0.7 else "en"
            words, cumulative = vocab[language]
            length = min(120, max(10, int(rng.lognormvariate(3.6, 0.55))))
            body = rng.choices(words, cum_weights=cumulative, k=length)
            title = rng.choices(words, cum_weights=cumulative, k=6) if n % 8 == 1 else []
            community = rng.randint(1, COMMUNITIES)
            scope = f"auc{community} "
            if community_visibility[community] == "public":
                scope += "aupublic "
            scope += f"pl{community} kdcommunitiespost"
            at = started + timedelta(seconds=span * n / posts)
            yield (n, language, title, body, scope, community, at)

    timings: dict[str, float] = {"load_s": 0.0, "build_s": 0.0}
    t0 = time.perf_counter()
    if not reuse:
        build(connection, generate, stems, timings, t0)

    # Queries draw from their own stream, so a kept database is measured the same way.
    queries_rng = random.Random(seed + 1)
    return measure(connection, vocab, queries_rng, queries, window, timings, backend_name, posts)


def build(connection: Any, generate: Any, stems: Any, timings: dict[str, float], t0: float) -> None:
    from patientvoice.search.models import SearchEntry
    from patientvoice.search.schema import (
        FTS_TABLE,
        POSTGRES_FORWARD,
        RECENCY_BUCKETS,
        TABLE,
        create_fulltext,
    )

    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        editor.execute("DROP TABLE IF EXISTS bench_staging")
        if connection.vendor == "sqlite":
            editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        editor.create_model(SearchEntry)
    now = datetime.now(UTC)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
        with connection.schema_editor() as editor:
            create_fulltext(editor)
        entry_sql = (
            f"INSERT INTO {TABLE} (id, created_at, updated_at, kind, object_id, community_id,"
            " language, scope, published_at, author_id)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        fts_sql = f"INSERT INTO {FTS_TABLE} (rowid, title, body, scope) VALUES (%s, %s, %s, %s)"
        adapt = connection.ops.adapt_datetimefield_value
        created = adapt(now)
        batch_entries: list[tuple[Any, ...]] = []
        batch_fts: list[tuple[Any, ...]] = []

        def flush() -> None:
            with connection.cursor() as cursor:
                cursor.executemany(entry_sql, batch_entries)
                cursor.executemany(fts_sql, batch_fts)
            batch_entries.clear()
            batch_fts.clear()

        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
        for n, language, title, body, scope, community, at in generate():
            s = stems[language]
            batch_entries.append(
                (n, created, created, "communities.post", n, community, language,
                 scope, adapt(at), n % 50_000)
            )  # fmt: skip
            batch_fts.append(
                (n, " ".join(s[w] for w in title), " ".join(s[w] for w in body), scope)
            )
            if len(batch_entries) == 20_000:
                flush()
        flush()
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")
            timings["load_s"] = time.perf_counter() - t0
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        raw = connection.connection if connection.connection else None
        if raw is None:
            connection.ensure_connection()
            raw = connection.connection
        # The texts go through a staging table; the entries get their document as
        # backends.PostgresBackend.write() computes it, in one INSERT … SELECT.
        with raw.cursor() as cursor:
            cursor.execute(
                "CREATE UNLOGGED TABLE bench_staging (id bigint, language text, title text,"
                " body text, scope text, community bigint, at timestamptz)"
            )
            with cursor.copy("COPY bench_staging FROM STDIN") as copy:
                for n, language, title, body, scope, community, at in generate():
                    copy.write_row(
                        (n, language, " ".join(title), " ".join(body), scope, community, at)
                    )
        raw.commit()
        timings["load_s"] = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        config = "(CASE language WHEN 'en' THEN 'english' ELSE 'swedish' END)::regconfig"
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_FORWARD[0])  # the document column
            cursor.execute(
                f"INSERT INTO {TABLE} (id, created_at, updated_at, kind, object_id,"
                " community_id, language, scope, published_at, author_id, document)"
                " SELECT id, now(), now(), 'communities.post', id, community, language, scope,"
                f" at, id % 50000, setweight(to_tsvector({config}, title), 'A')"
                f" || setweight(to_tsvector({config}, body), 'B')"
                " || setweight(to_tsvector('simple'::regconfig, scope"
                + "".join(
                    f" || ' {prefix}' || (id / {size})::text"
                    for prefix, size in RECENCY_BUCKETS.items()
                )
                + "), 'D')"
                " FROM bench_staging ORDER BY id"
            )
            cursor.execute("DROP TABLE bench_staging")
            for statement in POSTGRES_FORWARD[1:]:  # the GIN index
                cursor.execute(statement)
        connection.commit() if not connection.get_autocommit() else None
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {TABLE}")
    timings["build_s"] = time.perf_counter() - t0


def measure(
    connection: Any,
    vocab: dict[str, tuple[list[str], list[float]]],
    rng: random.Random,
    queries: int,
    window: int,
    timings: dict[str, float],
    backend_name: str,
    posts: int,
) -> dict[str, Any]:
    from patientvoice.search import stemming
    from patientvoice.search.backends import CandidateQuery, backend_for
    from patientvoice.search.schema import FTS_TABLE, TABLE

    # Query words by how many posts hold them: frequent (top of the real words),
    # medium, rare (made-up tail words).
    def pick(language: str, start: int, stop: int) -> str:
        words = vocab[language][0]
        offset = len(FUNCTION_WORDS[language])
        return words[offset + rng.randrange(start, stop)]

    def real_count(language: str) -> int:
        return sum(len(forms) for _b, forms in REAL_WORDS[language])

    mixes: list[tuple[str, str]] = []
    for _ in range(queries):
        language = "sv" if rng.random() < 0.7 else "en"
        real = real_count(language)
        kind = rng.choice(["frequent", "medium", "rare", "two words"])
        if kind == "frequent":
            q = pick(language, 0, 15)
        elif kind == "medium":
            q = pick(language, 40, real)
        elif kind == "rare":
            q = pick(language, real + 5_000, real + RARE_PER_LANGUAGE)
        else:
            q = f"{pick(language, 0, 30)} {pick(language, 20, real)}"
        mixes.append((kind, q))

    member_communities = frozenset(
        {"public"} | {f"c{rng.randint(1, COMMUNITIES)}" for _ in range(5)}
    )
    audiences: dict[str, frozenset[str] | None] = {
        "visitor": frozenset({"public"}),
        "member": member_communities,
        "staff": None,
    }
    backend = backend_for(connection.vendor)

    def run(q: str, audience: frozenset[str] | None) -> tuple[float, int]:
        query = CandidateQuery(
            terms=stemming.query_terms(q), words=stemming.query_words(q),
            audiences=audience, window=window,
        )  # fmt: skip
        start = time.perf_counter()
        with connection.cursor() as cursor:
            found = backend.candidates(cursor, query)
        found.sort(key=lambda r: r[1], reverse=True)  # the ranking the page does
        return (time.perf_counter() - start) * 1000, len(found)

    for _kind, q in mixes[:20]:  # warm the caches
        run(q, None)
    samples: dict[str, list[float]] = {}
    matches: dict[str, list[int]] = {}
    order = [(kind, q, who) for kind, q in mixes for who in audiences]
    rng.shuffle(order)
    for kind, q, who in order:
        ms, n = run(q, audiences[who])
        samples.setdefault(kind, []).append(ms)
        samples.setdefault(f"as {who}", []).append(ms)
        samples.setdefault("all", []).append(ms)
        matches.setdefault(kind, []).append(n)

    # For comparison: ranking every match of a frequent word (what the window avoids).
    naive: list[float] = []
    for _ in range(5):
        q = pick("sv", 0, 5)
        terms = stemming.query_terms(q)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                match = backend.match_expression(  # type: ignore[attr-defined]
                    CandidateQuery(terms=terms, words=[q], audiences=None)
                )
                cursor.execute(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
                    f" ORDER BY bm25({FTS_TABLE}, 3.0, 1.0, 0.0) LIMIT 20",
                    [match],
                )
            else:
                cursor.execute(
                    f"SELECT id FROM {TABLE} WHERE document @@ plainto_tsquery('swedish', %s)"
                    " ORDER BY ts_rank(document, plainto_tsquery('swedish', %s)) DESC LIMIT 20",
                    [q, q],
                )
            cursor.fetchall()
        naive.append((time.perf_counter() - start) * 1000)

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return {
            "n": len(ordered),
            "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2),
        }

    return {
        "backend": backend_name,
        "posts": posts,
        "window": window,
        "load_s": round(timings["load_s"], 1),
        "build_s": round(timings["build_s"], 1),
        "latency": {k: summary(v) for k, v in samples.items()},
        "median_matches": {k: int(statistics.median(v)) for k, v in matches.items()},
        "naive_ranked_frequent_word": summary(naive),
    }


def run_backend(name: str, args: argparse.Namespace, folder: Path) -> dict[str, Any] | None:
    env = dict(os.environ, PV_VAR_DIR=str(folder), PYTHONPATH=str(ROOT))
    if name == "sqlite":
        keep = Path(args.keep_dir) if args.keep else folder
        env["DATABASE_URL"] = f"sqlite:///{keep / 'search-bench.sqlite3'}"
    else:
        import psycopg

        try:
            with psycopg.connect(PG_URL + "postgres", autocommit=True) as pg:
                if not args.reuse:
                    pg.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                    pg.execute(f"CREATE DATABASE {PG_DATABASE}")
        except psycopg.OperationalError as error:
            print(f"postgres: skipped ({error})")
            return None
        env["DATABASE_URL"] = PG_URL + PG_DATABASE
    command = [
        sys.executable, __file__, "--worker", name, "--posts", str(args.posts),
        "--queries", str(args.queries), "--seed", str(args.seed), "--window", str(args.window),
        *(["--reuse"] if args.reuse else []),
    ]  # fmt: skip
    print(f"{name}: generating {args.posts:,} posts and measuring…", flush=True)
    out = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if name == "postgresql" and not (args.keep or args.reuse):
        import psycopg

        with psycopg.connect(PG_URL + "postgres", autocommit=True) as pg:
            pg.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    if out.returncode != 0:
        print(out.stderr[-3000:])
        return None
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def print_result(result: dict[str, Any]) -> None:
    print(
        f"\n{result['backend']}: {result['posts']:,} posts, window {result['window']},"
        f" loaded in {result['load_s']} s, index ready after {result['build_s']} s"
    )
    print(f"  {'queries':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'matches':>10}")
    for key, row in result["latency"].items():
        matches = result["median_matches"].get(key, "")
        print(
            f"  {key:<14}{row['n']:>6}{row['p50_ms']:>10}{row['p95_ms']:>10}"
            f"{row['max_ms']:>10}{matches:>10}"
        )
    naive = result["naive_ranked_frequent_word"]
    print(f"  naive ranking of every match (frequent word): p50 {naive['p50_ms']} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=120, help="distinct queries per backend")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases (SQLite in --keep-dir)"
    )
    parser.add_argument("--keep-dir", default=tempfile.gettempdir())
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--window", type=int, default=WINDOW)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(
            json.dumps(
                worker(args.worker, args.posts, args.queries, args.seed, args.window, args.reuse)
            )
        )
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="pv-search-bench-") as tmp:
        for name in args.backends.split(","):
            result = run_backend(name.strip(), args, Path(tmp))
            if result:
                print_result(result)
                results.append(result)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"search-{stamp}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
