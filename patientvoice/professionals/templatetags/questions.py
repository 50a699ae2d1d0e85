"""Labels of questions for professionals (decisions/0037).

``{% load questions %}``

* ``{% question_label thread %}``: on a thread list, "Question for professionals" or
  "Answered by a verified registered nurse", or nothing, from the annotations
  ``question_queries.with_question_labels`` adds to the list's own query (no query).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..question_queries import answered_label, field_label, unanswered_label

register = template.Library()


@register.simple_tag
def question_label(thread: Any) -> SafeString | str:
    field = getattr(thread, "pv_question_field", None)
    if not field:
        return ""
    profession = getattr(thread, "pv_answer_profession", "") or ""
    if profession:
        return format_html(
            '<span class="badge badge-verified badge-professional badge-question">'
            '<span aria-hidden="true">✓</span> {}</span>',
            answered_label(profession),
        )
    # The field as text, not a title attribute: a phone shows no tooltips.
    return format_html(
        '<span class="badge badge-question">{}</span> <span class="small">{}</span>',
        unanswered_label(),
        field_label(field),
    )
