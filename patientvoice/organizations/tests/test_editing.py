"""Organisation administrators edit their organisation's page and logo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext
from PIL import Image

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions
from patientvoice.organizations.models import Organization, StaffRole

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PAGE = {
    "name": "Ledstöd Norr",
    "description": "Vi stöttar personer med ledsjukdomar.",
    "language": "sv",
    "website": "https://ledstod.example.org",
    "contact_email": "kansli@ledstod.example.org",
    "registration_number": "802000-1111",
    "funding": "Medlemsavgifter och **statsbidrag**.",
}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photo_with_gps(size: tuple[int, int] = (900, 600)) -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 5.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 160)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def with_role(organization: Organization, role: str) -> User:
    person = UserFactory.create()
    log_in_with_mfa(Client(), person)
    actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


def admin_client(organization: Organization) -> Client:
    client = Client()
    log_in_with_mfa(client, with_role(organization, StaffRole.ADMIN))
    return client


def test_an_administrator_edits_the_page_and_the_change_is_audited() -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)

    response = client.post(reverse("organizations:edit", args=[organization.slug]), PAGE)

    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    organization.refresh_from_db()
    assert organization.name == "Ledstöd Norr"
    assert organization.registration_number == "802000-1111"
    page = Client().get(organization.get_absolute_url()).text
    assert "<strong>statsbidrag</strong>" in page
    entry = AuditEntry.objects.get(action="organizations.updated")
    assert "name" in entry.data["fields"]


def test_the_edit_form_shows_the_current_page() -> None:
    organization = OrganizationFactory.create(registration_number="802000-2222")
    client = admin_client(organization)

    response = client.get(reverse("organizations:edit", args=[organization.slug]))

    assert response.status_code == 200
    assert 'value="802000-2222"' in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_saving_without_changes_records_nothing() -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    unchanged = {
        "name": organization.name,
        "description": organization.description,
        "language": organization.language,
    }

    response = client.post(reverse("organizations:edit", args=[organization.slug]), unchanged)

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="organizations.updated").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 302),
        ("member", 403),
        ("moderator", 403),
        ("admin_without_second_factor_this_session", 403),
        ("admin_of_another_organisation", 403),
        ("admin", 302),
        ("site_staff", 302),
    ],
)
def test_only_administrators_and_staff_edit_the_page(who: str, status: int) -> None:
    organization = OrganizationFactory.create()
    client = Client()
    if who == "member":
        client.force_login(UserFactory.create())
    elif who == "moderator":
        log_in_with_mfa(client, with_role(organization, StaffRole.MODERATOR))
    elif who == "admin_without_second_factor_this_session":
        client.force_login(with_role(organization, StaffRole.ADMIN))
    elif who == "admin_of_another_organisation":
        log_in_with_mfa(client, with_role(OrganizationFactory.create(), StaffRole.ADMIN))
    elif who == "admin":
        log_in_with_mfa(client, with_role(organization, StaffRole.ADMIN))
    elif who == "site_staff":
        log_in_with_mfa(client, StaffFactory.create())

    response = client.post(reverse("organizations:edit", args=[organization.slug]), PAGE)

    assert response.status_code == status
    organization.refresh_from_db()
    if who in {"admin", "site_staff"}:
        assert response["Location"] == organization.get_absolute_url()
        assert organization.name == PAGE["name"]
    else:
        assert organization.name != PAGE["name"]
        if who == "visitor":
            assert "/account/login/" in response["Location"]


def test_a_logo_is_stored_resized_and_without_location_data(media_in_tmp: Path) -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    upload = SimpleUploadedFile("IMG_0001.jpg", photo_with_gps(), content_type="image/jpeg")

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), {**PAGE, "logo": upload}
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    name = str(organization.logo.name)
    assert name.startswith("logos/")
    assert name.endswith(".webp")
    assert "IMG_0001" not in name
    stored = (media_in_tmp / name).read_bytes()
    assert b"PhoneMaker" not in stored
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert max(image.size) <= 512
    assert (organization.logo_width, organization.logo_height) == image.size
    page = Client().get(organization.get_absolute_url()).text
    assert organization.logo.url in page
    assert AuditEntry.objects.filter(action="organizations.logo_changed").exists()


def test_a_file_that_is_not_a_picture_is_refused_and_the_other_fields_kept() -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    upload = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), {**PAGE, "logo": upload}
    )

    assert response.status_code == 400
    with translation.override("sv"):
        expected = pgettext(
            "image upload",
            "We could not read this file as a picture. Choose a PNG, JPEG or WebP picture.",
        )
    assert response.context["form"].errors["logo"][0] == expected
    assert 'value="802000-1111"' in response.text
    organization.refresh_from_db()
    assert organization.name != PAGE["name"]
    assert not organization.logo


def test_a_too_large_logo_is_refused_with_a_reason() -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"\x00" * (5 * 1024 * 1024))

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), {**PAGE, "logo": upload}
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("logo", "too_large")


def test_a_new_logo_replaces_the_old_file_and_removing_it_deletes_the_file(
    media_in_tmp: Path, django_capture_on_commit_callbacks
) -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    edit = reverse("organizations:edit", args=[organization.slug])
    client.post(edit, {**PAGE, "logo": SimpleUploadedFile("a.jpg", photo_with_gps())})
    organization.refresh_from_db()
    first = str(organization.logo.name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**PAGE, "logo": SimpleUploadedFile("b.jpg", photo_with_gps((40, 40)))})
    organization.refresh_from_db()
    second = str(organization.logo.name)

    assert second != first
    assert not (media_in_tmp / first).exists()
    assert (media_in_tmp / second).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**PAGE, "remove_logo": "on"})
    organization.refresh_from_db()

    assert not organization.logo
    assert not (media_in_tmp / second).exists()
    assert AuditEntry.objects.filter(action="organizations.logo_removed").exists()


def test_the_kind_and_verification_are_not_the_administrators_to_change() -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)

    client.post(
        reverse("organizations:edit", args=[organization.slug]),
        {**PAGE, "kind": "sponsor", "verified_at": "2026-01-01", "slug": "hijack"},
    )

    organization.refresh_from_db()
    assert organization.kind == "advocacy"
    assert organization.verified_at is None
    assert organization.slug != "hijack"


def test_update_organization_refuses_fields_that_are_not_editable() -> None:
    organization = OrganizationFactory.create()

    with pytest.raises(ValueError, match="Not editable"):
        actions.update_organization(
            actor=StaffFactory.create(), organization=organization, kind="sponsor"
        )


def test_staff_roles_still_need_a_second_factor_when_given_from_the_page() -> None:
    # The rule from decisions/0015, checked through the page an administrator uses.
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    UserFactory.create(handle="No_Second_Factor")

    response = client.post(
        reverse("organizations:staff", args=[organization.slug]),
        {"handle": "No_Second_Factor", "role": StaffRole.ADMIN},
    )

    assert response.status_code == 400
    assert not organization.staff.filter(user__handle="No_Second_Factor").exists()


def test_organisation_staff_cannot_remove_their_only_second_factor() -> None:
    from allauth.mfa.models import Authenticator

    from patientvoice.accounts.mfa import MFAAdapter

    organization = OrganizationFactory.create()
    moderator = with_role(organization, StaffRole.MODERATOR)
    totp = Authenticator.objects.get(user=moderator, type=Authenticator.Type.TOTP)

    assert not MFAAdapter().can_delete_authenticator(totp)


# --- A verified organisation's identity (decisions/0024) ------------------------------------


def verified_organization() -> Organization:
    organization = OrganizationFactory.create(
        name="Reumatikerförbundet",
        website="https://reumatiker.example.org",
        contact_email="info@reumatiker.example.org",
        registration_number="802005-1111",
    )
    actions.verify_organization(actor=StaffFactory.create(), organization=organization)
    return organization


def badge_removed_message() -> str:
    """The warning shown after an edit takes the badge away, in the page's language."""
    with translation.override("sv"):
        return pgettext(
            "organisation",
            "The verified badge is removed, because the name, registration "
            "number, website or contact e-mail changed. Site staff will check "
            "the organisation again.",
        )


