"""`make deploy-check`: the production profile, started for real and checked over HTTP.

Starts, on this machine: a scratch PostgreSQL database, Redis database 14, a local
S3-compatible server (moto, run by uv in its own environment), two granian app servers
and one task worker, all with PV_PROFILE=production and a read replica configured (the
primary under a second name, so the router runs). Then, as the TLS proxy would send
them (Host allowed, X-Forwarded-Proto: https):

1. /healthz answers 200 on both servers;
2. a person signs up on server A; the worker sends the verification e-mail;
3. they confirm on server B and are logged in; they log out and log in with their
   password on A, and B shows them a members-only page (sessions are shared);
4. a story draft with a picture, saved on B, lands in the bucket.

Everything is removed afterwards (database, Redis db 14, processes, files). Exit code 0
only when every check passed. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust)
and Redis at 127.0.0.1:6379, or DEPLOY_CHECK_PG / DEPLOY_CHECK_REDIS.
"""

# fixed commands of a check script; throwaway credentials of the scratch services
# ruff: noqa: S105, S106, S603, S607
from __future__ import annotations

import email as email_parser
import http.client
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
UV = ROOT / ".tools" / "bin" / "uv"
MOTO = "moto[server]==5.2.5"
HOST = "patientvoice.test"
PG = os.environ.get("DEPLOY_CHECK_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("DEPLOY_CHECK_REDIS", "redis://127.0.0.1:6379/14")
BUCKET = "pv-deploy-check"
PASSWORD = "smoke-Test-password-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"deploy-check: timed out waiting for {what}")


class Form(HTMLParser):
    """The fields of every form on a page: {action: {name: value}} plus selects' first
    real option, enough to post a form as a browser would."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], list[str]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}, []))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                self.forms[-1][2].append(a["name"])
                if "checked" in a:
                    self.forms[-1][1][a["name"]] = a.get("value", "on")
            elif kind not in {"submit", "file"}:
                self.forms[-1][1][a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            fields = self.forms[-1][1]
            if self._select not in fields or "selected" in a:
                fields[self._select] = a["value"]
        elif tag == "textarea" and a.get("name"):
            self.forms[-1][1][a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_on(page: str, has_field: str) -> dict[str, str]:
    parser = Form()
    parser.feed(page)
    for _action, fields, _boxes in parser.forms:
        if has_field in fields:
            return dict(fields)
    raise AssertionError(f"no form with {has_field!r} on the page")


class Browser:
    """One person's browser behind the TLS proxy: cookies kept (also __Host- and Secure
    ones, as over HTTPS), each request sent to the app server given."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        port: int,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "",
    ) -> tuple[int, dict[str, str], str]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Accept-Language": "sv",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in {"", '""'} or "max-age=0" in value.lower():
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = cookie_value
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, port: int, path: str) -> tuple[int, dict[str, str], str]:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        return self.request(port, "POST", path, urlencode(fields).encode())

    def post_multipart(
        self, port: int, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, str], str]:
        boundary = "pv" + secrets.token_hex(12)
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            )
            out.write(value.encode() + b"\r\n")
        for name, (filename, data) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'.encode()
            )
            out.write(data + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            port, "POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}"
        )


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (40, 110, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


class Check:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def __call__(self, ok: bool, what: str) -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok:
            self.failures.append(what)
        return ok


class Stack:
    """Processes and clean-ups, undone in reverse order whatever happens."""

    def __init__(self) -> None:
        self.undo: list[Callable[[], None]] = []

    def start(self, argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        out = log.open("wb")
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

        def stop() -> None:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            out.close()

        self.undo.append(stop)
        return process

    @contextmanager
    def running(self) -> Iterator[Stack]:
        try:
            yield self
        finally:
            for undo in reversed(self.undo):
                try:
                    undo()
                except Exception as error:  # clean up the rest whatever one step does
                    print(f"  clean-up: {error}", file=sys.stderr)


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        check=True,
    )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def main() -> int:
    check = Check()
    database = f"pv_deploy_check_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="pv-deploy-check-"))
    s3_port, port_a, port_b = free_port(), free_port(), free_port()
    database_url = f"{PG}/{database}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(work)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "patientvoice.settings",
        "PV_PROFILE": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": database_url,
        # The primary again under a second name: the replica router runs as in production.
        "DATABASE_REPLICA_URLS": database_url,
        "REDIS_URL": REDIS,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "deploy-check",
        "AWS_SECRET_ACCESS_KEY": "deploy-check",
        "PV_VAR_DIR": str(work / "var"),
        "PV_TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    stack = Stack()
    with stack.running():
        stack.undo.append(lambda: shutil.rmtree(work, ignore_errors=True))
        print(f"deploy-check: scratch database {database}, Redis {REDIS}, files in {work}")
        psql(f'CREATE DATABASE "{database}"')
        stack.undo.append(lambda: psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        flush_redis()
        stack.undo.append(flush_redis)

        stack.start(
            [str(UV), "tool", "run", "--quiet", "--from", MOTO, "moto_server", "-H", "127.0.0.1",
             "-p", str(s3_port)],
            {**os.environ, "UV_NO_PROGRESS": "1"},
            work / "moto.log",
        )  # fmt: skip
        wait_for(lambda: socket.create_connection(("127.0.0.1", s3_port), 1) is not None, "moto")
        import boto3  # type: ignore[import-untyped]

        s3 = boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="deploy-check",
            aws_secret_access_key="deploy-check",
        )
        s3.create_bucket(Bucket=BUCKET)

        print("deploy-check: migrate, collectstatic, check --deploy")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        deploy = subprocess.run(
            [str(BIN / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        check(deploy.returncode == 0, "manage.py check --deploy reports no issues")
        if deploy.returncode:
            print(deploy.stdout + deploy.stderr)

        for port in (port_a, port_b):
            stack.start(
                [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", "1", "--blocking-threads", "1", "--no-ws",
                 "--log-level", "warning", "patientvoice.wsgi:application"],
                env,
                work / f"granian-{port}.log",
            )  # fmt: skip
        stack.start(
            [str(BIN / "python"), "manage.py", "db_worker", "--queue-name", "*",
             "--interval", "0.5"],
            env,
            work / "worker.log",
        )  # fmt: skip
        for port in (port_a, port_b):
            wait_for(partial(answers, port), f"server {port}")

        run_checks(check, env, s3, port_a, port_b, work)
        if check.failures:
            for log in sorted(work.glob("*.log")):
                print(f"--- {log.name} (last lines)")
                print("\n".join(log.read_text(errors="replace").splitlines()[-25:]))

    if check.failures:
        print(f"deploy-check: FAILED ({len(check.failures)}): " + "; ".join(check.failures))
        return 1
    print("deploy-check: all checks passed")
    return 0


def answers(port: int) -> bool:
    return Browser().get(port, "/healthz")[0] == 200


def run_checks(
    check: Check, env: dict[str, str], s3: object, port_a: int, port_b: int, work: Path
) -> None:
    for port in (port_a, port_b):
        status, _, body = Browser().get(port, "/healthz")
        check(status == 200 and '"ok"' in body, f"/healthz answers 200 on port {port}")
    status, headers, _ = Browser().get(port_a, "/sv/")
    check(status == 200, "the home page answers 200 behind the proxy")
    check("max-age=31536000" in headers.get("strict-transport-security", ""), "HSTS is sent")

    email = f"smoke-{secrets.token_hex(4)}@example.org"
    browser = Browser()
    _, _, page = browser.get(port_a, "/sv/account/signup/")
    fields = form_on(page, "password1")
    fields.update(
        email=email,
        handle=f"smoke{secrets.token_hex(3)}",
        password1=PASSWORD,
        password2=PASSWORD,
        age_confirmed="on",
        consent_health_data="on",
    )
    status, headers, _ = browser.post(port_a, "/sv/account/signup/", fields)
    check(status == 302, f"sign-up on server A is accepted (status {status})")

    mail_dir = Path(env["PV_VAR_DIR"]) / "mail"
    link: list[str] = []

    def mail_sent() -> bool:
        for message_file in mail_dir.glob("*") if mail_dir.exists() else []:
            message = email_parser.message_from_bytes(message_file.read_bytes())
            if email not in str(message.get("To", "")):
                continue
            for part in message.walk():
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    found = re.search(
                        r"https://\S+/account/confirm-email/[^\s\"<>]+", payload.decode()
                    )
                    if found:
                        link.append(found.group(0))
                        return True
        return False

    with suppress(SystemExit):  # reported just below, with the other checks
        wait_for(mail_sent, "the verification e-mail", seconds=30)
    if not check(bool(link), "the worker ran the e-mail task: the verification message was sent"):
        return
    confirm_path = urlsplit(link[0]).path
    _, _, page = browser.get(port_b, confirm_path)
    status, headers, _ = browser.post(port_b, confirm_path, form_on(page, "csrfmiddlewaretoken"))
    check(status == 302, f"the address is confirmed on server B (status {status})")

    _, _, page = browser.get(port_b, "/sv/account/logout/")
    browser.post(port_b, "/sv/account/logout/", form_on(page, "csrfmiddlewaretoken"))
    _, _, page = browser.get(port_a, "/sv/account/login/")
    fields = form_on(page, "login")
    fields.update(login=email, password=PASSWORD)
    status, _, _ = browser.post(port_a, "/sv/account/login/", fields)
    check(status == 302, f"log-in with the password on server A (status {status})")
    status, _, _ = browser.get(port_b, "/sv/stories/mine/")
    check(status == 200, f"server B shows a members-only page in that session (status {status})")
    status, headers, _ = Browser().get(port_b, "/sv/stories/mine/")
    check(status == 302, "without the session, the same page asks to log in")

    before = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}  # type: ignore[attr-defined]
    _, _, page = browser.get(port_b, "/sv/stories/write/")
    fields = form_on(page, "title")
    fields.update(
        title="En berättelse från deploy-check",
        body="Skriven för att se att bilden hamnar i hinken.",
        cover_alt="En blå yta",
        action="save",
    )
    if "audience" in fields and "everyone" in page:
        fields["audience"] = "everyone"
    status, headers, _ = browser.post_multipart(
        port_b, "/sv/stories/write/", fields, {"cover": ("cover.png", png())}
    )
    check(status == 302, f"a story draft with a picture is saved on server B (status {status})")
    after = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}  # type: ignore[attr-defined]
    new = sorted(after - before)
    check(bool(new), f"the picture landed in the bucket ({', '.join(new) or 'nothing'})")
    if new and "location" in headers:
        _, _, page = browser.get(port_a, urlsplit(headers["location"]).path)
        check(
            f"127.0.0.1:{urlsplit(env['AWS_S3_ENDPOINT_URL']).port}" in page,
            "the draft's page on server A shows the picture from the bucket",
        )


if __name__ == "__main__":
    raise SystemExit(main())
