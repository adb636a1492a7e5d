"""habeas review: extract candidate facts from a source, or accept those above a confidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "The review queue from the command line. 'habeas review extract --source 12 --user rita' runs the "
        "extractor on source 12 and stores its proposals as pending candidates (nothing reaches a dossier). "
        "'habeas review accept --source 12 --min-confidence 0.9 --user rita' accepts, as proposed and in "
        "rita's name, the pending candidates of source 12 whose confidence is at least 0.9; the others "
        "stay pending for review in the web app. Candidates without a confidence are never accepted here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["extract", "accept"], help="extract or accept")
        parser.add_argument("--source", type=int, required=True, help="the source's number")
        parser.add_argument("--user", required=True, help="who decides (a reviewer, researcher or admin)")
        parser.add_argument(
            "--min-confidence",
            type=float,
            help="accept: the lowest confidence accepted, above 0 and at most 1 (required for accept)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from habeas.accounts.models import User
        from habeas.accounts.selectors import visible_q
        from habeas.review.services import candidates_auto_accept, extraction_run
        from habeas.sources.models import Source

        try:
            user = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist as missing:
            raise CommandError(f"no active user named {options['user']!r}") from missing
        try:
            source = Source.objects.get(pk=options["source"], **visible_q(user))
        except Source.DoesNotExist as missing:
            raise CommandError(f"no source {options['source']} visible to {user.get_username()}") from missing
        try:
            if options["action"] == "extract":
                if not user.can_edit:
                    raise CommandError("only researchers and administrators run the extractor")
                run = extraction_run(source=source, by=user)
                self.stdout.write(
                    f"{run.candidates.count()} candidates from source {source.pk} ({run.extractor_version})."
                )
                return
            if options["min_confidence"] is None:
                raise CommandError("accept needs --min-confidence (e.g. 0.9)")
            result = candidates_auto_accept(source=source, by=user, min_confidence=options["min_confidence"])
        except (ValidationError, PermissionDenied) as refused:
            messages = getattr(refused, "messages", None) or [str(refused)]
            raise CommandError("; ".join(messages)) from refused
        self.stdout.write(
            f"{len(result.accepted)} candidates accepted, {len(result.skipped)} left for review "
            f"(source {source.pk}, confidence at least {options['min_confidence']})."
        )
        for candidate, why in result.skipped:
            if why != "below the threshold":
                self.stdout.write(f"  {candidate}: {why}")