def page_of(organization: Organization, **changes: str) -> dict[str, str]:
    return {
        "name": organization.name,
        "description": organization.description,
        "language": organization.language,
        "website": organization.website,
        "contact_email": organization.contact_email,
        "registration_number": organization.registration_number,
        "funding": organization.funding,
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Reumatikerförbundet (äkta)"),
        ("registration_number", "556000-0000"),
        ("website", "https://reumatiker-support.example.com"),
        ("contact_email", "hjalp@reumatiker-support.example.com"),
    ],
)
@pytest.mark.parametrize("who", ["admin", "site_staff"])
def test_changing_who_a_verified_organisation_is_takes_its_badge_away(
    field: str, value: str, who: str
) -> None:
    organization = verified_organization()
    client = admin_client(organization) if who == "admin" else Client()
    if who == "site_staff":
        log_in_with_mfa(client, StaffFactory.create())

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]),
        page_of(organization, **{field: value}),
        follow=True,
    )

    assert response.redirect_chain == [(organization.get_absolute_url(), 302)]
    organization.refresh_from_db()
    assert getattr(organization, field) == value
    assert not organization.is_verified
    assert organization.verified_by is None
    entry = AuditEntry.objects.get(action="organizations.verification_withdrawn")
    assert entry.reason == "identity changed"
    assert escape(badge_removed_message()) in response.text
    assert "badge-verified" not in response.text


