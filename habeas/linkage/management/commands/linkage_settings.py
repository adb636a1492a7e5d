"""habeas linkage_settings: show or set the thresholds for linking persons and places."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Show the linkage thresholds, or set them as an administrator: a match probability at or above "
        "--person-auto-link links an extracted person to the dossier automatically, at or above "
        "--person-review queues the pair for review, below it a new dossier is created (likewise for "
        "places). Example: habeas linkage_settings --person-auto-link 0.995 --person-review 0.6 --by admin"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for name in ("person-auto-link", "person-review", "place-auto-link", "place-review"):
            parser.add_argument(f"--{name}", type=float, default=None, help="a probability in [0, 1]")
        parser.add_argument("--by", default="", help="the administrator making the change (required to set)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        from habeas.linkage.models import LinkageSettings
        from habeas.linkage.services import THRESHOLD_FIELDS, linkage_settings_update

        values = {name: options[name] for name in THRESHOLD_FIELDS if options[name] is not None}
        if values:
            if not options["by"]:
                raise CommandError("--by USER is required to change the thresholds")
            user = get_user_model().objects.filter(username=options["by"]).first()
            if user is None:
                raise CommandError(f"no user named {options['by']!r}")
            try:
                linkage_settings_update(by=user, **values)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        current = LinkageSettings.current()
        for name in THRESHOLD_FIELDS:
            self.stdout.write(f"{name.replace('_', '-')}: {getattr(current, name):g}")
