from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    """Verified healthcare professionals: applications, verifiers, credentials and the
    badge (decisions/0033)."""

    name = "patientvoice.professionals"
    label = "professionals"
    verbose_name = "Professionals"

    def ready(self) -> None:
        # What the app holds about a person (data export) and how it forgets them.
        from . import exporters  # noqa: F401
