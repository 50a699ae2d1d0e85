"""ICH E2B(R3) individual case safety reports (ICSR) of safety cases (issue 7, item 4;
decisions/0039).

One HL7 v3 ``MCCI_IN200100UV01`` batch wraps one ``PORR_IN049016UV`` message per
case, in the namespace ``urn:hl7-org:v3``, with the ICH object identifiers (OIDs) of
the ICH E2B(R3) implementation guide. The nesting follows the ICH reference instances.

What a case holds is all a report carries: the report's identity and dates (C.1), the
type of report (C.1.3: spontaneous, or a report from a study for the solicited answers
of the review form, with the study type "other studies" in C.5.4), expedited or not
(C.1.7), a consumer as the primary source with the name masked (C.2.r), the operator as
sender (C.3, ``PV_SAFETY_SENDER_*``), the patient masked (D.1), the reaction in the
reporter's words and language with its seriousness criteria (E.i), the suspect medicine
as reported and its substance (G.k), the narrative (H.1) and the reporter's own words
(H.2). A MedDRA code (E.i.2.1) is written only when the operator filled the lexicon's
``meddra_code`` column (``safety/data/README.md``) and named the version in
``PV_SAFETY_MEDDRA_VERSION``: no MedDRA content ships here.

This module builds the XML and never refuses; ``e2b_check`` says what is missing before
anything leaves the site (``case_exports``).
"""

from __future__ import annotations

import csv
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone

from .concepts import REACTIONS_CSV, reaction_label
from .models import SERIOUSNESS_FIELDS, FollowUpAttempt, Origin, SafetyCase

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI}}}type"
SCHEMA_LOCATION = "urn:hl7-org:v3 MCCI_IN200100UV01.xsd"

ET.register_namespace("", HL7)
ET.register_namespace("xsi", XSI)

# Object identifiers of the ICH E2B(R3) implementation guide (and HL7's own).
OID_BATCH_NUMBER = "2.16.840.1.113883.3.989.2.1.3.22"  # N.1.2
OID_BATCH_SENDER = "2.16.840.1.113883.3.989.2.1.3.13"  # N.1.3
OID_BATCH_RECEIVER = "2.16.840.1.113883.3.989.2.1.3.14"  # N.1.4
OID_MESSAGE_TYPE = "2.16.840.1.113883.3.989.2.1.1.1"  # N.1.1
OID_REPORT_ID = "2.16.840.1.113883.3.989.2.1.3.1"  # N.2.r.1 and C.1.1
OID_MESSAGE_SENDER = "2.16.840.1.113883.3.989.2.1.3.11"  # N.2.r.2
OID_MESSAGE_RECEIVER = "2.16.840.1.113883.3.989.2.1.3.12"  # N.2.r.3
OID_WORLDWIDE_ID = "2.16.840.1.113883.3.989.2.1.3.2"  # C.1.8.1
OID_SPONSOR_STUDY = "2.16.840.1.113883.3.989.2.1.3.5"  # C.5.3
OID_INTERACTION = "2.16.840.1.113883.1.6"
OID_TRIGGER_EVENT = "2.16.840.1.113883.1.18"
OID_ACT_CODE = "2.16.840.1.113883.5.4"
OID_REPORT_TYPE = "2.16.840.1.113883.3.989.2.1.1.2"  # C.1.3 values
OID_FIRST_SENDER = "2.16.840.1.113883.3.989.2.1.1.3"  # C.1.8.2 values
OID_QUALIFICATION = "2.16.840.1.113883.3.989.2.1.1.6"  # C.2.r.4 values
OID_SENDER_TYPE = "2.16.840.1.113883.3.989.2.1.1.7"  # C.3.1 values
OID_STUDY_TYPE = "2.16.840.1.113883.3.989.2.1.1.8"  # C.5.4 values
OID_DRUG_ROLE = "2.16.840.1.113883.3.989.2.1.1.13"  # G.k.1 values
OID_OBSERVATION = "2.16.840.1.113883.3.989.2.1.1.19"
OID_ORGANIZER = "2.16.840.1.113883.3.989.2.1.1.20"
OID_AUTHOR_ROLE = "2.16.840.1.113883.3.989.2.1.1.21"
OID_RELATED_INVESTIGATION = "2.16.840.1.113883.3.989.2.1.1.22"
OID_CHARACTERISTIC = "2.16.840.1.113883.3.989.2.1.1.23"
OID_MEDDRA = "2.16.840.1.113883.6.163"
OID_COUNTRY = "1.0.3166.1.2.2"

