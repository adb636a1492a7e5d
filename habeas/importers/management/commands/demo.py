"""habeas demo: fill the database with realistic fictional dossiers (and, optionally, demo users)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "Generate fictional but realistic dossiers from a seed: persons in China with names in several "
        "scripts, detentions, trials, sentences, statuses, each fact citing the exact words of a generated "
        "source. A second run adds more persons, numbered after the first run's; --if-empty skips when "
        "persons exist. --with-users creates admin, researcher, reviewer and viewer (existing users are "
        "left as they are) with the password in HABEAS_DEMO_PASSWORD or a random one, printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=300, help="how many persons (default 300)")
        parser.add_argument("--seed", type=int, default=0, help="same seed, same data (default 0)")
        parser.add_argument("--with-users", action="store_true", help="create the four demo users")
        parser.add_argument(
            "--if-empty", action="store_true", help="generate nothing if the database holds persons already"
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="persons per batch (default 2000)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")

    def handle(self, *args: Any, **options: Any) -> None:
        from habeas.dossiers.models import Person
        from habeas.importers.demo import demo_create, demo_users

        count = options["persons"]
        if count < 0:
            raise CommandError("--persons must be 0 or more")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write(
                f"The database already holds {Person.objects.count():,} persons: no demo data generated "
                "(--if-empty)."
            )
        elif count:
            bar = tqdm(
                total=count,
                unit=" persons",
                unit_scale=True,
                file=sys.stderr,
                disable=options["no_progress"] or not sys.stderr.isatty(),
                desc="demo",
            )
            try:
                result = demo_create(
                    count, seed=options["seed"], batch_size=options["batch_size"], progress=bar.update
                )
            finally:
                bar.close()
            bulk = result.bulk
            rate = bulk.persons / result.seconds if result.seconds else 0.0
            self.stdout.write(
                f"Generated {bulk.persons:,} persons (D{result.start + 1:07d} to "
                f"D{result.start + bulk.persons:07d}, seed {options['seed']}): {bulk.sources:,} sources, "
                f"{bulk.facts:,} facts, {bulk.citations:,} citations, {bulk.places:,} new places in "
                f"{result.seconds:.1f} s ({rate:,.0f} persons/s)."
            )
        if options["with_users"]:
            given = os.environ.get("HABEAS_DEMO_PASSWORD") or None
            try:
                created, existing, password = demo_users(given)
            except ValidationError as error:
                raise CommandError(f"HABEAS_DEMO_PASSWORD: {' '.join(error.messages)}") from None
            if existing:
                self.stdout.write(
                    f"Users already present, left as they are (passwords unchanged): {', '.join(existing)}."
                )
            if created:
                self.stdout.write(f"Created users: {', '.join(created)}.")
                shown = "the password in HABEAS_DEMO_PASSWORD" if given else password
                self.stdout.write(f"Sign in at http://127.0.0.1:8000/ as researcher / {shown}")
            from habeas.dialogue.demo import dialogue_demo_create

            # Lists, answers and outcomes need the researcher and dossiers: made once, after both.
            made = dialogue_demo_create(seed=options["seed"])
            if made:
                self.stdout.write(made)
