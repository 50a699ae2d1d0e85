"""One field template for every form on the site (Django's form renderer API)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"