# Codes of the observation code system (OID_OBSERVATION).
OBS_ADDITIONAL_DOCUMENTS = "1"  # C.1.6.1
OBS_COMMENT = "10"  # H.2
OBS_DRUG_ROLE = "20"  # G.k.1
OBS_EXPEDITED = "23"  # C.1.7
OBS_REACTION = "29"  # E.i
OBS_FOR_TRANSLATION = "30"  # E.i.1.2
# E.i.3.2a-f, in the order of SERIOUSNESS_FIELDS.
SERIOUSNESS_CODES: dict[str, str] = {
    "death": "34",
    "life_threatening": "21",
    "hospitalisation": "33",
    "disability": "35",
    "congenital_anomaly": "12",
    "other_medically_important": "26",
}
assert tuple(SERIOUSNESS_CODES) == SERIOUSNESS_FIELDS

REPORT_SPONTANEOUS = "1"
# ICH E2D(R1) and GVP Module VI: solicited reports (organised data collection such as
# the review form's side-effect questions) are reported as "report from study" with
# the study type "other studies", not as spontaneous reports.
REPORT_FROM_STUDY = "2"
STUDY_OTHER = "3"
QUALIFICATION_CONSUMER = "5"
FIRST_SENDER_OTHER = "2"
DRUG_SUSPECT = "1"
AUTHOR_REPORTER = "3"  # OID_AUTHOR_ROLE: the source reporter

# ISO 639-2 codes for E.i.1.1b.
LANGUAGE_CODES = {"sv": "swe", "en": "eng", "da": "dan", "nb": "nob", "no": "nor", "fi": "fin"}

# Maximum lengths of the ICH guide.
MAX_REACTION_LENGTH = 250
MAX_PRODUCT_LENGTH = 250
MAX_COMMENTS_LENGTH = 20_000
MAX_NARRATIVE_LENGTH = 100_000


@dataclass(frozen=True)
class Sender:
    """Who sends the reports: the organisation operating the platform (settings)."""

    identifier: str  # N.1.3, N.2.r.2, and the company part of C.1.1
    receiver: str  # N.1.4, N.2.r.3
    type: str  # C.3.1
    organisation: str  # C.3.2
    department: str  # C.3.3.1
    country: str  # C.3.4.5
    email: str  # C.3.4.8
    primary_source_country: str  # C.2.r.3 and the country part of C.1.1
    meddra_version: str  # E.i.2.1a
    study_name: str  # C.5.2, for solicited reports

    @classmethod
    def from_settings(cls) -> Sender:
        def setting(name: str, default: str = "") -> str:
            return str(getattr(settings, name, default) or default).strip()

        country = setting("PV_SAFETY_SENDER_COUNTRY", "SE").upper()
        organisation = setting("PV_SAFETY_SENDER_ORGANISATION", setting("PV_OPERATOR_NAME"))
        return cls(
            identifier=setting("PV_SAFETY_SENDER_ID", "PATIENTVOICE"),
            receiver=setting("PV_SAFETY_RECEIVER_ID", "EVHUMAN"),
            type=setting("PV_SAFETY_SENDER_TYPE", "6"),
            organisation=organisation,
            department=setting("PV_SAFETY_SENDER_DEPARTMENT"),
            country=country,
            email=setting("PV_SAFETY_SENDER_EMAIL"),
            primary_source_country=setting("PV_SAFETY_PRIMARY_SOURCE_COUNTRY", country).upper(),
            meddra_version=setting("PV_SAFETY_MEDDRA_VERSION"),
            study_name=setting(
                "PV_SAFETY_SOLICITED_STUDY_NAME",
                f"{organisation}: side-effect questions of medicine reviews",
            ),
        )

    @property
    def company(self) -> str:
        """The company part of C.1.1, which must not contain a hyphen."""
        return re.sub(r"[^A-Za-z0-9]", "", self.identifier).upper()


