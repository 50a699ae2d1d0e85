"""Holds at publication that only reviews get (issue 5, item 6; decisions/0032).

* **Other staff named.** A review of a physician or a clinic that names staff other
  than the rated physician is held for redaction: names of the other physicians at
  the clinic (or at the rated physician's workplaces) from the directory, and a title
  followed by a capitalised name ("Dr Lind", "sköterskan Karin", "nurse Smith").
* **Very serious allegations about a named person** (a small bilingual lexicon:
  sexual assault, killing, assault, bribes, drunk at work...) are held before
  publication: always in a physician's review (the physician is named), and in any
  other review when it names someone as above.

Both hold, never refuse: a moderator redacts or lets it through, and the author is
told why. The checker knows the reviewed entry through :func:`reviewing`, which
``actions`` wraps around ``publish()``; other content never sees these checks
(``CheckContext.kind``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.core.textchecks import (
    REASON_LABELS,
    CheckContext,
    Finding,
    Outcome,
    register_checker,
)
from patientvoice.directory.models import Clinic, Physician

REVIEW_LABEL = "reviews.review"
NAMES_STAFF = "review.names_staff"
SERIOUS_ALLEGATION = "review.serious_allegation"

HOLD_MESSAGES: dict[str, str | Promise] = {
    NAMES_STAFF: pgettext_lazy(
        "hold reason",
        "It seems to name staff other than the physician you rate. A moderator will "
        "remove the names before others see it.",
    ),
    SERIOUS_ALLEGATION: pgettext_lazy(
        "hold reason",
        "It makes a very serious accusation against a named person. A moderator reads "
        "it before others see it. If a crime was committed, you can report it to the "
        "police, and care incidents to IVO (Inspektionen för vård och omsorg).",
    ),
}

_ENTRY: ContextVar[Any] = ContextVar("reviewed_entry", default=None)


@contextmanager
def reviewing(entry: Any) -> Iterator[None]:
    """While a review of ``entry`` passes the pipeline, the checkers know its entry."""
    token = _ENTRY.set(entry)
    try:
        yield
    finally:
        _ENTRY.reset(token)


_NAME = r"[A-ZÅÄÖÉ][a-zåäöéüø]+(?:[ -][A-ZÅÄÖÉ][a-zåäöéüø]+)?"
TITLED_NAME = re.compile(
    r"(?<![\w])(?i:dr|doktor|doktorn|doctor|läkaren|sjuksköterskan|sköterskan|syster|"
    r"undersköterskan|barnmorskan|nurse|sister|midwife|receptionisten|kuratorn)\.?\s+"
    rf"({_NAME})"
)
# Words after a title that are not names ("Dr Who"-style false friends are rare; these
# are the common Swedish/English sentence starters that get capitalised).
_NOT_NAMES = {"Och", "Som", "Var", "The", "And", "Was", "Is", "Jag", "I", "Hon", "Han"}

_ALLEGATIONS = [
    r"sexuell[at]?\s+övergrepp",
    r"övergrepp",
    r"sexuellt\s+ofredande",
    r"våldt[aä]\w*",
    r"dödade",
    r"mördade",
    r"misshandl\w*",
    r"mut(a|or|ade|orna)",
    r"full\s+på\s+jobbet",
    r"berusad\s+på\s+jobbet",
    r"påverkad\s+på\s+jobbet",
    r"sexual(ly)?\s+assault\w*",
    r"rap(e|ed)",
    r"killed",
    r"murdered",
    r"assault(ed)?",
    r"brib(e|es|ed|ery)",
    r"drunk\s+(at|on)\s+(work|duty)",
    r"intoxicated\s+(at|on)\s+(work|duty)",
]
ALLEGATION = re.compile(r"(?<!\w)(?:" + "|".join(_ALLEGATIONS) + r")(?!\w)", re.IGNORECASE)


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def _rated_names(entry: Any) -> set[str]:
    """The rated physician's name and its parts (a surname alone names them too)."""
    if not isinstance(entry, Physician):
        return set()
    parts = _folded(entry.name).split()
    return {_folded(entry.name), *parts}


def _colleague_names(entry: Any) -> list[str]:
    """Names of the other physicians at the clinic, or at the physician's workplaces
    (one query; directory reference data)."""
    if isinstance(entry, Clinic):
        people = Physician.objects.filter(workplaces=entry, is_active=True)
    elif isinstance(entry, Physician) and entry.pk:
        people = Physician.objects.filter(
            workplaces__in=entry.workplaces.all(), is_active=True
        ).exclude(pk=entry.pk)
    else:
        return []
    return list(people.values_list("name", flat=True).distinct()[:500])


def _named_others(text: str, entry: Any) -> list[tuple[int, int]]:
    rated = _rated_names(entry)
    spans: list[tuple[int, int]] = []
    for match in TITLED_NAME.finditer(text):
        name = match.group(1)
        if name.split()[0] in _NOT_NAMES:
            continue
        if _folded(name) in rated or _folded(name).split()[0] in rated:
            continue
        spans.append(match.span())
    folded_text = text.casefold()
    for name in _colleague_names(entry):
        wanted = _folded(name)
        if len(wanted) < 4:
            continue
        found = re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded_text)
        if found:
            spans.append(found.span())
    return spans


def check_review_holds(text: str, context: CheckContext) -> list[Finding]:
    """Hold a review naming other staff, or a very serious allegation about a named
    person (see the module's docstring)."""
    if context.kind != REVIEW_LABEL:
        return []
    entry = _ENTRY.get()
    findings: list[Finding] = []
    named = _named_others(text, entry) if isinstance(entry, Physician | Clinic) else []
    if named:
        findings.append(
            Finding(
                code=NAMES_STAFF,
                message=HOLD_MESSAGES[NAMES_STAFF],
                outcome=Outcome.HOLD,
                spans=tuple(named),
            )
        )
    allegation = ALLEGATION.search(text)
    if allegation is not None:
        someone_named = bool(named) or isinstance(entry, Physician)
        if not someone_named:
            someone_named = any(
                m.group(1).split()[0] not in _NOT_NAMES for m in TITLED_NAME.finditer(text)
            )
        if someone_named:
            findings.append(
                Finding(
                    code=SERIOUS_ALLEGATION,
                    message=HOLD_MESSAGES[SERIOUS_ALLEGATION],
                    outcome=Outcome.HOLD,
                    spans=(allegation.span(),),
                )
            )
    return findings


def register_review_holds() -> None:
    register_checker(check_review_holds)
    REASON_LABELS.update(HOLD_MESSAGES)
