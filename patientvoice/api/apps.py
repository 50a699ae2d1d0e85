from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "patientvoice.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from allauth.account import signals as account_signals
        from allauth.mfa import signals as mfa_signals

        from . import exporters  # noqa: F401
        from .actions import revoke_tokens_on_credential_change

        # allauth's signals (fan-out that allauth starts): credentials changed.
        for signal in (
            account_signals.password_changed,
            account_signals.password_reset,
            mfa_signals.authenticator_removed,
        ):
            signal.connect(
                revoke_tokens_on_credential_change, dispatch_uid=f"pv-revoke-{id(signal)}"
            )
