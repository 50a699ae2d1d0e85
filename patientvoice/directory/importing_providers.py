"""Reading clinic and physician files. Pure parsing, no database: the
``import_clinics`` and ``import_physicians`` commands read files through
:func:`parse_clinics` and :func:`parse_physicians`.

Clinics (UTF-8, comma-separated, a header row):

=============  ========  ==========================================================
column         required  content
=============  ========  ==========================================================
slug           yes       lowercase letters, digits and hyphens
name           yes       ``Vårdcentralen Kungsholmen``
kind           yes       primary_care, hospital_department, specialist, dental,
                         pharmacy, psychiatry, rehabilitation, other
region         yes       one of the 21 regions: stockholm, uppsala, sormland,
                         ostergotland, jonkoping, kronoberg, kalmar, gotland,
                         blekinge, skane, halland, vastra_gotaland, varmland,
                         orebro, vastmanland, dalarna, gavleborg, vasternorrland,
                         jamtland_harjedalen, vasterbotten, norrbotten
municipality   yes       ``Stockholm``
address        no        street address
postcode       no        ``112 34`` or ``11234`` (stored as ``112 34``)
website        no        an http(s) address
hsa_id         no        ``SE2321000016-ABCD``
=============  ========  ==========================================================

Physicians (lists are ``|``-separated):

=============  ========  ==========================================================
column         required  content
=============  ========  ==========================================================
slug           yes       lowercase letters, digits and hyphens
name           yes       ``Anna Andersson``
profession     yes       physician, nurse, midwife, psychologist, physiotherapist,
                         occupational_therapist, dentist, pharmacist, dietitian,
                         counsellor, other
specialty      no        free text: ``Allmänmedicin``
workplaces     no        clinic slugs: ``vc-kungsholmen|karolinska-reuma``; every one
                         must exist (import clinics first). The list replaces the
                         physician's workplaces.
licence_id     no        the licence (legitimation) number, free text
=============  ========  ==========================================================
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from .importing import RejectedRow
from .importing_records import (
    Parsed,
    length_problem,
    parse_rows,
    slug_problem,
    split_list,
    url_problem,
)
from .models import HSA_ID_PATTERN, ClinicKind, Profession, Region

CLINIC_COLUMNS = ("slug", "name", "kind", "region", "municipality")
CLINIC_OPTIONAL_COLUMNS = ("address", "postcode", "website", "hsa_id")
PHYSICIAN_COLUMNS = ("slug", "name", "profession")
PHYSICIAN_OPTIONAL_COLUMNS = ("specialty", "workplaces", "licence_id")
HSA_ID_RE = re.compile(HSA_ID_PATTERN)
POSTCODE_RE = re.compile(r"^([0-9]{3}) ?([0-9]{2})$")


@dataclass(frozen=True)
class ClinicRow:
    line: int
    slug: str
    name: str
    kind: str
    region: str
    municipality: str
    address: str = ""
    postcode: str = ""
    website: str = ""
    hsa_id: str = ""

    def fields(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "region": self.region,
            "municipality": self.municipality,
            "address": self.address,
            "postcode": self.postcode,
            "website": self.website,
            "hsa_id": self.hsa_id,
        }


@dataclass(frozen=True)
class PhysicianRow:
    line: int
    slug: str
    name: str
    profession: str
    specialty: str = ""
    licence_id: str = ""
    workplaces: list[str] = field(default_factory=list)  # clinic slugs

    def fields(self) -> dict[str, object]:
        """The model's own fields (workplaces are a many-to-many, written apart)."""
        return {
            "name": self.name,
            "profession": self.profession,
            "specialty": self.specialty,
            "licence_id": self.licence_id,
        }


def _build_clinic(line: int, values: dict[str, str]) -> ClinicRow | str:
    problem = slug_problem(values["slug"]) or length_problem(
        values, {"name": 200, "municipality": 80, "address": 200}
    )
    if problem:
        return problem
    for column in ("name", "municipality"):
        if not values[column]:
            return f"{column} is empty"
    if values["kind"] not in ClinicKind.values:
        return f"kind {values['kind']!r} is not one of {', '.join(ClinicKind.values)}"
    if values["region"] not in Region.values:
        return (
            f"region {values['region']!r} is not one of the 21 regions ({', '.join(Region.values)})"
        )
    postcode = ""
    if values["postcode"]:
        match = POSTCODE_RE.match(values["postcode"])
        if match is None:
            return f"postcode {values['postcode']!r} is not a Swedish postcode such as 112 34"
        postcode = f"{match[1]} {match[2]}"
    hsa_id = values["hsa_id"].upper()
    if hsa_id and (len(hsa_id) > 31 or not HSA_ID_RE.match(hsa_id)):
        return f"hsa_id {values['hsa_id']!r} is not an HSA-id such as SE2321000016-ABCD"
    problem = url_problem("website", values["website"])
    if problem:
        return problem
    return ClinicRow(
        line=line,
        slug=values["slug"],
        name=values["name"],
        kind=values["kind"],
        region=values["region"],
        municipality=values["municipality"],
        address=values["address"],
        postcode=postcode,
        website=values["website"],
        hsa_id=hsa_id,
    )


def _build_physician(line: int, values: dict[str, str]) -> PhysicianRow | str:
    problem = slug_problem(values["slug"]) or length_problem(
        values, {"name": 200, "specialty": 200, "licence_id": 32}
    )
    if problem:
        return problem
    if not values["name"]:
        return "name is empty"
    if values["profession"] not in Profession.values:
        return f"profession {values['profession']!r} is not one of {', '.join(Profession.values)}"
    workplaces = split_list(values["workplaces"])
    for slug in workplaces:
        if slug_problem(slug):
            return f"workplace {slug!r} is not a clinic slug"
    return PhysicianRow(
        line=line,
        slug=values["slug"],
        name=values["name"],
        profession=values["profession"],
        specialty=values["specialty"],
        licence_id=values["licence_id"],
        workplaces=workplaces,
    )


def parse_clinics(text: str) -> Parsed[ClinicRow]:
    """Like ``parse_medicines``, for clinics."""
    return parse_rows(
        text, required=CLINIC_COLUMNS, optional=CLINIC_OPTIONAL_COLUMNS, build=_build_clinic
    )


def parse_physicians(text: str) -> Parsed[PhysicianRow]:
    """Like ``parse_medicines``, for physicians. Whether the workplaces exist is checked
    against the database by :func:`reject_unknown_workplaces`."""
    return parse_rows(
        text,
        required=PHYSICIAN_COLUMNS,
        optional=PHYSICIAN_OPTIONAL_COLUMNS,
        build=_build_physician,
    )


def reject_unknown_workplaces(
    parsed: Parsed[PhysicianRow], known_clinics: Collection[str]
) -> Parsed[PhysicianRow]:
    """Move the rows naming a clinic slug not in ``known_clinics`` to the rejected ones."""
    result: Parsed[PhysicianRow] = Parsed(rejected=list(parsed.rejected))
    for row in parsed.rows:
        unknown = [slug for slug in row.workplaces if slug not in known_clinics]
        if unknown:
            reason = f"no clinic with the slug {', '.join(map(repr, unknown))}"
            result.rejected.append(RejectedRow(row.line, reason))
        else:
            result.rows.append(row)
    result.rejected.sort(key=lambda r: r.line)
    return result
