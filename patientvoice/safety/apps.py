from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """Side-effect safety: finding possible adverse reactions in what members write,
    signals, triage and cases."""

    name = "patientvoice.safety"
    label = "safety"
    verbose_name = "Safety"

    def ready(self) -> None:
        # The after-publish hook that screens content and opens signals, the moderators'
        # "send to the safety queue" escalation, and the export and erasure of what the
        # safety app holds about a person (decisions/0036).
        from . import exporters, pipeline  # noqa: F401

        pipeline.register()
