"""What the safety screen reads in each kind of content, and the signal drafts it makes
from the detector's findings (decisions/0036).

* Every kind of content is read as a reader sees it (``core.markup.text_as_read`` of
  the sanitised HTML); a thread's opening post is read with the thread's title before
  it, as the publishing pipeline checks it.
* A review of a medicine is read with the medicine's name before it: the member is
  writing about that medicine whether or not they name it. A mention found in that
  name is the reviewed medicine (``medicine_span`` None); the excerpt holds only what
  the member wrote.
* A review's side-effect answers (the boxes ticked, "other side effects", "stopped
  because of side effects") are *solicited* (GVP VI.B.1.2: organised data collection);
  everything else is *spontaneous*.

Nothing here writes; :mod:`patientvoice.safety.actions` turns drafts into signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.core.markup import text_as_read
from patientvoice.core.models import Content

from .concepts import UNSPECIFIED
from .models import EXCERPT_MAX_LENGTH, Origin, SignalSource

EXCERPT_RADIUS = 200  # characters of context each side of a mention
SNAP = 30  # how far a window's edge moves to fall between words
GAP = " … "
DEFAULT_THRESHOLD = 0.5
FORM_CONFIDENCE = 1.0

# The review form's side-effect boxes (reviews.dimensions.SIDE_EFFECTS) as reaction
# concepts of the detector's lexicon. "other" is read from its text.
FORM_CONCEPTS: dict[str, str] = {
    "headache": "headache",
    "nausea": "nausea",
    "dizziness": "dizziness",
    "tiredness": "fatigue",
    "weight_gain": "weight_gain",
    "sleep_problems": "insomnia",
    "dry_mouth": "dry_mouth",
    "stomach_upset": "stomach_upset",
    "rash": "rash",
    "hair_loss": "hair_loss",
    "low_mood": "low_mood",
    "anxiety": "anxiety",
    "sexual_problems": "sexual_dysfunction",
    "palpitations": "palpitations",
}

Span = tuple[int, int]


def threshold() -> float:
    """``PV_SAFETY_SIGNAL_THRESHOLD``: detections at or above it open a signal."""
    return float(getattr(settings, "PV_SAFETY_SIGNAL_THRESHOLD", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class Draft:
    """A signal to open, with its snapshot."""

    field: str
    source: str
    origin: str
    medicine_slug: str
    reaction: str
    excerpt: str
    medicine_span: Span | None
    reaction_span: Span | None
    confidence: float
    reasons: tuple[str, ...] = ()
    medicine_candidates: tuple[str, ...] = ()
    always_review: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.field, self.medicine_slug, self.reaction)


@dataclass(frozen=True)
class Place:
    community: Any  # Community | None
    label: str
    audience: str


# --- the text of each kind ----------------------------------------------------------------


def _as_read(content: Content) -> str:
    return text_as_read(content.body_html or "")


def _opening_title(content: Content) -> str:
    """What the member wrote besides the body: the thread's title for a thread's opening
    post; a kind's own title and a picture's alt text (stories, campaign submissions,
    whose picture may have no body at all)."""
    if content._meta.label_lower == "communities.post":
        if getattr(content, "position", 0) != 1:
            return ""
        thread = getattr(content, "thread", None)
        return str(getattr(thread, "title", "") or "")
    parts = (getattr(content, name, "") for name in ("title", "alt_text"))
    return "\n\n".join(str(part) for part in parts if isinstance(part, str) and part.strip())


def reviewed_medicine(content: Content) -> Any:
    """The medicine a review is about (None for other kinds and other reviews)."""
    if content._meta.label_lower != "reviews.review":
        return None
    return getattr(content, "medicine", None) if getattr(content, "medicine_id", None) else None


def place_of(content: Content) -> Place:
    """Where the content was written and who could read it there, as it is now: a
    community (with its visibility), or the public reviews."""
    target: Any = content
    if content._meta.label_lower == "expertnotes.notereply":
        target = getattr(content, "note", content)
    if target._meta.label_lower == "expertnotes.expertnote":
        target = target.post if getattr(target, "post_id", None) else target.review
    label = target._meta.label_lower
    if label.startswith("reviews."):
        return Place(None, "reviews", "public")
    community = getattr(target, "community", None) if hasattr(target, "community_id") else None
    if community is not None:
        return Place(community, community.name[:200], str(community.visibility))
    return Place(None, "site", "public")


# --- detections -> drafts -----------------------------------------------------------------


def _detect(text: str, language: str | None) -> list[Any]:
    from patientvoice.safety.detection import detect

    return list(detect(text, language=language))


def _passes(detection: Any, limit: float) -> bool:
    return float(detection.confidence) >= limit or bool(getattr(detection, "always_review", False))


def _windows(length: int, text: str, spans: Sequence[Span]) -> list[Span]:
    windows: list[list[int]] = []
    for start, end in sorted(spans):
        low, high = max(0, start - EXCERPT_RADIUS), min(length, end + EXCERPT_RADIUS)
        if low > 0:  # begin after a space, if one is near
            cut = text.find(" ", low, min(start, low + SNAP))
            low = cut + 1 if cut >= 0 else low
        if high < length:  # end before a space, if one is near
            cut = text.rfind(" ", max(end, high - SNAP), high)
            high = cut if cut >= 0 else high
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    return [(low, high) for low, high in windows]


def excerpt_around(text: str, spans: Sequence[Span | None]) -> tuple[str, list[Span | None]]:
    """Plain text around ``spans`` (offsets into ``text``) and the spans moved into it.
    Windows that meet are joined; others are separated by " … "; the text's start and
    end are marked with "…" where they are cut."""
    real = [s for s in spans if s is not None]
    if not real:
        head = text[: EXCERPT_RADIUS * 2]
        return (head + (" …" if len(text) > len(head) else "")), [None for _ in spans]
    windows = _windows(len(text), text, real)
    parts: list[str] = []
    offsets: list[int] = []
    cursor = 0
    if windows[0][0] > 0:
        parts.append("… ")
        cursor = 2
    for i, (low, high) in enumerate(windows):
        if i:
            parts.append(GAP)
            cursor += len(GAP)
        offsets.append(cursor - low)
        parts.append(text[low:high])
        cursor += high - low
    if windows[-1][1] < len(text):
        parts.append(" …")
    excerpt = "".join(parts)
    moved: list[Span | None] = []
    for span in spans:
        if span is None:
            moved.append(None)
            continue
        for (low, high), shift in zip(windows, offsets, strict=True):
            if low <= span[0] and span[1] <= high:
                moved.append((span[0] + shift, span[1] + shift))
                break
        else:
            moved.append(None)
    return excerpt[:EXCERPT_MAX_LENGTH], moved


def _within(span: Span | None, length: int) -> Span | None:
    if span is None or span[1] > length:
        return None
    return span


@dataclass(frozen=True)
class _Found:
    detection: Any
    medicine_span: Span | None  # None: the reviewed medicine (in the prefix)
    reaction_span: Span


def _found_in(text: str, *, prefix: str, language: str | None, limit: float) -> list[_Found]:
    """The detections in ``prefix + text`` that pass ``limit``, with spans moved into
    ``text``; a reaction inside the prefix (the reviewed medicine's name) is not what
    the member wrote and is dropped."""
    if not text.strip():
        return []
    shift = len(prefix)
    found: list[_Found] = []
    for detection in _detect(prefix + text, language):
        if not _passes(detection, limit):
            continue
        start, end = detection.reaction_span
        if start < shift:
            continue
        m_start, m_end = detection.medicine_span
        medicine_span = (m_start - shift, m_end - shift) if m_start >= shift else None
        found.append(_Found(detection, medicine_span, (start - shift, end - shift)))
    return found


def _draft(
    found: _Found,
    *,
    excerpt: str,
    medicine_span: Span | None,
    reaction_span: Span | None,
    field_name: str,
    source: str,
    origin: str,
    fallback_medicine: str,
    reasons: tuple[str, ...] = (),
) -> Draft:
    detection = found.detection
    slug = detection.medicine or (fallback_medicine if found.medicine_span is None else "")
    return Draft(
        field=field_name,
        source=source,
        origin=origin,
        medicine_slug=slug or "",
        reaction=str(detection.reaction),
        excerpt=excerpt,
        medicine_span=_within(medicine_span, len(excerpt)),
        reaction_span=_within(reaction_span, len(excerpt)),
        confidence=max(0.0, min(1.0, float(detection.confidence))),
        reasons=(*reasons, *(str(r) for r in detection.reasons)),
        medicine_candidates=tuple(detection.medicine_candidates or ()),
        always_review=bool(getattr(detection, "always_review", False)),
    )


def _medicine_prefix(medicine: Any, language: str | None) -> str:
    from patientvoice.directory.queries import medicine_name

    return f"{medicine_name(medicine, language)}: " if medicine is not None else ""


def body_drafts(content: Content, *, limit: float | None = None) -> list[Draft]:
    """What the member wrote: spontaneous."""
    limit = threshold() if limit is None else limit
    title = _opening_title(content)
    text = f"{title}\n\n{_as_read(content)}" if title else _as_read(content)
    medicine = reviewed_medicine(content)
    drafts: list[Draft] = []
    for found in _found_in(
        text,
        prefix=_medicine_prefix(medicine, content.language),
        language=content.language,
        limit=limit,
    ):
        excerpt, (m_span, r_span) = excerpt_around(text, [found.medicine_span, found.reaction_span])
        drafts.append(
            _draft(
                found,
                excerpt=excerpt,
                medicine_span=m_span,
                reaction_span=r_span,
                field_name="body",
                source=SignalSource.DETECTOR,
                origin=Origin.SPONTANEOUS,
                fallback_medicine=medicine.slug if medicine is not None else "",
            )
        )
    return drafts


@dataclass
class _FormText:
    text: str = ""
    spans: dict[str, Span] = field(default_factory=dict)
    other_at: int = -1


def _form_text(content: Any) -> _FormText:
    """The review's side-effect answers as one text, in the review's language."""
    from patientvoice.reviews.dimensions import SIDE_EFFECTS
    from patientvoice.reviews.models import StopReason

    built = _FormText()
    with translation.override(content.language or "sv"):
        lines: list[str] = []
        labels: list[tuple[str, str]] = [
            (key, str(SIDE_EFFECTS[key]))
            for key in content.side_effects or []
            if key in SIDE_EFFECTS and key != "other"
        ]
        if labels:
            head = pgettext("safety review answers", "Side effects") + ": "
            cursor = len(head)
            for i, (key, label) in enumerate(labels):
                if i:
                    head += ", "
                    cursor += 2
                built.spans[key] = (cursor, cursor + len(label))
                head += label
                cursor += len(label)
            lines.append(head)
        other = " ".join((content.side_effects_text or "").split())
        if other:
            lead = pgettext("safety review answers", "Other side effects") + ": "
            built.other_at = sum(len(line) + 1 for line in lines) + len(lead)
            lines.append(lead + other)
        elif "other" in (getattr(content, "side_effects", None) or []):
            lines.append(pgettext("safety review answers", "Other side effects: (not described)"))
        if content.stop_reason == StopReason.SIDE_EFFECTS:
            line = pgettext("safety review answers", "Stopped taking it because of side effects.")
            start = sum(len(existing) + 1 for existing in lines)
            built.spans["stopped"] = (start, start + len(line))
            lines.append(line)
        built.text = "\n".join(lines)
    return built


def form_drafts(content: Content, *, limit: float | None = None) -> list[Draft]:
    """A medicine review's side-effect answers: solicited."""
    medicine = reviewed_medicine(content)
    if medicine is None:
        return []
    limit = threshold() if limit is None else limit
    answers = _form_text(content)
    if not answers.text:
        return []
    drafts: list[Draft] = []

    def add(reaction: str, span: Span | None, confidence: float, reasons: tuple[str, ...]) -> None:
        excerpt, (r_span,) = excerpt_around(answers.text, [span])
        drafts.append(
            Draft(
                field="form",
                source=SignalSource.FORM,
                origin=Origin.SOLICITED,
                medicine_slug=medicine.slug,
                reaction=reaction,
                excerpt=excerpt,
                medicine_span=None,
                reaction_span=_within(r_span, len(excerpt)),
                confidence=confidence,
                reasons=reasons,
            )
        )

    for key, span in answers.spans.items():
        if key in FORM_CONCEPTS:
            add(FORM_CONCEPTS[key], span, FORM_CONFIDENCE, ("form_answer",))
    if answers.other_at >= 0:
        other = answers.text[answers.other_at :].split("\n", 1)[0]
        found = _found_in(
            other,
            prefix=_medicine_prefix(medicine, content.language),
            language=content.language,
            limit=limit,
        )
        for item in found:
            start, end = item.reaction_span
            add(
                str(item.detection.reaction),
                (answers.other_at + start, answers.other_at + end),
                FORM_CONFIDENCE,
                ("form_answer", *(str(r) for r in item.detection.reasons)),
            )
        if not found:
            end = answers.other_at + len(other)
            add(UNSPECIFIED, (answers.other_at, end), FORM_CONFIDENCE, ("form_answer",))
    elif "other" in (getattr(content, "side_effects", None) or []):
        add(UNSPECIFIED, None, FORM_CONFIDENCE, ("form_answer",))
    if "stopped" in answers.spans and not any(d.reaction != UNSPECIFIED for d in drafts):
        add(UNSPECIFIED, answers.spans["stopped"], FORM_CONFIDENCE, ("form_answer",))
    unique: dict[tuple[str, str, str], Draft] = {}
    for draft in drafts:
        unique.setdefault(draft.key, draft)
    return list(unique.values())


def drafts_for(content: Content, *, limit: float | None = None) -> list[Draft]:
    """Every signal ``content`` should have, one per (field, medicine, reaction), the
    most confident first."""
    drafts = body_drafts(content, limit=limit) + form_drafts(content, limit=limit)
    unique: dict[tuple[str, str, str], Draft] = {}
    for draft in sorted(drafts, key=lambda d: -d.confidence):
        unique.setdefault(draft.key, draft)
    return list(unique.values())


def plain_excerpt(content: Content) -> str:
    """The beginning of what the member wrote, for a moderator's escalation without a
    detection."""
    title = _opening_title(content)
    text = f"{title}\n\n{_as_read(content)}" if title else _as_read(content)
    excerpt, _ = excerpt_around(text, [None])
    return excerpt
