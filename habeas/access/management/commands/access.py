"""habeas access: monitoring bodies and access negotiations from the command line, as a named user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from habeas.access import selectors, services
from habeas.access.cli import citation_args, cited, dump, level, reader_user, refused, writer_user
from habeas.access.models import (
    AccessNegotiation,
    BodyKind,
    GuaranteeKind,
    GuaranteeState,
    Mandate,
    MonitoringBody,
    NegotiationStatus,
    Scope,
)
from habeas.places.models import Place


class Command(BaseCommand):
    help = (
        "Monitoring bodies and their negotiations with states for access to places of detention, read "
        "(and written) as the user named by --user: nothing above that user's clearance is listed, and "
        "writes need a researcher or administrator. Every step cites a source span (--source N --quote "
        '"exact words") or is marked --unsourced in the user\'s name.\n\n'
        "Examples:\n"
        "  habeas access bodies --user rita\n"
        '  habeas access body-add --name "Commission on Detention" --kind national_commission --user rita\n'
        "  habeas access list --country CN --status refused --user rita --format json\n"
        '  habeas access request --body ICRC --country CN --subject "prison visits" --date 1993-11 '
        "--guarantee icrc_private_interviews --guarantee icrc_repeat_visits --unsourced --user rita\n"
        "  habeas access status 4 --status agreed --date 2005-09 --source 12 --quote "
        '"agreed to the visit" --user rita\n'
        "  habeas access guarantee 4 --kind un_all_places --state granted --date 2005-11 "
        "--unsourced --user rita\n"
        '  habeas access event --body "UN torture investigator" --country CN --status conducted '
        '--date 2005-11-20 --condition unconditional --source 12 --quote "unconditional access" --user rita\n'
        "  habeas access timeline CN --user rita --format json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def command(name: str, text: str, *, writes: bool = False) -> CommandParser:
            p = sub.add_parser(name, help=text, description=text)
            p.add_argument("--user", required=True, help="who reads (or writes): their clearance decides")
            p.add_argument("--format", choices=("text", "json"), default="text")
            if writes:
                p.add_argument("--source", type=int, help="the number of the source that states it")
                p.add_argument("--quote", help="the exact words of that source")
                p.add_argument("--unsourced", action="store_true", help="entered without a source, by --user")
                p.add_argument("--confidentiality", choices=("public", "internal", "restricted"))
            return p

        bodies = command("bodies", "monitoring bodies (example: habeas access bodies --user rita)")
        bodies.add_argument("--kind", default="")
        body_add = command(
            "body-add",
            'add a monitoring body (example: habeas access body-add --name "Preventive Mechanism of X" '
            '--short-name NPM-X --kind npm --mandate torture --alias "the NPM" --user rita)',
        )
        body_add.add_argument("--name", required=True)
        body_add.add_argument("--short-name", default="")
        body_add.add_argument("--kind", required=True, choices=BodyKind.values)
        body_add.add_argument("--mandate", default=Mandate.GENERAL, choices=Mandate.values)
        body_add.add_argument("--description", default="")
        body_add.add_argument("--url", default="")
        body_add.add_argument(
            "--alias", action="append", default=[], help="another name sources use (repeat)"
        )
        body_add.add_argument("--confidentiality", choices=("public", "internal", "restricted"))
        listing = command(
            "list",
            "negotiations and their current status (example: habeas access list --country CN --user rita)",
        )
        listing.add_argument("--country", default="")
        listing.add_argument("--body", default="", help="a body's number, name, short name or alias")
        listing.add_argument("--status", choices=["", *NegotiationStatus.values], default="")
        show = command(
            "show",
            "one negotiation with its steps and guarantees (example: habeas access show 4 --user rita)",
        )
        show.add_argument("negotiation", type=int)
        request = command(
            "request",
            "record a request for access (example: habeas access request --body ICRC --country CN "
            '--subject "prison visits" --date 1993 --unsourced --user rita)',
            writes=True,
        )
        request.add_argument("--body", required=True, help="a body's number, name, short name or alias")
        request.add_argument("--country", required=True, help="two letters, e.g. CN")
        request.add_argument("--subject", required=True)
        request.add_argument("--date", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD, ~ for circa")
        request.add_argument("--guarantee", action="append", default=[], choices=GuaranteeKind.values)
        request.add_argument("--scope", choices=Scope.values, default=Scope.COUNTRY_VISIT)
        request.add_argument("--place", action="append", type=int, default=[], help="a place's number")
        request.add_argument("--purposes", default="")
        request.add_argument("--note", default="")
        status = command(
            "status",
            "add a step to a negotiation (example: habeas access status 4 --status agreed --date 2005 "
            "--unsourced --user rita)",
            writes=True,
        )
        status.add_argument("negotiation", type=int)
        status.add_argument("--status", required=True, choices=NegotiationStatus.values)
        status.add_argument("--date", required=True)
        status.add_argument("--visit-from", default=None)
        status.add_argument("--visit-to", default=None)
        status.add_argument("--note", default="")
        guarantee = command(
            "guarantee",
            "record a guarantee's state (example: habeas access guarantee 4 --kind un_documents "
            "--state refused --date 2005 --unsourced --user rita)",
            writes=True,
        )
        guarantee.add_argument("negotiation", type=int)
        guarantee.add_argument("--kind", required=True, choices=GuaranteeKind.values)
        guarantee.add_argument("--other-text", default="")
        guarantee.add_argument("--state", required=True, choices=GuaranteeState.values)
        guarantee.add_argument("--date", required=True)
        guarantee.add_argument("--note", default="")
        event = command(
            "event",
            'record an access event as extraction finds it (example: habeas access event --body "Red Cross" '
            "--country CN --status considered --date 2004-03 --unsourced --user rita)",
            writes=True,
        )
        event.add_argument("--body", required=True)
        event.add_argument("--country", required=True)
        event.add_argument("--status", required=True, choices=NegotiationStatus.values)
        event.add_argument("--date", required=True)
        event.add_argument("--condition", action="append", default=[], help="unconditional, any prison, ...")
        event.add_argument("--negotiation", type=int, default=None)
        event.add_argument("--note", default="")
        timeline = command(
            "timeline", "a country's whole history (example: habeas access timeline CN --user rita)"
        )
        timeline.add_argument("country")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"_{action}")(options)
        except ValidationError as error:
            raise CommandError(refused(error)) from error

    # -- reads -----------------------------------------------------------------------------------
    def _out(self, options: dict[str, Any], data: Any, lines: list[str]) -> None:
        if options["format"] == "json":
            self.stdout.write(dump(data))
        else:
            self.stdout.write("\n".join(lines) if lines else "(nothing you may see)")

    def _bodies(self, options: dict[str, Any]) -> None:
        user = reader_user(options["user"])
        # Annotated rows (negotiation_count): typed loosely, the stubs know only the model's fields.
        rows: list[Any] = list(selectors.bodies_list(user, kind=options["kind"]))
        data = [
            {
                "id": b.pk,
                "name": b.name,
                "short_name": b.short_name,
                "kind": b.kind,
                "mandate": b.mandate,
                "negotiations": b.negotiation_count,
            }
            for b in rows
        ]
        lines = [
            f"{b.pk:>4}  {b.short_name or '-':<14} {b.name} ({b.get_kind_display()}; {b.negotiation_count})"
            for b in rows
        ]
        self._out(options, data, lines)

    def _body_add(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        made = services.body_create(
            name=options["name"],
            short_name=options["short_name"],
            kind=options["kind"],
            mandate=options["mandate"],
            description=options["description"],
            url=options["url"],
            aliases=options["alias"],
            confidentiality=level(options, default=0) or 0,
            by=user,
        )
        self._written(options, {"body": made.pk}, f"body {made.pk} added: {made.name}")

    def _body(self, user: Any, text: str) -> MonitoringBody:
        visible = selectors.bodies_visible(user)
        if text.isdigit():
            found = visible.filter(pk=int(text)).first()
        else:
            match = services.body_for_name(text)
            found = match if match is not None and visible.filter(pk=match.pk).exists() else None
        if found is None:
            raise CommandError(f"no single monitoring body you may see is called {text!r}")
        return found

    def _list(self, options: dict[str, Any]) -> None:
        user = reader_user(options["user"])
        body = self._body(user, options["body"]).pk if options["body"] else None
        rows: list[Any] = list(
            selectors.negotiations_list(
                user, country=options["country"], body=body, status=options["status"]
            )[:1000]
        )
        data = [
            {
                "id": n.pk,
                "body": str(n.body),
                "country": n.country,
                "subject": n.subject,
                "status": n.current_status,
                "since": n.current_date.isoformat() if n.current_date else None,
            }
            for n in rows
        ]
        lines = [
            f"{n.pk:>4}  {n.country}  {n.body!s:<14} {selectors.status_label(n.current_status) or '-':<18} "
            f"{n.current_date.display() if n.current_date else '':<12} {n.subject}"
            for n in rows
        ]
        self._out(options, data, lines)

    def _detail(self, user: Any, pk: int) -> selectors.NegotiationDetail:
        try:
            return selectors.negotiation_detail(user, pk)
        except AccessNegotiation.DoesNotExist as missing:
            raise CommandError(f"no negotiation {pk} visible to {user.get_username()}") from missing

    def _show(self, options: dict[str, Any]) -> None:
        user = reader_user(options["user"])
        d = self._detail(user, options["negotiation"])
        n = d.negotiation
        data = {
            "id": n.pk,
            "body": str(n.body),
            "country": n.country,
            "subject": n.subject,
            "scope": n.scope,
            "places": [p.name for p in d.places],
            "status": d.current.status if d.current else None,
            "steps": [
                {"status": s.fact.status, "date": s.fact.date.isoformat(), "note": s.fact.note, **cited(s)}
                for s in d.statuses
            ],
            "guarantees": [
                {
                    "kind": g.guarantee.kind,
                    "text": str(g.guarantee),
                    "state": g.state,
                    "history": [
                        {"state": c.fact.state, "date": c.fact.date.isoformat(), **cited(c)}
                        for c in g.changes
                    ],
                }
                for g in d.guarantees
            ],
        }
        lines = [f"{n.body} · {n.country} · {n.subject}"]
        lines += [
            f"  {s.fact.date.display():<12} {s.fact.get_status_display()} {s.fact.note}".rstrip()
            for s in d.statuses
        ]
        lines += [f"  guarantee: {g.guarantee} — {g.state}" for g in d.guarantees]
        self._out(options, data, lines)

    def _timeline(self, options: dict[str, Any]) -> None:
        user = reader_user(options["user"])
        try:
            country = services.country_check(options["country"])
        except ValidationError as error:
            raise CommandError(refused(error)) from error
        entries = selectors.country_timeline(user, country)
        data = {
            "country": country,
            "entries": [
                {
                    "date": e.date.isoformat() if e.date else None,
                    "kind": e.kind,
                    "title": e.title,
                    "label": e.label,
                    "text": e.text,
                    "sources": [c.title for c in e.citations if not c.restricted],
                    "unsourced": not e.citations,
                }
                for e in entries
            ],
        }
        lines = [
            f"{e.date.display() if e.date else 'undated':<12} {e.title + ': ' if e.title else ''}{e.label}"
            + (f" — {e.text}" if e.text else "")
            for e in entries
        ]
        self._out(options, data, lines)

    # -- writes ----------------------------------------------------------------------------------
    def _negotiation(self, user: Any, pk: int) -> AccessNegotiation:
        try:
            return selectors.negotiation_get(user, pk)
        except AccessNegotiation.DoesNotExist as missing:
            raise CommandError(f"no negotiation {pk} visible to {user.get_username()}") from missing

    def _written(self, options: dict[str, Any], data: dict[str, Any], line: str) -> None:
        self.stdout.write(dump(data) if options["format"] == "json" else line)

    def _request(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        places = list(Place.objects.filter(pk__in=options["place"], confidentiality__lte=user.clearance))
        # A merged-away place (habeas.linkage.merge) is not asked for: its survivor is.
        for place in places:
            if place.merged_into_id:
                survivor = place.merged_into_id
                raise CommandError(f"place {place.pk} was merged into {survivor}: use that number")
        if len(places) != len(set(options["place"])):
            raise CommandError("some --place numbers name no place you may see")
        negotiation = services.negotiation_request(
            body=self._body(user, options["body"]),
            country=options["country"],
            subject=options["subject"],
            date=options["date"],
            guarantees=options["guarantee"],
            scope=options["scope"],
            places=places,
            purposes=options["purposes"],
            note=options["note"],
            confidentiality=level(options, default=1) or 0,
            **citation_args(options, user),
        )
        self._written(
            options, {"negotiation": negotiation.pk}, f"negotiation {negotiation.pk} recorded: {negotiation}"
        )

    def _status(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        negotiation = self._negotiation(user, options["negotiation"])
        row = services.status_record(
            negotiation=negotiation,
            status=options["status"],
            date=options["date"],
            visit_from=options["visit_from"],
            visit_to=options["visit_to"],
            note=options["note"],
            confidentiality=level(options),
            **citation_args(options, user),
        )
        self._written(
            options,
            {"status": row.pk},
            f"negotiation {negotiation.pk}: {row.get_status_display()} {row.date}",
        )

    def _guarantee(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        negotiation = self._negotiation(user, options["negotiation"])
        row = services.guarantee_state_record(
            negotiation=negotiation,
            kind=options["kind"],
            other_text=options["other_text"],
            state=options["state"],
            date=options["date"],
            note=options["note"],
            confidentiality=level(options),
            **citation_args(options, user),
        )
        self._written(
            options,
            {"guarantee_change": row.pk},
            f"negotiation {negotiation.pk}: {row.guarantee} {row.state} {row.date}",
        )

    def _event(self, options: dict[str, Any]) -> None:
        user = writer_user(options["user"])
        negotiation = self._negotiation(user, options["negotiation"]) if options["negotiation"] else None
        result = services.access_event_record(
            body=self._body(user, options["body"]),
            country=options["country"],
            status=options["status"],
            date=options["date"],
            conditions=options["condition"],
            negotiation=negotiation,
            note=options["note"],
            confidentiality=level(options, default=1) or 0,
            **citation_args(options, user),
        )
        n = result.negotiation
        data = {
            "negotiation": n.pk,
            "created": result.created_negotiation,
            "status": result.status.pk,
            "guarantees": [{"kind": c.guarantee.kind, "state": c.state} for c in result.guarantees],
        }
        made = "new" if result.created_negotiation else "existing"
        line = f"negotiation {n.pk} ({made}): {result.status.get_status_display()} {result.status.date}"
        line += "".join(f"\n  {c.guarantee}: {c.state}" for c in result.guarantees)
        self._written(options, data, line)
