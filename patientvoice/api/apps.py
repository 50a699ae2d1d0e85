from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "patientvoice.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import exporters  # noqa: F401
