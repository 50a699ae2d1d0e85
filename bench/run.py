"""`make bench`: the production server on generated data, against the raw ceiling.

Starts granian (WSGI, 2 workers, as `make run` and docs/deploy.md do) and one task
worker on a database in a temporary folder, and drives load with wrk on loopback
(2 threads, 32 connections, --seconds per row) against the pages of the scale issue,
as a visitor and as a signed-in member. The first row is a raw WSGI "hello" app on the
same server: the ceiling. Prints requests/s, p50/p95/p99 and each row's share of the
ceiling, the peak memory of every server and task worker process, and writes JSON to
bench/results/.

Data (``--data``):
- ``load`` (default): ``manage.py generate_load_data --scale S`` (bench/README.md;
  full size is --scale 1). The generated SQLite database is kept in var/bench/ and
  copied for each run, so the second run at a scale starts in seconds
  (``--regenerate`` makes it anew, e.g. after a migration).
- ``demo``: the demo data plus a 50-post thread in a public and in a members-only
  community and a medicine with 10,000 reviews (the targets of issues 3 and 5).

``--postgres URL`` runs on a scratch database ``pv_bench`` on that server instead of
SQLite (generated afresh each time). ``--redis URL`` keeps cache and sessions in Redis
(that database is flushed), as production does.

Every URL is fetched once before it is measured and must answer 200 (and, for the
member, show the member's page): a redirect to the login page measured at full speed
would be a lie. Needs `wrk` (Debian package). Bounded: about --seconds per row.
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
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
KEEP = ROOT / "var" / "bench"
MEMBER_MARK = b'action="/sv/account/logout/"'


def run_wrk(
    url: str,
    seconds: int,
    cookie: str = "",
    connections: int = 32,
    post: dict[str, str] | None = None,
) -> dict[str, float]:
    script = "wrk_post.lua" if post else "wrk_report.lua"
    command = [
        "wrk",
        f"-t{min(2, connections)}",  # wrk needs a connection per thread
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        str(ROOT / "bench" / script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "BENCH_DIR": str(ROOT / "bench"), **(post or {})}
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, env=env
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pct = {int(p): int(us) / 1000 for p, us in re.findall(r"PCT (\d+) (\d+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "requests": float(total.group(1)) if total else 0.0,
        "rps": rps,
        "p50_ms": pct.get(50, float("nan")),
        "p95_ms": pct.get(95, float("nan")),
        "p99_ms": pct.get(99, float("nan")),
        "non_2xx_3xx": float(errors.group(1)) if errors else 0.0,
    }


def fetch(url: str, cookie: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check_page(url: str, cookie: str, *, member: bool) -> None:
    """The page answers 200, and the member's page is a member's page."""
    status, body = fetch(url, cookie)
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200: the benchmark would measure an error")
    if member and MEMBER_MARK not in body and b"/api/" not in url.encode():
        raise SystemExit(f"{url} did not show the member's page: the cookie is not signed in")


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def serve(app: str, port: int, env: dict[str, str], threads: int = 1) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "granian"), "--interface", "wsgi", "--port", str(port), "--workers", "2",
         "--blocking-threads", str(threads), "--no-ws", "--log-level", "error", app],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def peak_memory_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def generate(env: dict[str, str], scale: float, seed: int) -> dict[str, Any]:
    manifest = Path(env["PV_VAR_DIR"]) / "manifest.json"
    command = [PYTHON, "manage.py", "generate_load_data", "--scale", str(scale), "--seed",
               str(seed), "--manifest", str(manifest)]  # fmt: skip
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    print(f"generated in {time.monotonic() - started:.0f} s", flush=True)
    data: dict[str, Any] = json.loads(manifest.read_text())
    return data


def prepare_load(args: argparse.Namespace, env: dict[str, str], var: Path) -> dict[str, Any]:
    manage = [PYTHON, "manage.py"]
    if args.postgres:
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        return generate(env, args.scale, args.seed)
    kept = KEEP / f"load-{args.scale:g}-{args.seed}"
    if args.regenerate or not (kept / "patientvoice.sqlite3").exists():
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True)
        keep_env = {**env, "PV_VAR_DIR": str(kept)}
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=keep_env, check=True)
        generate(keep_env, args.scale, args.seed)
        subprocess.run([PYTHON, "-c", CHECKPOINT, str(kept / "patientvoice.sqlite3")], check=True)
    shutil.copy2(kept / "patientvoice.sqlite3", var / "patientvoice.sqlite3")
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    data: dict[str, Any] = json.loads((kept / "manifest.json").read_text())
    return data


def member_session(env: dict[str, str], login: dict[str, str], community: str) -> dict[str, str]:
    done = subprocess.run(
        [PYTHON, "-c", LOGIN, login["email"], login["password"], community],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"logging the member in failed:\n{done.stderr[-3000:]}")
    out = done.stdout.split()
    return {"session": out[0], "csrf": out[1]}


def plan_load(args: argparse.Namespace, env: dict[str, str], var: Path) -> dict[str, Any]:
    data = prepare_load(args, env, var)
    paths = data["paths"]
    public_slug = data["threads"]["public"]["community"]
    session = member_session(env, data["login"], public_slug)
    posts = data["threads"]["public"]["posts"]
    rows = [
        ("home", paths["home"], "both"),
        ("community page", paths["public_community"], "both"),
        (f"thread page ({min(posts, 50)} posts)", paths["public_thread"], "visitor"),
        ("thread page (50 posts, members-only)", paths["members_thread"], "member"),
        ("medicine page", paths["medicine"], "both"),
        ("search, frequent word", paths["search_frequent"], "both"),
        ("search, rare word", paths["search_rare"], "both"),
        ("API thread list", data["api"]["public_threads"], "both"),
    ]
    reply = paths["public_thread"] + "reply/"
    return {"rows": rows, "session": session, "reply": reply, "manifest": data}


def plan_demo(args: argparse.Namespace, env: dict[str, str], var: Path) -> dict[str, Any]:
    manage = [PYTHON, "manage.py"]
    for step in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run([*manage, *step], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run(
        [PYTHON, "-c", DEMO_PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"the demo probe failed:\n{done.stderr[-3000:]}")
    probe = done.stdout.split()
    public_thread, members_thread, medicine_page, session, csrf = probe
    rows = [
        ("home", "/sv/", "both"),
        ("thread page (50 posts)", public_thread, "visitor"),
        ("thread page (50 posts, members-only)", members_thread, "member"),
        ("medicine page (10,000 reviews)", medicine_page, "both"),
    ]
    return {
        "rows": rows,
        "session": {"session": session, "csrf": csrf},
        "reply": public_thread + "reply/",
        "manifest": {},
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", choices=["load", "demo"], default="load")
    parser.add_argument("--scale", type=float, default=0.1, help="generated data; 1 is full size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="do not reuse var/bench/")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", default="", help="only the rows whose name holds this text")
    parser.add_argument(
        "--no-task-worker",
        dest="task_worker",
        action="store_false",
        help="without the task worker (to see what its after-commit work costs the pages)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="granian --blocking-threads per worker (PostgreSQL: 4 lets a worker run"
        " another request while one waits for the database)",
    )
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--redis", metavar="URL", default="", help="e.g. redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--postgres", metavar="URL", default="", help="e.g. postgres://postgres@127.0.0.1:5432/"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    var = Path(tempfile.mkdtemp(prefix="pv-bench-"))
    env = {**os.environ, "PV_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "patientvoice.settings"}
    env.pop("PV_TESTING", None)
    if args.postgres:
        base_url = args.postgres.rstrip("/")
        admin = base_url + "/postgres"
        subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS pv_bench"], check=True)
        subprocess.run(["psql", admin, "-qc", "CREATE DATABASE pv_bench"], check=True)
        env["DATABASE_URL"] = base_url + "/pv_bench"
    if args.redis:
        env["REDIS_URL"] = args.redis
        flush = "from django.core.cache import cache; cache.clear()"
        subprocess.run([PYTHON, "manage.py", "shell", "-c", flush], cwd=ROOT, env=env, check=True)
    try:
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        plan = (plan_load if args.data == "load" else plan_demo)(args, env, var)
        results, memory = measure(args, env, plan)
    finally:
        shutil.rmtree(var, ignore_errors=True)
        if args.postgres:
            admin = args.postgres.rstrip("/") + "/postgres"
            subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS pv_bench"], check=False)
    report(args, plan, results, memory)
    return 0


def measure(
    args: argparse.Namespace, env: dict[str, str], plan: dict[str, Any]
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
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
    session = plan["session"]
    member = f"sessionid={session['session']}; csrftoken={session['csrf']}"
    # What preparing the data left in the task queue is done first: a worker catching
    # up during the runs would write (and forget visitors' pages) all the time.
    drain = [PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--batch"]
    drain.append("--no-startup-delay")
    subprocess.run(drain, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    # One member posts hundreds of replies a second here, and one address asks the API
    # thousands of times: the rate limits are lifted.
    env = {**env, "PV_POSTS_PER_HOUR": "0", "PV_POSTS_PER_HOUR_PER_IP": "0"}
    env |= {"PV_API_RATE_ANON": "100000000/m", "PV_API_RATE_USER": "100000000/m"}
    server = serve("patientvoice.wsgi:application", args.port, env, args.threads)
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--interval", "1"]
        if args.task_worker else ["sleep", "infinity"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    memory: dict[str, float] = {}
    try:
        wait_for(base + "/healthz")
        cases: list[tuple[str, str, str]] = []
        for name, path, who in plan["rows"]:
            if who in ("visitor", "both"):
                cases.append((f"{name}, visitor", path, ""))
            if who in ("member", "both"):
                cases.append((f"{name}, member", path, member))
        for name, path, cookie in cases:
            if args.only not in name:
                continue
            path = quote(path, safe="/?=&")  # a search word may be "smärta"
            check_page(base + path, cookie, member=bool(cookie))
            results[name] = run_wrk(base + path, args.seconds, cookie)
            print(f"  {name}: {results[name]['rps']:.0f} req/s", flush=True)
        if args.only in "healthz":
            results["healthz"] = run_wrk(base + "/healthz", args.seconds)
        # Latency targets (search p95, a reply's p99) are for a request on a server that
        # is not saturated: one connection. Under 32 connections on two workers a
        # request mostly waits in line, which the rows above show.
        for name, path, who in plan["rows"]:
            if name.startswith("search") and who in ("member", "both") and args.only in name:
                path = quote(path, safe="/?=&")
                check_page(base + path, member, member=True)
                results[f"{name}, member, one at a time"] = run_wrk(
                    base + path, args.seconds, member, connections=1
                )
        # Replies last: they change the thread the pages above read. One connection,
        # with the task worker doing the after-commit work at the same time.
        if args.only in "posting a reply":
            results["posting a reply, member, one at a time"] = post_replies(
                args, env, base + plan["reply"], member, session["csrf"]
            )
        for number, pid in enumerate(descendants(server.pid), start=1):
            memory[f"server process {number}"] = peak_memory_mb(pid)
        memory["task worker"] = max(
            [peak_memory_mb(worker.pid)] + [peak_memory_mb(p) for p in descendants(worker.pid)]
        )
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            process.wait(15)
    return results, memory


def post_replies(
    args: argparse.Namespace, env: dict[str, str], url: str, member: str, csrf: str
) -> dict[str, float]:
    post = {"BENCH_POST": urlsplit(url).path, "BENCH_CSRF": csrf}
    replies = run_wrk(url, args.seconds, member, connections=1, post=post)
    # A refused reply also answers 200 (the form again) or 302: count what was kept.
    stored = subprocess.run(
        [PYTHON, "-c", COUNT_REPLIES], cwd=ROOT, env=env, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    replies["stored"] = float(stored)
    if replies["stored"] < replies["requests"] * 0.99:
        raise SystemExit(f"only {stored} of {replies['requests']:.0f} replies were stored")
    return replies


def report(
    args: argparse.Namespace,
    plan: dict[str, Any],
    results: dict[str, dict[str, float]],
    memory: dict[str, float],
) -> None:
    top = results["raw WSGI hello (ceiling)"]["rps"]
    print(
        f"\n{'what':46} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'ceiling':>8} {'errors':>6}"
    )
    for name, r in results.items():
        print(
            f"{name:46} {r['rps']:8.0f} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['p99_ms']:7.1f}"
            f" {r['rps'] / top:8.3f} {r['non_2xx_3xx']:6.0f}"
        )
    print("\npeak memory (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    setup = {
        "seconds": args.seconds,
        "threads": args.threads,
        "data": args.data,
        "scale": args.scale if args.data == "load" else None,
        "database": "postgresql" if args.postgres else "sqlite",
        "cache": "redis" if args.redis else "file",
        "sizes": plan["manifest"].get("counts"),
    }
    payload = {"at": stamp, **setup, "results": results, "peak_memory_mb": memory}
    out.write_text(json.dumps(payload, indent=2))
    print(f"\nwritten: {out.relative_to(ROOT)}")


COUNT_REPLIES = """
import django
django.setup()
from patientvoice.communities.models import Post
print(Post.objects.filter(body__contains="lasttestet").count())
"""

CHECKPOINT = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
connection.execute("ANALYZE")
connection.close()
"""

# Logs the member in (a session as the login page would make), makes them a member of
# the community whose thread gets the replies, with its guidelines accepted, and
# prints the session and CSRF cookies.
LOGIN = """
import sys
import django
django.setup()
from django.test import Client
from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Membership
email, password, slug = sys.argv[1:4]
user = User.objects.get(email=email)
community = Community.objects.get(slug=slug)
if not Membership.objects.filter(user=user, community=community).exists():
    actions.join_community(user=user, community=community)
guidelines = community.guidelines.order_by("-version").first()
if guidelines is not None:
    actions.accept_guidelines(user=user, guidelines=guidelines)
client = Client()
assert client.login(email=email, password=password), "the bench member cannot log in"
client.get("/sv/")
print(client.cookies["sessionid"].value, client.cookies["csrftoken"].value)
"""

DEMO_PROBE = """
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
