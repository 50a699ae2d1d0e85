"""Role × action matrix across communities, threads, posts, organisations and the API.

One table, ``ROWS``: each row is a request (method, URL, form data) and the status
every role must get; ``hidden_from`` names the roles whose answer must not contain the
row's ``secret`` (a members-only thread's title in a list, say), even when the answer
is 200. One data set is built once for the module (``world``) and every request runs
in its own rolled-back transaction, so rows may write.

To add a view: add a row. Use ``expect(default, **overrides)`` for its statuses, and
``OUTSIDERS`` for the roles that may not know members-only or private content exists.

The roles, and what makes them so (``build_world``):

* ``visitor``: not signed in.
* ``member``: a member of the public (P), members-only (M) and private (X)
  communities, and the author of every thread and post in them.
* ``non_member``: signed in, a member of nothing.
* ``moderator_elsewhere``: moderator of another community (E), with a second factor.
* ``org_moderator`` / ``org_admin``: moderator / administrator of the organisation
  that hosts P, M and X (not members of them), with a second factor.
* ``staff``: site staff, logged in with a second factor (powers active).

API rows may also give ``tokens``: the status each of ``TOKEN_ROLES`` gets when it
calls with a personal access token (read and write) instead of its session. A token
never carries staff or moderation powers, so site staff and the organisation's
administrator are outsiders there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import Organization, StaffRole

from .factories import (
    CommunityFactory,
    OrganizationFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
)

VISITOR = "visitor"
MEMBER = "member"
NON_MEMBER = "non_member"
MODERATOR_ELSEWHERE = "moderator_elsewhere"
ORG_MODERATOR = "org_moderator"
ORG_ADMIN = "org_admin"
STAFF = "staff"
ROLES = (VISITOR, MEMBER, NON_MEMBER, MODERATOR_ELSEWHERE, ORG_MODERATOR, ORG_ADMIN, STAFF)
# Roles that log in with a second factor (their powers are active).
PRIVILEGED = {MODERATOR_ELSEWHERE, ORG_MODERATOR, ORG_ADMIN, STAFF}
# Who may not read members-only or private content: everyone but its members, site
# staff and the hosting organisation's administrators and moderators (with their
# powers active; decisions/0026). The organisation's staff are not members here.
OUTSIDERS = frozenset({VISITOR, NON_MEMBER, MODERATOR_ELSEWHERE})
ORG_STAFF = frozenset({ORG_MODERATOR, ORG_ADMIN})
SIGNED_IN_OUTSIDERS = OUTSIDERS - {VISITOR}
# Roles that also call the API with a token; with one, all but the member are outsiders.
TOKEN_ROLES = (MEMBER, NON_MEMBER, ORG_ADMIN, STAFF)
TOKEN_OUTSIDERS = frozenset({NON_MEMBER, ORG_ADMIN, STAFF})


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Statuses for every role: ``default``, with ``role=status`` overrides."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


def except_for(roles: frozenset[str] | set[str], status: int, default: int) -> dict[str, int]:
    """``status`` for ``roles``, ``default`` for the rest."""
    return {role: status if role in roles else default for role in ROLES}


def by_token(default: int, **overrides: int) -> dict[str, int]:
    """Statuses for ``TOKEN_ROLES`` calling with a token."""
    unknown = set(overrides) - set(TOKEN_ROLES)
    assert not unknown, f"unknown token roles {unknown}"
    return {role: overrides.get(role, default) for role in TOKEN_ROLES}


@dataclass
class World:
    organization: Organization
    public: Community
    members_only: Community
    private: Community
    elsewhere: Community
    threads: dict[str, Thread]
    posts: dict[str, Post]
    people: dict[str, User | None]


def build_world() -> World:
    member = UserFactory.create()
    organization = OrganizationFactory.create(verified=True)
    public = CommunityFactory.create(organization=organization, members=[member])
    members_only = CommunityFactory.create(
        organization=organization, members_only=True, members=[member]
    )
    private = CommunityFactory.create(organization=organization, private=True, members=[member])
    elsewhere = CommunityFactory.create()
    moderator_elsewhere, org_moderator, org_admin, staff = (
        UserFactory.create(),
        UserFactory.create(),
        UserFactory.create(),
        StaffFactory.create(),
    )
    for person in (moderator_elsewhere, org_moderator, org_admin, staff):
        log_in_with_mfa(Client(), person)  # gives them a TOTP authenticator
    actions.make_moderator(actor=None, community=elsewhere, user=moderator_elsewhere)
    org_actions.add_staff(
        actor=None, organization=organization, user=org_moderator, role=StaffRole.MODERATOR
    )
    org_actions.add_staff(
        actor=None, organization=organization, user=org_admin, role=StaffRole.ADMIN
    )
    people: dict[str, User | None] = {
        VISITOR: None,
        MEMBER: member,
        NON_MEMBER: UserFactory.create(),
        MODERATOR_ELSEWHERE: moderator_elsewhere,
        ORG_MODERATOR: org_moderator,
        ORG_ADMIN: org_admin,
        STAFF: staff,
    }
    threads = {
        "P": ThreadFactory.create(community=public, author=member, title="Public thread: sleep"),
        "M": ThreadFactory.create(
            community=members_only, author=member, title="Members-only thread: insulin at school"
        ),
        "X": ThreadFactory.create(
            community=private, author=member, title="Private thread: caring for dad"
        ),
    }
    posts = {key: Post.objects.get(thread=thread) for key, thread in threads.items()}
    return World(organization, public, members_only, private, elsewhere, threads, posts, people)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end;
    each test runs in a savepoint inside it (pytest-django's ``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# --- URLs -------------------------------------------------------------------------------------


def community_url(name: str, key: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        community = {"P": w.public, "M": w.members_only, "X": w.private, "E": w.elsewhere}[key]
        return reverse(f"communities:{name}", kwargs={"slug": community.slug})

    return url


def thread_url(name: str, key: str, community_key: str | None = None) -> Callable[[World], str]:
    """``community_key`` puts the thread under another community's slug (a guess)."""

    def url(w: World) -> str:
        thread = w.threads[key]
        slug = {"P": w.public, "M": w.members_only, "X": w.private}[community_key or key].slug
        return reverse(f"communities:{name}", kwargs={"slug": slug, "thread_id": thread.public_id})

    return url


