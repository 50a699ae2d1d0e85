from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Reviews of directory entries, their summaries and the trust rules around them."""

    name = "patientvoice.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # The moderation kind "review" (held reviews reach the site-wide queue through
        # moderation's after-publish hook), the near-duplicate checker, the hold
        # reasons' explanations, what the app holds about a person, and published
        # reviews as a kind of the search index.
        from . import exporters  # noqa: F401
        from .kinds import register_review_kind
        from .search import register_review_search
        from .trust import register_trust_checks

        register_review_kind()
        register_trust_checks()
        # The provider's voice (decisions/0032): the "review_reply" kind, disputes
        # settled by moderation's decisions, and the holds for named staff and
        # serious allegations.
        from . import provider_exporters  # noqa: F401
        from .holds import register_review_holds
        from .provider_moderation import register_provider_moderation

        register_provider_moderation()
        register_review_holds()
        register_review_search()
