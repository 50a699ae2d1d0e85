"""seed_demo has a safety officer and a reply that names a side effect: once screened,
the safety queue shows its signal."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from patientvoice.accounts.models import User
from patientvoice.communities.models import Post
from patientvoice.safety.demo import REPORT
from patientvoice.safety.models import SafetySignal
from patientvoice.safety.permissions import is_safety_officer

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_safety_officer_and_a_signal_to_triage(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)

    officer = User.objects.get(email="sakerhet@demo.patientvoice.local")
    assert is_safety_officer(officer)
    assert "/sv/safety/" in out.getvalue()
    post = Post.objects.get(body=REPORT)
    found = SafetySignal.objects.filter(content_kind="communities.post", object_id=post.pk)
    assert {s.medicine_slug for s in found} == {"methotrexate"}
