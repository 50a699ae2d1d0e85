"""The structural check of an E2B(R3) batch (decisions/0039).

ICH's XML schemas cannot be shipped here, so every element and attribute the export
claims to fill is checked against a table of rules: where it is (a path of HL7
elements), which one it is among its siblings (``having``: a child that marks it, such
as the observation code), what is checked (an attribute or the text) and the rule.
Each rule names the ICH data element and, for the officer, what to fill in.

The export runs this before anything is sent, the tests run it on every export, and an
operator validates against ICH's official schemas as the decision record describes.
Paths use ElementTree's XPath subset; every step is an element of ``urn:hl7-org:v3``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .e2b import (
    HL7,
    OID_BATCH_NUMBER,
    OID_BATCH_RECEIVER,
    OID_BATCH_SENDER,
    OID_CHARACTERISTIC,
    OID_COUNTRY,
    OID_DRUG_ROLE,
    OID_FIRST_SENDER,
    OID_MEDDRA,
    OID_MESSAGE_RECEIVER,
    OID_MESSAGE_SENDER,
    OID_MESSAGE_TYPE,
    OID_OBSERVATION,
    OID_QUALIFICATION,
    OID_RELATED_INVESTIGATION,
    OID_REPORT_ID,
    OID_REPORT_TYPE,
    OID_SENDER_TYPE,
    OID_STUDY_TYPE,
    OID_WORLDWIDE_ID,
    SERIOUSNESS_CODES,
    XSI_TYPE,
)

Check = Callable[[str | None, ET.Element], bool]

TS_SECONDS = re.compile(r"^\d{14}([+-]\d{4})?$")
TS_DAY = re.compile(r"^\d{8}(\d{2}(\d{2}(\d{2})?)?)?([+-]\d{4})?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


def filled(value: str | None, element: ET.Element) -> bool:
    return bool((value or "").strip())


def time_to_the_second(value: str | None, element: ET.Element) -> bool:
    return bool(TS_SECONDS.match(value or ""))


def time_to_the_day(value: str | None, element: ET.Element) -> bool:
    return bool(TS_DAY.match(value or ""))


def country_code(value: str | None, element: ET.Element) -> bool:
    return bool(COUNTRY.match(value or ""))


def one_of(*allowed: str) -> Check:
    def check(value: str | None, element: ET.Element) -> bool:
        return value in allowed

    check.__name__ = f"one_of({', '.join(allowed)})"
    return check


def boolean(value: str | None, element: ET.Element) -> bool:
    """BL typed "true" or "false"."""
    return element.get(XSI_TYPE) == "BL" and value in ("true", "false")


def true_or_ni(value: str | None, element: ET.Element) -> bool:
    """E.i.3.2a-f and C.1.9.1: "true" or nullFlavor NI, never "false"."""
    if element.get(XSI_TYPE) != "BL":
        return False
    return value == "true" or (value is None and element.get("nullFlavor") == "NI")


def masked_or_filled(value: str | None, element: ET.Element) -> bool:
    return bool((value or "").strip()) or element.get("nullFlavor") in (
        "MSK",
        "UNK",
        "ASKU",
        "NASK",
    )


def meddra_with_version(value: str | None, element: ET.Element) -> bool:
    """E.i.2.1: a MedDRA code only with its code system and version; none at all when
    the operator mapped no code (the reaction is then sent as reported only)."""
    if not element.get("code"):
        return True
    return element.get("codeSystem") == OID_MEDDRA and bool(element.get("codeSystemVersion"))


@dataclass(frozen=True)
class Rule:
    """One element the export fills: the elements at ``path`` (from the batch for N.1,
    from each message otherwise), narrowed to those with the child ``having``; below
    each, ``target``; its ``attribute`` (or text) must pass ``check``. ``when`` makes
    the rule conditional on the message (C.5.4 only for reports from a study)."""

    element: str  # the ICH data element ("C.1.1")
    label: str | Promise  # what the officer fills in, or what is wrong
    path: str
    check: Check = filled
    attribute: str | None = None  # None: the element's text
    having: str = ""
    target: str = ""
    when: Callable[[ET.Element], bool] | None = None


def _qualify(path: str) -> str:
    """``a/b[@x='1']/c[d]`` -> the same path with every element in the HL7 namespace
    (ElementTree's XPath subset: ``[tag]`` predicates name a direct child only)."""
    steps: list[str] = []
    depth = 0
    token = ""
    for char in path:
        if char == "/" and depth == 0:
            steps.append(token)
            token = ""
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        token += char
    steps.append(token)
    return "/".join(_step(step) for step in steps)


def _step(step: str) -> str:
    if not step or step in (".", ".."):
        return step
    name, bracket, predicates = step.partition("[")
    qualified = f"{{{HL7}}}{name}"
    if not bracket:
        return qualified
    rest = re.sub(r"\[([A-Za-z]\w*)", lambda m: f"[{{{HL7}}}{m.group(1)}", "[" + predicates)
    return qualified + rest


def _mark(code: str, system: str = OID_OBSERVATION) -> str:
    return f"code[@code='{code}'][@codeSystem='{system}']"


EVENT = "controlActProcess/subject/investigationEvent"
ASSESSMENT = f"{EVENT}/component/adverseEventAssessment"
ROLE = f"{ASSESSMENT}/subject1/primaryRole"
REACTION = f"{ROLE}/subjectOf2/observation"
PRODUCT = (
    f"{ROLE}/subjectOf2/organizer/component/substanceAdministration/consumable"
    "/instanceOfKind/kindOfProduct"
)
SOURCE = f"{EVENT}/outboundRelationship/relatedInvestigation"
SOURCE_PERSON = "subjectOf2/controlActEvent/author/assignedEntity/assignedPerson"
SENDER = f"{EVENT}/subjectOf1/controlActEvent/author/assignedEntity"
CHARACTERISTIC = f"{EVENT}/subjectOf2/investigationCharacteristic"
CASE_OBSERVATION = f"{EVENT}/component/observationEvent"


def _from_study(message: ET.Element) -> bool:
    value = message.find(_qualify(f"{CHARACTERISTIC}/value[@codeSystem='{OID_REPORT_TYPE}']"))
    return value is not None and value.get("code") == "2"


# Labels too long for one line of the table below.
SENDER_ID = pgettext_lazy("e2b element", "the sender identifier (setting PV_SAFETY_SENDER_ID)")
RECEIVER_ID = pgettext_lazy(
    "e2b element", "the receiver identifier (setting PV_SAFETY_RECEIVER_ID)"
)
EXPEDITED = pgettext_lazy("e2b element", "whether the case is reported on the 15-day deadline")
REPORTER_COUNTRY = pgettext_lazy(
    "e2b element", "the reporter's country (setting PV_SAFETY_PRIMARY_SOURCE_COUNTRY)"
)
SENDER_ORGANISATION = pgettext_lazy(
    "e2b element", "the sender's organisation (setting PV_SAFETY_SENDER_ORGANISATION)"
)
MEDDRA_VERSION = pgettext_lazy(
    "e2b element", "the MedDRA version (setting PV_SAFETY_MEDDRA_VERSION)"
)


BATCH_RULES: tuple[Rule, ...] = (
    Rule("N.1.1", pgettext_lazy("e2b element", "the type of messages in the batch"),
         f"name[@codeSystem='{OID_MESSAGE_TYPE}']", one_of("1"), "code"),
    Rule("N.1.2", pgettext_lazy("e2b element", "the batch number"),
         f"id[@root='{OID_BATCH_NUMBER}']", attribute="extension"),
    Rule("N.1.3", SENDER_ID,
         f"sender/device/id[@root='{OID_BATCH_SENDER}']", attribute="extension"),
    Rule("N.1.4", RECEIVER_ID,
         f"receiver/device/id[@root='{OID_BATCH_RECEIVER}']", attribute="extension"),
    Rule("N.1.5", pgettext_lazy("e2b element", "the date of the batch"),
         "creationTime", time_to_the_second, "value"),
)  # fmt: skip

MESSAGE_RULES: tuple[Rule, ...] = (
    Rule("N.2.r.1", pgettext_lazy("e2b element", "the message identifier"),
         f"id[@root='{OID_REPORT_ID}']", attribute="extension"),
    Rule("N.2.r.2", SENDER_ID,
         f"sender/device/id[@root='{OID_MESSAGE_SENDER}']", attribute="extension"),
    Rule("N.2.r.3", RECEIVER_ID,
         f"receiver/device/id[@root='{OID_MESSAGE_RECEIVER}']", attribute="extension"),
    Rule("N.2.r.4", pgettext_lazy("e2b element", "the date of the message"),
         "creationTime", time_to_the_second, "value"),
    Rule("C.1.1", pgettext_lazy("e2b element", "the report's unique identifier"),
         f"{EVENT}/id[@root='{OID_REPORT_ID}']", attribute="extension"),
    Rule("C.1.2", pgettext_lazy("e2b element", "the date the report was created"),
         "controlActProcess/effectiveTime", time_to_the_second, "value"),
    Rule("C.1.3", pgettext_lazy("e2b element", "the type of report"),
         CHARACTERISTIC, one_of("1", "2", "3", "4"), "code",
         having=_mark("1", OID_CHARACTERISTIC), target=f"value[@codeSystem='{OID_REPORT_TYPE}']"),
    Rule("C.1.4", pgettext_lazy("e2b element", "Day 0, when the report was first received"),
         f"{EVENT}/effectiveTime/low", time_to_the_day, "value"),
    Rule("C.1.5", pgettext_lazy("e2b element", "the date of the most recent information"),
         f"{EVENT}/availabilityTime", time_to_the_day, "value"),
    Rule("C.1.6.1", pgettext_lazy("e2b element", "whether more documents are held"),
         CASE_OBSERVATION, boolean, "value", having=_mark("1"), target="value"),
    Rule("C.1.7", EXPEDITED,
         CASE_OBSERVATION, boolean, "value", having=_mark("23"), target="value"),
    Rule("C.1.8.1", pgettext_lazy("e2b element", "the worldwide unique case identifier"),
         f"{EVENT}/id[@root='{OID_WORLDWIDE_ID}']", attribute="extension"),
    Rule("C.1.8.2", pgettext_lazy("e2b element", "the first sender of the case"),
         SOURCE, one_of("1", "2"), "code", having=_mark("1", OID_RELATED_INVESTIGATION),
         target=f"subjectOf2/controlActEvent/author/assignedEntity/code"
                f"[@codeSystem='{OID_FIRST_SENDER}']"),
    Rule("C.1.9.1", pgettext_lazy("e2b element", "whether other case identifiers exist"),
         CHARACTERISTIC, true_or_ni, "value",
         having=_mark("2", OID_CHARACTERISTIC), target="value"),
    Rule("C.2.r.1", pgettext_lazy("e2b element", "the reporter's name, masked"),
         SOURCE, masked_or_filled, having=_mark("2", OID_RELATED_INVESTIGATION),
         target=f"{SOURCE_PERSON}/name/family"),
    Rule("C.2.r.3", REPORTER_COUNTRY,
         SOURCE, country_code, "code", having=_mark("2", OID_RELATED_INVESTIGATION),
         target=f"{SOURCE_PERSON}/asLocatedEntity/location/code[@codeSystem='{OID_COUNTRY}']"),
    Rule("C.2.r.4", pgettext_lazy("e2b element", "the reporter's qualification"),
         SOURCE, one_of("1", "2", "3", "4", "5"), "code",
         having=_mark("2", OID_RELATED_INVESTIGATION),
         target=f"{SOURCE_PERSON}/asQualifiedEntity/code[@codeSystem='{OID_QUALIFICATION}']"),
    Rule("C.2.r.5", pgettext_lazy("e2b element", "the primary source for regulatory purposes"),
         f"{EVENT}/outboundRelationship/priorityNumber", one_of("1"), "value"),
    Rule("C.3.1", pgettext_lazy("e2b element", "the sender type (setting PV_SAFETY_SENDER_TYPE)"),
         f"{SENDER}/code[@codeSystem='{OID_SENDER_TYPE}']",
         one_of("1", "2", "3", "4", "5", "6", "7"), "code"),
    Rule("C.3.2", SENDER_ORGANISATION,
         f"{SENDER}/representedOrganization/assignedEntity/representedOrganization/name"),
    Rule("C.5.4", pgettext_lazy("e2b element", "the type of study of a solicited report"),
         f"{ROLE}/subjectOf1/researchStudy/code[@codeSystem='{OID_STUDY_TYPE}']",
         one_of("1", "2", "3"), "code", when=_from_study),
    Rule("D.1", pgettext_lazy("e2b element", "the patient, masked"),
         f"{ROLE}/player1/name", masked_or_filled),
    Rule("E.i.1.1a", pgettext_lazy("e2b element", "the reaction"),
         REACTION, having=_mark("29"), target="value/originalText"),
    Rule("E.i.2.1", MEDDRA_VERSION,
         REACTION, meddra_with_version, "code", having=_mark("29"), target="value"),
    *(
        Rule(f"E.i.3.2{letter}", pgettext_lazy("e2b element", "the seriousness criteria"),
             f"{REACTION}/outboundRelationship2/observation", true_or_ni, "value",
             having=_mark(code), target="value")
        for letter, code in zip("abcdef", SERIOUSNESS_CODES.values(), strict=True)
    ),
    Rule("G.k.1", pgettext_lazy("e2b element", "the suspect medicine's role"),
         f"{ASSESSMENT}/component/causalityAssessment", one_of("1"), "code",
         having=_mark("20"), target=f"value[@codeSystem='{OID_DRUG_ROLE}']"),
    Rule("G.k.2.2", pgettext_lazy("e2b element", "the suspect medicine"), f"{PRODUCT}/name"),
    Rule("G.k.2.3.r.1", pgettext_lazy("e2b element", "the suspect medicine's active substance"),
         f"{PRODUCT}/ingredient/ingredientSubstance/name"),
    Rule("H.1", pgettext_lazy("e2b element", "the narrative"), f"{EVENT}/text"),
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    element: str
    label: str | Promise
    where: str  # the message's report identifier, "" for the batch

    def __str__(self) -> str:
        return f"{self.label} ({self.element})"


def _broken(base: ET.Element, rule: Rule) -> bool:
    if rule.when is not None and not rule.when(base):
        return False
    found = base.findall(_qualify(rule.path))
    if rule.having:
        found = [e for e in found if e.find(_qualify(rule.having)) is not None]
    if rule.target:
        found = [t for e in found if (t := e.find(_qualify(rule.target))) is not None]
    if not found:
        return True
    return any(
        not rule.check(e.get(rule.attribute) if rule.attribute else e.text, e) for e in found
    )


def check_batch(root: ET.Element) -> list[Problem]:
    """Every rule the batch breaks: the batch's first, then each message's in order."""
    if root.tag != f"{{{HL7}}}MCCI_IN200100UV01":
        return [
            Problem("N.1", pgettext_lazy("e2b element", "the batch in the HL7 v3 namespace"), "")
        ]
    problems = [Problem(r.element, r.label, "") for r in BATCH_RULES if _broken(root, r)]
    messages = root.findall(_qualify("PORR_IN049016UV"))
    if not messages:
        problems.append(Problem("N.2.r", pgettext_lazy("e2b element", "at least one case"), ""))
    for message in messages:
        identifier = message.find(_qualify(f"id[@root='{OID_REPORT_ID}']"))
        where = identifier.get("extension", "") if identifier is not None else ""
        problems += [
            Problem(r.element, r.label, where) for r in MESSAGE_RULES if _broken(message, r)
        ]
    return problems


def rule_table() -> list[tuple[str, str, str]]:
    """(data element, path, check) of every rule: the table in decisions/0039."""
    rows = []
    for rule in (*BATCH_RULES, *MESSAGE_RULES):
        where = rule.path + (f"[{rule.having}]" if rule.having else "")
        where += f"/{rule.target}" if rule.target else ""
        where += f"/@{rule.attribute}" if rule.attribute else "/text()"
        rows.append((rule.element, where, getattr(rule.check, "__name__", "check")))
    return rows
