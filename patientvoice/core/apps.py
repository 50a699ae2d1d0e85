from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "patientvoice.core"
    label = "core"
    verbose_name = "Core"
