"""The E2B(R3) export and its structural check, and the CSV export (decisions/0039):
the XML parses in the HL7 v3 namespace with every element the export fills, a case
that is not ready is refused with what is missing, a batch holds one message per case,
and CSV cells never run as formulas."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from patientvoice.directory.models import Medicine
from patientvoice.safety import e2b
from patientvoice.safety.case_exports import (
    ExportRefused,
    cases_for_export,
    csv_export,
    e2b_export,
)
from patientvoice.safety.csv_export import safe_cell
from patientvoice.safety.e2b_check import check_batch, rule_table

from .factories import case_for, officer, signal

pytestmark = pytest.mark.django_db

HL7 = "{urn:hl7-org:v3}"
NS = {"hl7": "urn:hl7-org:v3"}
DAY_ZERO = timezone.now() - timedelta(days=3)
READY = {
    "identifiable_reporter": True,
    "identifiable_patient": True,
    "suspect_medicine_known": True,
    "reaction_known": True,
    "reaction": "headache",
    "narrative": "A member reports severe headaches since starting sertraline.",
}


def sertraline() -> Medicine:
    return Medicine.objects.get(slug="sertraline")


def ready_case(by=None, **fields):
    """A valid case about the member's headache from Sertralin."""
    person = by or officer()
    values = {**READY, "suspect_medicine": sertraline(), **fields}
    return case_for(signal(day_zero=DAY_ZERO), person, **values), person


def exported(*cases):
    found = list(cases_for_export(cases[0][1], public_ids=[c.public_id for c, _ in cases]))
    return e2b_export(found)


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, in a test


def find(root: ET.Element, path: str) -> ET.Element:
    found = root.find(path, NS)
    assert found is not None, path
    return found


EVENT = "hl7:PORR_IN049016UV/hl7:controlActProcess/hl7:subject/hl7:investigationEvent"
ROLE = f"{EVENT}/hl7:component/hl7:adverseEventAssessment/hl7:subject1/hl7:primaryRole"


# --- a valid case -------------------------------------------------------------------------


def test_a_valid_case_exports_as_an_hl7_batch_that_passes_every_rule():
    the_case, person = ready_case()

    export = exported((the_case, person))
    root = parse(export.content)

    assert export.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert root.tag == f"{HL7}MCCI_IN200100UV01"
    assert all(element.tag.startswith(HL7) for element in root.iter())
    assert len(root.findall("hl7:PORR_IN049016UV", NS)) == 1
    assert check_batch(root) == []


def test_the_report_carries_the_case_identity_dates_and_type():
    the_case, person = ready_case()

    root = parse(exported((the_case, person)).content)

    report_id = find(root, f"{EVENT}/hl7:id[@root='2.16.840.1.113883.3.989.2.1.3.1']")
    assert report_id.get("extension") == f"SE-PATIENTVOICE-{the_case.reference}"
    worldwide = find(root, f"{EVENT}/hl7:id[@root='2.16.840.1.113883.3.989.2.1.3.2']")
    assert worldwide.get("extension") == report_id.get("extension")
    day_zero = find(root, f"{EVENT}/hl7:effectiveTime/hl7:low").get("value")
    assert day_zero == timezone.localtime(DAY_ZERO).strftime("%Y%m%d%H%M%S%z")
    report_type = find(
        root,
        f"{EVENT}/hl7:subjectOf2/hl7:investigationCharacteristic/hl7:value"
        "[@codeSystem='2.16.840.1.113883.3.989.2.1.1.2']",
    )
    assert report_type.get("code") == "1"  # spontaneous
    assert root.find(f"{ROLE}/hl7:subjectOf1/hl7:researchStudy", NS) is None
    assert find(root, f"{EVENT}/hl7:text").text == READY["narrative"]


def test_a_solicited_case_is_a_report_from_a_study_of_type_other():
    the_case, person = ready_case(origin="solicited")

    root = parse(exported((the_case, person)).content)

    report_type = find(
        root,
        f"{EVENT}/hl7:subjectOf2/hl7:investigationCharacteristic/hl7:value"
        "[@codeSystem='2.16.840.1.113883.3.989.2.1.1.2']",
    )
    study = find(root, f"{ROLE}/hl7:subjectOf1/hl7:researchStudy/hl7:code")
    assert report_type.get("code") == "2"
    assert study.get("code") == "3"
    assert study.get("codeSystem") == "2.16.840.1.113883.3.989.2.1.1.8"
    assert check_batch(root) == []


def test_a_serious_case_is_expedited_with_its_criteria_true_and_the_others_unknown():
    the_case, person = ready_case(hospitalisation=True)

    root = parse(exported((the_case, person)).content)

    expedited = [
        o
        for o in root.findall(f"{EVENT}/hl7:component/hl7:observationEvent", NS)
        if find(o, "hl7:code").get("code") == "23"
    ]
    assert find(expedited[0], "hl7:value").get("value") == "true"
    criteria = {
        find(o, "hl7:code").get("code"): find(o, "hl7:value")
        for o in root.findall(
            f"{ROLE}/hl7:subjectOf2/hl7:observation/hl7:outboundRelationship2/hl7:observation", NS
        )
    }
    assert criteria["33"].get("value") == "true"  # hospitalisation
    assert criteria["34"].get("nullFlavor") == "NI"  # death: never "false"
    assert criteria["34"].get("value") is None


