"""``make run``'s hourly housekeeping stops between commands once the server is
being stopped, instead of running the rest for many seconds."""

from __future__ import annotations

from typing import Any

from patientvoice.core import serve


def test_housekeeping_runs_every_command_while_not_stopping(monkeypatch: Any) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr("subprocess.run", lambda argv, **kwargs: ran.append(argv))

    serve.housekeeping({})

    assert [argv[2] for argv in ran] == [
        "prune_db_task_results", "prune_db_task_results", "erase_due_accounts",
        "send_digests", "expire_credentials", "escalate_safety_cases",
    ]  # fmt: skip


def test_housekeeping_stops_after_the_command_running_when_asked(monkeypatch: Any) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr("subprocess.run", lambda argv, **kwargs: ran.append(argv))

    serve.housekeeping({}, stopping=lambda: len(ran) >= 2)

    assert len(ran) == 2
