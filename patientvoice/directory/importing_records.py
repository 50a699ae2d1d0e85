"""Reading a directory CSV file: the header checked as a whole, then each record
with its line number (as an editor counts them). Shared by the medicine, clinic and
physician importers (``importing_medicines``, ``importing_providers``); pure, no
database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .importing import RejectedRow

T = TypeVar("T")

LIST_SEPARATOR = "|"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80
_url = URLValidator(schemes=["http", "https"])


class ImportFileError(ValueError):
    """The file as a whole cannot be read (empty, or wrong columns); nothing is imported."""


@dataclass
class Parsed[T]:
    """The rows a file's text yielded, and the rows it rejected with their reasons."""

    rows: list[T] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


def split_list(value: str) -> list[str]:
    """``"a | b|a|"`` -> ``["a", "b"]``: ``|``-separated, trimmed, each once."""
    found = (s.strip() for s in value.split(LIST_SEPARATOR))
    return list(dict.fromkeys(s for s in found if s))


def slug_problem(slug: str) -> str | None:
    if not slug:
        return "slug is empty"
    if len(slug) > MAX_SLUG or not SLUG_RE.match(slug):
        return f"slug {slug!r} is not lowercase letters, digits and hyphens (at most {MAX_SLUG})"
    return None


def url_problem(column: str, value: str, max_length: int = 500) -> str | None:
    if not value:
        return None
    if len(value) > max_length:
        return f"{column} is longer than {max_length} characters"
    try:
        _url(value)
    except ValidationError:
        return f"{column} {value!r} is not an http(s) address"
    return None


def length_problem(values: dict[str, str], limits: dict[str, int]) -> str | None:
    for column, limit in limits.items():
        if len(values.get(column, "")) > limit:
            return f"{column} is longer than {limit} characters"
    return None


def read_records(
    text: str, *, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]] | RejectedRow]:
    """Check the header and return the records. Each record is
    ``(line, {column: trimmed value})`` with every optional column present (empty when
    the file lacks it), or a :class:`RejectedRow` for a line with the wrong number of
    cells. Blank lines are skipped. Raises :class:`ImportFileError` when the file is
    empty, lacks a required column or has a column nobody reads (a misspelt
    ``atc`` would otherwise be dropped without a word)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header = [column.strip() for column in next(reader, [])]
    if not header or header == [""]:
        raise ImportFileError("the file is empty")
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(f"the header lacks the columns {', '.join(missing)}")
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        raise ImportFileError(
            f"the header has unknown columns {', '.join(unknown)} "
            f"(known: {', '.join([*required, *optional])})"
        )
    if len(set(header)) != len(header):
        raise ImportFileError("the header names a column twice")

    def records() -> Iterator[tuple[int, dict[str, str]] | RejectedRow]:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                yield RejectedRow(line, f"{len(record)} columns, expected {len(header)}")
                continue
            values = dict.fromkeys(optional, "")
            values.update((c, cell.strip()) for c, cell in zip(header, record, strict=True))
            yield line, values

    return records()


def parse_rows[T](
    text: str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    build: Callable[[int, dict[str, str]], T | str],
) -> Parsed[T]:
    """Read every record and turn it into a row with ``build(line, values)``, which
    returns the row or the reason it is rejected. A slug seen twice keeps its first row."""
    records = read_records(text, required=required, optional=optional)
    parsed: Parsed[T] = Parsed()
    first_line: dict[str, int] = {}
    for record in records:
        if isinstance(record, RejectedRow):
            parsed.rejected.append(record)
            continue
        line, values = record
        result = build(line, values)
        slug = values.get("slug", "")
        if not isinstance(result, str) and slug in first_line:
            result = f"slug {slug!r} is already on line {first_line[slug]}"
        if isinstance(result, str):
            parsed.rejected.append(RejectedRow(line, result))
            continue
        first_line[slug] = line
        parsed.rows.append(result)
    return parsed
