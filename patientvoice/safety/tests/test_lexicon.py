"""The detector's lexicons: read from the data files, medicines from the directory."""

from __future__ import annotations

import pytest

from patientvoice.directory.models import Medicine
from patientvoice.safety.detection import (
    Detector,
    MedicineIndex,
    MedicineRecord,
    default_detector,
    detect,
    medicine_records_from_csv,
    medicine_records_from_database,
    reset_default_detector,
)
from patientvoice.safety.detection.indications import INDICATION_GROUPS
from patientvoice.safety.detection.lexicon import shared_lexicons


def test_reaction_words_listed_as_medicine_synonyms_are_not_medicine_names():
    # Given the directory lists "illamående" under ondansetron, "håravfall" under minoxidil
    index = MedicineIndex.build(medicine_records_from_csv())

    # then neither word is read as a medicine, and the index says why
    assert index.word("illamaende") is None
    assert index.word("haravfall") is None
    assert ("ondansetron", "illamående", "a reaction term") in index.excluded
    assert ("minoxidil", "håravfall", "a reaction term") in index.excluded


def test_names_brands_synonyms_and_variants_all_name_the_medicine():
    index = MedicineIndex.build(medicine_records_from_csv())

    for word in ("sertralin", "zoloft", "sertarlin", "sertralinet", "zolofts"):
        entry = index.word(word)
        assert entry is not None, word
        assert entry.slugs == ("sertraline",), word


def test_a_lexicon_can_be_built_from_any_medicine_records():
    records = [MedicineRecord(slug="testamol", inn_en="Testamol", name_sv="Testamol")]
    detector = Detector(MedicineIndex.build(records, variants=None))

    [detection] = detector.detect("Testamolet gav mig huvudvärk")

    assert detection.medicine == "testamol"


def test_every_medicine_in_the_indication_table_is_in_the_directory():
    slugs = {record.slug for record in medicine_records_from_csv()}
    concepts = {t.concept for node in [shared_lexicons().reactions] for t in _terms(node)}

    for group_concepts, group_slugs in INDICATION_GROUPS:
        assert set(group_slugs.split()) <= slugs, group_slugs
        assert set(group_concepts.split()) <= concepts, group_concepts


def _terms(node):
    for key, child in node.items():
        if key == "":
            yield from child
        else:
            yield from _terms(child)


@pytest.fixture
def fresh_default_detector():
    reset_default_detector()
    yield
    reset_default_detector()


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_default_detector")
def test_the_default_detector_reads_the_active_medicines_of_the_directory():
    # Given the starter medicines (loaded by a migration), one of them retired
    Medicine.objects.filter(slug="sertraline").update(is_active=False)

    # when the default detector is built
    records = medicine_records_from_database()

    # then it knows the active medicines and not the retired one
    assert "escitalopram" in {r.slug for r in records}
    assert "sertraline" not in {r.slug for r in records}
    assert [d.medicine for d in detect("Cipralex gav mig huvudvärk")] == ["escitalopram"]
    assert detect("Sertralin gav mig huvudvärk") == []
    assert default_detector() is default_detector()
