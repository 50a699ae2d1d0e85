from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "patientvoice.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # What can be flagged (posts and profiles; later apps register their own kinds
        # from their ready()), the after-publish hook that opens cases for held content
        # and crisis language, and the export and erasure of what moderation holds.
        from . import exporters, pipeline  # noqa: F401
        from .kinds import register_builtin_kinds

        register_builtin_kinds()
