from django.apps import AppConfig


class StoriesConfig(AppConfig):
    """Patient stories and their comments (members' and guests')."""

    name = "patientvoice.stories"
    label = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        from . import exporters, hooks  # noqa: F401 - registration
        from .kinds import register_story_kinds
        from .search import register_story_search

        register_story_kinds()
        register_story_search()
