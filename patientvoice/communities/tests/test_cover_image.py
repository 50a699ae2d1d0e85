"""A community's settings page and its cover image: who may change them, the picture
made safe by core.images (decisions/0024), shown on the community's page and as a
thumbnail in lists, and bad input answered with a reason and the input kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community
from patientvoice.core.images import COVER, process_image
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import StaffRole

from .conftest import logged_in
from .factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Living with MS",
    "description": "Treatments, fatigue and work.",
    "teaser": "Join to read the discussions.",
    "join_questions": "What brings you here?",
    "accepts_requests": "on",
}


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(
    size: tuple[int, int] = (2400, 1000), colour: tuple[int, int, int] = (30, 90, 160)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def upload(name: str = "cover.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else picture(), "image/jpeg")


@pytest.fixture
def moderator() -> User:
    person = UserFactory.create()
    log_in_with_mfa(Client(), person)  # a second factor, needed for the role
    return person


@pytest.fixture
def community(moderator: User) -> Community:
    community = CommunityFactory.create(hosted=True, members_only=True)
    actions.make_moderator(actor=None, community=community, user=moderator)
    return community


def mfa_client(person: User) -> Client:
    client = Client()
    log_in_with_mfa(client, person)
    return client


def settings_url(community: Community) -> str:
    return reverse("communities:settings", kwargs={"slug": community.slug})


def test_a_moderator_changes_the_settings_and_the_change_is_audited(community, moderator):
    response = mfa_client(moderator).post(settings_url(community), SETTINGS)

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "Living with MS"
    assert community.join_questions == "What brings you here?"
    entry = AuditEntry.objects.get(action="communities.settings_changed")
    assert entry.actor == moderator
    assert "name" in entry.data["fields"]


def test_an_empty_name_comes_back_with_the_reason_and_the_input_kept(community, moderator):
    response = mfa_client(moderator).post(settings_url(community), {**SETTINGS, "name": ""})

    assert response.status_code == 400
    assert response.context["form"].has_error("name")
    assert "Treatments, fatigue and work." in response.text
    community.refresh_from_db()
    assert community.name != ""


def test_a_cover_is_stored_as_a_resized_webp_and_shown_on_the_page(
    community, moderator, media_in_tmp
):
    response = mfa_client(moderator).post(
        settings_url(community), {**SETTINGS, "cover": upload("IMG_0001.jpg")}
    )

    assert response.status_code == 302
    community.refresh_from_db()
    name = str(community.cover.name)
    assert name.startswith("covers/")
    assert name.endswith(".webp")
    assert "IMG_0001" not in name
    stored = Image.open(io.BytesIO((media_in_tmp / name).read_bytes()))
    assert stored.width <= COVER.max_width
    assert stored.height <= COVER.max_height
    assert (community.cover_width, community.cover_height) == stored.size
    page = Client().get(community.get_absolute_url()).text
    assert f'src="{community.cover.url}"' in page
    assert 'alt="" loading="lazy"' in page
    assert AuditEntry.objects.filter(action="communities.cover_changed").exists()


def test_the_community_list_shows_the_cover_as_a_lazy_thumbnail(community, moderator):
    actions.update_community_settings(
        actor=moderator,
        community=community,
        fields={},
        cover=process_image(picture(), spec=COVER),
    )
    community.refresh_from_db()

    page = Client().get(reverse("communities:list")).text

    assert f'class="community-thumb" src="{community.cover.url}"' in page
    assert 'loading="lazy"' in page


def test_the_community_list_costs_the_same_queries_with_covers(
    moderator, django_assert_num_queries
):
    for n in range(6):
        community = CommunityFactory.create(hosted=True)
        actions.update_community_settings(
            actor=None,
            community=community,
            fields={},
            cover=process_image(picture((400, 200), (n * 40, 90, 160)), spec=COVER),
        )
    client = Client()
    client.get(reverse("communities:list"))

    # The communities with their organisations: one query, whatever their number.
    with django_assert_num_queries(1):
        response = client.get(reverse("communities:list"))

    assert response.text.count('class="community-thumb"') == 6


def test_a_new_cover_replaces_the_old_file_and_removing_it_deletes_the_file(
    community, moderator, media_in_tmp, django_capture_on_commit_callbacks
):
    client = mfa_client(moderator)
    client.post(settings_url(community), {**SETTINGS, "cover": upload()})
    community.refresh_from_db()
    first = str(community.cover.name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            settings_url(community),
            {**SETTINGS, "cover": upload(data=picture((1200, 600), (200, 40, 40)))},
        )
    community.refresh_from_db()
    second = str(community.cover.name)

    assert second != first
    assert not (media_in_tmp / first).exists()
    assert (media_in_tmp / second).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(settings_url(community), {**SETTINGS, "remove_cover": "on"})
    community.refresh_from_db()

    assert not community.cover
    assert community.cover_width is None
    assert not (media_in_tmp / second).exists()
    assert AuditEntry.objects.filter(action="communities.cover_removed").exists()


def test_a_file_that_is_not_a_picture_is_refused_and_the_other_fields_kept(community, moderator):
    bad = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = mfa_client(moderator).post(settings_url(community), {**SETTINGS, "cover": bad})

    assert response.status_code == 400
    assert response.context["form"].has_error("cover")
    assert 'value="Living with MS"' in response.text
    community.refresh_from_db()
    assert community.name != "Living with MS"
    assert not community.cover


def test_a_storage_failure_saves_nothing_and_keeps_the_form(community, moderator, monkeypatch):
    def fail(*args: object, **kwargs: object) -> str:
        raise OSError("the disk is full")

    monkeypatch.setattr(FileSystemStorage, "save", fail)

    response = mfa_client(moderator).post(settings_url(community), {**SETTINGS, "cover": upload()})

    assert response.status_code == 400
    assert response.context["form"].has_error("cover")
    assert 'value="Living with MS"' in response.text
    community.refresh_from_db()
    assert community.name != "Living with MS"
    assert not community.cover
    assert not AuditEntry.objects.filter(action="communities.settings_changed").exists()


def test_a_settings_change_that_fails_after_the_cover_is_stored_leaves_no_file(
    community, media_in_tmp, monkeypatch
):
    from patientvoice.communities.actions import settings as settings_actions

    def broken(**kwargs: object) -> bool:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(settings_actions, "_replace_cover", broken)

    with pytest.raises(RuntimeError):
        actions.update_community_settings(
            actor=None,
            community=community,
            fields={"name": "Ny"},
            cover=process_image(picture((400, 200)), spec=COVER),
        )

    assert not list(media_in_tmp.rglob("*.webp"))


def test_the_settings_action_refuses_fields_that_are_not_settings(community):
    with pytest.raises(ValueError, match="Not a community setting"):
        actions.update_community_settings(
            actor=None, community=community, fields={"visibility": "public"}
        )


def test_every_settings_form_limit_fits_its_column():
    from patientvoice.communities.forms import CommunitySettingsForm

    for name in ("name", "teaser"):
        limit = CommunitySettingsForm.base_fields[name].max_length  # type: ignore[attr-defined]
        assert limit == getattr(Community._meta.get_field(name), "max_length", None)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 302),
        ("member", 403),
        ("community moderator", 200),
        ("organisation administrator", 200),
        ("organisation moderator", 200),
        ("organisation administrator without a second factor this session", 403),
        ("staff", 200),
    ],
)
def test_who_may_open_the_settings_page(community, moderator, member, staff, who, status):
    actions.join_community(user=member, community=community)
    assert community.organization is not None
    client = Client()
    if who == "member":
        client = logged_in(member)
    elif who == "community moderator":
        client = mfa_client(moderator)
    elif who.startswith("organisation"):
        person = UserFactory.create()
        log_in_with_mfa(Client(), person)
        role = StaffRole.ADMIN if "administrator" in who else StaffRole.MODERATOR
        org_actions.add_staff(
            actor=None, organization=community.organization, user=person, role=role
        )
        if "without" in who:
            client.force_login(person)
        else:
            log_in_with_mfa(client, person)
    elif who == "staff":
        client = mfa_client(staff)

    response = client.get(settings_url(community))

    assert response.status_code == status


def test_outsiders_get_404_for_the_settings_of_a_private_community(outsider):
    private = CommunityFactory.create(private=True)

    response = logged_in(outsider).get(settings_url(private))

    assert response.status_code == 404


def test_the_community_page_offers_its_moderators_settings_and_invitations(
    community, moderator, member
):
    actions.join_community(user=member, community=community)

    as_moderator = mfa_client(moderator).get(community.get_absolute_url()).text
    as_member = logged_in(member).get(community.get_absolute_url()).text

    assert settings_url(community) in as_moderator
    assert reverse("communities:invitations", kwargs={"slug": community.slug}) in as_moderator
    assert settings_url(community) not in as_member


def test_the_demo_has_two_covers_and_prints_a_working_invitation_link(media_in_tmp):
    from io import StringIO

    from django.core.management import call_command

    from patientvoice.communities.models import Invitation

    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)  # idempotent: the same link again

    covered = Community.objects.exclude(cover="")
    assert covered.count() == 2
    assert all((media_in_tmp / str(c.cover.name)).exists() for c in covered)
    assert Invitation.objects.count() == 1
    path = out.getvalue().split("private demo community: ")[1].strip()
    visitor_page = Client().get(path)
    assert visitor_page.status_code == 200
    assert "Caregivers" in visitor_page.text