@dataclass(frozen=True)
class CaseReport:
    """What one case's message says, read from the case (plain values, no queries)."""

    reference: str
    report_id: str  # C.1.1, C.1.8.1, N.2.r.1
    first_received: datetime  # C.1.4, Day 0
    most_recent: datetime  # C.1.5
    report_type: str  # C.1.3
    study_type: str  # C.5.4, only for reports from a study
    expedited: bool  # C.1.7
    patient_null_flavor: str  # D.1
    reaction: str  # E.i.1.1a
    reaction_language: str  # E.i.1.1b
    reaction_for_translation: str  # E.i.1.2
    meddra_code: str  # E.i.2.1b
    seriousness: dict[str, bool]  # E.i.3.2a-f
    product: str  # G.k.2.2
    substance: str  # G.k.2.3.r.1
    narrative: str  # H.1
    reporter_comments: str  # H.2


def hl7_time(moment: datetime) -> str:
    """HL7 TS to the second with the offset: ``20250601143000+0200``."""
    return timezone.localtime(moment).strftime("%Y%m%d%H%M%S%z")


def report_id(case: SafetyCase, sender: Sender) -> str:
    """C.1.1: "country code-company-report number"."""
    return f"{sender.primary_source_country}-{sender.company}-{case.reference}"


def _span_text(text: str, span: Any) -> str:
    if (
        isinstance(span, list | tuple)
        and len(span) == 2
        and all(isinstance(i, int) for i in span)
        and 0 <= span[0] < span[1] <= len(text)
    ):
        return " ".join(text[span[0] : span[1]].split())
    return ""


@cache
def meddra_table() -> dict[tuple[str, str, str], str]:
    """The lexicon's MedDRA codes, filled by an operator with a licence: (concept,
    language, term) -> code for every row with one, and (concept, language, "") for a
    lemma's. Empty as shipped."""
    table: dict[tuple[str, str, str], str] = {}
    if not REACTIONS_CSV.exists():
        return table
    with REACTIONS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("meddra_code") or "").strip()
            if not code:
                continue
            key = (row["concept"], row["language"])
            table[(*key, row["term"].casefold())] = code
            if row.get("kind") == "lemma":
                table.setdefault((*key, ""), code)
    return table


def meddra_code(concept: str, language: str, term: str) -> str:
    """The code of the words the reporter used, else of the concept's lemma in their
    language, else in the other language; "" when the operator mapped nothing."""
    if not concept:
        return ""
    table = meddra_table()
    if not table:
        return ""
    lang = "en" if language.startswith("en") else "sv"
    other = "sv" if lang == "en" else "en"
    return (
        table.get((concept, lang, term.casefold()))
        or table.get((concept, lang, ""))
        or table.get((concept, other, ""))
        or ""
    )


def _reporter_words(case: SafetyCase, follow_ups: Sequence[FollowUpAttempt]) -> str:
    """H.2: what the reporter wrote, and their answers to follow-up questions."""
    parts = [case.signal.excerpt.strip()]
    for attempt in follow_ups:
        if attempt.answered_at and attempt.answer.strip():
            parts.append(
                f"Follow-up answer {attempt.answered_at:%Y-%m-%d}: {attempt.answer.strip()}"
            )
    return "\n\n".join(p for p in parts if p)[:MAX_COMMENTS_LENGTH]


