from django import template

from patientvoice.directory.models import Condition

register = template.Library()


@register.filter
def name_in(condition: Condition, language: str) -> str:
    """``{{ condition|name_in:LANGUAGE_CODE }}``: the condition's name in that language."""
    return condition.name(language)
