"""The wording of a statement of reasons (DSA art. 17), in the recipient's language.

A statement is stored as it was told: the texts are written once, when the decision is
made, so a later change of wording (or a translation) never changes what a member was
told. Codes (action, ground) are stored beside the texts for the transparency report.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import pgettext

from .models import (
    APPEAL_DAYS,
    LEGAL_GROUNDS,
    Action,
    CaseSource,
    Decision,
    ReasonCode,
)
from .registry import ModerationKind

# Where a case came from automatically (DSA art. 17(3)(c): automated means used to
# detect the content).
AUTOMATED_SOURCES = frozenset({CaseSource.PIPELINE, CaseSource.CRISIS})


def appeal_deadline(decided_at: datetime) -> datetime:
    return decided_at + timedelta(days=APPEAL_DAYS)


def statement_reference(decision: Decision) -> str:
    return f"SOR-{timezone.localtime(decision.created_at).year}-{decision.pk:06d}"


def _date(value: datetime) -> str:
    return str(formats.date_format(timezone.localtime(value), "DATE_FORMAT"))


def restriction_text(
    decision: Decision, registered: ModerationKind | None, community_name: str
) -> str:
    """What was restricted, in the active language."""
    what = str(registered.noun) if registered is not None else pgettext("moderated item", "content")
    params: dict[str, Any] = {"what": what, "label": decision.label_text}
    where = (
        pgettext("moderation statement", "in the community %(community)s")
        % {"community": community_name}
        if community_name
        else pgettext("moderation statement", "anywhere on PatientVoice")
    )
    texts: dict[str, str] = {
        Action.HIDE: pgettext(
            "moderation statement",
            "Your %(what)s was hidden. Only you and the moderators can see it now.",
        ),
        Action.REMOVE: pgettext(
            "moderation statement", "Your %(what)s was removed. Nobody else can see it any more."
        ),
        Action.REDACT: pgettext(
            "moderation statement",
            "Part of your %(what)s was edited out by the moderators and replaced with "
            "“[removed by moderators]”. The rest is shown as before.",
        ),
        Action.LABEL: pgettext(
            "moderation statement", "A label was added to your %(what)s: “%(label)s”."
        ),
        Action.LOCK: pgettext(
            "moderation statement",
            "The discussion with your %(what)s was locked: nobody can reply to it any more.",
        ),
        Action.MOVE: pgettext(
            "moderation statement",
            "The discussion with your %(what)s was moved to another community, where "
            "other people can see it.",
        ),
        Action.MERGE: pgettext(
            "moderation statement",
            "The discussion with your %(what)s was merged into another discussion.",
        ),
        Action.WARN: pgettext(
            "moderation statement", "You were given a warning because of your %(what)s."
        ),
        Action.BAN: pgettext("moderation statement", "You can no longer post %(where)s."),
    }
    if decision.action == Action.SUSPEND and decision.suspension_until is not None:
        return pgettext("moderation statement", "You cannot post %(where)s until %(until)s.") % {
            "where": where,
            "until": _date(decision.suspension_until),
        }
    return texts[decision.action] % {**params, "where": where}


def redress_text(deadline: datetime) -> str:
    """How to appeal (DSA art. 17(3)(f)): the internal complaint, out-of-court
    settlement and the courts."""
    return pgettext(
        "moderation statement",
        "You can appeal until %(deadline)s: open this decision under My account, "
        "Moderation decisions, and choose Appeal. Another moderator will look at it "
        "again and tell you the outcome with reasons. You can also turn to a certified "
        "out-of-court dispute settlement body, or to a court.",
    ) % {"deadline": _date(deadline)}


def compose(
    decision: Decision,
    *,
    registered: ModerationKind | None,
    excerpt: str,
    community_name: str,
    language: str,
) -> dict[str, Any]:
    """The fields of a ``StatementOfReasons`` for ``decision``, worded in ``language``."""
    deadline = appeal_deadline(decision.created_at)
    with translation.override(language):
        return {
            "language": language,
            "restriction": decision.action,
            "restriction_text": restriction_text(decision, registered, community_name),
            "content_kind": decision.case.kind,
            "content_excerpt": excerpt,
            "ground": decision.reason_code,
            "ground_text": str(ReasonCode(decision.reason_code).label),
            "illegal": decision.reason_code in LEGAL_GROUNDS,
            "facts": decision.explanation,
            "automated_detection": decision.case.source in AUTOMATED_SOURCES,
            "automated_decision": decision.automated,
            "redress_text": redress_text(deadline),
            "appeal_deadline": deadline,
            "reference": statement_reference(decision),
        }
