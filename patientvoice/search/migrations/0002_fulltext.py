"""The full-text structures: an FTS5 table on SQLite, a generated tsvector column with
a GIN index on PostgreSQL. Each operation runs on its own database only."""

from django.db import migrations

from patientvoice.search.schema import (
    POSTGRES_FORWARD,
    POSTGRES_REVERSE,
    SQLITE_FORWARD,
    SQLITE_REVERSE,
    RunSQLOn,
)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRES_FORWARD, POSTGRES_REVERSE),
    ]
