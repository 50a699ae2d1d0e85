from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The things people rate and tag: conditions, medicines, clinics and physicians."""

    name = "patientvoice.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        # Registers what the directory holds about a person for export and erasure,
        # and medicines, clinics and physicians as kinds of the search index.
        from . import exporters  # noqa: F401
        from .search import register_directory_kinds

        register_directory_kinds()
