"""How forms render: one field template for every form on the site (Django's form
renderer API), and the error summary at the top of a refused form
(``templates/includes/error_summary.html``)."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.translation import pgettext


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"


def lower_first(text: str) -> str:
    """ "This field is required." -> "this field is required." after "Name: " (a word
    in capitals, such as "PDF", stays as it is)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def error_summary_lines(form: forms.BaseForm) -> list[tuple[str, str]]:
    """``[(anchor, line), ...]`` for ``includes/error_summary.html``: the form's own
    errors first (no anchor), then each field's, naming the field ("Licence or
    registration number: this field is required") when the form has ``summary_names``
    (:class:`ErrorSummaryMixin`; long labels named shortly there), and linking to it;
    the field itself carries ``aria-invalid`` and ``aria-describedby`` to its message
    (the site's field template)."""
    names: dict[str, str | Promise] | None = getattr(form, "summary_names", None)
    lines: list[tuple[str, str]] = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        if not field.errors:
            continue
        anchor = f"{field.auto_id}_0" if field.widget_type == "radioselect" else field.id_for_label
        for error in field.errors:
            if names is None:  # a form whose messages already say which field they are about
                lines.append((anchor, str(error)))
                continue
            name = str(names.get(field.name, field.label or field.name))
            lines.append(
                (
                    anchor,
                    pgettext("form errors", "%(field)s: %(error)s")
                    % {"field": name, "error": lower_first(str(error))},
                )
            )
    return lines


class ErrorSummaryMixin:
    """A form whose summary names some fields shortly (``summary_names``)."""

    summary_names: ClassVar[dict[str, str | Promise]] = {}

    def error_summary(self) -> list[tuple[str, str]]:
        assert isinstance(self, forms.BaseForm)
        return error_summary_lines(self)