def test_changing_the_description_of_a_verified_organisation_keeps_its_badge() -> None:
    organization = verified_organization()
    client = admin_client(organization)

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]),
        page_of(organization, description="Nu med fler lokalföreningar.", funding="Gåvor."),
        follow=True,
    )

    assert response.redirect_chain == [(organization.get_absolute_url(), 302)]
    organization.refresh_from_db()
    assert organization.is_verified
    assert not AuditEntry.objects.filter(action="organizations.verification_withdrawn").exists()
    assert escape(badge_removed_message()) not in response.text


def test_the_edit_form_warns_before_a_change_that_takes_the_badge_away() -> None:
    verified, unverified = verified_organization(), OrganizationFactory.create()
    with translation.override("sv"):
        warning = pgettext(
            "organisation form",
            "Changing this removes the verified badge until site staff check the "
            "organisation again.",
        )

    form = admin_client(verified).get(reverse("organizations:edit", args=[verified.slug]))
    plain = admin_client(unverified).get(reverse("organizations:edit", args=[unverified.slug]))

    assert form.status_code == plain.status_code == 200
    # Next to the name, registration number, website and contact e-mail, nowhere else.
    assert form.text.count(escape(warning)) == 4
    for field in ("name", "registration_number", "website", "contact_email"):
        assert warning in str(form.context["form"][field].help_text)
    assert warning not in str(form.context["form"]["description"].help_text)
    assert escape(warning) not in plain.text


def test_a_verifier_without_a_verification_is_refused_by_the_database() -> None:
    from django.db import IntegrityError, transaction

    organization = OrganizationFactory.create()
    organization.verified_by = StaffFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        organization.save(update_fields=["verified_by"])


# --- Limits and failures ------------------------------------------------------------------


def test_a_contact_address_longer_than_the_column_is_refused_with_the_input_kept() -> None:
    organization = OrganizationFactory.create()
    client = admin_client(organization)
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".se"  # 311 characters
    assert len(too_long) > 254

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]),
        {**PAGE, "contact_email": too_long},
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("contact_email", "max_length")
    assert 'value="Ledstöd Norr"' in response.text
    organization.refresh_from_db()
    assert organization.contact_email == ""


@pytest.mark.parametrize(
    ("form_class", "field", "model_field"),
    [
        ("OrganizationEditForm", "name", "name"),
        ("OrganizationEditForm", "website", "website"),
        ("OrganizationEditForm", "contact_email", "contact_email"),
        ("OrganizationEditForm", "registration_number", "registration_number"),
        ("OrganizationCreateForm", "name", "name"),
        ("OrganizationCreateForm", "contact_email", "contact_email"),
        ("AddStaffForm", "handle", "handle"),
    ],
)
def test_every_form_limit_matches_its_column(form_class: str, field: str, model_field: str) -> None:
    from patientvoice.organizations import forms

    model = User if form_class == "AddStaffForm" else Organization

    limit = getattr(forms, form_class).base_fields[field].max_length

    assert limit == getattr(model._meta.get_field(model_field), "max_length", None)


def test_a_storage_failure_saves_nothing_and_keeps_the_form(
    monkeypatch: pytest.MonkeyPatch, media_in_tmp: Path
) -> None:
    from django.core.files.storage import FileSystemStorage

    def fail(*args: object, **kwargs: object) -> str:
        raise OSError("the disk is full")

    organization = OrganizationFactory.create()
    client = admin_client(organization)
    monkeypatch.setattr(FileSystemStorage, "save", fail)
    upload = SimpleUploadedFile("logo.jpg", photo_with_gps(), content_type="image/jpeg")

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), {**PAGE, "logo": upload}
    )

    assert response.status_code == 400
    with translation.override("sv"):
        expected = pgettext(
            "image upload",
            "We could not save the picture just now. Your other changes are not saved "
            "either; try again in a moment.",
        )
    assert response.context["form"].errors["logo"][0] == expected
    assert 'value="802000-1111"' in response.text
    organization.refresh_from_db()
    assert organization.name != PAGE["name"]
    assert not organization.logo
    assert not AuditEntry.objects.filter(action="organizations.updated").exists()


def test_a_page_edit_that_fails_after_the_logo_is_stored_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, media_in_tmp: Path
) -> None:
    from patientvoice.core.images import LOGO, process_image

    organization = OrganizationFactory.create()

    def broken(**kwargs: object) -> bool:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "_replace_logo", broken)

    with pytest.raises(RuntimeError):
        actions.edit_organization_page(
            actor=StaffFactory.create(),
            organization=organization,
            fields=page_of(organization, name="Ny"),
            logo=process_image(photo_with_gps((40, 40)), spec=LOGO),
        )

    assert not list(media_in_tmp.rglob("*.webp"))
    organization.refresh_from_db()
    assert organization.name != "Ny"