def case_report(
    case: SafetyCase, sender: Sender, follow_ups: Sequence[FollowUpAttempt] = ()
) -> CaseReport:
    """The report of ``case`` (its signal and suspect medicine loaded)."""
    from patientvoice.directory.queries import medicine_name

    signal = case.signal
    language = signal.language or "sv"
    reaction_words = ""
    if case.reaction and case.reaction == signal.reaction:
        reaction_words = _span_text(signal.excerpt, signal.reaction_span)
    reaction = reaction_words or reaction_label(case.reaction, language)
    english = reaction_label(case.reaction, "en") if not language.startswith("en") else ""
    medicine = case.suspect_medicine
    product = ""
    if medicine is not None:
        if medicine.pk == signal.medicine_id:
            product = _span_text(signal.excerpt, signal.medicine_span)
        product = product or medicine_name(medicine, language)
    answered = [a.answered_at for a in follow_ups if a.answered_at]
    solicited = case.origin == Origin.SOLICITED
    return CaseReport(
        reference=case.reference,
        report_id=report_id(case, sender),
        first_received=case.day_zero,
        most_recent=max([case.day_zero, *answered]),
        report_type=REPORT_FROM_STUDY if solicited else REPORT_SPONTANEOUS,
        study_type=STUDY_OTHER if solicited else "",
        expedited=case.is_serious,
        patient_null_flavor="MSK" if case.identifiable_patient else "UNK",
        reaction=reaction[:MAX_REACTION_LENGTH],
        reaction_language=LANGUAGE_CODES.get(language[:2], ""),
        reaction_for_translation=english[:MAX_REACTION_LENGTH],
        meddra_code=meddra_code(case.reaction, language, reaction_words),
        seriousness={name: bool(getattr(case, name)) for name in SERIOUSNESS_FIELDS},
        product=product[:MAX_PRODUCT_LENGTH],
        substance=medicine.inn_en if medicine is not None else "",
        narrative=case.narrative[:MAX_NARRATIVE_LENGTH],
        reporter_comments=_reporter_words(case, follow_ups),
    )


# --- XML ----------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{HL7}}}{tag}"


def _add(
    parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs or {})
    if text is not None:
        element.text = text
    return element


def _id(parent: ET.Element, root: str, extension: str) -> ET.Element:
    return _add(parent, "id", {"extension": extension, "root": root})


def _device(parent: ET.Element, tag: str, type_code: str, root: str, extension: str) -> None:
    party = _add(parent, tag, {"typeCode": type_code})
    device = _add(party, "device", {"classCode": "DEV", "determinerCode": "INSTANCE"})
    _id(device, root, extension)


def _observation_code(parent: ET.Element, code: str) -> ET.Element:
    return _add(parent, "code", {"code": code, "codeSystem": OID_OBSERVATION})


def _boolean(parent: ET.Element, value: bool, *, false_as_ni: bool = False) -> ET.Element:
    """A BL value. The seriousness criteria take "true" or nullFlavor NI, never
    "false" (ICH E2B(R3) E.i.3.2)."""
    if not value and false_as_ni:
        return _add(parent, "value", {XSI_TYPE: "BL", "nullFlavor": "NI"})
    return _add(parent, "value", {XSI_TYPE: "BL", "value": "true" if value else "false"})


def _case_observation(event: ET.Element, code: str, value: bool) -> None:
    """C.1.6.1, C.1.7: investigationEvent/component/observationEvent."""
    component = _add(event, "component", {"typeCode": "COMP"})
    observation = _add(component, "observationEvent", {"classCode": "OBS", "moodCode": "EVN"})
    _observation_code(observation, code)
    _boolean(observation, value)


def _reaction(role: ET.Element, report: CaseReport, sender: Sender, reaction_id: str) -> None:
    """E.i: primaryRole/subjectOf2/observation (code 29)."""
    subject = _add(role, "subjectOf2", {"typeCode": "SBJ"})
    observation = _add(subject, "observation", {"classCode": "OBS", "moodCode": "EVN"})
    _add(observation, "id", {"root": reaction_id})
    _observation_code(observation, OBS_REACTION)
    value_attrs = {XSI_TYPE: "CE"}
    if report.meddra_code:
        value_attrs.update(
            code=report.meddra_code,
            codeSystem=OID_MEDDRA,
            codeSystemVersion=sender.meddra_version,
        )
    value = _add(observation, "value", value_attrs)
    original_attrs = {"language": report.reaction_language} if report.reaction_language else {}
    _add(value, "originalText", original_attrs, report.reaction)
    if report.reaction_for_translation:
        related = _add(observation, "outboundRelationship2", {"typeCode": "PERT"})
        translated = _add(related, "observation", {"classCode": "OBS", "moodCode": "EVN"})
        _observation_code(translated, OBS_FOR_TRANSLATION)
        _add(translated, "value", {XSI_TYPE: "ED"}, report.reaction_for_translation)
    for name, code in SERIOUSNESS_CODES.items():
        related = _add(observation, "outboundRelationship2", {"typeCode": "PERT"})
        criterion = _add(related, "observation", {"classCode": "OBS", "moodCode": "EVN"})
        _observation_code(criterion, code)
        _boolean(criterion, report.seriousness[name], false_as_ni=True)


