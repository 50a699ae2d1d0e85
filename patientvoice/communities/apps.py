from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "patientvoice.communities"
    label = "communities"
    verbose_name = "Communities"

    def ready(self) -> None:
        from . import exporters  # noqa: F401
