from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns that collect moderated uploads, with public voting and a jury."""

    name = "patientvoice.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
