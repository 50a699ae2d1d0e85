from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns that collect moderated uploads, with public voting and a jury."""

    name = "patientvoice.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        # The moderation kind "campaign_submission" (every submission is held, so each
        # opens a case through moderation's after-publish hook), what the app holds
        # about a person, and approved submissions as a kind of the search index.
        from . import exporters  # noqa: F401
        from .kinds import register_submission_kind
        from .search import register_submission_search

        register_submission_kind()
        register_submission_search()
