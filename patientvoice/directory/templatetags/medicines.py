from django import template

from patientvoice.directory.models import Medicine
from patientvoice.directory.queries import medicine_name

register = template.Library()


@register.filter
def medicine_name_in(medicine: Medicine, language: str) -> str:
    """``{{ medicine|medicine_name_in:LANGUAGE_CODE }}``: the name a reader of that
    language knows (``queries.medicine_name``)."""
    return medicine_name(medicine, language)
