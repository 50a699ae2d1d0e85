from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "patientvoice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import exporters  # noqa: F401  (registers the account exporters)
