"""habeas user: create accounts and change their role or clearance."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from habeas.accounts.models import Confidentiality, Role, User
from habeas.accounts.services import user_create, user_set_access

CLEARANCES = {c.label: c.value for c in Confidentiality}


class Command(BaseCommand):
    help = (
        "Create a user or change a user's role and clearance.\n\n"
        "Roles: admin, researcher, reviewer, viewer. Clearance (highest level the user may read): "
        "public, internal, restricted. The password is read from HABEAS_PASSWORD or asked for.\n\n"
        "Examples:\n"
        "  habeas user add ana --role researcher --clearance restricted\n"
        "  habeas user set ana --role reviewer\n"
        "  habeas user list"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a user (example: habeas user add ana --role researcher)")
        add.add_argument("username")
        add.add_argument("--role", choices=Role.values, default=Role.VIEWER)
        add.add_argument("--clearance", choices=list(CLEARANCES), default="internal")
        add.add_argument("--email", default="")
        change = sub.add_parser(
            "set", help="change role or clearance (example: habeas user set ana --role admin)"
        )
        change.add_argument("username")
        change.add_argument("--role", choices=Role.values)
        change.add_argument("--clearance", choices=list(CLEARANCES))
        sub.add_parser("list", help="list users with role and clearance (example: habeas user list)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for user in User.objects.order_by("username"):
                level = Confidentiality(user.clearance).label
                state = "" if user.is_active else " (inactive)"
                self.stdout.write(f"{user.username}\t{user.role}\t{level}{state}")
            return
        if action == "add":
            if User.objects.filter(username=options["username"]).exists():
                raise CommandError(f"user {options['username']!r} already exists; use 'habeas user set'")
            password = os.environ.get("HABEAS_PASSWORD") or self._ask_password()
            try:
                user = user_create(
                    username=options["username"],
                    password=password,
                    role=options["role"],
                    clearance=CLEARANCES[options["clearance"]],
                    email=options["email"],
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"created {user.username} ({user.role}, clearance {options['clearance']})")
            return
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as error:
            raise CommandError(f"no user {options['username']!r}") from error
        with transaction.atomic():
            user_set_access(
                user=user,
                role=options["role"],
                clearance=CLEARANCES[options["clearance"]] if options["clearance"] else None,
                by=None,
            )
        self.stdout.write(f"{user.username}: {user.role}, clearance {Confidentiality(user.clearance).label}")

    def _ask_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("no password: set HABEAS_PASSWORD or run on a terminal")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return first
