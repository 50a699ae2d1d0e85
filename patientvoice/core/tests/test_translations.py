"""The message catalogues: Swedish complete, compiled and faithful to the English source.

The .po files are parsed here with the standard library only (a small parser for the
subset of the PO format that ``makemessages`` writes), so the check needs no extra package.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.test import Client

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
SV_PO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
SV_MO = SV_PO.with_suffix(".mo")
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

SV_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

# %(name)s, %s, %d, %%: Python's %-formatting, only where the entry is flagged python-format.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|\{\d*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


@dataclass
class Entry:
    """One message of a PO file."""

    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"

    def forms(self) -> list[tuple[str, str]]:
        """(source, translation) pairs: msgstr[0] against msgid, the rest against msgid_plural."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [
            (self.msgid if index == 0 else self.msgid_plural, text)
            for index, text in sorted(self.msgstr.items())
        ]


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def parse_po(path: Path) -> list[Entry]:
    """Parse a PO file into entries; obsolete (``#~``) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def unquote(token: str) -> str:
        value = ast.literal_eval(token)
        assert isinstance(value, str), token
        return value

    def append(text: str) -> None:
        assert current is not None
        assert target is not None
        name, index = target
        if name == "msgstr":
            current.msgstr[index] += text
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + text
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + text
        else:
            current.msgid += text

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if starts_entry and (current is None or current.msgstr):
            current = Entry(line=number)
            entries.append(current)
            target = None
        assert current is not None, f"{path}:{number}: text before the first entry"
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(unquote(line))
        else:
            match = _KEYWORD.match(line)
            assert match, f"{path}:{number}: cannot parse {raw!r}"
            keyword, index, token = match.groups()
            if keyword == "msgid":
                current.line = number
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = ""
            else:
                target = (keyword, 0)
                if keyword == "msgctxt":
                    current.msgctxt = ""
                elif keyword == "msgid_plural":
                    current.msgid_plural = ""
                else:
                    current.msgid = ""
            append(unquote(token))
    return entries


@cache
def swedish_entries() -> tuple[Entry, ...]:
    return tuple(parse_po(SV_PO))


def swedish_messages() -> list[Entry]:
    return [entry for entry in swedish_entries() if not entry.is_header]


def header(entries: tuple[Entry, ...] | list[Entry]) -> dict[str, str]:
    first = next(entry for entry in entries if entry.is_header)
    fields = {}
    for line in first.msgstr.get(0, "").splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def failures(message: str, labels: list[str]) -> str:
    return f"{len(labels)} {message}:\n  " + "\n  ".join(labels)


def placeholders(text: str, *, python_format: bool) -> Counter[str]:
    found = Counter(BRACE_PLACEHOLDER.findall(text))
    if python_format:
        found.update(PERCENT_PLACEHOLDER.findall(text))
    return found


# --- the catalogue files --------------------------------------------------------------------


def test_the_parser_reads_the_whole_swedish_catalogue() -> None:
    messages = swedish_messages()
    msgid_lines = [
        line for line in SV_PO.read_text(encoding="utf-8").splitlines() if line.startswith("msgid ")
    ]
    assert len(messages) == len(msgid_lines) - 1  # minus the header
    assert any(entry.msgid_plural for entry in messages)
    assert any(entry.msgctxt for entry in messages)


def test_the_swedish_header_names_the_language_and_the_plural_rule() -> None:
    fields = header(swedish_entries())
    assert fields.get("Language") == "sv"
    assert fields.get("Plural-Forms") == SV_PLURAL_FORMS
    assert "charset=UTF-8" in fields.get("Content-Type", "")


def test_every_swedish_entry_is_translated() -> None:
    untranslated = [
        entry.label
        for entry in swedish_messages()
        if not entry.msgstr
        or any(not text for text in entry.msgstr.values())
        or (entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1])
    ]
    assert not untranslated, failures("Swedish entries are not translated", untranslated)


def test_no_swedish_entry_is_marked_fuzzy() -> None:
    fuzzy = [entry.label for entry in swedish_entries() if "fuzzy" in entry.flags]
    assert not fuzzy, failures("Swedish entries are marked fuzzy", fuzzy)


def test_no_english_entry_is_marked_fuzzy_and_english_falls_back_to_the_source() -> None:
    entries = parse_po(EN_PO)
    assert header(entries).get("Language") == "en"
    fuzzy = [entry.label for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, failures("English entries are marked fuzzy", fuzzy)
    overridden = [
        entry.label
        for entry in entries
        if not entry.is_header and any(text for text in entry.msgstr.values())
    ]
    assert not overridden, failures("English entries have a msgstr", overridden)


def test_the_english_and_swedish_catalogues_hold_the_same_messages() -> None:
    def keys(entries: list[Entry] | tuple[Entry, ...]) -> set[tuple[str | None, str]]:
        return {(entry.msgctxt, entry.msgid) for entry in entries if not entry.is_header}

    english, swedish = keys(parse_po(EN_PO)), keys(swedish_entries())
    assert english == swedish, (
        f"only English: {english - swedish}, only Swedish: {swedish - english}"
    )


def test_placeholders_in_each_swedish_translation_match_the_source() -> None:
    wrong = []
    for entry in swedish_messages():
        python_format = "python-format" in entry.flags
        for source, translation in entry.forms():
            expected = placeholders(source, python_format=python_format)
            actual = placeholders(translation, python_format=python_format)
            if translation and expected != actual:
                wrong.append(f"{entry.label}: {sorted(expected)} ≠ {sorted(actual)}")
    assert not wrong, failures("Swedish entries have other placeholders than the source", wrong)


def test_html_tags_in_each_swedish_translation_match_the_source() -> None:
    wrong = []
    for entry in swedish_messages():
        for source, translation in entry.forms():
            expected, actual = (
                Counter(HTML_TAG.findall(source)),
                Counter(HTML_TAG.findall(translation)),
            )
            if translation and expected != actual:
                wrong.append(f"{entry.label}: {sorted(expected)} ≠ {sorted(actual)}")
    assert not wrong, failures("Swedish entries have other HTML tags than the source", wrong)


def test_the_compiled_swedish_catalogue_matches_the_po_file() -> None:
    """A .mo compiled before the last edit of the .po fails here: run compilemessages."""
    assert SV_MO.exists(), f"{SV_MO} is missing: run compilemessages"
    with SV_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("language") == "sv"
    stale = []
    for entry in swedish_messages():
        context = entry.msgctxt
        if entry.msgid_plural is None:
            expected = entry.msgstr.get(0, "")
            actual = (
                compiled.pgettext(context, entry.msgid)
                if context is not None
                else compiled.gettext(entry.msgid)
            )
            if actual != expected:
                stale.append(f"{entry.label}: .mo has {actual!r}")
            continue
        for count, index in ((1, 0), (2, 1), (5, 1)):
            expected = entry.msgstr.get(index, "")
            actual = (
                compiled.npgettext(context, entry.msgid, entry.msgid_plural, count)
                if context is not None
                else compiled.ngettext(entry.msgid, entry.msgid_plural, count)
            )
            if actual != expected:
                stale.append(f"{entry.label} (n={count}): .mo has {actual!r}")
    assert not stale, failures("entries differ between django.po and django.mo", stale)


# --- the site in Swedish --------------------------------------------------------------------

ENGLISH_NAVIGATION = [
    "Skip to content",
    "Communities",
    "Log in",
    "Join",
    "My account",
    "Log out",
    "Privacy",
    "Terms",
    "Cookies",
    "Accessibility",
    "Contact",
    "Need help now?",
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_the_swedish_home_page_speaks_swedish(client: Client) -> None:
    response = client.get("/sv/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    text = visible_text(html)
    for swedish in [
        "Hoppa till innehållet",
        "Logga in",
        "Gå med",
        "Gemenskaper",
        "Kakor",
        "Tillgänglighet",
        "Behöver du hjälp nu?",
        "Vid akut fara, ring 112.",
    ]:
        assert swedish in text, f"{swedish!r} is missing on /sv/"
    left = [word for word in ENGLISH_NAVIGATION if re.search(rf"\b{re.escape(word)}", text)]
    assert not left, f"English words on the Swedish home page: {left}"


@pytest.mark.django_db
def test_the_english_home_page_falls_back_to_the_english_source(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    for english in ["Skip to content", "Log in", "Join", "Communities"]:
        assert english in text, f"{english!r} is missing on /en/"
    assert "Logga in" not in text
