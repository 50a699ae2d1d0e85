"""The thread page's remembered post fragments (communities/rendering.py): what a
reader sees is always the post's present state, and never another reader's controls."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities import actions
from patientvoice.communities.models import Post
from patientvoice.communities.rendering import POST_FRAGMENTS
from patientvoice.communities.thread_page import THREAD_PAGES
from patientvoice.core import fragments
from patientvoice.core.fragments import CSRF_SLOT
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.directory.actions import import_medicines
from patientvoice.directory.importing_medicines import MedicineRow
from patientvoice.directory.models import Medicine
from patientvoice.directory.tests.factories import ConditionFactory
from patientvoice.notifications import actions as notification_actions
from patientvoice.notifications.queries import unread_count

from .conftest import logged_in
from .factories import CommunityFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return UserFactory.create(handle="Writer_1")


@pytest.fixture
def reader():
    return UserFactory.create(handle="Reader_1")


@pytest.fixture
def thread(writer, reader):
    community = CommunityFactory.create(members=[writer, reader])
    thread = ThreadFactory.create(community=community, author=writer)
    for n in range(5):
        PostFactory.create(thread=thread, author=writer, body=f"Post number {n}")
    return thread


def _article(html: str, post: Post) -> str:
    match = re.search(rf'<article[^>]*id="post-{post.public_id}".*?</article>', html, re.S)
    assert match is not None
    return match.group(0)


def test_a_second_reader_gets_the_remembered_posts_with_their_own_csrf_token(thread, reader):
    first = logged_in(reader).get(thread.get_absolute_url())
    misses = POST_FRAGMENTS.misses

    second = logged_in(reader).get(thread.get_absolute_url())

    assert POST_FRAGMENTS.misses == misses  # nothing rendered again
    post = thread.posts.order_by("position").last()
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _article(r.text, post))
        for r in (first, second)
    ]
    assert all(tokens)
    assert tokens[0].group(1) != tokens[1].group(1)  # type: ignore[union-attr]


def test_a_reaction_shows_at_once_in_the_count(thread, reader):
    post = thread.posts.order_by("position").last()
    client = logged_in(reader)
    client.get(thread.get_absolute_url())

    actions.react(user=reader, post=post, kind="hug")
    article = _article(client.get(thread.get_absolute_url()).text, post)

    assert re.search(r'value="hug"[^>]*aria-pressed="true"', article)
    assert '<span class="reaction-count">1</span>' in article


def test_an_edit_shows_the_new_text_to_every_reader(thread, writer, reader):
    post = thread.posts.order_by("position").last()
    logged_in(reader).get(thread.get_absolute_url())

    actions.edit_post(user=writer, post=post, body="A corrected text")

    assert "A corrected text" in logged_in(reader).get(thread.get_absolute_url()).text


def test_a_new_handle_shows_on_posts_already_remembered(thread, writer, reader):
    client = logged_in(reader)
    assert "Writer_1" in client.get(thread.get_absolute_url()).text

    account_actions.change_handle(user=writer, handle="Writer_2")

    page = client.get(thread.get_absolute_url()).text
    assert "Writer_2" in page
    assert "Writer_1" not in page


def test_the_writers_edit_links_are_never_shown_to_another_reader(thread, writer, reader):
    post = thread.posts.order_by("position").last()
    edit = f"p/{post.public_id}/edit/"
    assert edit in logged_in(writer).get(thread.get_absolute_url()).text

    assert edit not in logged_in(reader).get(thread.get_absolute_url()).text
    assert edit not in Client().get(thread.get_absolute_url()).text  # the thread is public


def test_each_language_gets_its_own_fragments(thread, reader):
    client = logged_in(reader)
    post = thread.posts.order_by("position").last()
    pages = {}
    for language in ("sv", "en"):
        with translation.override(language):
            word = translation.pgettext("post", "Quote")
            pages[language] = (word, _article(client.get(thread.get_absolute_url()).text, post))

    assert pages["sv"][0] != pages["en"][0]
    for word, article in pages.values():
        assert f">{word}</a>" in article


@pytest.mark.parametrize("thread_published", [True, False])
def test_the_thread_level_rule_lists_exactly_what_the_general_rule_lists(thread_published):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from patientvoice.communities.permissions import viewer_roles, visible_entries_of
    from patientvoice.communities.queries import thread_entries
    from patientvoice.communities.rendering import posts_page

    author, other = UserFactory.create(), UserFactory.create()
    staff = UserFactory.create(is_staff=True)
    community = CommunityFactory.create(members=[author, other])
    thread = ThreadFactory.create(community=community, author=author)
    posts = [PostFactory.create(thread=thread, author=who) for who in (author, other) * 4]
    states: list[dict[str, object]] = [
        {"status": "held"},
        {"status": "hidden"},
        {"status": "removed"},  # by a moderator: no placeholder
        {"status": "removed", "deleted_at": timezone.now()},  # by its author
    ]
    for post, state in zip(posts, states * 2, strict=True):
        Post.objects.filter(pk=post.pk).update(**state)
    type(thread).objects.filter(pk=thread.pk).update(is_published=thread_published)
    thread.refresh_from_db()

    for reader in (AnonymousUser(), author, other, staff):
        general = set(thread_entries(reader, thread).values_list("pk", flat=True))
        fast = set(visible_entries_of(reader, thread).values_list("pk", flat=True))
        assert fast == general, reader
        # and the page's compiled query (core.prepared) lists the same
        roles = viewer_roles(reader, thread.community)
        page = posts_page(reader, thread, "1", roles, can_post=False)
        assert {entry.pk for entry in page.object_list} == general, reader


def test_the_thread_page_fetch_admits_and_names_exactly_as_the_general_rules_do():
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from patientvoice.communities.models import Thread
    from patientvoice.communities.permissions import viewer_roles, visible_threads
    from patientvoice.communities.queries import thread_for_page
    from patientvoice.core.testing.sessions import log_in_with_mfa
    from patientvoice.organizations import actions as organization_actions
    from patientvoice.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory.create()
    member, moderator, outsider = (UserFactory.create() for _ in range(3))
    host, host_without_mfa = UserFactory.create(), UserFactory.create()
    staff = UserFactory.create(is_staff=True)
    for person in (host, host_without_mfa, moderator, staff):
        log_in_with_mfa(Client(), person)  # gives them a second factor
    for person in (host, host_without_mfa):
        organization_actions.add_staff(
            actor=None, organization=organization, user=person, role="moderator"
        )
    Authenticator.objects.filter(user=host_without_mfa).delete()
    threads = []
    for visibility in ("public", "members", "private"):
        community = CommunityFactory.create(
            visibility=visibility, organization=organization, members=[member, moderator]
        )
        actions.make_moderator(actor=None, community=community, user=moderator)
        threads.append(ThreadFactory.create(community=community, author=member))
        hidden = ThreadFactory.create(community=community, author=member)
        Thread.objects.filter(pk=hidden.pk).update(is_published=False)
        threads.append(hidden)

    readers = (AnonymousUser(), member, moderator, outsider, host, host_without_mfa, staff)
    for reader in readers:
        for thread in threads:
            thread = Thread.objects.select_related("community").get(pk=thread.pk)
            general = visible_threads(reader, Thread.objects.filter(pk=thread.pk)).exists()
            try:
                _, roles = thread_for_page(reader, thread.community.slug, thread.public_id)
            except Http404:
                assert not general, (reader, thread.community.visibility)
                continue
            assert general, (reader, thread.community.visibility)
            assert roles == viewer_roles(reader, thread.community), reader


# The page's head (title, tags, follow button, moderation tools, best answer) is
# remembered per state ({% memo "thread-head" %}): each reader still sees their own.


def _head(html: str) -> str:
    return html.split('<div id="thread-main">')[0].split("<main")[1]


def test_each_reader_sees_their_own_follow_state_in_the_remembered_head(thread, reader):
    other = UserFactory.create()
    actions.join_community(user=other, community=thread.community)
    notification_actions.follow_thread(user=reader, thread=thread)
    with translation.override("sv"):
        following = pgettext("follow button", "Stop following")
        not_following = pgettext("follow button", "Follow this discussion")

    for _ in range(2):  # the second round comes from the memo
        mine = _head(logged_in(reader).get(thread.get_absolute_url()).text)
        theirs = _head(logged_in(other).get(thread.get_absolute_url()).text)
        assert following in mine
        assert not_following not in mine
        assert not_following in theirs
        assert following not in theirs
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine)
    assert token is not None
    assert CSRF_SLOT not in mine


def test_the_remembered_head_follows_the_thread_and_its_community(thread, writer, reader):
    url = thread.get_absolute_url()
    before = _head(logged_in(reader).get(url).text)
    with translation.override("sv"):
        locked = pgettext("thread", "Locked")
    assert locked not in before

    actions.lock_thread(actor=None, thread=thread, locked=True)
    actions.update_community_settings(
        actor=None, community=thread.community, fields={"name": "Renamed community"}
    )
    condition = ConditionFactory.create()
    actions.set_thread_conditions(actor=writer, thread=thread, conditions=[condition])
    medicine = Medicine.objects.get(slug="methotrexate")
    actions.set_thread_medicines(actor=writer, thread=thread, medicines=[medicine])
    best = thread.posts.order_by("position").last()
    actions.mark_best_answer(actor=writer, thread=thread, post=best)
    after = _head(logged_in(reader).get(url).text)

    assert locked in after
    assert "Renamed community" in after
    assert condition.get_absolute_url() in after
    assert 'href="/sv/medicines/methotrexate/">Metotrexat<' in after
    assert f"#post-{best.public_id}" in after

    actions.edit_post(user=writer, post=best, body="The best answer, said better")
    assert "The best answer, said better" in _head(logged_in(reader).get(url).text)


def test_only_moderators_get_the_moderation_tools_from_the_remembered_head(thread, reader):
    moderator = UserFactory.create()
    client = Client()
    log_in_with_mfa(client, moderator)
    actions.make_moderator(actor=None, community=thread.community, user=moderator)
    tools = f'action="{thread.get_absolute_url()}moderate/"'

    assert tools in _head(client.get(thread.get_absolute_url()).text)
    assert tools not in _head(logged_in(reader).get(thread.get_absolute_url()).text)


# The whole page around the posts is remembered per state too (thread_page.THREAD_PAGES).
# Differential test: for every ordered pair of readers, the second reader's page served
# after the first reader's (from the memo when their keys match) equals the second
# reader's page rendered afresh.

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.text)


def test_a_remembered_page_is_the_page_each_reader_would_get_afresh(
    thread, writer, reader, django_capture_on_commit_callbacks
):
    community = thread.community
    follower = UserFactory.create()
    actions.join_community(user=follower, community=community)
    notification_actions.follow_thread(user=follower, thread=thread)
    moderator, staff_member = UserFactory.create(), StaffFactory.create()
    clients = {"visitor": Client(), "writer": logged_in(writer), "reader": logged_in(reader)}
    clients["follower"] = logged_in(follower)
    for name, person in (("moderator", moderator), ("staff", staff_member)):
        clients[name] = Client()
        log_in_with_mfa(clients[name], person)
    actions.make_moderator(actor=None, community=community, user=moderator)
    url = thread.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory.create(thread=thread, author=reader, body="A new reply for the follower")
    assert unread_count(follower) > 0
    # The writer and the moderator then differ only in the moderator's tools.
    notification_actions.unfollow_thread(user=writer, thread=thread)
    notification_actions.mark_all_read(user=writer)
    for client in clients.values():  # read once: the read state stays as it is now
        client.get(url)
    for language in ("sv", "en"):
        address = f"/{language}{url[3:]}"
        for first, first_client in clients.items():
            for second, second_client in clients.items():
                THREAD_PAGES.clear()
                _page(first_client, address)
                served = _page(second_client, address)
                THREAD_PAGES.clear()
                fresh = _page(second_client, address)
                assert served == fresh, f"{second} after {first} ({language})"
    assert len(THREAD_PAGES) > 0  # the memo was in use


def _rename(medicine: Medicine, *, name_sv: str, inn_en: str) -> None:
    """A new name from the catalogue (``import_medicines``, keyed by slug)."""
    import_medicines(
        rows=[
            MedicineRow(
                line=0, slug=medicine.slug, inn_en=inn_en, name_sv=name_sv,
                prescription=medicine.prescription, brands_sv=medicine.brands_sv,
            )
        ]
    )  # fmt: skip


def test_a_remembered_page_follows_every_change_of_its_medicine_tags(thread, writer, reader):
    """Differential: after each change of the thread's medicine tags (or of a tagged
    medicine), the page each reader is served equals the page rendered from nothing
    remembered, and shows the change. A medicine tag missing from ``head_key`` fails."""
    methotrexate = Medicine.objects.get(slug="methotrexate")
    ibuprofen = Medicine.objects.get(slug="ibuprofen")
    clients = {"visitor": Client(), "writer": logged_in(writer), "reader": logged_in(reader)}
    url = thread.get_absolute_url()
    addresses = {language: f"/{language}{url[3:]}" for language in ("sv", "en")}
    steps = [
        ("tagged", lambda: actions.set_thread_medicines(
            actor=writer, thread=thread, medicines=[methotrexate])),
        ("tagged again", lambda: actions.set_thread_medicines(
            actor=writer, thread=thread, medicines=[methotrexate, ibuprofen])),
        ("renamed", lambda: _rename(methotrexate, name_sv="Metotrexat X", inn_en="Methotrexate X")),
        ("deactivated", lambda: Medicine.objects.filter(pk=ibuprofen.pk).update(is_active=False)),
        ("untagged", lambda: actions.set_thread_medicines(
            actor=writer, thread=thread, medicines=[])),
    ]  # fmt: skip
    expected = {
        "tagged": ({"Metotrexat"}, {"Ibuprofen"}),
        "tagged again": ({"Metotrexat", "Ibuprofen"}, set()),
        "renamed": ({"Metotrexat X", "Ibuprofen"}, set()),
        "deactivated": ({"Metotrexat X"}, {"Ibuprofen"}),
        "untagged": (set(), {"Metotrexat X", "Ibuprofen"}),
    }
    for client in clients.values():  # each reader's page is remembered before any change
        for address in addresses.values():
            _page(client, address)

    for step, change in steps:
        change()
        for name, client in clients.items():
            for language, address in addresses.items():
                served = _page(client, address)
                fragments.forget_all()
                fresh = _page(client, address)
                assert served == fresh, f"{name}, {step} ({language})"
        shown, gone = expected[step]
        head = _head(_page(clients["visitor"], addresses["sv"]))
        for medicine_name in shown:
            assert f">{medicine_name}</a>" in head, step
        for medicine_name in gone:
            assert f">{medicine_name}</a>" not in head, step


def test_a_verified_professionals_badge_comes_and_goes_on_remembered_posts(thread, writer, reader):
    from patientvoice.moderation.tests.factories import with_second_factor
    from patientvoice.professionals import actions as professional_actions
    from patientvoice.professionals.tests.factories import approved, staff

    post = thread.posts.order_by("position").last()
    client = logged_in(reader)
    assert "badge-professional" not in _article(client.get(thread.get_absolute_url()).text, post)

    credential = approved(with_second_factor(writer), specialty="Reumatologi")
    article = _article(client.get(thread.get_absolute_url()).text, post)
    assert "badge-professional" in article
    assert "Reumatologi" in article

    professional_actions.revoke_credential(
        staff=staff(), credential=credential, reason="Legitimationen är indragen."
    )
    assert "badge-professional" not in _article(client.get(thread.get_absolute_url()).text, post)
