from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "patientvoice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals
        from django.db.models.signals import post_delete, post_save

        from . import exporters  # noqa: F401  (registers the account exporters)
        from .mfa import record_authenticator_added, record_authenticator_removed
        from .models import PolicyVersion

        # allauth's own signals: audit changes to second factors.
        mfa_signals.authenticator_added.connect(record_authenticator_added)
        mfa_signals.authenticator_removed.connect(record_authenticator_removed)

        # A version saved in this process (admin, tests) is in force here at once;
        # other processes notice within queries.POLICY_MEMO_SECONDS.
        for signal in (post_save, post_delete):
            signal.connect(_forget_policy, sender=PolicyVersion, dispatch_uid=f"forget-{signal}")


def _forget_policy(**kwargs: object) -> None:
    from .queries import forget_policy_version

    forget_policy_version()
