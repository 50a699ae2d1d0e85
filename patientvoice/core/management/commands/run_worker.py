"""The task worker `make run` starts: django-tasks-db's db_worker, quieter.

db_worker logs every task at INFO with verbosity 1, which drowns the e-mail links a
person running the site locally needs to see; failures (ERROR) still show.
"""

import logging

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Run the database task worker; logs warnings and errors only (-v 2 for all)."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity <= 1:
            for name in ("django.tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)
