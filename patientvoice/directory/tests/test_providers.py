"""Clinics and physicians: the database's rules, search text and the import commands."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from patientvoice.directory.importing_providers import parse_clinics, parse_physicians
from patientvoice.directory.models import Clinic, ClinicKind, Physician, Profession, Region

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
CLINIC_HEADER = "slug,name,kind,region,municipality\n"
PHYSICIAN_HEADER = "slug,name,profession,specialty,workplaces,licence_id\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_clinics() -> None:
    call_command("import_clinics", str(DATA / "clinics.csv"), stdout=StringIO())


def test_there_are_21_regions():
    assert len(Region.values) == 21


@pytest.mark.parametrize("hsa_id", ["", "SE2321000016-ABCD", "SE2321000016-1"])
def test_hsa_ids_in_the_hsa_format_are_stored(hsa_id):
    Clinic.objects.create(slug="x-c", name="C", kind="pharmacy", region="skane", hsa_id=hsa_id)

    assert Clinic.objects.get(slug="x-c").hsa_id == hsa_id


@pytest.mark.parametrize(
    "hsa_id", ["SE232100001-ABCD", "SE2321000016", "se2321000016-A", "SE2321000016-"]
)
def test_the_database_refuses_an_hsa_id_in_another_format(hsa_id):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clinic.objects.create(slug="x-c", name="C", kind="pharmacy", region="skane", hsa_id=hsa_id)


@pytest.mark.parametrize(
    "fields",
    [{"kind": "spa"}, {"region": "lappland"}, {"postcode": "11234"}],
)
def test_the_database_refuses_an_unknown_kind_region_or_postcode_format(fields):
    values = {"slug": "x-c", "name": "C", "kind": "pharmacy", "region": "skane", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Clinic.objects.create(**values)


def test_the_database_refuses_an_unknown_profession():
    with pytest.raises(IntegrityError), transaction.atomic():
        Physician.objects.create(slug="x-p", name="P", profession="wizard")


def test_the_clinic_import_normalises_postcode_and_hsa_id_and_fills_search_text(capsys):
    call_command("import_clinics", str(DATA / "clinics.csv"))

    clinic = Clinic.objects.get(slug="x-vc-norr")
    assert clinic.postcode == "112 34"
    assert clinic.hsa_id == "SE2321000016-ABCD"
    assert clinic.region == "stockholm"
    assert clinic.kind == ClinicKind.PRIMARY_CARE
    assert clinic.search_text.split("\n") == [
        "vårdcentralen norr",
        "stockholm",
        "se2321000016-abcd",
    ]
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("x-a,A,spa,skane,Lund", "kind 'spa'"),
        ("x-a,A,dental,lappland,Lund", "region 'lappland'"),
        ("x-a,A,dental,skane,", "municipality is empty"),
        ("x-a,,dental,skane,Lund", "name is empty"),
    ],
)
def test_a_bad_clinic_row_is_rejected_with_its_line_and_reason(row, reason):
    parsed = parse_clinics(CLINIC_HEADER + row + "\n")

    assert parsed.rows == []
    assert str(parsed.rejected[0]).startswith("line 2: " + reason)


@pytest.mark.parametrize(
    ("optional", "reason"),
    [
        ("1234,,", "postcode '1234'"),
        (",not a site,", "website 'not a site'"),
        (",,SE123-A", "hsa_id 'SE123-A'"),
    ],
)
def test_a_bad_optional_clinic_column_is_rejected_with_its_reason(optional, reason):
    header = CLINIC_HEADER.strip() + ",postcode,website,hsa_id\n"

    parsed = parse_clinics(header + "x-a,A,dental,skane,Lund," + optional + "\n")

    assert reason in parsed.rejected[0].reason


def test_importing_clinics_twice_changes_nothing(capsys):
    import_clinics()

    call_command("import_clinics", str(DATA / "clinics.csv"))

    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_a_clinic_file_with_wrong_columns_exits_with_1(tmp_path):
    path = write(tmp_path, "c.csv", "slug,name,kind,region\nx-a,A,dental,skane\n")

    with pytest.raises(CommandError, match="lacks the columns municipality") as caught:
        call_command("import_clinics", str(path))

    assert caught.value.returncode == 1


def test_a_long_clinic_import_reports_progress(tmp_path, capsys):
    rows = "".join(f"x-c{n},Clinic {n},pharmacy,gotland,Visby\n" for n in range(1001))
    path = write(tmp_path, "c.csv", CLINIC_HEADER + rows)

    call_command("import_clinics", str(path))

    assert "Clinics: 1000/1001 rows (99%)" in capsys.readouterr().err


def test_the_physician_import_links_workplaces(capsys):
    import_clinics()

    call_command("import_physicians", str(DATA / "physicians.csv"))

    anna = Physician.objects.get(slug="x-anna-andersson")
    assert sorted(anna.workplaces.values_list("slug", flat=True)) == ["x-reuma-lund", "x-vc-norr"]
    assert anna.licence_id == "123456"
    assert anna.search_text.split("\n") == ["anna andersson", "allmänmedicin"]
    assert Physician.objects.get(slug="x-bo-berg").profession == Profession.NURSE
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out


def test_importing_physicians_twice_changes_nothing_and_new_workplaces_replace_old(
    tmp_path, capsys
):
    import_clinics()
    call_command("import_physicians", str(DATA / "physicians.csv"))
    call_command("import_physicians", str(DATA / "physicians.csv"))
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    before = Physician.objects.get(slug="x-bo-berg").updated_at

    path = write(tmp_path, "p.csv", PHYSICIAN_HEADER + "x-bo-berg,Bo Berg,nurse,,x-reuma-lund,\n")
    call_command("import_physicians", str(path))

    bo = Physician.objects.get(slug="x-bo-berg")
    assert "0 created, 1 updated, 0 unchanged" in capsys.readouterr().out
    assert list(bo.workplaces.values_list("slug", flat=True)) == ["x-reuma-lund"]
    assert bo.updated_at > before
    anna = Physician.objects.get(slug="x-anna-andersson")
    assert anna.workplaces.count() == 2  # not in the file: left alone


def test_a_physician_at_an_unknown_clinic_is_rejected_with_its_line(tmp_path, capsys):
    import_clinics()
    path = write(
        tmp_path,
        "p.csv",
        PHYSICIAN_HEADER + "x-a,A,physician,,x-vc-norr,\nx-b,B,physician,,x-nowhere,\n",
    )

    with pytest.raises(CommandError, match="1 rows were rejected"):
        call_command("import_physicians", str(path))

    assert "line 3: no clinic with the slug 'x-nowhere'" in capsys.readouterr().err
    assert Physician.objects.filter(slug="x-a").exists()
    assert not Physician.objects.filter(slug="x-b").exists()


def test_a_bad_physician_row_is_rejected_with_its_reason():
    parsed = parse_physicians(
        PHYSICIAN_HEADER + "x-a,A,wizard,,,\nx-a,A,nurse,,,\nx-a,B,nurse,,,\n"
    )

    assert [str(r) for r in parsed.rejected] == [
        "line 2: profession 'wizard' is not one of " + ", ".join(
            ["physician", "nurse", "midwife", "psychologist", "physiotherapist",
             "occupational_therapist", "dentist", "pharmacist", "dietitian", "counsellor",
             "other"]
        ),
        "line 4: slug 'x-a' is already on line 3",
    ]  # fmt: skip


def test_a_physician_file_with_wrong_columns_exits_with_1(tmp_path):
    path = write(tmp_path, "p.csv", "slug,name\nx-a,A\n")

    with pytest.raises(CommandError, match="lacks the columns profession") as caught:
        call_command("import_physicians", str(path))

    assert caught.value.returncode == 1


def test_a_long_physician_import_reports_progress(tmp_path, capsys):
    import_clinics()
    rows = "".join(f"x-p{n},Person {n},nurse,,x-vc-norr,\n" for n in range(1200))
    path = write(tmp_path, "p.csv", PHYSICIAN_HEADER + rows)

    call_command("import_physicians", str(path))

    assert "Physicians: 1000/1200 rows (83%)" in capsys.readouterr().err
    assert Clinic.objects.get(slug="x-vc-norr").physicians.count() == 1200
