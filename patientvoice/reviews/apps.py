from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Reviews of directory entries, their summaries and the trust rules around them."""

    name = "patientvoice.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The moderation kind "review" (held reviews reach the site-wide queue through
        # moderation's after-publish hook), the near-duplicate checker, the hold
        # reasons' explanations, and what the app holds about a person.
        from . import exporters  # noqa: F401
        from .kinds import register_review_kind
        from .trust import register_trust_checks

        register_review_kind()
        register_trust_checks()
