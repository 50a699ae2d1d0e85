"""Crisis language: when someone writes about ending their life, show them help now.

The text is still published (peer support matters, and holding it would silence the
person at the worst moment); the author sees a panel with 112, 1177 and suicide
prevention lines. Moderation issues may route these to moderators as well.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext_lazy

from .base import CheckContext, Finding, Outcome

# Lower-cased, whole-word-ish patterns in Swedish and English. Kept deliberately
# broad: a false positive shows a help panel, a false negative can cost a life.
PATTERNS = [
    # Swedish
    r"ta livet av mig",
    r"ta mitt (?:eget )?liv",
    r"tar livet av mig",
    r"vill (?:inte leva|dö)",
    r"orkar inte leva",
    r"självmord",
    r"suicid",
    r"skada mig själv",
    r"skära mig",
    r"avsluta (?:allt|mitt liv)",
    r"inte vill vakna",
    r"bättre om jag var död",
    r"ingen mening med att leva",
    # English
    r"kill myself",
    r"killing myself",
    r"end (?:my|it) (?:life|all)",
    r"take my (?:own )?life",
    r"suicid(?:e|al)",
    r"want(?:ed)? to die",
    r"don'?t want to (?:live|be alive|wake up)",
    r"hurt(?:ing)? myself",
    r"self[- ]harm",
    r"cut(?:ting)? myself",
    r"better off dead",
    r"no reason to live",
]
CRISIS_RE = re.compile(r"(?<!\w)(?:" + "|".join(PATTERNS) + r")", re.IGNORECASE)


def check_crisis_language(text: str, context: CheckContext) -> list[Finding]:
    spans = tuple(m.span() for m in CRISIS_RE.finditer(text))
    if not spans:
        return []
    return [
        Finding(
            code="crisis.language",
            message=pgettext_lazy(
                "text check",
                "You are not alone. If you are thinking about ending your life, "
                "you can get help right now.",
            ),
            outcome=Outcome.HELP,
            spans=spans,
            help_panel="core/crisis_help.html",
        )
    ]
