"""Medicines: the database's rules, the search column, the FASS link, the import
command and the starter-set migration."""

from __future__ import annotations

import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from patientvoice.directory import importing_medicines
from patientvoice.directory.importing_medicines import parse_medicines
from patientvoice.directory.importing_records import ImportFileError
from patientvoice.directory.models import Medicine

DATA = Path(__file__).resolve().parent / "data"
HEADER = "slug,inn_en,name_sv,brands_sv,synonyms_sv,synonyms_en,prescription,forms\n"
starter_migration = importlib.import_module(
    "patientvoice.directory.migrations.0004_starter_medicines"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "medicines.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "N02BE01", "A10BA02"])
def test_atc_codes_in_the_atc_format_are_stored(code):
    Medicine.objects.create(slug="x-m", inn_en="A", name_sv="A", atc_code=code)

    assert Medicine.objects.get(slug="x-m").atc_code == code


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["n02be01", "N02BE1", "N02B01", "N02BE0X", "02NBE01"])
def test_the_database_refuses_an_atc_code_in_another_format(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Medicine.objects.create(slug="x-m", inn_en="A", name_sv="A", atc_code=code)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_prescription_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        Medicine.objects.create(slug="x-m", inn_en="A", name_sv="A", prescription="maybe")


def test_search_text_holds_every_name_brand_and_synonym_casefolded_once_per_line():
    medicine = Medicine(
        inn_en="Acetylsalicylic acid",
        name_sv="Acetylsalicylsyra",
        brands_sv=["Magnecyl", "Trombyl"],
        synonyms_sv=["ASA", "Åsa"],
        synonyms_en=["aspirin", "asa"],
        atc_code="B01AC06",
    )

    assert medicine.build_search_text().split("\n") == [
        "acetylsalicylsyra", "acetylsalicylic acid", "magnecyl", "trombyl", "asa", "åsa",
        "aspirin", "b01ac06",
    ]  # fmt: skip


def test_the_fass_link_searches_fass_for_the_swedish_name_when_none_is_given():
    medicine = Medicine(inn_en="Levothyroxine", name_sv="Levotyroxin natrium")

    assert medicine.fass_link() == (
        "https://www.fass.se/LIF/result?query=Levotyroxin+natrium&userType=2"
    )


def test_the_fass_link_is_the_given_page_when_there_is_one():
    url = "https://www.fass.se/LIF/product?nplId=1"
    medicine = Medicine(inn_en="X", name_sv="X", fass_url=url)

    assert medicine.fass_link() == url


@pytest.mark.django_db
def test_the_command_imports_a_good_file_with_lists_split(capsys):
    call_command("import_medicines", str(DATA / "medicines.csv"))

    paracetamol = Medicine.objects.get(slug="x-paracetamol")
    assert paracetamol.brands_sv == ["Alvedon", "Panodil"]
    assert paracetamol.forms == ["tablet", "oral-solution", "suppository"]
    assert paracetamol.prescription == "mixed"
    assert "alvedon" in paracetamol.search_text.split("\n")
    assert "3 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_full_catalogue_columns_are_read(tmp_path):
    path = write(
        tmp_path,
        HEADER.strip() + ",atc_code,strength,fass_url,leaflet_url\n"
        "x-metformin,Metformin,Metformin,Glucophage,,,rx,tablet,a10ba02,500 mg,"
        "https://www.fass.se/x,https://example.org/leaflet.pdf\n",
    )

    call_command("import_medicines", str(path), stdout=StringIO())

    metformin = Medicine.objects.get(slug="x-metformin")
    assert metformin.atc_code == "A10BA02"
    assert metformin.strength == "500 mg"
    assert metformin.fass_link() == "https://www.fass.se/x"
    assert metformin.leaflet_url == "https://example.org/leaflet.pdf"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Bad,A,A,,,,rx,tablet", "slug 'Bad'"),
        ("x-a,,A,,,,rx,tablet", "inn_en is empty"),
        ("x-a,A,,,,,rx,tablet", "name_sv is empty"),
        ("x-a,A,A,,,,sometimes,tablet", "prescription 'sometimes'"),
        ("x-a,A,A,,,,rx,tablet|pill", "forms 'pill'"),
        ("x-a,A,A,,,,rx", "7 columns, expected 8"),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_number_and_reason(row, reason):
    parsed = parse_medicines(HEADER + "x-ok,A,A,,,,rx,tablet\n\n" + row + "\n")

    assert [r.slug for r in parsed.rows] == ["x-ok"]
    assert len(parsed.rejected) == 1
    assert parsed.rejected[0].line == 4  # header, good row, blank line, bad row
    assert reason in parsed.rejected[0].reason


@pytest.mark.parametrize(
    ("extra", "reason"),
    [("N2BE01,,,", "atc_code 'N2BE01'"), (",,ftp://fass.se/x,", "fass_url 'ftp://fass.se/x'")],
)
def test_a_bad_optional_column_is_rejected_with_its_reason(extra, reason):
    header = HEADER.strip() + ",atc_code,strength,fass_url,leaflet_url\n"

    parsed = parse_medicines(header + "x-a,A,A,,,,rx,tablet," + extra + "\n")

    assert parsed.rows == []
    assert reason in str(parsed.rejected[0])


@pytest.mark.django_db
def test_the_command_lists_rejected_rows_and_imports_the_good_ones(tmp_path, capsys):
    path = write(tmp_path, HEADER + "x-good,A,A,,,,rx,tablet\nx-bad,B,B,,,,maybe,tablet\n")

    with pytest.raises(CommandError, match="1 rows were rejected"):
        call_command("import_medicines", str(path))

    assert Medicine.objects.filter(slug="x-good").exists()
    assert not Medicine.objects.filter(slug="x-bad").exists()
    captured = capsys.readouterr()
    assert "line 3: prescription 'maybe'" in captured.err
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in captured.out


@pytest.mark.django_db
def test_importing_twice_changes_nothing_and_a_changed_row_updates_by_slug(tmp_path, capsys):
    path = write(tmp_path, HEADER + "x-a,A,Aa,Brand,,,rx,tablet\n")
    call_command("import_medicines", str(path))
    first = Medicine.objects.get(slug="x-a")

    call_command("import_medicines", str(path))
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert Medicine.objects.get(slug="x-a").updated_at == first.updated_at

    write(tmp_path, HEADER + "x-a,A,Aa,Brand|Other brand,,,otc,tablet\n")
    call_command("import_medicines", str(path))
    updated = Medicine.objects.get(slug="x-a")
    assert "0 created, 1 updated, 0 unchanged" in capsys.readouterr().out
    assert updated.pk == first.pk
    assert updated.prescription == "otc"
    assert "other brand" in updated.search_text
    assert updated.updated_at > first.updated_at


@pytest.mark.django_db
def test_a_medicine_missing_from_the_file_is_kept(tmp_path):
    call_command("import_medicines", str(DATA / "medicines.csv"), stdout=StringIO())

    call_command("import_medicines", str(write(tmp_path, HEADER)), stdout=StringIO())

    assert Medicine.objects.filter(slug="x-levothyroxine").exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("slug,inn_en,name_sv,brands_sv,synonyms_sv,synonyms_en,prescription\n", "lacks"),
        (HEADER.strip() + ",atc\n", "unknown columns atc"),
        ("", "empty"),
    ],
)
@pytest.mark.django_db
def test_a_file_with_wrong_columns_exits_with_1_and_imports_nothing(tmp_path, header, message):
    path = write(tmp_path, header + "x-a,A,A,,,,rx,tablet\n" if header else "")

    with pytest.raises(CommandError, match=message) as caught:
        call_command("import_medicines", str(path), stdout=StringIO())

    assert caught.value.returncode == 1
    assert not Medicine.objects.filter(slug="x-a").exists()


