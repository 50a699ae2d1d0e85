"""``manage.py forget_pages``: forget every visitor's page stored by any server.

For writes the site did not make itself (psql, pg_restore, a replica promoted): the
page cache learns of every write made through Django (decisions/0045), not of these.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from patientvoice.core.pagecache import forget_pages


class Command(BaseCommand):
    help = "Forget every stored visitor page (after writes made outside the site)."

    def handle(self, *args: Any, **options: Any) -> None:
        forget_pages()
        self.stdout.write("Stored pages forgotten.")
