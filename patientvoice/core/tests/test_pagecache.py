"""Visitors' pages are stored and forgotten correctly (core.pagecache, decisions/0045).

The promise under test: a stored page is only ever served to a visitor, only ever
made from a visitor's request, and never outlives a committed write to what it shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Thread
from patientvoice.communities.tests.conftest import logged_in
from patientvoice.communities.tests.factories import (
    CommunityFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
)
from patientvoice.core import pagecache
from patientvoice.core.testing.visibility import assert_cannot_see

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings: Any) -> Any:
    settings.PV_PAGE_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def public_thread(django_capture_on_commit_callbacks: Any) -> Thread:
    # As if committed: what the test does later starts a transaction of its own.
    with django_capture_on_commit_callbacks(execute=True):
        author = UserFactory.create()
        community = CommunityFactory.create(members=[author])
        thread = ThreadFactory.create(community=community, author=author)
        PostFactory.create(thread=thread, author=author, body="A first reply about insulin pens.")
    return thread


def _author(thread: Thread) -> User:
    assert thread.author is not None
    return thread.author


def _visit(path: str, client: Client | None = None, **headers: Any) -> Any:
    return (client or Client()).get(path, headers=headers)


def test_a_visitor_gets_the_stored_page_the_second_time(public_thread: Thread) -> None:
    path = public_thread.get_absolute_url()

    first = _visit(path)
    second = _visit(path)

    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "stored"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "A first reply about insulin pens." in second.text


def test_a_committed_reply_forgets_the_page(
    public_thread: Thread, django_capture_on_commit_callbacks: Any
) -> None:
    path = public_thread.get_absolute_url()
    assert _visit(path)["X-Page-Cache"] == "stored"
    assert _visit(path)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_thread(
            author=_author(public_thread),
            thread=public_thread,
            body="News: the pharmacy has the new pens.",
            language="sv",
        )
    after = _visit(path)

    assert after["X-Page-Cache"] == "stored"
    assert "News: the pharmacy has the new pens." in after.text


def test_a_write_that_is_rolled_back_keeps_the_page(
    public_thread: Thread, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    path = public_thread.get_absolute_url()
    _visit(path)
    generation = caches["default"].get(pagecache.GENERATION_KEY)

    def reply_then_change_mind() -> None:
        with transaction.atomic():
            actions.reply_to_thread(
                author=_author(public_thread), thread=public_thread, body="No.", language="sv"
            )
            raise RuntimeError("changed my mind")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        reply_then_change_mind()

    assert caches["default"].get(pagecache.GENERATION_KEY) == generation
    assert _visit(path)["X-Page-Cache"] == "hit"


def test_a_deleted_post_leaves_the_stored_page(
    public_thread: Thread, django_capture_on_commit_callbacks: Any
) -> None:
    post = public_thread.posts.get(body__contains="insulin pens")
    path = public_thread.get_absolute_url()
    assert "A first reply about insulin pens." in _visit(path).text

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_post(user=_author(public_thread), post=post)

    assert "A first reply about insulin pens." not in _visit(path).text


def test_reading_state_and_sessions_do_not_forget_pages(
    public_thread: Thread, django_capture_on_commit_callbacks: Any
) -> None:
    path = public_thread.get_absolute_url()
    member = _author(public_thread)
    client = logged_in(member)
    _visit(path)

    with django_capture_on_commit_callbacks(execute=True):
        # A member reading the thread writes their read state and their session.
        client.get(path)
        actions.mark_read(user=member, thread=public_thread, position=1, known=None)

    assert _visit(path)["X-Page-Cache"] == "hit"


def test_a_member_is_never_served_a_stored_page_nor_stores_one(public_thread: Thread) -> None:
    path = public_thread.get_absolute_url()
    _visit(path)
    member = logged_in(_author(public_thread))

    own = member.get(path)

    assert "X-Page-Cache" not in own
    assert own.wsgi_request.user == public_thread.author
    caches["pages"].clear()
    member.get(path)
    assert _visit(path)["X-Page-Cache"] == "stored"


def test_members_only_pages_a_member_has_read_stay_hidden_from_visitors() -> None:
    member = UserFactory.create()
    community = CommunityFactory.create(members_only=True, members=[member])
    thread = ThreadFactory.create(community=community, author=member)
    post = PostFactory.create(thread=thread, author=member, body="Only members read this.")
    client = logged_in(member)
    for path in (
        thread.get_absolute_url(),
        community.get_absolute_url(),
        reverse("home"),
        f"{reverse('search:search')}?q=members",
    ):
        assert client.get(path).status_code == 200

    # Every surface, twice: the second visit may be served from the store.
    assert_cannot_see(None, post)
    assert_cannot_see(None, post)
    assert_cannot_see(None, thread)


def test_pages_that_carry_a_csrf_token_are_not_stored() -> None:
    path = reverse("account_login")

    first = _visit(path)
    second = _visit(path)

    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    # Each visitor's form carries a token that goes with their own cookie.
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true"},
        {"Authorization": "Bearer something"},
    ],
)
def test_htmx_and_authorised_requests_pass_by(public_thread: Thread, headers: Any) -> None:
    path = public_thread.get_absolute_url()
    _visit(path)

    assert "X-Page-Cache" not in _visit(path, **headers)


def test_requests_with_a_session_pass_by(public_thread: Thread) -> None:
    path = public_thread.get_absolute_url()
    _visit(path)
    client = Client()
    client.cookies["sessionid"] = "x"

    assert "X-Page-Cache" not in client.get(path)


def test_not_found_is_not_stored() -> None:
    path = "/sv/c/no-such-community/"

    assert _visit(path).status_code == 404
    assert "X-Page-Cache" not in _visit(path)


def _as_visitor(request: Any) -> Any:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


@pytest.mark.parametrize("writes", [True, False])
def test_a_get_that_writes_is_not_stored(rf: Any, writes: bool) -> None:
    from django.db import connection
    from django.http import HttpResponse

    def view(request: Any) -> HttpResponse:
        if writes:  # a confirmation link, say
            with connection.cursor() as cursor:
                cursor.execute("UPDATE communities_thread SET title = title WHERE id = -1")
        return HttpResponse("<p>Thank you.</p>")

    middleware = pagecache.PageCacheMiddleware(view)
    response = middleware(_as_visitor(rf.get("/sv/confirm/abc/")))

    assert response.get("X-Page-Cache") == (None if writes else "stored")


def test_turned_off_it_neither_stores_nor_serves(public_thread: Thread, settings: Any) -> None:
    settings.PV_PAGE_CACHE = False
    path = public_thread.get_absolute_url()

    _visit(path)

    assert "X-Page-Cache" not in _visit(path)


@pytest.mark.parametrize(
    ("sql", "matters"),
    [
        ("SELECT * FROM communities_post", None),
        ('INSERT INTO "communities_post" ("body") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "communities_reaction" ("kind") VALUES (%s)', True),
        ('UPDATE "communities_thread" SET "post_count" = %s WHERE "id" = %s', True),
        ('DELETE FROM "communities_post" WHERE "id" = %s', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "communities_threadreadstate" SET "position" = %s WHERE "id" = %s', False),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', False),
        ('UPDATE "accounts_user" SET "handle" = %s, "last_login" = %s WHERE "id" = %s', True),
        ("INSERT INTO search_fts(rowid, body) VALUES (?, ?)", True),
        ("  update communities_post set status = 'hidden'", True),
        ("WITH x AS (SELECT 1) UPDATE communities_post SET status = 'hidden'", True),
        ("/* hint */ UPDATE communities_post SET status = 'hidden'", True),
        ("(UPDATE communities_post SET status = 'hidden')", True),
        ("MERGE INTO communities_post USING x ON true WHEN MATCHED THEN DELETE", True),
        ("TRUNCATE communities_post", True),
        ("COPY communities_post FROM STDIN", True),
        ("EXPLAIN ANALYZE UPDATE communities_post SET status = 'x'", True),
        ("WITH c AS MATERIALIZED (SELECT rowid FROM search_entry_fts) SELECT * FROM c", None),
        ("EXPLAIN SELECT 1", None),
        ('SAVEPOINT "s1"', None),
        ("PRAGMA foreign_keys=ON", None),
        ('INSERT INTO "django_session" ("k") VALUES (%s) ON CONFLICT DO NOTHING', False),
    ],
)
def test_which_statements_forget_pages(sql: str, matters: bool | None) -> None:
    assert pagecache._statement_matters(sql) is matters


def test_every_connection_watches_its_writes() -> None:
    from django.db import connection

    connection.ensure_connection()
    watches = [w for w in connection.execute_wrappers if isinstance(w, pagecache.WriteWatch)]

    assert len(watches) == 1
    pagecache.watch_writes(None, connection)
    assert len([w for w in connection.execute_wrappers if isinstance(w, pagecache.WriteWatch)]) == 1


def test_quiet_tables_exist() -> None:
    """A renamed table would silently start forgetting pages on every read; a typo in
    the list would hide nothing but cost hits. Every name must be a real table."""
    from django.apps import apps

    tables = {model._meta.db_table for model in apps.get_models()}

    assert tables >= pagecache.QUIET_TABLES
    assert set(pagecache.QUIET_COLUMNS) <= tables


def test_with_read_replicas_a_page_to_store_is_read_from_the_primary(
    public_thread: Thread, settings: Any, monkeypatch: Any
) -> None:
    """A replica may not have the latest write yet; what is stored is served to all."""
    from patientvoice.core import dbrouters

    calls: list[bool] = []
    monkeypatch.setattr(dbrouters, "read_from_primary", lambda: calls.append(True))
    settings.DATABASE_ROUTERS = ["patientvoice.core.dbrouters.ReplicaRouter"]
    path = public_thread.get_absolute_url()

    assert _visit(path)["X-Page-Cache"] == "stored"
    assert _visit(path)["X-Page-Cache"] == "hit"
    assert calls == [True]


def test_a_cache_that_cannot_be_written_never_breaks_a_write(
    public_thread: Thread, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.cache import cache

    path = public_thread.get_absolute_url()
    _visit(path)
    later: list[str] = []

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "set", broken)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_thread(
            author=_author(public_thread), thread=public_thread, body="Still kept.", language="sv"
        )
        from django.db import transaction

        transaction.on_commit(lambda: later.append("ran"))
    monkeypatch.undo()

    assert later == ["ran"]
    # This process no longer trusts what it stored: the page is made afresh.
    assert "Still kept." in _visit(path).text
    monkeypatch.setattr(pagecache, "_unsure", False)


def test_a_cache_that_cannot_be_read_serves_fresh_pages(
    public_thread: Thread, monkeypatch: Any
) -> None:
    from django.core.cache import cache

    path = public_thread.get_absolute_url()
    _visit(path)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get", broken)
    response = _visit(path)

    assert response.status_code == 200
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize(
    ("query", "stored"),
    [("?page=1", True), ("?sort=newest", True), ("?x=random", False), ("?q=hiv", False)],
)
def test_only_the_page_and_order_parameters_are_kept(
    public_thread: Thread, query: str, stored: bool
) -> None:
    path = public_thread.community.get_absolute_url() + query

    assert ("X-Page-Cache" in _visit(path)) is stored


def test_a_search_is_never_kept(public_thread: Thread) -> None:
    path = f"{reverse('search:search')}?q=insulin"

    _visit(path)

    assert "X-Page-Cache" not in _visit(path)


def test_stored_pages_vary_by_cookie(public_thread: Thread) -> None:
    path = public_thread.get_absolute_url()
    _visit(path)

    assert "Cookie" in _visit(path)["Vary"]


def test_the_watch_outlives_other_execute_wrappers() -> None:
    from django.db import connection

    connection.ensure_connection()
    connection.execute_wrappers[:] = [
        w for w in connection.execute_wrappers if not isinstance(w, pagecache.WriteWatch)
    ]

    def other(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        return execute(sql, params, many, context)

    with connection.execute_wrapper(other):
        pagecache.watch_writes(None, connection)  # a thread's first query, say

    assert [type(w) for w in connection.execute_wrappers] == [pagecache.WriteWatch]


def test_the_command_forgets_pages_written_around_the_site(public_thread: Thread) -> None:
    from django.core.management import call_command

    path = public_thread.get_absolute_url()
    _visit(path)

    call_command("forget_pages", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _visit(path)["X-Page-Cache"] == "stored"
