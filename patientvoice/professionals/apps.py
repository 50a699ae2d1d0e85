from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    """Verified healthcare professionals: applications, verifiers, credentials and the
    badge (decisions/0033)."""

    name = "patientvoice.professionals"
    label = "professionals"
    verbose_name = "Professionals"

    def ready(self) -> None:
        # What the app holds about a person (data export) and how it forgets them, and
        # the hooks that keep a question's first professional answer (decisions/0037).
        from patientvoice.moderation.registry import register_decision_listener

        from . import answer_hooks, exporters  # noqa: F401
        from .search import register_card_search

        register_card_search()

        register_decision_listener(answer_hooks.answer_decided)
