"""Ranking 20,000 medicines for a condition by adjusted score (issue 5: p95 < 50 ms).

For each backend, a worker process points Django at a scratch database (a temporary
SQLite file; a ``pv_bench_ranking`` database on PostgreSQL), migrates it, adds
``--entries`` medicines and one rating summary each for one condition (bulk inserts
of summaries shaped like the ones ``reviews.aggregates`` keeps: skewed counts, most
entries with a handful of reviews, a few with thousands), plus as many summaries for
other conditions so the index holds more than the asked condition. It then times
``reviews.queries.ranked_medicines_for_condition`` (the code the ranked list runs: one
query on the ranking index, with the medicine of each line) for the first page and
for pages deep in the list, and ``count_ranked_medicines_for_condition`` (the pager's
total).

    python bench/ranking.py                       # 20,000 entries, both backends
    python bench/ranking.py --entries 5000 --backends sqlite

It never asserts a duration; it prints the figures and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_DATABASE = "pv_bench_ranking"
PYTHON = sys.executable


def _summary_fields(rng: random.Random) -> dict[str, Any]:
    """A summary as aggregates keeps it, for a random number of reviews."""
    count = max(1, int(rng.paretovariate(1.2)))  # a long tail, a few huge ones
    histogram = [0] * 5
    for _ in range(min(count, 200)):
        histogram[min(4, max(0, int(rng.gauss(3.6, 1.1)) - 1))] += 1
    scale = count / max(1, sum(histogram))
    histogram = [round(n * scale) for n in histogram]
    histogram[4] += count - sum(histogram)
    total = sum((i + 1) * n for i, n in enumerate(histogram))
    squares = sum((i + 1) ** 2 * n for i, n in enumerate(histogram))
    dims = ("effectiveness", "ease_of_use", "satisfaction")
    return {
        "count": count,
        "verified_count": count // 2,
        "sums": dict.fromkeys(dims, total),
        "squares": dict.fromkeys(dims, squares),
        "histograms": dict.fromkeys(dims, histogram),
        "recommend_yes": count // 2,
        "recommend_count": count,
        "adjusted": (5 * 3 + total) / (5 + count),
    }


WORKER = """
import os, random, statistics, sys, time, json
import django
django.setup()
from django.db import connection
from patientvoice.directory.models import Condition, Medicine
from patientvoice.reviews.models import RatingSummary
from patientvoice.reviews.queries import (
    count_ranked_medicines_for_condition, ranked_medicines_for_condition,
)
from bench.ranking import _summary_fields

entries, rounds = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(7)
conditions = list(Condition.objects.order_by("pk")[:4])
asked = conditions[0]
start = time.perf_counter()
medicines = Medicine.objects.bulk_create(
    Medicine(slug=f"bench-{n}", inn_en=f"benchmab {n}", name_sv=f"benchmab {n}")
    for n in range(entries)
)
rows = []
for medicine in medicines:
    rows.append(RatingSummary(kind="medicine", medicine=medicine, condition=asked,
                              **_summary_fields(rng)))
    for other in rng.sample(conditions[1:], 1):
        rows.append(RatingSummary(kind="medicine", medicine=medicine, condition=other,
                                  **_summary_fields(rng)))
RatingSummary.objects.bulk_create(rows, batch_size=2000)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
filled = time.perf_counter() - start

def timed(fn):
    for _ in range(20):
        fn()
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return {"p50_ms": statistics.median(out), "p95_ms": out[int(len(out) * 0.95) - 1]}

pages = max(1, entries // 20)
results = {
    "first page": timed(lambda: ranked_medicines_for_condition(asked, limit=20)),
    "random page": timed(lambda: ranked_medicines_for_condition(
        asked, limit=20, offset=20 * rng.randrange(pages))),
    "last page": timed(lambda: ranked_medicines_for_condition(
        asked, limit=20, offset=20 * (pages - 1))),
    "count": timed(lambda: count_ranked_medicines_for_condition(asked)),
}
print(json.dumps({"fill_s": filled, "results": results}))
"""


def run_backend(backend: str, entries: int, rounds: int) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "patientvoice.settings", "PV_TESTING": ""}
    scratch = Path(tempfile.mkdtemp(prefix="pv-bench-ranking-"))
    env["PV_VAR_DIR"] = str(scratch)
    if backend == "postgresql":
        for statement in (
            f"DROP DATABASE IF EXISTS {PG_DATABASE}",
            f"CREATE DATABASE {PG_DATABASE}",
        ):
            subprocess.run(
                ["psql", PG_SERVER + "postgres", "-qc", statement], check=True, capture_output=True
            )
        env["DATABASE_URL"] = PG_SERVER + PG_DATABASE
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    done = subprocess.run(
        [PYTHON, "-c", WORKER, str(entries), str(rounds)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{backend}: the worker failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    report: dict[str, Any] = {"entries": args.entries, "rounds": args.rounds, "backends": {}}
    print(f"{'backend':12} {'query':12} {'p50 ms':>8} {'p95 ms':>8}")
    for backend in args.backends.split(","):
        measured = run_backend(backend, args.entries, args.rounds)
        report["backends"][backend] = measured
        for name, figures in measured["results"].items():
            print(f"{backend:12} {name:12} {figures['p50_ms']:8.2f} {figures['p95_ms']:8.2f}")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"ranking-{stamp}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
