"""The demo data shows the thread tools in both languages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from patientvoice.communities.models import Post, Thread

pytestmark = pytest.mark.django_db


def test_demo_has_replies_to_best_answers_and_pinned_and_locked_threads_in_both_languages():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent

    for language in ("sv", "en"):
        threads = Thread.objects.filter(community__language=language)
        assert threads.filter(is_pinned=True).exists(), language
        assert threads.filter(is_locked=True).exists(), language
        assert threads.filter(best_answer__isnull=False).exists(), language
        assert (
            Post.objects.filter(community__language=language, reply_to__isnull=False).count() == 1
        ), language
        assert threads.filter(medicines__isnull=False).exists(), language


def test_demo_threads_are_tagged_with_medicines_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent

    tagged = Thread.objects.get(title="Skolan och insulinet")
    assert sorted(tagged.medicines.values_list("slug", flat=True)) == [
        "insulin-aspart",
        "insulin-glargine",
    ]
    assert Thread.medicines.through.objects.count() == 5
