"""Generated directory entries (medicines, clinics, physicians) and reviews of them:
a few entries with thousands of reviews, most with few or none, scores J-shaped.
The summaries are then rebuilt by ``reviews.aggregates.rebuild_all`` (the code of
``manage.py rebuild_review_summaries``), so they are what the actions would have kept."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils.text import slugify

from patientvoice.core.markup import render_markdown, text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import (
    Clinic,
    ClinicKind,
    Medicine,
    Physician,
    Profession,
    Region,
)
from patientvoice.reviews.dimensions import KINDS, SIDE_EFFECTS
from patientvoice.reviews.models import Duration, Review, StopReason
from patientvoice.reviews.trust import NEW_ACCOUNT
from patientvoice.search.registry import PUBLIC, Document

from .bulk import Table, chunk, next_id
from .people import People
from .searchindex import Staging
from .shape import Zipf, j_shaped_score, moment, near, uuid_from
from .textbank import Writer

REVIEW_KIND = "reviews.review"
SYLLABLES = str.split("lo va ri xa te no mi ca da ze bu fi ro ta ne sa ki")
ENDINGS = ["ol", "in", "ex", "an", "ix", "on", "ast", "umab"]
PLACES = ["Björkbacken", "Centrum", "Hagalund", "Sjöstaden", "Norrmalm", "Ekdalen", "Solvik",
          "Granby", "Älvsjö", "Kvarnen", "Lindö", "Bergsjön"]  # fmt: skip
SPECIALTIES = ["Allmänmedicin", "Reumatologi", "Endokrinologi", "Psykiatri", "Neurologi",
               "Kardiologi", "Onkologi", "Gastroenterologi"]  # fmt: skip
SURNAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
            "Persson", "Svensson", "Gustafsson", "Lindberg", "Holm", "Ek", "Berg"]  # fmt: skip
Progress = Callable[[int, int], None]


def make_entries(rng: random.Random, count: int, tag: str) -> dict[str, list[int]]:
    """20 % medicines, 35 % clinics, 45 % physicians, every one active and complete as
    the importers write them (``search_text`` from ``build_search_text``)."""
    medicines, clinics, physicians = [], [], []
    regions, kinds = list(Region.values), [k for k in ClinicKind.values if k != "other"]
    for n in range(max(1, count // 5)):
        name = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() + rng.choice(ENDINGS)
        group, letters = rng.choice("ABCJLMNR"), "".join(rng.choices("ABCDEFG", k=2))
        atc = f"{group}{rng.randint(1, 99):02d}{letters}{rng.randint(1, 99):02d}"
        medicines.append(
            Medicine(slug=slugify(f"{tag}-{name}-{n}"), inn_en=name.lower(), name_sv=name,
                     brands_sv=[f"{name} {rng.choice(['Mylan', 'Sandoz', 'Orion'])}"],
                     atc_code=atc, forms=["tablet"], strength=f"{rng.choice([5, 10, 20, 50])} mg")
        )  # fmt: skip
    for n in range(max(1, count * 35 // 100)):
        place = rng.choice(PLACES)
        name = f"Vårdcentralen {place} {n + 1}"
        clinics.append(
            Clinic(slug=slugify(f"{tag}-{name}"), name=name, kind=rng.choice(kinds),
                   region=rng.choice(regions), municipality=place,
                   address=f"{place}vägen {rng.randint(1, 90)}",
                   postcode=f"{rng.randint(100, 989)} {rng.randint(10, 99)}")
        )  # fmt: skip
    for n in range(max(1, count - len(medicines) - len(clinics))):
        first = rng.choice(["Anna", "Erik", "Sara", "Lars", "Maria", "Omar"])
        name = f"{first} {rng.choice(SURNAMES)}"
        physicians.append(
            Physician(slug=slugify(f"{tag}-{name}-{n}"), name=name,
                      profession=rng.choice([Profession.PHYSICIAN] * 4 + [Profession.NURSE]),
                      specialty=rng.choice(SPECIALTIES))
        )  # fmt: skip
    ids: dict[str, list[int]] = {}
    model: Any
    rows: Any
    for key, model, rows in (("medicine", Medicine, medicines), ("clinic", Clinic, clinics),
                             ("physician", Physician, physicians)):  # fmt: skip
        for row in rows:
            row.search_text = row.build_search_text()
        created = model.objects.bulk_create(rows, batch_size=1000)
        ids[key] = [row.pk for row in created]
    return ids


REVIEW_COLUMNS = [
    "id", "public_id", "created_at", "updated_at", "author", "body", "body_html", "language",
    "status", "hold_reasons", "published_at", "kind", "medicine", "physician", "clinic",
    "scores", "on_behalf", "is_verified_experience", "edited_at", "condition", "duration",
    "still_taking", "stop_reason", "side_effects", "side_effects_text", "would_recommend",
    "waiting_minutes",
]  # fmt: skip


def write_reviews(
    rng: random.Random, total: int, until: datetime, entries: dict[str, list[int]],
    people: People, conditions: list[int], writers: dict[str, Writer], staging: Staging,
    progress: Progress,
) -> tuple[dict[int, int], dict[str, int]]:  # fmt: skip
    """Returns reviews published per author and the most reviewed entry per kind."""
    table = Table(Review, REVIEW_COLUMNS)
    shares = (("medicine", 0.6), ("physician", 0.25), ("clinic", 0.15))
    popular = {k: Zipf(len(v), 1.1) for k, v in entries.items() if v}
    taken: set[tuple[str, int, int]] = set()
    counts: dict[tuple[str, int], int] = {}
    published_by: dict[int, int] = {}
    first = next_id(Review)
    pk = first
    side_effects = [k for k in SIDE_EFFECTS if k != "other"]
    for start in range(0, total, 10000):
        with chunk():
            for _ in range(min(10000, total - start)):
                r = rng.random()
                kind = "medicine" if r < shares[0][1] else "physician" if r < 0.85 else "clinic"
                if kind not in popular:
                    continue
                entry = entries[kind][popular[kind].draw(rng)]
                author = people.ids[rng.randrange(len(people.ids))]
                if (kind, entry, author) in taken:  # one review per member and entry
                    continue
                taken.add((kind, entry, author))
                headline = j_shaped_score(rng)
                scores = {d: near(rng, headline) for d in KINDS[kind].keys}
                scores[KINDS[kind].headline] = headline
                language = people.language[author]
                body = writers[language].review(language) if rng.random() < 0.4 else ""
                html = render_markdown(body) if body else ""
                at = max(moment(rng, until), people.joined[author] + timedelta(days=8))
                held = rng.random() < 0.01
                medicine = kind == "medicine"
                stopped = medicine and headline <= 2 and rng.random() < 0.7
                with_condition = medicine and conditions and rng.random() < 0.6
                condition = rng.choice(conditions) if with_condition else None
                row = (
                    pk, uuid_from(rng), at, at, author, body, html, language,
                    ContentStatus.HELD if held else ContentStatus.PUBLISHED,
                    [NEW_ACCOUNT] if held else [], None if held else at, kind,
                    entry if medicine else None, entry if kind == "physician" else None,
                    entry if kind == "clinic" else None, scores, rng.random() < 0.08, not held,
                    None,
                    condition,
                    rng.choice(Duration.values) if medicine else "",
                    (not stopped) if medicine else None,
                    rng.choice(StopReason.values) if stopped else "",
                    rng.sample(side_effects, rng.choice((0, 0, 1, 2))) if medicine else [],
                    "", (headline >= 4) if medicine else None,
                    rng.randint(0, 90) if kind == "physician" and rng.random() < 0.5 else None,
                )  # fmt: skip
                table.add(row)
                if not held:
                    published_by[author] = published_by.get(author, 0) + 1
                    counts[(kind, entry)] = counts.get((kind, entry), 0) + 1
                    if body:
                        staging.add(
                            REVIEW_KIND,
                            Document(object_id=pk, title="", body=text_as_read(html),
                                     language=language, published_at=at, community_id=None,
                                     audiences=(PUBLIC,), author_id=author),
                        )  # fmt: skip
                pk += 1
            table.flush()
            staging.flush()
        progress(min(start + 10000, total), total)
    best: dict[str, int] = {}
    for (kind, entry), n in counts.items():
        if kind not in best or n > counts[(kind, best[kind])]:
            best[kind] = entry
    return published_by, best