def test_the_reaction_and_medicine_are_as_the_member_wrote_them_with_the_substance():
    the_case, person = ready_case()

    root = parse(exported((the_case, person)).content)

    reaction = find(root, f"{ROLE}/hl7:subjectOf2/hl7:observation/hl7:value/hl7:originalText")
    assert reaction.text == "huvudvärk"
    assert reaction.get("language") == "swe"
    assert find(root, f"{ROLE}/hl7:subjectOf2/hl7:observation/hl7:value").get("code") is None
    product = ".//hl7:kindOfProduct"
    assert find(root, f"{product}/hl7:name").text == "Sertralin"
    assert find(root, f"{product}/hl7:ingredient/hl7:ingredientSubstance/hl7:name").text == (
        sertraline().inn_en
    )
    role = find(root, ".//hl7:causalityAssessment/hl7:value")
    assert role.get("code") == "1"  # suspect


def test_the_reporter_and_patient_are_masked_and_the_reporter_is_a_consumer():
    the_case, person = ready_case()

    root = parse(exported((the_case, person)).content)

    assert find(root, f"{ROLE}/hl7:player1/hl7:name").get("nullFlavor") == "MSK"
    qualification = find(root, ".//hl7:asQualifiedEntity/hl7:code")
    assert qualification.get("code") == "5"
    assert find(root, ".//hl7:assignedPerson/hl7:name/hl7:family").get("nullFlavor") == "MSK"


def test_the_sender_is_the_operator_from_the_settings(settings):
    settings.PV_SAFETY_SENDER_ORGANISATION = "Apotekets Säkerhetsenhet AB"
    settings.PV_SAFETY_SENDER_ID = "SAFE-UNIT"
    settings.PV_SAFETY_RECEIVER_ID = "EVTEST"
    the_case, person = ready_case()

    root = parse(exported((the_case, person)).content)

    names = [n.text for n in root.iter(f"{HL7}name")]
    assert "Apotekets Säkerhetsenhet AB" in names
    batch_sender = find(root, "hl7:sender/hl7:device/hl7:id")
    assert batch_sender.get("extension") == "SAFE-UNIT"
    assert find(root, "hl7:receiver/hl7:device/hl7:id").get("extension") == "EVTEST"
    report_id = find(root, f"{EVENT}/hl7:id").get("extension", "")
    assert report_id.startswith("SE-SAFEUNIT-")  # no hyphen in the company part


def test_a_meddra_code_goes_out_only_when_the_operator_mapped_it_with_a_version(
    monkeypatch, settings
):
    monkeypatch.setattr(e2b, "meddra_table", lambda: {("headache", "sv", "huvudvärk"): "10019211"})
    settings.PV_SAFETY_MEDDRA_VERSION = "27.1"
    the_case, person = ready_case()

    root = parse(exported((the_case, person)).content)

    value = find(root, f"{ROLE}/hl7:subjectOf2/hl7:observation/hl7:value")
    assert value.get("code") == "10019211"
    assert value.get("codeSystem") == "2.16.840.1.113883.6.163"
    assert value.get("codeSystemVersion") == "27.1"


def test_a_mapped_meddra_code_without_a_version_is_refused(monkeypatch):
    monkeypatch.setattr(e2b, "meddra_table", lambda: {("headache", "sv", ""): "10019211"})
    the_case, person = ready_case()

    with pytest.raises(ExportRefused) as refused, translation.override("en"):
        exported((the_case, person))

    with translation.override("en"):
        assert "PV_SAFETY_MEDDRA_VERSION" in str(refused.value)
        assert "(E.i.2.1)" in str(refused.value)


# --- refusals -----------------------------------------------------------------------------


def test_a_case_missing_a_minimum_criterion_is_refused_and_says_which():
    the_case, person = ready_case(identifiable_patient=False)

    with pytest.raises(ExportRefused) as refused, translation.override("en"):
        exported((the_case, person))

    assert refused.value.status == 400
    with translation.override("en"):
        assert refused.value.problems[0].reference == the_case.reference
        assert refused.value.problems[0].missing == ["identifiable patient"]
        assert "identifiable patient" in str(refused.value)


def test_a_case_without_narrative_or_medicine_is_refused_listing_each_element():
    the_case, person = ready_case(narrative="", suspect_medicine=None)

    with pytest.raises(ExportRefused) as refused, translation.override("en"):
        exported((the_case, person))

    with translation.override("en"):
        missing = refused.value.problems[0].missing
        assert "the narrative (H.1)" in missing
        assert "the suspect medicine (G.k.2.2)" in missing
        assert "the suspect medicine's active substance (G.k.2.3.r.1)" in missing


