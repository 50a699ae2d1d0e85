from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "patientvoice.organizations"
    label = "organizations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from . import exporters  # noqa: F401