def _drug(role: ET.Element, report: CaseReport, drug_id: str) -> None:
    """G.k.2: primaryRole/subjectOf2/organizer (code 4)/component/substanceAdministration."""
    subject = _add(role, "subjectOf2", {"typeCode": "SBJ"})
    organizer = _add(subject, "organizer", {"classCode": "CATEGORY", "moodCode": "EVN"})
    _add(organizer, "code", {"code": "4", "codeSystem": OID_ORGANIZER})
    component = _add(organizer, "component", {"typeCode": "COMP"})
    administration = _add(
        component, "substanceAdministration", {"classCode": "SBADM", "moodCode": "EVN"}
    )
    _add(administration, "id", {"root": drug_id})
    consumable = _add(administration, "consumable", {"typeCode": "CSM"})
    instance = _add(consumable, "instanceOfKind", {"classCode": "INST"})
    product = _add(instance, "kindOfProduct", {"classCode": "MMAT", "determinerCode": "KIND"})
    _add(product, "name", text=report.product)
    ingredient = _add(product, "ingredient", {"classCode": "ACTI"})
    substance = _add(
        ingredient, "ingredientSubstance", {"classCode": "MMAT", "determinerCode": "KIND"}
    )
    _add(substance, "name", text=report.substance)


def _assessment(event: ET.Element, report: CaseReport, sender: Sender) -> None:
    """D, E.i, G.k, H.2: investigationEvent/component/adverseEventAssessment."""
    component = _add(event, "component", {"typeCode": "COMP"})
    assessment = _add(
        component, "adverseEventAssessment", {"classCode": "INVSTG", "moodCode": "EVN"}
    )
    subject = _add(assessment, "subject1", {"typeCode": "SBJ"})
    role = _add(subject, "primaryRole", {"classCode": "INVSBJ"})
    player = _add(role, "player1", {"classCode": "PSN", "determinerCode": "INSTANCE"})
    _add(player, "name", {"nullFlavor": report.patient_null_flavor})
    if report.study_type:
        study_subject = _add(role, "subjectOf1", {"typeCode": "SBJ"})
        study = _add(study_subject, "researchStudy", {"classCode": "CLNTRL", "moodCode": "EVN"})
        _add(study, "code", {"code": report.study_type, "codeSystem": OID_STUDY_TYPE})
        if sender.study_name:
            _add(study, "title", text=sender.study_name[:2000])
    reaction_id = str(uuid.uuid4())
    drug_id = str(uuid.uuid4())
    _reaction(role, report, sender, reaction_id)
    _drug(role, report, drug_id)
    causality = _add(assessment, "component", {"typeCode": "COMP"})
    characterisation = _add(
        causality, "causalityAssessment", {"classCode": "OBS", "moodCode": "EVN"}
    )
    _observation_code(characterisation, OBS_DRUG_ROLE)
    _add(
        characterisation,
        "value",
        {XSI_TYPE: "CE", "code": DRUG_SUSPECT, "codeSystem": OID_DRUG_ROLE},
    )
    reference = _add(characterisation, "subject2", {"typeCode": "SUBJ"})
    use = _add(reference, "productUseReference", {"classCode": "SBADM", "moodCode": "EVN"})
    _add(use, "id", {"root": drug_id})
    if report.reporter_comments:
        comment_component = _add(assessment, "component1", {"typeCode": "COMP"})
        comment = _add(
            comment_component, "observationEvent", {"classCode": "OBS", "moodCode": "EVN"}
        )
        _observation_code(comment, OBS_COMMENT)
        _add(comment, "value", {XSI_TYPE: "ED"}, report.reporter_comments)
        author = _add(comment, "author", {"typeCode": "AUT"})
        entity = _add(author, "assignedEntity", {"classCode": "ASSIGNED"})
        _add(entity, "code", {"code": AUTHOR_REPORTER, "codeSystem": OID_AUTHOR_ROLE})


