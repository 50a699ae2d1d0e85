from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "patientvoice.organizations"
    label = "organizations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from . import exporters  # noqa: F401
        from .sponsor_approval import register_sponsor_check

        # Texts by sponsor staff wait for a recorded approval when the deployment is
        # sponsor-controlled (decisions/0038); the check itself reads the setting.
        register_sponsor_check()
