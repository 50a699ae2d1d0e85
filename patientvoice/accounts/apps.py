from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "patientvoice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals

        from . import exporters  # noqa: F401  (registers the account exporters)
        from .mfa import record_authenticator_added, record_authenticator_removed

        # allauth's own signals: audit changes to second factors.
        mfa_signals.authenticator_added.connect(record_authenticator_added)
        mfa_signals.authenticator_removed.connect(record_authenticator_removed)
