"""`make restore-check`: a backup is only a backup once it has been restored.

Makes a scratch PostgreSQL database with the demo data (migrate + seed_demo), backs it
up with deploy/backup.sh, restores the dump with deploy/restore.sh into a second
scratch database, and compares the two: the row count of every table, the position
of every sequence (new rows after a restore must not collide), and a checksum of the
full contents of the key tables. Both databases and the dump are removed afterwards.
Exit code 0 only when everything matches. Run it every quarter against a real
night's dump too (docs/deploy.md#backups).

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) or DEPLOY_CHECK_PG.
"""

# fixed commands; SQL built from table names the database itself listed
# ruff: noqa: S603, S607, S608
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("DEPLOY_CHECK_PG", "postgres://postgres@127.0.0.1:5432")
# Whole contents compared: people, consent, content and the record of what was done.
KEY_TABLES = [
    "accounts_user",
    "accounts_consentrecord",
    "communities_community",
    "communities_thread",
    "communities_post",
    "core_auditentry",
]


def psql(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def snapshot(url: str) -> dict[str, str]:
    """table -> row count, sequence -> last value, key table -> md5 of its rows."""
    tables = psql(
        url,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    ).splitlines()
    counts = " UNION ALL ".join(f"SELECT '{t}', count(*)::text FROM \"{t}\"" for t in tables)
    found = dict(line.split("|", 1) for line in psql(url, counts).splitlines())
    sequences = psql(
        url,
        "SELECT sequencename || '|' || coalesce(last_value, 0) FROM pg_sequences"
        " WHERE schemaname = 'public'",
    ).splitlines()
    found.update({f"sequence {line.split('|')[0]}": line.split("|")[1] for line in sequences})
    for table in KEY_TABLES:
        found[f"md5 {table}"] = psql(
            url,
            f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
            f' FROM "{table}" t',
        )
    return found


def main() -> int:
    source = f"pv_restore_check_{os.getpid()}_a"
    target = f"pv_restore_check_{os.getpid()}_b"
    work = Path(tempfile.mkdtemp(prefix="pv-restore-check-"))
    dump = work / "backup.dump"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "patientvoice.settings",
        "DATABASE_URL": f"{PG}/{source}",
        "PV_VAR_DIR": str(work / "var"),
        "REDIS_URL": "",
        "AWS_STORAGE_BUCKET_NAME": "",
        "DATABASE_REPLICA_URLS": "",
    }
    server = f"{PG}/postgres"
    try:
        print(f"restore-check: scratch databases {source} and {target}")
        psql(server, f'CREATE DATABASE "{source}"')
        manage = [str(ROOT / ".venv" / "bin" / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            [str(ROOT / "deploy" / "backup.sh"), f"{PG}/{source}", str(dump)], check=True
        )
        subprocess.run(
            [str(ROOT / "deploy" / "restore.sh"), str(dump), f"{PG}/{target}"], check=True
        )

        before, after = snapshot(f"{PG}/{source}"), snapshot(f"{PG}/{target}")
        tables = [k for k in before if " " not in k]
        rows = sum(int(before[t]) for t in tables)
        differences = sorted(
            k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
        )
        for key in differences:
            print(f"  FAIL {key}: backed up {before.get(key)!r}, restored {after.get(key)!r}")
        empty_keys = [t for t in KEY_TABLES if before.get(t) == "0"]
        for table in empty_keys:
            print(f"  FAIL {table} is empty: the check would prove nothing about it")
        if differences or empty_keys or rows == 0:
            print("restore-check: FAILED")
            return 1
        print(
            f"  ok   {len(tables)} tables ({rows} rows), "
            f"{sum(k.startswith('sequence ') for k in before)} sequences and "
            f"checksums of {', '.join(KEY_TABLES)} match"
        )
        print(f"restore-check: all checks passed (dump {dump.stat().st_size // 1024} KiB)")
        return 0
    finally:
        for name in (source, target):
            psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
