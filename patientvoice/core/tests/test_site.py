"""Site-wide behaviour owned by core: health check, deploy settings, headers, robots.txt."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.communities.models import Community
from patientvoice.core import views as core_views
from patientvoice.organizations.models import Organization

from .factories import CommunityFactory

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_reports_ok_with_its_checks(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_a_migration_is_not_applied(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    monkeypatch.setattr("patientvoice.core.views._migrations_applied", False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "migrations": False},
    }


@pytest.mark.django_db
def test_healthz_answers_503_instead_of_crashing_when_checks_fail(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(core_views, "MigrationExecutor", broken)
    monkeypatch.setattr(core_views, "_migrations_applied", False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] is False


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path: Path) -> None:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PV_", "DJANGO_", "PYTEST_", "DEBUG", "SECURE_"))
    }
    env.update(
        PV_PROFILE="production",
        PV_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="sqlite:////tmp/x.sqlite3",
        DJANGO_SETTINGS_MODULE="patientvoice.settings",
    )

    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues" in completed.stdout
    assert "WARNING" not in completed.stdout + completed.stderr


@pytest.mark.django_db
def test_pages_send_strict_security_headers(client: Client) -> None:
    response = client.get(reverse("privacy"))

    csp = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )
    assert response.status_code == 200
    assert "'self'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    response = client.get(reverse("privacy"))

    assert len(response["X-Request-ID"]) == 16


def test_robots_txt_keeps_crawlers_out_of_a_non_production_site(client: Client) -> None:
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "User-agent: *\nDisallow: /\n"


def test_robots_txt_in_production_keeps_crawlers_out_of_api_and_accounts(
    client: Client, settings: Any
) -> None:
    settings.PRODUCTION = True

    body = client.get("/robots.txt").content.decode()

    assert body.splitlines() == [
        "User-agent: *",
        "Disallow: /api/",
        "Disallow: /sv/account/",
        "Disallow: /en/account/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["privacy", "terms", "crisis_help", "accessibility"])
def test_public_pages_open_in_both_languages(client: Client, name: str) -> None:
    for language in ("sv", "en"):
        response = client.get(f"/{language}{reverse(name)[3:]}")

        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_leads_to_the_same_page_and_query_in_the_other_language(
    client: Client,
) -> None:
    community = CommunityFactory.create(visibility="public")
    path = community.get_absolute_url()[3:]

    for asked, other in (("sv", "en"), ("en", "sv"), ("sv", "en")):  # the second sv: remembered
        page = client.get(f"/{asked}{path}?sort=new").content.decode()
        assert f'href="/{other}{path}?sort=new" hreflang="{other}"' in page
    missing = client.get("/sv/no-such-page/")
    assert missing.status_code == 404
    assert 'href="/en/" hreflang="en"' in missing.content.decode()


@pytest.mark.django_db
def test_home_page_lists_communities_with_a_fixed_query_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    for n in range(30):
        organization = Organization.objects.create(name=f"Org {n}", slug=f"org-{n}")
        community = CommunityFactory.create(organization=organization)
        Community.objects.filter(pk=community.pk).update(member_count=n)

    # communities with their organisations; the conditions they are tagged with
    with django_assert_num_queries(
        3
    ):  # +1: the site's funding notices, read once the cache is cold (decisions/0038)
        response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="card"') == 12
    assert "Org 29" in html


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_gets_a_plain_explanation() -> None:
    client = Client(enforce_csrf_checks=True)
    with translation.override("en"):
        url = reverse("account_login")

    response = client.post(url, {"login": "a@example.org"})

    assert response.status_code == 403
    assert "The form could not be sent" in response.text
    assert "DEBUG" not in response.text