def post_url(name: str, key: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        thread, post = w.threads[key], w.posts[key]
        return reverse(
            f"communities:{name}",
            kwargs={
                "slug": thread.community.slug,
                "thread_id": thread.public_id,
                "post_id": post.public_id,
            },
        )

    return url


def org_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"organizations:{name}", kwargs={"slug": w.organization.slug})


def fixed(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name)


def api(path: str) -> Callable[[World], str]:
    """``path`` with ``{P}``/``{M}``/``{X}`` (community slugs), ``{tP}``/``{tM}``/``{tX}``
    (thread ids) and ``{org}``."""

    def url(w: World) -> str:
        return "/api/v1" + path.format(
            P=w.public.slug,
            M=w.members_only.slug,
            X=w.private.slug,
            tP=w.threads["P"].public_id,
            tM=w.threads["M"].public_id,
            tX=w.threads["X"].public_id,
            org=w.organization.slug,
        )

    return url


def staff_remove_url(role: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        person = w.people[role]
        assert person is not None
        return reverse(
            "organizations:staff_remove",
            kwargs={"slug": w.organization.slug, "user_id": person.public_id},
        )

    return url


def page_with_logo(w: World) -> dict[str, Any]:
    """The organisation's page form with a new logo (a real picture, made per request:
    an upload is read once)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 90, 160)).save(picture, format="PNG")
    return {
        "name": w.organization.name,
        "language": "sv",
        "logo": SimpleUploadedFile("logo.png", picture.getvalue(), content_type="image/png"),
    }


def settings_with_cover(w: World) -> dict[str, Any]:
    """The community settings form with a new cover (a real picture, made per request)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (80, 40), (0, 90, 160)).save(picture, format="PNG")
    return {
        "name": w.public.name,
        "cover": SimpleUploadedFile("cover.png", picture.getvalue(), content_type="image/png"),
    }


def invitation_link(key: str) -> Callable[[World], str]:
    """A fresh, open invitation link to the community ``key`` (made inside the row's
    own transaction)."""

    def url(w: World) -> str:
        community = {"M": w.members_only, "X": w.private}[key]
        _invitation, token = actions.create_invitation(
            actor=None, community=community, max_uses=100
        )
        return reverse("communities:invite", kwargs={"slug": community.slug, "token": token})

    return url


