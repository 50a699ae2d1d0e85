from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "patientvoice.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import events, exporters  # noqa: F401
