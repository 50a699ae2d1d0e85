"""How long a practised moderator takes to clear a queue of 20 mixed items (issue 4,
"Measure"): clicks, typing and seconds per item, in a real browser.

What it does:

1. a fresh SQLite database in a temporary folder (``PV_VAR_DIR``), migrated, with the
   demo data (``seed_demo``) and the static files, as bench/run.py;
2. ``--setup`` (run in that environment, with tasks run at once so the publishing
   pipeline opens its cases): an organisation hosting two communities, one of its
   moderators with an authenticator app, members who post, and 20 open cases made
   through the actions, each a kind a moderator meets (``ITEMS``): spam flags, a
   duplicate flag, personal-data holds (real and false positives), a links hold,
   misinformation flags, disputed claims, crisis language, a trusted flagger's notice,
   harassment, personal information, an unfounded flag;
3. the production server (granian, WSGI, 2 workers, as bench/run.py serves) on it;
4. Chromium (Debian's, the flags of e2e/conftest.py) driven by Playwright: the
   moderator logs in with password and a TOTP code, opens the queue, opens the first
   item and works down it as a practised moderator would: the fitting decision, a
   ground, a short explanation (and a label, the edited text or a private note where
   the decision needs one), "decide and go to the next item", until the queue is
   empty;
5. ``--verify``: every case is decided as planned.

Counted per item: clicks (a radio button, a link or a button is one; a choice from a
drop-down list two: open it, pick), typing actions (one per text field typed into, with
the characters typed), and machine seconds from the item's page to the next page. The
machine does not read or type like a person: the estimate adds ``--human-seconds`` (10 s
by default) of reading and typing per item, an assumption stated in the output. Prints a
table per kind of item and overall, and writes JSON to bench/results/ (not committed).

Needs Playwright and /usr/bin/chromium (``make e2e-deps``). Bounded: 20 items.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import serve, wait_for  # noqa: E402
from e2e.totp import totp_now  # noqa: E402

PYTHON = sys.executable
CHROMIUM = os.environ.get("PV_CHROMIUM", "/usr/bin/chromium")
# The flags e2e/conftest.py starts Chromium with (not imported: that module is pytest's).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
MODERATOR_EMAIL = "moderator@bench.patientvoice.local"
PASSWORD = "bench-Moderator-2026"  # noqa: S105 - a throwaway account in a temporary database
LANGUAGE = "sv"
QUEUE_PATH = f"/{LANGUAGE}/moderation/queue/"
TIMEOUT_MS = 15_000
MAX_ITEMS = 40  # a queue that does not empty is a failure, not an endless loop


# --- the 20 items -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One open case, how it comes about, and what the moderator decides."""

    kind: str  # the row of the table
    body: str  # the post
    source: str  # "flag", "flag2" (two members), "held", "crisis", "notice"
    reason: str = ""  # the flag's reason
    flag_text: str = ""  # the reporter's explanation
    action: str = "keep"
    ground: str = "no_violation"
    explanation: str = ""
    label: str = ""  # for "label"
    redact: str = ""  # for "redact": the words replaced by the mark
    note: str = ""  # a private note on the member before deciding


