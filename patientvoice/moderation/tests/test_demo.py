"""The demo data shows moderation at work: a moderator who can log in with the printed
secret, a queue in order, a member's statements with an open appeal, and a transparency
report with numbers in it. seed_demo stays idempotent."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts.models import User
from patientvoice.communities.models import Post
from patientvoice.core.models import AuditEntry, ContentStatus
from patientvoice.moderation import actions, queries
from patientvoice.moderation.demo import DEMO_TOTP_SECRET
from patientvoice.moderation.models import (
    Action,
    Appeal,
    AppealStatus,
    Case,
    CaseSource,
    CaseStatus,
    ContentLabel,
    Decision,
    ReasonCode,
    Report,
    StatementOfReasons,
    TrustedFlagger,
)
from patientvoice.moderation.permissions import check_decide_appeal
from patientvoice.organizations.models import OrganizationStaff

from .factories import StaffFactory

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _person(key: str) -> User:
    return User.objects.get(email__startswith=f"{key}@")


def _counts() -> dict[str, Any]:
    return {
        "users": User.objects.count(),
        "posts": Post.objects.count(),
        "open cases": Case.objects.filter(status=CaseStatus.OPEN).count(),
        "decided cases": Case.objects.filter(status=CaseStatus.DECIDED).count(),
        "reports": Report.objects.count(),
        "decisions": Decision.objects.count(),
        "statements": StatementOfReasons.objects.count(),
        "appeals": Appeal.objects.count(),
        "labels": ContentLabel.objects.count(),
        "trusted flaggers": TrustedFlagger.objects.count(),
        "organisation staff": OrganizationStaff.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "audit": sorted(
            AuditEntry.objects.filter(
                action__regex=r"^(moderation\.|organizations\.staff|accounts\.mfa)"
            ).values_list("action", flat=True)
        ),
    }


def _code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return str(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))


def test_seeding_twice_changes_nothing_in_moderation() -> None:
    _seed()
    first = _counts()

    _seed()

    assert _counts() == first
    assert 6 <= first["open cases"] <= 8
    assert first["decided cases"] == first["decisions"] == first["statements"] == 2
    assert first["appeals"] == first["trusted flaggers"] == 1


def test_seeding_again_after_the_moderator_worked_the_demo_cases_adds_nothing() -> None:
    _seed()
    karin = _person("karin")
    held = Case.objects.get(source=CaseSource.PIPELINE, status=CaseStatus.OPEN)
    phone_post = Post.objects.get(pk=held.object_id)
    actions.decide(
        moderator=karin, case=held, action=Action.REDACT, reason_code=ReasonCode.PERSONAL_DATA,
        explanation="Telefonnumret är borttaget.",
        text=phone_post.body.replace("070-123 45 67", "[removed by moderators]"),
    )  # fmt: skip
    spam = Case.objects.get(excerpt__startswith="Tired of sensors", status=CaseStatus.OPEN)
    actions.decide(
        moderator=karin, case=spam, action=Action.REMOVE, reason_code=ReasonCode.SPAM,
        explanation="Reklam.",
    )  # fmt: skip
    actions.decide_appeal(
        moderator=karin, appeal=Appeal.objects.get(), outcome=AppealStatus.REVERSED,
        reason="Inlägget visas igen.",
    )  # fmt: skip
    worked = _counts()

    _seed()

    assert _counts() == worked
    assert worked["open cases"] == 5  # seven opened (the profile too), two decided since


def test_the_printed_moderator_logs_in_with_the_printed_secret_and_sees_the_queue(
    settings: Any,
) -> None:
    # A code computed just before a 30-second boundary must still verify just after it.
    settings.MFA_TOTP_TOLERANCE = 1
    out = _seed()
    found = re.search(r"log in as (\S+) with the password (\S+) .* the secret ([A-Z2-7]+)", out)
    assert found is not None, out
    email, password, secret = found.groups()
    assert secret == DEMO_TOTP_SECRET
    assert out.index("Moderation:") < out.index("Invitation link")  # the link stays last
    client = Client()
    with translation.override("sv"):
        login_url, mfa_url = reverse("account_login"), reverse("mfa_authenticate")
        queue_url = reverse("moderation:queue")

    client.post(login_url, {"login": email, "password": password})
    client.post(mfa_url, {"code": _code(secret)})
    page = client.get(queue_url)

    assert page.status_code == 200
    assert "Tre nätter i rad med larm" in page.text  # the crisis post
    assert "Tired of sensors falling off?" in page.text  # the spam, in English


def test_the_moderators_queue_has_every_source_and_puts_urgent_first() -> None:
    _seed()
    moderator = _person("karin")

    cases = list(queries.queue(moderator))

    assert {case.source for case in cases} >= {
        CaseSource.CRISIS, CaseSource.PIPELINE, CaseSource.FLAG, CaseSource.NOTICE,
    }  # fmt: skip
    assert cases[0].urgent
    assert cases[0].source == CaseSource.CRISIS
    assert [c.trusted for c in cases].count(True) == 1
    keys = [(-c.urgent, -c.severity, -c.trusted, c.opened_at, c.pk) for c in cases]
    assert keys == sorted(keys)
    held = Post.objects.get(pk=next(c.object_id for c in cases if c.source == "pipeline"))
    assert held.status == ContentStatus.HELD
    assert held.hold_reasons == ["personal_data.phone"]


def test_the_flagged_profile_waits_in_the_site_queue_not_the_organisations() -> None:
    _seed()
    spammer = _person("glucodeals")
    staff = StaffFactory.create()

    site_queue = list(queries.queue(staff, site_only=True))

    assert [(c.kind, c.object_id) for c in site_queue] == [("profile", spammer.pk)]
    assert not queries.queue(_person("karin")).filter(kind="profile").exists()


def test_the_demo_member_appealed_a_hide_that_only_the_other_moderator_may_decide() -> None:
    _seed()
    erik, karin, johan = _person("erik"), _person("karin"), _person("johan")

    statements = list(queries.statements_for(erik))

    assert sorted(s.restriction for s in statements) == [Action.HIDE, Action.LABEL]
    assert all(s.language == "sv" and s.decision.moderator == johan for s in statements)
    appeal = Appeal.objects.get(statement__recipient=erik)
    assert appeal.status == AppealStatus.OPEN
    assert appeal.statement.restriction == Action.HIDE
    assert list(queries.appeal_queue(karin)) == [appeal]
    assert list(queries.appeal_queue(johan)) == []
    with pytest.raises(PermissionDenied):
        check_decide_appeal(johan, appeal)
    check_decide_appeal(karin, appeal)  # does not raise


def test_the_transparency_report_counts_the_demo() -> None:
    _seed()
    now = timezone.now()

    report = queries.transparency(now - timedelta(days=1), now + timedelta(days=1))

    assert report["notices"]["total"] == 1
    assert report["notices"]["by_type"] == {"defamation": 1}
    assert report["flags"]["total"] >= 6
    assert report["flags"]["from_trusted_flaggers"] == 1
    assert report["actions"]["by_action"] == {"hide": 1, "label": 1}
    assert report["appeals"]["by_outcome"] == {"open": 1}