def test_parse_refuses_a_header_without_the_columns_as_a_whole():
    with pytest.raises(ImportFileError, match="forms"):
        parse_medicines("slug,inn_en,name_sv,brands_sv,synonyms_sv,synonyms_en,prescription\n")


@pytest.mark.django_db
def test_a_long_import_reports_its_progress_every_thousand_rows(tmp_path, capsys):
    rows = "".join(f"x-m{n},Med {n},Med {n},,,,rx,tablet\n" for n in range(1500))
    path = write(tmp_path, HEADER + rows)

    call_command("import_medicines", str(path))

    captured = capsys.readouterr()
    assert "Medicines: 1000/1500 rows (66%), about" in captured.err
    assert "Medicines: 1500/1500 rows (100%), about 0 s left" in captured.err
    assert "1500 created" in captured.out
    assert Medicine.objects.filter(slug__startswith="x-m").count() == 1500


@pytest.mark.django_db
def test_a_short_import_shows_no_progress_line(capsys):
    call_command("import_medicines", str(DATA / "medicines.csv"))

    assert "rows (" not in capsys.readouterr().err


@pytest.mark.django_db
def test_the_starter_migration_loads_the_file_when_it_exists(monkeypatch):
    monkeypatch.setattr(importing_medicines, "STARTER_FILE", DATA / "medicines.csv")

    starter_migration.load(apps, None)
    starter_migration.load(apps, None)  # again: updates, no duplicates

    assert Medicine.objects.filter(slug__startswith="x-").count() == 3
    assert "levaxin" in Medicine.objects.get(slug="x-levothyroxine").search_text
    starter_migration.unload(apps, None)
    assert not Medicine.objects.filter(slug__startswith="x-").exists()


@pytest.mark.django_db
def test_the_starter_migration_does_nothing_without_the_file(monkeypatch, tmp_path):
    monkeypatch.setattr(importing_medicines, "STARTER_FILE", tmp_path / "missing.csv")
    before = Medicine.objects.count()

    starter_migration.load(apps, None)

    assert Medicine.objects.count() == before


@pytest.mark.django_db
def test_the_starter_migration_refuses_a_file_with_rejected_rows(monkeypatch, tmp_path):
    monkeypatch.setattr(
        importing_medicines, "STARTER_FILE", write(tmp_path, HEADER + "x-a,A,A,,,,no,tablet\n")
    )

    with pytest.raises(ValueError, match="line 2: prescription 'no'"):
        starter_migration.load(apps, None)


def test_clean_refuses_a_form_outside_the_list():
    from django.core.exceptions import ValidationError

    with translation.override("en"), pytest.raises(ValidationError, match="Unknown form: pill"):
        Medicine(inn_en="A", name_sv="A", forms=["tablet", "pill"]).clean()