def _primary_source(event: ET.Element, sender: Sender) -> None:
    """C.2.r: a consumer, name masked, the primary source for regulatory purposes."""
    relationship = _add(event, "outboundRelationship", {"typeCode": "SPRT"})
    _add(relationship, "priorityNumber", {"value": "1"})
    related = _add(relationship, "relatedInvestigation", {"classCode": "INVSTG", "moodCode": "EVN"})
    _add(related, "code", {"code": "2", "codeSystem": OID_RELATED_INVESTIGATION})
    subject = _add(related, "subjectOf2", {"typeCode": "SUBJ"})
    act = _add(subject, "controlActEvent", {"classCode": "CACT", "moodCode": "EVN"})
    author = _add(act, "author", {"typeCode": "AUT"})
    entity = _add(author, "assignedEntity", {"classCode": "ASSIGNED"})
    person = _add(entity, "assignedPerson", {"classCode": "PSN", "determinerCode": "INSTANCE"})
    name = _add(person, "name")
    _add(name, "given", {"nullFlavor": "MSK"})
    _add(name, "family", {"nullFlavor": "MSK"})
    qualified = _add(person, "asQualifiedEntity", {"classCode": "QUAL"})
    _add(qualified, "code", {"code": QUALIFICATION_CONSUMER, "codeSystem": OID_QUALIFICATION})
    located = _add(person, "asLocatedEntity", {"classCode": "LOCE"})
    place = _add(located, "location", {"classCode": "COUNTRY", "determinerCode": "INSTANCE"})
    _add(place, "code", {"code": sender.primary_source_country, "codeSystem": OID_COUNTRY})


def _first_sender(event: ET.Element) -> None:
    """C.1.8.2: the first sender of this case is not a regulator."""
    relationship = _add(event, "outboundRelationship", {"typeCode": "SPRT"})
    related = _add(relationship, "relatedInvestigation", {"classCode": "INVSTG", "moodCode": "EVN"})
    _add(related, "code", {"code": "1", "codeSystem": OID_RELATED_INVESTIGATION})
    subject = _add(related, "subjectOf2", {"typeCode": "SUBJ"})
    act = _add(subject, "controlActEvent", {"classCode": "CACT", "moodCode": "EVN"})
    author = _add(act, "author", {"typeCode": "AUT"})
    entity = _add(author, "assignedEntity", {"classCode": "ASSIGNED"})
    _add(entity, "code", {"code": FIRST_SENDER_OTHER, "codeSystem": OID_FIRST_SENDER})


def _sender(event: ET.Element, sender: Sender) -> None:
    """C.3: investigationEvent/subjectOf1/controlActEvent/author/assignedEntity."""
    subject = _add(event, "subjectOf1", {"typeCode": "SUBJ"})
    act = _add(subject, "controlActEvent", {"classCode": "CACT", "moodCode": "EVN"})
    author = _add(act, "author", {"typeCode": "AUT"})
    entity = _add(author, "assignedEntity", {"classCode": "ASSIGNED"})
    _add(entity, "code", {"code": sender.type, "codeSystem": OID_SENDER_TYPE})
    if sender.email:
        _add(entity, "telecom", {"value": f"mailto:{sender.email}"})
    if sender.country:
        person = _add(entity, "assignedPerson", {"classCode": "PSN", "determinerCode": "INSTANCE"})
        located = _add(person, "asLocatedEntity", {"classCode": "LOCE"})
        place = _add(located, "location", {"classCode": "COUNTRY", "determinerCode": "INSTANCE"})
        _add(place, "code", {"code": sender.country, "codeSystem": OID_COUNTRY})
    department = _add(
        entity, "representedOrganization", {"classCode": "ORG", "determinerCode": "INSTANCE"}
    )
    if sender.department:
        _add(department, "name", text=sender.department[:60])
    inner = _add(department, "assignedEntity", {"classCode": "ASSIGNED"})
    organisation = _add(
        inner, "representedOrganization", {"classCode": "ORG", "determinerCode": "INSTANCE"}
    )
    _add(organisation, "name", text=sender.organisation[:100])


def _characteristic(event: ET.Element, code: str) -> ET.Element:
    subject = _add(event, "subjectOf2", {"typeCode": "SUBJ"})
    characteristic = _add(
        subject, "investigationCharacteristic", {"classCode": "OBS", "moodCode": "EVN"}
    )
    _add(characteristic, "code", {"code": code, "codeSystem": OID_CHARACTERISTIC})
    return characteristic


