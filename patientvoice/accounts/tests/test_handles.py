"""accounts.handles: hostile handles are refused with a reason, look-alikes count as taken."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts import actions
from patientvoice.accounts.handles import validate_handle_available
from patientvoice.accounts.models import PastHandle, User

from .factories import UserFactory


def _refusal(handle: str, *, user_id: int | None = None) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_handle_available(handle, user_id=user_id)
    return str(caught.value.code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handle", "code"),
    [
        ("anna\u202egnp.exe", "invisible"),  # RIGHT-TO-LEFT OVERRIDE
        ("an\u200bna", "invisible"),  # ZERO WIDTH SPACE
        ("anna\u200d", "invisible"),  # ZERO WIDTH JOINER
        ("\u0430nna", "character"),  # Cyrillic а
        ("ΑΝΝΑ", "character"),  # Greek capitals
        ("ｌｅｎａ", "character"),  # fullwidth letters
        ("lena１２", "digits"),  # fullwidth digits
        ("lena٣", "digits"),  # Arabic-Indic digit
        ("anna svensson", "space"),
        ("anna\u00a0s", "space"),  # no-break space
        ("ab", "length"),
        ("a" * 31, "length"),
        ("anna!", "character"),
        ("anna@home", "character"),
        ("1234", "no_letter"),
        ("_anna", "punctuation"),
        ("anna.", "punctuation"),
        ("an__na", "punctuation"),
        ("admin", "reserved"),
        ("Adm1n", "reserved"),
        ("m0derator", "reserved"),
        ("Patient.Voice", "reserved"),
        ("1177", "no_letter"),
    ],
)
def test_hostile_or_malformed_handle_is_refused_with_its_reason(handle: str, code: str) -> None:
    assert _refusal(handle) == code


@pytest.mark.django_db
@pytest.mark.parametrize("handle", ["Anna_R", "sam.w", "Åsa-Lena", "Łukasz", "ErikT1D", "abc"])
def test_ordinary_handle_is_accepted_as_typed(handle: str) -> None:
    assert validate_handle_available(handle) == handle


@pytest.mark.django_db
def test_surrounding_whitespace_is_trimmed() -> None:
    assert validate_handle_available("  Anna_R ") == "Anna_R"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing", "look_alike"),
    [
        ("Anna_1", "anna_l"),
        ("arnie", "amie"),
        ("anna0", "annao"),
        ("Anna", "ANNA"),
        ("Asa", "Åsa"),
        ("sam.w", "sam_w"),
        ("vvilma", "wilma"),
        ("lena", "Iena"),
    ],
)
def test_look_alike_of_an_existing_handle_is_refused_as_taken(
    existing: str, look_alike: str
) -> None:
    UserFactory.create(handle=existing)

    assert _refusal(look_alike) == "taken"


@pytest.mark.django_db
def test_past_handle_stays_reserved_after_a_change() -> None:
    user = UserFactory.create(handle="Anna_R")
    actions.change_handle(user=user, handle="Blue_Heron")

    assert _refusal("anna_r") == "taken"
    assert PastHandle.objects.filter(user=user, handle="Anna_R").exists()


@pytest.mark.django_db
def test_person_can_return_to_their_own_past_handle() -> None:
    user = UserFactory.create(handle="Anna_R")
    actions.change_handle(user=user, handle="Blue_Heron")

    actions.change_handle(user=user, handle="Anna_R")

    user.refresh_from_db()
    assert user.handle == "Anna_R"
    assert _refusal("blue_heron") == "taken"
    assert not PastHandle.objects.filter(handle_canonical=user.handle_canonical).exists()


@pytest.mark.django_db
def test_person_can_change_the_case_of_their_own_handle() -> None:
    user = UserFactory.create(handle="anna_r")

    actions.change_handle(user=user, handle="Anna_R")

    user.refresh_from_db()
    assert user.handle == "Anna_R"
    assert not PastHandle.objects.exists()


@pytest.mark.django_db
def test_someone_else_cannot_take_a_past_handle() -> None:
    first = UserFactory.create(handle="Anna_R")
    other = UserFactory.create(handle="other_one")
    actions.change_handle(user=first, handle="Blue_Heron")

    with pytest.raises(ValidationError) as caught:
        actions.change_handle(user=other, handle="Anna_R")

    assert caught.value.code == "taken"
    other.refresh_from_db()
    assert other.handle == "other_one"


@pytest.mark.django_db
def test_handle_page_shows_why_a_handle_is_refused(client: Client) -> None:
    user = UserFactory.create(handle="anna_r")
    UserFactory.create(handle="Erik_1")
    client.force_login(user)

    with translation.override("en"):
        url = reverse("accounts:handle_edit")

    response = client.post(url, {"handle": "erik_l"})

    assert response.status_code == 400
    assert "already taken" in response.content.decode()
    assert User.objects.get(pk=user.pk).handle == "anna_r"


@pytest.mark.django_db
def test_handle_page_changes_the_handle(client: Client) -> None:
    user = UserFactory.create(handle="anna_r")
    client.force_login(user)

    response = client.post(reverse("accounts:handle_edit"), {"handle": "Blue_Heron"})

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).handle == "Blue_Heron"


@pytest.mark.django_db
def test_a_fourth_handle_change_within_30_days_is_refused() -> None:
    from patientvoice.accounts.forms import HandleForm

    person = UserFactory.create(handle="hoarder_0")
    for n in range(1, 4):
        actions.change_handle(user=person, handle=f"hoarder_{n}")

    form = HandleForm({"handle": "hoarder_9"}, user=person)

    assert not form.is_valid()
    assert form.errors.as_data()["handle"][0].code == "too_many_changes"
