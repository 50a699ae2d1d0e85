"""No view, API router or shared read builds a queryset of private content that skips
the visibility rule (a Kitsune-style hook, on the syntax tree)."""

from __future__ import annotations

from pathlib import Path

import pytest

import patientvoice
from patientvoice.core.testing.querysets import (
    default_targets,
    guarded_models,
    scan_files,
    scan_source,
)

PACKAGE_ROOT = Path(patientvoice.__file__).parent


def test_no_view_router_or_query_builds_an_unfiltered_queryset_of_private_content():
    findings = scan_files(default_targets(PACKAGE_ROOT), guarded_models(), PACKAGE_ROOT.parent)

    assert not findings, "\n".join(str(f) for f in findings)


def test_the_guard_reads_the_views_routers_and_queries_of_every_app():
    targets = {str(p.relative_to(PACKAGE_ROOT)) for p in default_targets(PACKAGE_ROOT)}

    assert {
        "communities/views.py",
        "communities/queries.py",
        "organizations/views.py",
        "core/views.py",
        "api/routers/communities.py",
    } <= targets


def test_the_guard_covers_every_kind_of_content_and_every_model_with_surfaces():
    assert {"Post", "Thread", "Community"} <= guarded_models()


MODELS = {"Post", "Thread", "Community"}


@pytest.mark.parametrize(
    "source",
    [
        "def v(request):\n    return Post.objects.filter(thread=t)\n",
        "def v(request):\n    return list(Thread.objects.all())\n",
        "def v(request):\n    return get_object_or_404(Thread, public_id=x)\n",
        "def v(request):\n    return models.Post._default_manager.all()\n",
        "latest = Post.objects.order_by('-created_at')[:10]\n",
        # Narrowed somewhere else is not narrowed here.
        "def v(request):\n    qs = Post.objects.all()\n"
        "    return visible_posts(request.user, other)\n",
        "def v(request):\n"
        "    return Post.objects.filter(pk__in=visible_posts(u, Post.objects.all()))\n",
        # A check in an outer function does not cover a nested one.
        "def v(request):\n    check_x(request.user)\n    def inner():\n"
        "        return Post.objects.all()\n    return inner()\n",
    ],
)
def test_the_guard_reports_unfiltered_querysets(source):
    findings = scan_source(source, MODELS, "app/views.py")

    assert len(findings) == 1
    assert findings[0].path == "app/views.py"
    assert findings[0].model in MODELS
    assert "visible_" in str(findings[0])


@pytest.mark.parametrize(
    "source",
    [
        "def v(request):\n    return visible_posts(request.user, Post.objects.filter(a=1))\n",
        "def v(request):\n    return perms.visible_threads(\n        request.user,\n"
        "        Thread.objects.select_related('author'),\n    ).order_by('-id')\n",
        "def v(request, slug):\n    c = get_object_or_404(Community, slug=slug)\n"
        "    check_community_exists_for(request.user, c)\n    return c\n",
        "def v(request):\n    return readable_communities(request.user, Community.objects.all())\n",
        "def v(request):\n    t = access_thread(request.user, s, i)\n    return t\n",
        "def v(request):\n    return Membership.objects.all()\n",
        "def v(request):\n    return Post.objects.count()  # visibility: a total, shows no post\n",
    ],
)
def test_the_guard_lets_narrowed_or_authorised_reads_through(source):
    assert scan_source(source, MODELS) == []