ITEMS: list[Item] = [
    *[
        Item("spam flag", body, "flag", "spam", action="hide", ground="spam",
             explanation="Reklam för en webbutik, inte en egen erfarenhet.")
        for body in (
            "Köp billiga kosttillskott på superhalsa.example, 50 % rabatt i dag!",
            "Bästa priset på ledvärmare, beställ nu på varmaleder.example.",
            "Tjäna pengar hemifrån medan du är sjukskriven, skriv till mig.",
            "Prova vår nya CBD-olja, fri frakt hela veckan på olja.example.",
        )
    ],
    Item("duplicate flag (two members)",
         "Gå med i mitt nätverk och sälj hälsoprodukter, garanterad inkomst!", "flag2",
         "spam", action="hide", ground="spam",
         explanation="Värvning till försäljning; två medlemmar anmälde samma inlägg."),
    *[
        Item("held: personal data, false positive", body, "held",
             explanation="Mottagningens offentliga nummer, ingen privat uppgift.")
        for body in (
            "Reumatologens rådgivning nås på 031-342 10 00 vardagar, de var jättebra.",
            "Sjukgymnastiken på Sahlgrenska har telefontid på 031-343 50 00.",
        )
    ],
    *[
        Item("held: personal data", body, "held", action="redact", ground="personal_data",
             explanation="Någon annans telefonnummer togs bort; resten står kvar.", redact=number)
        for body, number in (
            ("Min granne Lisa har också RA, ring henne på 0701234567 om du vill prata.",
             "0701234567"),
            ("Min sambo svarar på frågor om biologiska läkemedel, hans nummer är 070-987 65 43.",
             "070-987 65 43"),
        )
    ],
    Item("held: links from a new account",
         "Se https://billigamediciner.example och https://snabbrecept.example för allt du "
         "behöver, och https://mirakelkur.example!", "held", action="hide", ground="spam",
         explanation="Länkar till försäljning från ett nytt konto."),
    *[
        Item("misinformation flag", body, "flag", "medical_misinformation",
             flag_text="Kan få någon att sluta med sin behandling.", action="remove",
             ground="medical_misinformation",
             explanation="Uppmanar att sluta med ordinerad behandling, utan belägg.")
        for body in (
            "Metotrexat är cellgift som förstör levern, sluta ta det direkt.",
            "Kortison ska man aldrig ta, fasta i två veckor botar inflammationen.",
            "Vaccin utlöser reumatism hos alla, ta inga vacciner alls om du har RA.",
        )
    ],
    *[
        Item("disputed claim flag", body, "flag", "medical_misinformation", action="label",
             ground="medical_misinformation", label="Omstritt: se yrkespersonens kommentar.",
             explanation="Omstritt påstående; inlägget står kvar med en etikett.")
        for body in (
            "Höga doser D-vitamin botar artros, det visar flera studier.",
            "Glukosamin bygger upp brosket igen på några månader.",
        )
    ],
    Item("crisis language", "Jag orkar inte mer med smärtan. Jag vill inte leva längre.",
         "crisis", explanation="Hjälp visades; inlägget får stå kvar.",
         note="Kris 2026: visade hjälpnummer, följer upp i tråden."),
    Item("trusted flagger's notice",
         "Beställ Ozempic utan recept, skickas samma dag från apoteksdirekt.example.",
         "notice", action="remove", ground="illegal_content",
         explanation="Reklam för receptbelagt läkemedel till allmänheten."),
    Item("harassment flag", "Du är så dum att du förtjänar din sjukdom.", "flag", "harassment",
         action="hide", ground="terms_conduct", explanation="Personangrepp mot en medlem."),
    Item("personal information flag",
         "Doktorn på vårdcentralen berättade att min kollega Eva Lind har MS.", "flag",
         "personal_information", action="redact", ground="personal_data",
         explanation="Namnet på en annan person togs bort.", redact="min kollega Eva Lind"),
    Item("unfounded flag", "Jag tycker att sjukgymnastik är överskattat för min del.", "flag",
         "other", flag_text="Jag håller inte med.", explanation="En åsikt, inget regelbrott."),
]  # fmt: skip


# --- setup and verification (run in the bench environment, with Django) ------------------------