def title(key: str) -> Callable[[World], str]:
    return lambda w: w.threads[key].title


def thread_id(key: str) -> Callable[[World], str]:
    return lambda w: str(w.threads[key].public_id)


# --- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: Callable[[World], str]
    statuses: dict[str, int]
    data: dict[str, str] | Callable[[World], dict[str, Any]] = field(default_factory=dict)
    # What must not appear in the answer for the roles in ``hidden_from``.
    secret: Callable[[World], str] | None = None
    hidden_from: frozenset[str] = frozenset()
    # API rows: the statuses of ``TOKEN_ROLES`` calling with a token (``by_token``);
    # the secret is hidden from ``TOKEN_OUTSIDERS`` there.
    tokens: dict[str, int] | None = None


LOGIN = 302  # a login-required page sends visitors to the login page
EVERYONE_200 = expect(200)

ROWS: list[Row] = [
    # Community pages
    Row("community list", "GET", fixed("communities:list"), EVERYONE_200,
        secret=lambda w: w.private.name, hidden_from=OUTSIDERS),
    Row("latest in my communities", "GET", fixed("communities:latest"), expect(200, visitor=LOGIN),
        secret=title("M"), hidden_from=OUTSIDERS),
    Row("latest (private thread)", "GET", fixed("communities:latest"), expect(200, visitor=LOGIN),
        secret=title("X"), hidden_from=OUTSIDERS),
    Row("public community page", "GET", community_url("detail", "P"), EVERYONE_200),
    Row("members-only community page shows a teaser", "GET", community_url("detail", "M"),
        EVERYONE_200, secret=title("M"), hidden_from=OUTSIDERS),
    Row("private community page", "GET", community_url("detail", "X"),
        except_for(OUTSIDERS, 404, 200)),
    Row("join a public community", "POST", community_url("join", "P"), expect(302)),
    Row("join by GET is not allowed", "GET", community_url("join", "P"),
        expect(405, visitor=LOGIN)),
    Row("join a private community", "POST", community_url("join", "X"),
        expect(404, visitor=LOGIN, member=302)),
    Row("leave a public community", "POST", community_url("leave", "P"), expect(302)),
    Row("leave a private community", "POST", community_url("leave", "X"),
        except_for(SIGNED_IN_OUTSIDERS, 404, 302)),
    Row("members of a public community", "GET", community_url("members", "P"),
        expect(404, visitor=LOGIN, member=200, staff=200)),
    Row("members of a private community", "GET", community_url("members", "X"),
        expect(404, visitor=LOGIN, member=200, staff=200)),
    Row("join requests of a hosted community", "GET", community_url("join_requests", "P"),
        expect(404, visitor=LOGIN, org_moderator=200, org_admin=200, staff=200)),
    Row("join requests of a hosted private community", "GET",
        community_url("join_requests", "X"),
        expect(404, visitor=LOGIN, org_moderator=200, org_admin=200, staff=200)),
    Row("new thread form, public", "GET", community_url("thread_create", "P"),
        expect(302, member=200)),
    Row("new thread form, private", "GET", community_url("thread_create", "X"),
        except_for(SIGNED_IN_OUTSIDERS, 404, 302) | {MEMBER: 200, STAFF: 302}),
    Row("new thread, empty, members-only", "POST", community_url("thread_create", "M"),
        expect(302, member=400)),
    # Guidelines (organisations' staff and site staff)
    Row("edit guidelines, public", "GET", community_url("guidelines_edit", "P"),
        expect(403, visitor=LOGIN, org_moderator=200, org_admin=200, staff=200)),
    Row("edit guidelines, private", "GET", community_url("guidelines_edit", "X"),
        expect(404, visitor=LOGIN, member=403, org_moderator=200, org_admin=200, staff=200)),
    Row("publish empty guidelines, members-only", "POST", community_url("guidelines_edit", "M"),
        expect(403, visitor=LOGIN, org_moderator=400, org_admin=400, staff=400)),
    Row("edit guidelines of a site-hosted community", "GET", community_url("guidelines_edit", "E"),
        expect(403, visitor=LOGIN, staff=200)),
    # Community settings and cover (its moderators, the organisation's staff, site staff)
    Row("community settings, public", "GET", community_url("settings", "P"),
        expect(403, visitor=LOGIN, org_moderator=200, org_admin=200, staff=200)),
    Row("community settings, private", "GET", community_url("settings", "X"),
        expect(404, visitor=LOGIN, member=403, org_moderator=200, org_admin=200, staff=200)),
    Row("save community settings, empty, members-only", "POST", community_url("settings", "M"),
        expect(403, visitor=LOGIN, org_moderator=400, org_admin=400, staff=400)),
    Row("upload a cover", "POST", community_url("settings", "P"),
        expect(403, visitor=LOGIN, org_moderator=302, org_admin=302, staff=302),
        data=settings_with_cover),
    # Invitations (moderators make them; a link shows a private community to anyone)
    Row("invitations of a private community", "GET", community_url("invitations", "X"),
        expect(404, visitor=LOGIN, org_moderator=200, org_admin=200, staff=200)),
    Row("invitations of a public community", "GET", community_url("invitations", "P"),
        expect(404, visitor=LOGIN)),
    Row("make an invitation link, members-only", "POST", community_url("invitations", "M"),
        expect(404, visitor=LOGIN, org_moderator=302, org_admin=302, staff=302),
        data={"form": "link", "days": "14", "max_uses": "3"}),
    Row("make an invitation link, too many uses", "POST", community_url("invitations", "X"),
        expect(404, visitor=LOGIN, org_moderator=400, org_admin=400, staff=400),
        data={"form": "link", "days": "14", "max_uses": "1000"}),
    Row("invitation link to a private community", "GET", invitation_link("X"),
        expect(200, member=302), secret=title("X"), hidden_from=OUTSIDERS | ORG_STAFF),
    Row("join by an invitation link", "POST", invitation_link("X"), expect(302)),
    Row("a wrong invitation token", "GET",
        lambda w: reverse("communities:invite", kwargs={"slug": w.private.slug, "token": "x" * 43}),
        expect(404)),
    Row("join with a wrong invitation token", "POST",
        lambda w: reverse("communities:invite", kwargs={"slug": w.private.slug, "token": "x" * 43}),
        expect(404)),
    Row("my invitations", "GET", fixed("communities:my_invitations"), expect(200, visitor=LOGIN)),
    Row("answer an invitation, empty", "POST", fixed("communities:answer_invitation"),
        expect(404, visitor=LOGIN)),
    # Threads
    Row("public thread", "GET", thread_url("thread", "P"), EVERYONE_200),
    Row("members-only thread", "GET", thread_url("thread", "M"), except_for(OUTSIDERS, 404, 200)),
    Row("private thread", "GET", thread_url("thread", "X"), except_for(OUTSIDERS, 404, 200)),
    Row("private thread under a public community's slug", "GET", thread_url("thread", "X", "P"),
        expect(404)),
    Row("members-only thread under a private community's slug", "GET",
        thread_url("thread", "M", "X"), expect(404)),
    Row("a guessed thread id", "GET",
        lambda w: reverse("communities:thread", kwargs={"slug": w.public.slug,
                                                        "thread_id": uuid.uuid4()}),
        expect(404)),
    Row("public community feed", "GET", community_url("community_feed", "P"), EVERYONE_200,
        secret=title("M"), hidden_from=frozenset(ROLES)),
    Row("members-only community feed", "GET", community_url("community_feed", "M"), expect(404)),
    Row("private community feed", "GET", community_url("community_feed", "X"), expect(404)),
    Row("members-only thread feed", "GET", thread_url("thread_feed", "M"), expect(404)),
    Row("private thread feed", "GET", thread_url("thread_feed", "X"), expect(404)),
    Row("reply, empty, public thread", "POST", thread_url("reply", "P"),
        expect(302, member=400)),
    Row("reply, empty, members-only thread", "POST", thread_url("reply", "M"),
        except_for(SIGNED_IN_OUTSIDERS, 404, 302) | {MEMBER: 400}),
    Row("reply, empty, private thread", "POST", thread_url("reply", "X"),
        except_for(SIGNED_IN_OUTSIDERS, 404, 302) | {MEMBER: 400}),
    Row("first unread, private thread", "GET", thread_url("first_unread", "X"),
        except_for(OUTSIDERS, 404, 302)),
    # Those who read the thread but do not moderate it are told no (403).
    Row("moderate a public thread without an action", "POST", thread_url("moderate", "P"),
        expect(403, visitor=LOGIN, org_moderator=400, org_admin=400, staff=400)),
    Row("moderate a private thread", "POST", thread_url("moderate", "X"),
        expect(404, visitor=LOGIN, member=403, org_moderator=400, org_admin=400, staff=400)),
    # Posts
    Row("private post's permanent link", "GET", post_url("post", "X"),
        except_for(OUTSIDERS, 404, 302)),
    Row("members-only post's permanent link", "GET", post_url("post", "M"),
        except_for(OUTSIDERS, 404, 302)),
    Row("react without a kind, members-only post", "POST", post_url("react", "M"),
        except_for(SIGNED_IN_OUTSIDERS, 404, 400) | {VISITOR: LOGIN}),
    Row("edit form, private post", "GET", post_url("post_edit", "X"),
        expect(404, visitor=LOGIN, member=200)),
    Row("edit form, public post of someone else", "GET", post_url("post_edit", "P"),
        expect(404, visitor=LOGIN, member=200)),
    Row("delete form, private post", "GET", post_url("post_delete", "X"),
        expect(404, visitor=LOGIN, member=200)),
    # Organisations
    Row("organisation page", "GET", org_url("detail"), EVERYONE_200,
        secret=lambda w: w.private.get_absolute_url(), hidden_from=OUTSIDERS),
    Row("edit organisation page", "GET", org_url("edit"),
        expect(403, visitor=LOGIN, org_admin=200, staff=200)),
    Row("save organisation page, empty", "POST", org_url("edit"),
        expect(403, visitor=LOGIN, org_admin=400, staff=400)),
    Row("upload a logo", "POST", org_url("edit"),
        expect(403, visitor=LOGIN, org_admin=302, staff=302), data=page_with_logo),
    Row("organisation staff page", "GET", org_url("staff"),
        expect(403, visitor=LOGIN, org_admin=200, staff=200)),
    Row("give a role, empty", "POST", org_url("staff"),
        expect(403, visitor=LOGIN, org_admin=400, staff=400)),
    Row("take a role away", "POST", staff_remove_url(ORG_MODERATOR),
        expect(403, visitor=LOGIN, org_admin=302, staff=302)),
    Row("take a role away by GET is not allowed", "GET", staff_remove_url(ORG_MODERATOR),
        expect(405, visitor=LOGIN)),
    Row("withdraw a verification", "POST", org_url("verify"),
        expect(403, visitor=LOGIN, staff=302),
        data={"decision": "withdraw", "reason": "Registration lapsed"}),
    Row("withdraw a verification without a reason", "POST", org_url("verify"),
        expect(403, visitor=LOGIN, staff=400), data={"decision": "withdraw"}),
    Row("all organisations (staff)", "GET", fixed("organizations:manage"),
        expect(403, visitor=LOGIN, staff=200)),
    Row("new organisation (staff)", "GET", fixed("organizations:create"),
        expect(403, visitor=LOGIN, staff=200)),
    Row("create an organisation (staff)", "POST", fixed("organizations:create"),
        expect(403, visitor=LOGIN, staff=302),
        data={"name": "Nya föreningen", "kind": "advocacy", "language": "sv"}),
    # The API
    Row("API: communities", "GET", api("/communities"), EVERYONE_200,
        secret=lambda w: w.private.slug, hidden_from=OUTSIDERS, tokens=by_token(200)),
    Row("API: threads of a members-only community", "GET", api("/communities/{M}/threads"),
        EVERYONE_200, secret=thread_id("M"), hidden_from=OUTSIDERS, tokens=by_token(200)),
    Row("API: threads of a private community", "GET", api("/communities/{X}/threads"),
        except_for(OUTSIDERS, 404, 200), tokens=by_token(404, member=200)),
    Row("API: posts of a members-only thread", "GET", api("/communities/{M}/threads/{tM}/posts"),
        except_for(OUTSIDERS, 404, 200), tokens=by_token(404, member=200)),
    Row("API: posts of a private thread", "GET", api("/communities/{X}/threads/{tX}/posts"),
        except_for(OUTSIDERS, 404, 200), tokens=by_token(404, member=200)),
    Row("API: a private thread under a public slug", "GET",
        api("/communities/{P}/threads/{tX}/posts"), expect(404), tokens=by_token(404)),
    Row("API: writing a community is not allowed", "POST", api("/communities"), expect(405),
        tokens=by_token(405)),
    Row("API: organisations", "GET", api("/organisations"), EVERYONE_200, tokens=by_token(200)),
    Row("API: organisation", "GET", api("/organisations/{org}"), EVERYONE_200,
        secret=lambda w: w.private.slug, hidden_from=OUTSIDERS, tokens=by_token(200)),
    # Managing staff is a privileged power: a token never carries it, not even site
    # staff's or the organisation's administrator's.
    Row("API: organisation staff", "GET", api("/organisations/{org}/staff"),
        expect(403, visitor=401, org_admin=200, staff=200), tokens=by_token(403)),
]  # fmt: skip

