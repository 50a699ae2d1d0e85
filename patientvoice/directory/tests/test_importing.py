"""The conditions file: what is imported, what is rejected and why, and importing
twice changes nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from patientvoice.directory.importing import (
    SHIPPED_FILE,
    ConditionFileError,
    parse_conditions,
    read_conditions_file,
)
from patientvoice.directory.models import Condition

HEADER = "slug,icd10,category,name_sv,name_en,synonyms_sv,synonyms_en\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "conditions.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_valid_rows_are_imported_with_their_synonyms_split(tmp_path):
    path = write(
        tmp_path,
        "x-hjartsjuka,I99.8,chronic,Hjärtsjuka X,Heart thing X, hjärtgrej | hjärtsak ,"
        "heart thing|cardiac thing\n"
        "x-utan-kod,,rare,Ovanlig X,Rare X,,\n",
    )

    call_command("import_conditions", str(path), stdout=StringIO())

    condition = Condition.objects.get(slug="x-hjartsjuka")
    assert condition.icd10 == "I99.8"
    assert condition.synonyms_sv == ["hjärtgrej", "hjärtsak"]
    assert condition.synonyms_en == ["heart thing", "cardiac thing"]
    assert Condition.objects.get(slug="x-utan-kod").icd10 == ""


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Bad Slug,E10,chronic,Namn,Name,,", "slug 'Bad Slug'"),
        (",E10,chronic,Namn,Name,,", "slug is empty"),
        ("x-a,E10,chronic,,Name,,", "name_sv is empty"),
        ("x-a,E10,chronic,Namn,,,", "name_en is empty"),
        ("x-a,E10,sometimes,Namn,Name,,", "category 'sometimes'"),
        ("x-a,10E,chronic,Namn,Name,,", "icd10 '10E'"),
        ("x-a,E10.12345,chronic,Namn,Name,,", "icd10 'E10.12345'"),
        ("x-a,E10,chronic,Namn,Name", "5 columns, expected 7"),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_number_and_reason(row, reason):
    parsed = parse_conditions(HEADER + "x-ok,E10,chronic,Bra,Good,,\n\n" + row + "\n")

    assert [r.slug for r in parsed.rows] == ["x-ok"]
    assert len(parsed.rejected) == 1
    assert parsed.rejected[0].line == 4  # header, good row, blank line, bad row
    assert reason in parsed.rejected[0].reason


def test_a_slug_seen_twice_keeps_its_first_row():
    parsed = parse_conditions(HEADER + "x-a,,other,Först,First,,\nx-a,,other,Sen,Later,,\n")

    assert [r.name_en for r in parsed.rows] == ["First"]
    assert str(parsed.rejected[0]) == "line 3: slug 'x-a' is already on line 2"


def test_a_file_without_the_columns_is_refused_as_a_whole():
    with pytest.raises(ConditionFileError, match="synonyms_en"):
        parse_conditions("slug,icd10,category,name_sv,name_en,synonyms_sv\n")


@pytest.mark.django_db
def test_the_command_imports_good_rows_and_lists_rejected_ones(tmp_path, capsys):
    path = write(tmp_path, "x-bra,,other,Bra,Good,,\nx-dalig,E1,other,Dålig,Bad,,\n")

    with pytest.raises(CommandError, match="1 rows were rejected"):
        call_command("import_conditions", str(path))

    assert Condition.objects.filter(slug="x-bra").exists()
    assert not Condition.objects.filter(slug="x-dalig").exists()
    assert "line 3: icd10 'E1'" in capsys.readouterr().err


@pytest.mark.django_db
def test_importing_twice_changes_nothing_and_a_changed_row_updates_by_slug(tmp_path, capsys):
    path = write(tmp_path, "x-a,J45,chronic,Astma X,Asthma X,,\n")
    call_command("import_conditions", str(path))
    first = Condition.objects.get(slug="x-a")

    call_command("import_conditions", str(path))
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert Condition.objects.get(slug="x-a").updated_at == first.updated_at

    write(tmp_path, "x-a,J45,chronic,Astma X,Asthma X,pip,wheeze\n")
    call_command("import_conditions", str(path))
    updated = Condition.objects.get(slug="x-a")
    assert updated.pk == first.pk
    assert updated.synonyms_sv == ["pip"]
    assert "wheeze" in updated.search_text


@pytest.mark.django_db
def test_the_command_reads_the_shipped_file_by_default(capsys):
    call_command("import_conditions")

    assert "0 created, 0 updated" in capsys.readouterr().out  # the migration loaded it


def test_the_shipped_file_is_clean_and_covers_common_conditions_and_cancers():
    parsed = read_conditions_file(SHIPPED_FILE)

    assert parsed.rejected == []
    assert len(parsed.rows) >= 80
    codes = {row.slug: row.icd10 for row in parsed.rows}
    for slug, code in {
        "typ-1-diabetes": "E10", "typ-2-diabetes": "E11", "reumatoid-artrit": "M06",
        "artros": "M19", "astma": "J45", "kol": "J44", "hjartsvikt": "I50",
        "formaksflimmer": "I48", "hypertoni": "I10", "ms": "G35",
        "parkinsons-sjukdom": "G20", "epilepsi": "G40", "migran": "G43",
        "crohns-sjukdom": "K50", "ulceros-kolit": "K51", "celiaki": "K90.0",
        "psoriasis": "L40", "atopiskt-eksem": "L20", "endometrios": "N80",
        "depression": "F32", "angestsyndrom": "F41", "adhd": "F90", "brostcancer": "C50",
        "prostatacancer": "C61", "tjocktarmscancer": "C18", "lungcancer": "C34",
        "malignt-melanom": "C43",
    }.items():  # fmt: skip
        assert codes[slug] == code, slug
    assert sum(row.category == "cancer" for row in parsed.rows) >= 20


@pytest.mark.django_db
def test_the_migration_loaded_the_starter_set():
    assert Condition.objects.count() >= len(read_conditions_file().rows)
    assert Condition.objects.get(slug="celiaki").name("en") == "Coeliac disease"
