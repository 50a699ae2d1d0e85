from django.apps import AppConfig


class ExpertNotesConfig(AppConfig):
    """Expert notes: verified professionals add sourced context to a post or a review
    (issue 6, item 4; decisions/0034)."""

    name = "patientvoice.expertnotes"
    label = "expertnotes"
    verbose_name = "Expert notes"

    def ready(self) -> None:
        # What the app holds about a person (export and erasure), the moderation kinds
        # "expert_note" and "note_reply" (held notes reach the queues through
        # moderation's after-publish hook), and the after-publish hook that tells the
        # target's author of a note and the note's author of a reply.
        from . import exporters, notify  # noqa: F401
        from .kinds import register_note_kinds
        from .search import register_note_search

        register_note_kinds()
        register_note_search()
