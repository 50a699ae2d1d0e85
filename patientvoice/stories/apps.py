from django.apps import AppConfig


class StoriesConfig(AppConfig):
    """Patient stories and their comments (members' and guests')."""

    name = "patientvoice.stories"
    label = "stories"
    verbose_name = "Stories"
