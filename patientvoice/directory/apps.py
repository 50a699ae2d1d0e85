from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The things people rate and tag: conditions now; medicines, physicians and
    clinics later (the directory issue)."""

    name = "patientvoice.directory"
    label = "directory"
    verbose_name = "Directory"