def setup() -> dict[str, Any]:
    """Everything the moderator meets, made through the actions; returns what the
    browser needs: the moderator's login and secret, and the plan per case."""
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import translation

    from patientvoice.accounts import actions as account_actions
    from patientvoice.communities import actions as community_actions
    from patientvoice.moderation import actions as moderation_actions
    from patientvoice.moderation.models import Case, CaseStatus
    from patientvoice.organizations import actions as organization_actions
    from patientvoice.organizations.models import OrganizationKind, StaffRole

    def person(key: str, *, days: int = 200) -> Any:
        return account_actions.create_member(
            email=f"{key}@bench.patientvoice.local", password=PASSWORD,
            handle=f"Bench_{key}", language=LANGUAGE, email_verified=True,
            joined_at=datetime.now(tz=UTC) - timedelta(days=days),
        )  # fmt: skip

    def with_secret(user: Any) -> str:
        secret: str = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    host = organization_actions.create_organization(
        actor=None, name="Reumaföreningen Väst", kind=OrganizationKind.ADVOCACY, verified=True
    )
    communities = [
        community_actions.create_community(
            actor=None, name=name, description="Bänktest.", organization=host
        )
        for name in ("Artros i vardagen (bänk)", "Reumatoid artrit Väst (bänk)")
    ]
    moderator = person("moderator")
    secret = with_secret(moderator)
    organization_actions.add_staff(
        actor=None, organization=host, user=moderator, role=StaffRole.MODERATOR
    )
    # A trusted flagger (DSA art. 22): another organisation, designated by site staff.
    flagger_org = organization_actions.create_organization(
        actor=None, name="Läkemedelsvakten", kind=OrganizationKind.ADVOCACY, verified=True
    )
    flagger = person("flagger")
    with_secret(flagger)
    organization_actions.add_staff(
        actor=None, organization=flagger_org, user=flagger, role=StaffRole.MODERATOR
    )
    staff = person("staff")
    with_secret(staff)
    staff.is_staff = True  # an operator account, as createsuperuser would make it
    staff.save(update_fields=["is_staff"])
    moderation_actions.designate_trusted_flagger(
        actor=staff, organization=flagger_org, reason="Bänktest."
    )

    readers = [person(f"reader{n}") for n in range(3)]
    writers = [person(f"writer{n}") for n in range(len(ITEMS))]
    newcomer = person("newcomer", days=0)
    for community in communities:
        for member in [*readers, *writers, newcomer]:
            community_actions.join_community(user=member, community=community)
    threads = [
        community_actions.create_thread(
            author=readers[n], community=community, title=title, language=LANGUAGE,
            body="Dela gärna era erfarenheter här.",
        )[0]
        for n, (community, title) in enumerate(
            zip(communities, ("Vardagen med artros", "Behandlingar och biverkningar"), strict=True)
        )
    ]  # fmt: skip

    plans: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(ITEMS):
        author = newcomer if "new account" in item.kind else writers[number]
        thread = threads[number % len(threads)]
        post = community_actions.reply_to_thread(
            author=author, thread=thread, body=item.body, language=LANGUAGE
        ).content
        if item.source in ("flag", "flag2"):
            reporters = readers[:2] if item.source == "flag2" else [readers[number % 3]]
            for reporter in reporters:
                report = moderation_actions.flag(
                    reporter=reporter, kind="post", obj=post, reason=item.reason,
                    explanation=item.flag_text,
                )  # fmt: skip
            case = report.case
        elif item.source == "notice":
            case = moderation_actions.send_notice(
                name="Läkemedelsvakten", email=flagger.email, kind="post", obj=post,
                illegal_type="medicine_advertising", good_faith=True, sender=flagger,
                explanation="Reklam för receptbelagt läkemedel (läkemedelslagen 12 kap.).",
            ).case  # fmt: skip
        else:  # opened by the publishing pipeline's after-publish hook
            found = Case.objects.filter(kind="post", object_id=post.pk, status=CaseStatus.OPEN)
            if not found.exists():
                raise SystemExit(
                    f"the pipeline opened no case for {item.kind!r}: {post.status} "
                    f"{post.hold_reasons}"
                )
            case = found.get()
        plans[str(case.public_id)] = {**asdict(item), "post_text": post.body}
    with translation.override(LANGUAGE):
        mark = str(moderation_actions.REDACTION_MARK)
    open_cases = Case.objects.filter(status=CaseStatus.OPEN, community__in=communities)
    if open_cases.count() != len(ITEMS) or len(plans) != len(ITEMS):
        raise SystemExit(f"expected {len(ITEMS)} open cases, made {open_cases.count()}")
    return {"email": moderator.email, "secret": secret, "mark": mark, "plans": plans}


def verify(case_ids: list[str]) -> dict[str, Any]:
    """How the cases ended: decided, and by which action."""
    import django

    django.setup()
    from patientvoice.moderation.models import Case, CaseStatus, Decision

    cases = Case.objects.filter(public_id__in=case_ids)
    decisions = {
        str(d.case.public_id): d.action
        for d in Decision.objects.filter(case__in=cases).select_related("case")
    }
    return {
        "open": cases.filter(status=CaseStatus.OPEN).count(),
        "decided": cases.filter(status=CaseStatus.DECIDED).count(),
        "actions": decisions,
    }


# --- the moderator in the browser ------------------------------------------------------------


@dataclass
class Tally:
    """What one item took."""

    case: str
    kind: str
    action: str
    clicks: int = 0
    typing: int = 0  # text fields typed into
    characters: int = 0
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)


