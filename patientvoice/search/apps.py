from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "patientvoice.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # The kinds of content searched today, the after-publish hook that keeps the
        # index current, and the eraser that forgets a person's indexed text.
        from . import erasure, indexing, kinds  # noqa: F401
