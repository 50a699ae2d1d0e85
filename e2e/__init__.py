"""Browser journeys (Playwright + axe-core) against pytest-django's live server."""