def test_a_sender_without_an_organisation_is_refused_naming_the_setting(settings):
    settings.PV_SAFETY_SENDER_ORGANISATION = " "
    settings.PV_OPERATOR_NAME = ""
    the_case, person = ready_case()

    with pytest.raises(ExportRefused) as refused, translation.override("en"):
        exported((the_case, person))

    with translation.override("en"):
        assert "PV_SAFETY_SENDER_ORGANISATION" in str(refused.value)


def test_nothing_to_export_is_refused_with_a_message():
    with pytest.raises(ExportRefused) as refused, translation.override("en"):
        e2b_export([])

    with translation.override("en"):
        assert "at least one case" in str(refused.value)


def test_the_check_finds_an_element_that_went_missing():
    the_case, person = ready_case()
    root = parse(exported((the_case, person)).content)
    find(root, f"{EVENT}/hl7:text").text = ""
    find(root, f"{ROLE}/hl7:player1").remove(find(root, f"{ROLE}/hl7:player1/hl7:name"))

    elements = {problem.element for problem in check_batch(root)}

    assert elements == {"H.1", "D.1"}


def test_a_document_outside_the_hl7_namespace_fails_the_check():
    root = ET.Element("MCCI_IN200100UV01")

    assert [p.element for p in check_batch(root)] == ["N.1"]


def test_the_rule_table_names_every_element_the_export_fills():
    elements = {row[0] for row in rule_table()}

    assert {"N.1.2", "N.2.r.1", "C.1.1", "C.1.3", "C.1.4", "C.1.7", "C.2.r.4", "C.3.2"} <= elements
    assert {"D.1", "E.i.1.1a", "E.i.3.2a", "E.i.3.2f", "G.k.1", "G.k.2.2", "H.1"} <= elements


# --- batches ------------------------------------------------------------------------------


def test_a_batch_of_three_cases_holds_three_messages_with_their_own_ids():
    person = officer()
    cases = [ready_case(person)[0] for _ in range(3)]

    export = exported(*[(c, person) for c in cases])
    root = parse(export.content)

    messages = root.findall("hl7:PORR_IN049016UV", NS)
    ids = [find(m, "hl7:id").get("extension", "") for m in messages]
    assert len(messages) == 3
    assert sorted(ids) == sorted(f"SE-PATIENTVOICE-{c.reference}" for c in cases)
    assert find(root, "hl7:id").get("root") == "2.16.840.1.113883.3.989.2.1.3.22"
    assert find(root, "hl7:id").get("extension") == export.batch_number
    assert check_batch(root) == []
    assert export.filename.startswith("_".join(c.reference for c in cases))


def test_a_batch_with_one_case_not_ready_is_refused_whole_naming_that_case():
    person = officer()
    ready = [ready_case(person)[0] for _ in range(2)]
    not_ready, _ = ready_case(person, reaction_known=False)

    with pytest.raises(ExportRefused) as refused:
        exported(*[(c, person) for c in [*ready, not_ready]])

    assert [p.reference for p in refused.value.problems] == [not_ready.reference]


def test_a_batch_reads_its_cases_in_a_fixed_number_of_queries(django_assert_num_queries):
    person = officer()
    ids = [ready_case(person)[0].public_id for _ in range(4)]

    # cases with signal and medicines, their follow-ups
    with django_assert_num_queries(2):
        found = list(cases_for_export(person, public_ids=ids))
        e2b_export(found)


def test_the_filename_names_the_case_and_the_day():
    the_case, person = ready_case()

    export = exported((the_case, person))

    assert export.filename == (f"{the_case.reference}_e2b_{timezone.localtime():%Y-%m-%d}.xml")


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+46701234567", "'+46701234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Huvudvärk = illa", "Huvudvärk = illa"),
        ("", ""),
    ],
)
def test_a_csv_cell_that_would_run_as_a_formula_starts_with_an_apostrophe(value, written):
    assert safe_cell(value) == written


def test_the_csv_has_one_row_per_case_and_never_a_formula():
    person = officer()
    the_case, _ = ready_case(person, narrative='=cmd|" /C calc"!A0')
    other, _ = ready_case(person, identifiable_patient=False)

    with translation.override("en"):
        export = csv_export(
            list(cases_for_export(person, public_ids=[the_case.public_id, other.public_id])),
            language="en",
        )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))

    assert rows[0][:3] == ["Case", "Case id", "Signal id"]
    assert len(rows) == 3
    by_reference = {r[0]: r for r in rows[1:]}
    assert by_reference[the_case.reference][-1] == '\'=cmd|" /C calc"!A0'
    assert by_reference[other.reference][6] == "no"  # valid
    assert by_reference[other.reference][7] == "identifiable patient"
    assert by_reference[the_case.reference][11] == sertraline().inn_en
    assert export.filename.endswith(".csv")
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
