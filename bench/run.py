"""A first benchmark: the production server on demo data, driven by wrk on loopback.

Starts granian (WSGI, 2 workers) on a fresh SQLite database in a temporary folder,
loads the demo data, and measures a few pages as a visitor and as a logged-in member,
plus a raw WSGI "hello" app on the same server as the ceiling. Prints a table and
writes JSON to bench/results/. Issue 9 grows this into the full `make bench`.

Needs `wrk` (Debian package); bounded: each URL runs for --seconds (default 8).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def run_wrk(url: str, seconds: int, cookie: str = "") -> dict[str, float]:
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def latency(label: str) -> float:
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "granian"), "--interface", "wsgi", "--port", str(port), "--workers", "2",
         "--blocking-threads", "1", "--no-ws", "--log-level", "error", app],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument(
        "--redis",
        metavar="URL",
        default="",
        help="cache and sessions in this Redis, as in production (e.g. redis://127.0.0.1:6379/15;"
        " the database is flushed)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    var = Path(tempfile.mkdtemp(prefix="pv-bench-"))
    env = {**os.environ, "PV_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "patientvoice.settings"}
    if args.redis:
        env["REDIS_URL"] = args.redis
        flush = "from django.core.cache import cache; cache.clear()"
        subprocess.run([PYTHON, "manage.py", "shell", "-c", flush], cwd=ROOT, env=env, check=True)
    manage = [PYTHON, "manage.py"]
    for step in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *step], cwd=ROOT, env=env, check=True, capture_output=True)
    probe = subprocess.run(
        [PYTHON, "-c", PROBE], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    public_thread, members_thread, medicine_page, session, csrf = probe
    member = f"sessionid={session}; csrftoken={csrf}"

    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, dict[str, float]] = {}
    ceiling = serve("bench.hello:application", args.port, env)
    try:
        wait_for(base + "/")
        results["raw WSGI hello (ceiling)"] = run_wrk(base + "/", args.seconds)
    finally:
        ceiling.terminate()
        ceiling.wait(10)
    time.sleep(1)
    server = serve("patientvoice.wsgi:application", args.port, env)
    try:
        wait_for(base + "/healthz")
        cases = [
            ("home, visitor", "/sv/", ""),
            ("thread page (50 posts), visitor", public_thread, ""),
            ("home, member", "/sv/", member),
            ("thread page (50 posts), member", members_thread, member),
            ("medicine page (10,000 reviews), visitor", medicine_page, ""),
            ("medicine page (10,000 reviews), member", medicine_page, member),
            ("healthz", "/healthz", ""),
        ]
        for name, path, cookie in cases:
            results[name] = run_wrk(base + path, args.seconds, cookie)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(var, ignore_errors=True)

    top = results["raw WSGI hello (ceiling)"]["rps"]
    print(f"{'what':40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'of ceiling':>10}")
    for name, r in results.items():
        print(
            f"{name:40} {r['rps']:9.0f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f}"
            f" {r['rps'] / top:10.3f}"
        )
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    setup = {"seconds": args.seconds, "cache": "redis" if args.redis else "file"}
    out.write_text(json.dumps({"at": stamp, **setup, "results": results}, indent=2))
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


PROBE = """
import django
django.setup()
from django.test import Client
from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Membership, Thread

# A thread of 50 posts by six people with reactions, in a public community (the
# visitor's page) and in a members-only one (the member's page): the issue's target.
# The two threads' texts differ: the same long text twice is held (textchecks.newcomers).
anna = User.objects.get(email="anna@demo.patientvoice.local")
people = [anna, *User.objects.exclude(pk=anna.pk).order_by("pk")[:5]]
paths = []
for visibility in ("public", "members"):
    community = Community.objects.filter(visibility=visibility).order_by("pk").first()
    for person in people:
        if not Membership.objects.filter(community=community, user=person).exists():
            actions.join_community(user=person, community=community)
    thread, _ = actions.create_thread(
        author=anna, community=community, title="Fifty posts", language="sv",
        body=f"Hur har ni det med **metotrexat** ({visibility})? Jag undrar över tröttheten.",
    )
    for number in range(49):
        result = actions.reply_to_thread(
            author=people[number % 6], thread=thread, language="sv",
            body=f"Svar {number} ({visibility}): jag har haft liknande *erfarenheter*."
            "\\n\\n- vila\\n- vatten",
        )
        for person in people[: number % 4]:
            actions.react(user=person, post=result.content, kind="helpful")
    paths.append(Thread.objects.get(pk=thread.pk).get_absolute_url())
# A medicine with 10,000 reviews (issue 5: its page reads the summary, not the
# reviews). Bulk inserts of published reviews by 10,000 accounts, then the summaries
# rebuilt by the repair command: what the actions keep on write, made in seconds.
import random
from django.core.management import call_command
from django.utils import timezone
from patientvoice.core.markup import render_markdown
from patientvoice.directory.models import Medicine
from patientvoice.reviews.models import Review
rng = random.Random(5)
medicine = Medicine.objects.get(slug="methotrexate")
now = timezone.now()
reviewers = User.objects.bulk_create(
    User(email=f"reviewer{n}@bench.invalid", handle=f"benchreviewer{n}",
         handle_canonical=f"benchreviewer{n}", password="!", date_joined=now)
    for n in range(10_000)
)
texts = ["Hjälpte mot stelheten efter några veckor.", "Mådde illa första tiden.",
         "Bra effekt, men jag blev trött.", "Ingen skillnad för mig."]
reviews = []
for person in reviewers:
    text = rng.choice(texts)
    score = lambda: max(1, min(5, round(rng.gauss(3.7, 1.0))))
    reviews.append(Review(
        kind="medicine", medicine=medicine, author=person, body=text,
        body_html=render_markdown(text), status="published", published_at=now,
        language="sv", is_verified_experience=rng.random() < 0.6,
        scores={"effectiveness": score(), "ease_of_use": score(), "satisfaction": score()},
        would_recommend=rng.random() < 0.7,
    ))
Review.objects.bulk_create(reviews, batch_size=2000)
call_command("rebuild_review_summaries", stdout=open("/dev/null", "w"))
paths.append(f"/sv/medicines/{medicine.slug}/")
client = Client()
client.login(email="anna@demo.patientvoice.local", password="demo-password-2026")
client.get(paths[1])  # a browser that has been here carries its CSRF cookie too
print(paths[0], paths[1], paths[2], client.cookies["sessionid"].value,
      client.cookies["csrftoken"].value)
"""

if __name__ == "__main__":
    raise SystemExit(main())
