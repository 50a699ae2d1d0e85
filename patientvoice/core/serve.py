"""`make run`: the production server (granian, WSGI) and the task worker, together.

Ctrl-C (SIGINT) or SIGTERM stops both; if either exits, the other is stopped too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PRUNE_EVERY_SECONDS = 3600


def housekeeping(env: dict[str, str], stopping: Callable[[], bool] = lambda: False) -> None:
    """Hourly: finished e-mail tasks hold addresses and links, so drop them at once
    (other results are kept a week for debugging); erase accounts whose grace period
    has passed; queue the daily notification summaries that are due. Production runs
    the same commands from cron (docs/deploy.md)."""
    commands = [
        ["prune_db_task_results", "--queue-name", queue, "--min-age-days", days,
         "--failed-min-age-days", "7"]
        for queue, days in (("email", "0"), ("default", "7"))
    ]  # fmt: skip
    commands.append(["erase_due_accounts"])
    # Daily notification e-mails: at most one a day per person, from 08:00 local time.
    commands.append(["send_digests"])
    # Professionals: end expired credentials, remind holders a month before (decisions/0033).
    commands.append(["expire_credentials"])
    # Safety cases: remind the safety officers before a reporting deadline (decisions/0036).
    commands.append(["escalate_safety_cases"])
    for command in commands:
        if stopping():  # Ctrl-C or SIGTERM between two commands: stop here
            return
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=False
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "patientvoice.settings"}
    server_cmd = [
        str(bin_dir / "granian"),
        "--interface", "wsgi",
        "--host", args.host,
        "--port", str(args.port),
        "--workers", str(args.workers),
        "--blocking-threads", "1",
        "--no-ws",
        "--log-level", "warning",
        "patientvoice.wsgi:application",
    ]  # fmt: skip
    worker_cmd = [
        sys.executable, "manage.py", "run_worker", "--queue-name", "*", "--interval", "1",
    ]  # fmt: skip
    # Own sessions: Ctrl-C reaches only this script, which stops both children with
    # one SIGTERM each (a second signal from the terminal made granian hang).
    processes = [
        subprocess.Popen(server_cmd, cwd=ROOT, env=env, start_new_session=True),  # noqa: S603
        subprocess.Popen(worker_cmd, cwd=ROOT, env=env, start_new_session=True),  # noqa: S603
    ]
    url = f"http://{args.host}:{args.port}/"
    print(f"\n  PatientVoice is running at {url}")
    print("  Demo login: anna@demo.patientvoice.local / demo-password-2026 (see README)")
    mail_dir = Path(os.environ.get("PV_VAR_DIR", ROOT / "var")) / "mail"
    print(f"  E-mail is written to {mail_dir}/; links are printed here. Press Ctrl-C to stop.\n")
    sys.stdout.flush()

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    next_prune = 0.0
    while all(p.poll() is None for p in processes) and not stopping:
        if time.monotonic() >= next_prune:
            housekeeping(env, lambda: stopping)
            next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
        time.sleep(0.5)
    stop()
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