class Moderator:
    """Acts on the page and counts what a person would have to do for it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.tally: Tally | None = None

    def _count(self, clicks: int = 0, text: str = "", step: str = "") -> None:
        assert self.tally is not None
        self.tally.clicks += clicks
        if text:
            self.tally.typing += 1
            self.tally.characters += len(text)
        self.tally.steps.append(step)

    def click(self, selector: str, *, navigates: bool = False) -> None:
        locator = self.page.locator(selector).first
        if navigates:
            with self.page.expect_navigation():
                locator.click()
            self.page.wait_for_load_state("load")
        else:
            locator.click()
        self._count(clicks=1, step=f"click {selector}")

    def choose(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self._count(clicks=2, step=f"choose {value} in {selector}")

    def type(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self._count(text=text, step=f"type {len(text)} characters in {selector}")

    def edit_out(self, selector: str, words: str, mark: str) -> None:
        """Select the words in the text (one click: a drag or double click) and type
        the mark over them."""
        field_ = self.page.locator(selector)
        original = field_.input_value()
        if words not in original:
            raise SystemExit(f"{words!r} is not in the text to edit: {original!r}")
        field_.fill(original.replace(words, mark, 1))
        self._count(clicks=1, text=mark, step=f"select {words!r} and type the mark")


def log_in(page: Any, base: str, email: str, secret: str) -> None:
    page.goto(f"{base}/{LANGUAGE}/account/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    if "/account/2fa/authenticate/" not in page.url:
        raise SystemExit(f"expected the two-step verification page, got {page.url}")
    page.fill("#id_code", totp_now(secret))
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    if "/account/" in page.url:
        raise SystemExit(f"login with the code failed: at {page.url}")


def decide(moderator: Moderator, plan: dict[str, Any], mark: str) -> None:
    """The decision a practised moderator makes for the item on the page."""
    page = moderator.page
    if plan["note"]:
        # A private note on the member first (their history page), then back to the item.
        case_path = urlsplit(page.url).path
        moderator.click("main a[href*='/moderation/queue/members/']", navigates=True)
        moderator.type("form.note-form #id_text", plan["note"])
        moderator.click("form.note-form button[type=submit]", navigates=True)
        moderator.click(f"main a[href$='{case_path}']", navigates=True)
    moderator.click(f"input[name=action][value={plan['action']}]")
    if plan["label"]:
        moderator.type("#id_label_text", plan["label"])
    if plan["redact"]:
        moderator.edit_out("form.decision-form #id_text", plan["redact"], mark)
    moderator.choose("#id_reason_code", plan["ground"])
    moderator.type("#id_explanation", plan["explanation"])
    moderator.click("form.decision-form button[type=submit]", navigates=True)


def clear_queue(base: str, data: dict[str, Any], viewport: str) -> tuple[list[Tally], float]:
    from playwright.sync_api import sync_playwright

    plans: dict[str, dict[str, Any]] = data["plans"]
    tallies: list[Tally] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(**VIEWPORTS[viewport])
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            log_in(page, base, data["email"], data["secret"])
            page.goto(base + QUEUE_PATH)
            waiting = page.locator("main .queue-item").count()
            if waiting != len(plans):
                raise SystemExit(f"the queue shows {waiting} items, expected {len(plans)}")
            moderator = Moderator(page)
            started = time.perf_counter()
            item_started = started
            opening = True
            while len(tallies) < MAX_ITEMS:
                if opening:  # from the queue: open the first item
                    moderator.tally = Tally(case="", kind="", action="")
                    moderator.click("main .queue-item-link", navigates=True)
                case_id = page.url.split("/moderation/queue/", 1)[1].split("/", 1)[0]
                plan = plans.get(case_id)
                if plan is None:
                    raise SystemExit(f"not one of the bench's cases: {page.url}")
                if not opening:
                    moderator.tally = Tally(case="", kind="", action="")
                tally = moderator.tally
                assert tally is not None
                tally.case, tally.kind, tally.action = case_id, plan["kind"], plan["action"]
                decide(moderator, plan, data["mark"])
                now = time.perf_counter()
                tally.seconds = now - item_started
                item_started = now
                tallies.append(tally)
                opening = False
                if page.url.split("?")[0].endswith(QUEUE_PATH):
                    break  # "Nothing else is waiting"
            total = time.perf_counter() - started
            left = page.locator("main .queue-item").count()
            if left:
                raise SystemExit(f"the queue still shows {left} items")
        finally:
            browser.close()
    return tallies, total


def run(command: list[str], env: dict[str, str]) -> str:
    """Run a step in the bench environment; its output, or its error shown and exit."""
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-8000:])
        raise SystemExit(f"failed: {' '.join(command[1:])}")
    return done.stdout


# --- the report --------------------------------------------------------------------------------


def summarise(tallies: list[Tally], total: float, human: float) -> dict[str, Any]:
    kinds: dict[str, list[Tally]] = {}
    for tally in tallies:
        kinds.setdefault(tally.kind, []).append(tally)

    def row(group: list[Tally]) -> dict[str, float]:
        return {
            "items": len(group),
            "median_clicks": statistics.median(t.clicks for t in group),
            "median_typing": statistics.median(t.typing for t in group),
            "median_actions": statistics.median(t.clicks + t.typing for t in group),
            "median_seconds": statistics.median(t.seconds for t in group),
            "median_estimate_seconds": statistics.median(t.seconds + human for t in group),
        }

    return {
        "by_kind": {kind: row(group) for kind, group in kinds.items()},
        "overall": {
            **row(tallies),
            "total_clicks": sum(t.clicks for t in tallies),
            "total_typing": sum(t.typing for t in tallies),
            "total_characters": sum(t.characters for t in tallies),
            "total_seconds": total,
            "total_estimate_seconds": total + human * len(tallies),
        },
    }


def print_table(summary: dict[str, Any], human: float) -> None:
    print(
        f"{'kind of item':38} {'n':>2} {'clicks':>6} {'typing':>6} {'machine s':>9} {'est. s':>7}"
    )
    for kind, r in summary["by_kind"].items():
        print(
            f"{kind:38} {r['items']:2d} {r['median_clicks']:6.1f} {r['median_typing']:6.1f} "
            f"{r['median_seconds']:9.2f} {r['median_estimate_seconds']:7.1f}"
        )
    o = summary["overall"]
    print(
        f"{'all items (median)':38} {o['items']:2d} {o['median_clicks']:6.1f} "
        f"{o['median_typing']:6.1f} {o['median_seconds']:9.2f} "
        f"{o['median_estimate_seconds']:7.1f}"
    )
    print(
        f"{'all items (total)':38} {o['items']:2d} {o['total_clicks']:6d} "
        f"{o['total_typing']:6d} {o['total_seconds']:9.2f} {o['total_estimate_seconds']:7.1f}"
    )
    print(
        f"\nclicks: a radio button, link or button is 1, a drop-down choice 2 (open, pick); "
        f"typing: text fields typed into.\nmachine s: the browser's time from the item's page "
        f"to the next page (Playwright fills a field at once).\nest. s: machine s + "
        f"{human:g} s per item of reading and typing (an assumption, not a measurement)."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--viewport", choices=sorted(VIEWPORTS), default="desktop")
    parser.add_argument(
        "--human-seconds",
        type=float,
        default=10.0,
        help="reading and typing time per item added to the estimate (default 10)",
    )
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify", metavar="JSON", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup()))
        return 0
    if args.verify:
        print(json.dumps(verify(json.loads(args.verify))))
        return 0
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing: run `make e2e-deps` (bash e2e/install.sh).")

    var = Path(tempfile.mkdtemp(prefix="pv-bench-moderation-"))
    env = {**os.environ, "PV_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "patientvoice.settings"}
    base = f"http://127.0.0.1:{args.port}"
    try:
        for step in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
            run([PYTHON, "manage.py", *step], env)
        # Tasks at once while setting up, so the pipeline's after-publish hook opens the
        # held and crisis cases; the server queues them for a worker, as in production.
        immediate = {**env, "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        made = run([PYTHON, str(Path(__file__).resolve()), "--setup"], immediate)
        data = json.loads(made.strip().splitlines()[-1])
        server = serve("patientvoice.wsgi:application", args.port, env)
        try:
            wait_for(base + "/healthz")
            tallies, total = clear_queue(base, data, args.viewport)
        finally:
            server.terminate()
            server.wait(10)
        checked = run(
            [PYTHON, str(Path(__file__).resolve()), "--verify", json.dumps(list(data["plans"]))],
            env,
        )
        outcome = json.loads(checked.strip().splitlines()[-1])
    finally:
        shutil.rmtree(var, ignore_errors=True)

    planned = {case: plan["action"] for case, plan in data["plans"].items()}
    if outcome["open"] or outcome["actions"] != planned:
        raise SystemExit(f"the cases did not end as planned: {outcome}")
    summary = summarise(tallies, total, args.human_seconds)
    print_table(summary, args.human_seconds)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"moderation-queue-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "at": stamp,
                "viewport": args.viewport,
                "human_seconds_per_item": args.human_seconds,
                "summary": summary,
                "items": [asdict(t) for t in tallies],
                "decided": outcome["decided"],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nwritten: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