def message(report: CaseReport, sender: Sender, now: datetime) -> ET.Element:
    """One ``PORR_IN049016UV`` message: the ICSR of one case."""
    created = hl7_time(now)
    root = ET.Element(_q("PORR_IN049016UV"))
    _id(root, OID_REPORT_ID, report.report_id)  # N.2.r.1
    _add(root, "creationTime", {"value": created})  # N.2.r.4
    _add(root, "interactionId", {"extension": "PORR_IN049016UV", "root": OID_INTERACTION})
    _add(root, "processingCode", {"code": "P"})
    _add(root, "processingModeCode", {"code": "T"})
    _add(root, "acceptAckCode", {"code": "AL"})
    _device(root, "receiver", "RCV", OID_MESSAGE_RECEIVER, sender.receiver)  # N.2.r.3
    _device(root, "sender", "SND", OID_MESSAGE_SENDER, sender.identifier)  # N.2.r.2
    process = _add(root, "controlActProcess", {"classCode": "CACT", "moodCode": "EVN"})
    _add(process, "code", {"code": "PORR_TE049016UV", "codeSystem": OID_TRIGGER_EVENT})
    _add(process, "effectiveTime", {"value": created})  # C.1.2
    subject = _add(process, "subject", {"typeCode": "SUBJ"})
    event = _add(subject, "investigationEvent", {"classCode": "INVSTG", "moodCode": "EVN"})
    _id(event, OID_REPORT_ID, report.report_id)  # C.1.1
    _id(event, OID_WORLDWIDE_ID, report.report_id)  # C.1.8.1
    _add(event, "code", {"code": "PAT_ADV_EVNT", "codeSystem": OID_ACT_CODE})
    _add(event, "text", text=report.narrative)  # H.1
    _add(event, "statusCode", {"code": "active"})
    effective = _add(event, "effectiveTime")
    _add(effective, "low", {"value": hl7_time(report.first_received)})  # C.1.4
    _add(event, "availabilityTime", {"value": hl7_time(report.most_recent)})  # C.1.5
    _assessment(event, report, sender)
    _case_observation(event, OBS_ADDITIONAL_DOCUMENTS, False)  # C.1.6.1
    _case_observation(event, OBS_EXPEDITED, report.expedited)  # C.1.7
    _first_sender(event)  # C.1.8.2
    _primary_source(event, sender)  # C.2.r
    _sender(event, sender)  # C.3
    report_type = _characteristic(event, "1")  # C.1.3
    _add(
        report_type,
        "value",
        {XSI_TYPE: "CE", "code": report.report_type, "codeSystem": OID_REPORT_TYPE},
    )
    other_ids = _characteristic(event, "2")  # C.1.9.1: none known
    _add(other_ids, "value", {XSI_TYPE: "BL", "nullFlavor": "NI"})
    return root


def new_batch_number(sender: Sender, now: datetime) -> str:
    return f"{sender.company}-{timezone.localtime(now):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"


def batch(
    reports: Iterable[CaseReport], sender: Sender, *, now: datetime, batch_number: str
) -> ET.Element:
    """The ``MCCI_IN200100UV01`` batch wrapping one message per report."""
    root = ET.Element(
        _q("MCCI_IN200100UV01"),
        {"ITSVersion": "XML_1.0", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
    )
    _id(root, OID_BATCH_NUMBER, batch_number)  # N.1.2
    _add(root, "creationTime", {"value": hl7_time(now)})  # N.1.5
    _add(root, "responseModeCode", {"code": "D"})
    _add(root, "interactionId", {"extension": "MCCI_IN200100UV01", "root": OID_INTERACTION})
    _add(root, "name", {"code": "1", "codeSystem": OID_MESSAGE_TYPE})  # N.1.1: ichicsr
    for report in reports:
        root.append(message(report, sender, now))
    _device(root, "receiver", "RCV", OID_BATCH_RECEIVER, sender.receiver)  # N.1.4
    _device(root, "sender", "SND", OID_BATCH_SENDER, sender.identifier)  # N.1.3
    return root


def serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    assert isinstance(data, bytes)
    return data