_names = [row.name for row in ROWS]
assert len(_names) == len(set(_names)), "row names must be unique"


def client_for(role: str, world: World) -> Client:
    client = Client()
    person = world.people[role]
    if person is None:
        return client
    if role in PRIVILEGED:
        log_in_with_mfa(client, person)
    else:
        client.force_login(person)
    return client


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    # Rows that upload a picture store it here, not in var/media/.
    settings.MEDIA_ROOT = tmp_path


def data_for(row: Row, world: World) -> dict[str, Any]:
    return row.data(world) if callable(row.data) else row.data


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=[row.name.replace(" ", "_") for row in ROWS])
def test_each_role_gets_the_status_the_matrix_gives(world: World, row: Row, role: str) -> None:
    client = client_for(role, world)
    url = row.url(world)

    response = client.get(url) if row.method == "GET" else client.post(url, data_for(row, world))

    assert response.status_code == row.statuses[role], (
        f"{row.method} {url} as {role}: {response.status_code}, "
        f"the matrix says {row.statuses[role]}"
    )
    if row.secret is not None and role in row.hidden_from:
        assert row.secret(world) not in response.content.decode(), (
            f"{row.method} {url} as {role} gave away {row.secret(world)!r}"
        )


TOKEN_ROWS = [row for row in ROWS if row.tokens is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("role", TOKEN_ROLES)
@pytest.mark.parametrize("row", TOKEN_ROWS, ids=[row.name.replace(" ", "_") for row in TOKEN_ROWS])
def test_each_role_calling_with_a_token_gets_the_status_the_matrix_gives(
    world: World, row: Row, role: str
) -> None:
    from patientvoice.api import actions as api_actions
    from patientvoice.api.models import TokenScope

    person = world.people[role]
    assert person is not None
    assert row.tokens is not None
    _, raw = api_actions.create_token(user=person, name="matrix", scope=TokenScope.READ_WRITE)
    client, url = Client(), row.url(world)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    if row.method == "GET":
        response = client.get(url, **headers)  # type: ignore[arg-type]
    else:
        response = client.post(url, data_for(row, world), **headers)  # type: ignore[arg-type]

    assert response.status_code == row.tokens[role], (
        f"{row.method} {url} with {role}'s token: {response.status_code}, "
        f"the matrix says {row.tokens[role]}"
    )
    if row.secret is not None and role in TOKEN_OUTSIDERS:
        assert row.secret(world) not in response.content.decode(), (
            f"{row.method} {url} with {role}'s token gave away {row.secret(world)!r}"
        )


@pytest.mark.django_db
def test_every_role_of_the_matrix_is_what_its_name_says(world: World) -> None:
    from patientvoice.communities.permissions import is_member
    from patientvoice.organizations.models import OrganizationStaff

    people = world.people
    assert all(is_member(people[MEMBER], c) for c in (world.public, world.private))
    assert not any(
        is_member(people[role], world.private) for role in OUTSIDERS if people[role] is not None
    )
    assert set(
        OrganizationStaff.objects.filter(organization=world.organization).values_list(
            "user_id", "role"
        )
    ) == {
        (people[ORG_MODERATOR].pk, StaffRole.MODERATOR),  # type: ignore[union-attr]
        (people[ORG_ADMIN].pk, StaffRole.ADMIN),  # type: ignore[union-attr]
    }
