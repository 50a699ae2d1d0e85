"""``manage.py generate_load_data``: realistic synthetic data for load tests."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from patientvoice.core.loadgen.manifest import write_manifest
from patientvoice.core.loadgen.run import generate, generated_members
from patientvoice.core.loadgen.shape import Sizes


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic members, communities, threads, posts, reactions, "
        "directory entries and reviews in Swedish and English, with the search index. "
        "For load tests only: refuses a database with generated data (unless --append) "
        "and the production profile (unless --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Sizes()
        for name, value in defaults.as_dict().items():
            parser.add_argument(f"--{name}", type=int, help=f"how many (default {value:,} x scale)")
        parser.add_argument("--scale", type=float, default=1.0, help="multiplies every default")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument("--manifest", help="write a JSON manifest for bench/run.py here")
        parser.add_argument(
            "--until",
            help="the date the generated forum ends (YYYY-MM-DD, default today, UTC); "
            "with --seed it fixes every timestamp too",
        )
        parser.add_argument("--append", action="store_true", help="add another generated set")
        parser.add_argument("--force", action="store_true", help="run in the production profile")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "This is the production profile (PV_PROFILE=production): generated load data "
                "would mix with real people's data. Use a scratch database, or --force if "
                "this database is a disposable copy."
            )
        existing = generated_members()
        if existing and not options["append"]:
            raise CommandError(
                f"This database already has generated data ({existing:,} generated accounts). "
                "Use --append to add another set, or start from an empty database "
                "(a new PV_VAR_DIR or DATABASE_URL, then manage.py migrate)."
            )
        base = Sizes().scaled(options["scale"]) if options["scale"] != 1.0 else Sizes()
        sizes = Sizes(
            **{
                name: options[name] if options[name] is not None else value
                for name, value in base.as_dict().items()
            }
        )
        if min(sizes.as_dict().values()) < 1:
            raise CommandError("Every size must be at least 1.")
        day = (
            datetime.fromisoformat(options["until"]).date()
            if options["until"]
            else datetime.now(UTC).date()
        )
        until = datetime.combine(day, time.min, tzinfo=UTC)
        self.stdout.write(
            "Generating " + ", ".join(f"{v:,} {k}" for k, v in sizes.as_dict().items()) + "."
        )
        data = generate(sizes=sizes, seed=options["seed"], until=until, write=self.stderr.write)
        if options["manifest"]:
            write_manifest(options["manifest"], data)
            self.stdout.write(f"Manifest written to {options['manifest']}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {data['seconds']:.0f} s. Log in as {data['login']['email']} with the "
                f"password {data['login']['password']}."
            )
        )
