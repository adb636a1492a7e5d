"""habeas visits: visits to places of detention from the command line, read as a named user."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from habeas.accounts.models import User
from habeas.places.models import Place
from habeas.visits import crypto, norms, selectors, services
from habeas.visits.models import Area, Assessment, FollowUpStatus, Interview, Visit, VisitPlace


class Command(BaseCommand):
    help = (
        "Visits to places of detention, read (and written) as the user named by --user: nothing above "
        "that user's clearance is listed, and interview notes are printed only to a user cleared for "
        "restricted records, each read logged.\n\n"
        "Examples:\n"
        "  habeas visits list --user rita\n"
        "  habeas visits show 3 --user rita --format json\n"
        "  habeas visits finding 3 --place 7 --area accommodation --measure floor_shared --value 1.6 "
        '--text "40 men in 64 m2" --unsourced --user rita\n'
        "  habeas visits recommendations --status accepted --user rita\n"
        "  habeas visits report 3 --for authorities --user rita\n"
        "  habeas visits notes 12 --user rita\n"
        "  habeas visits key --generate | --ensure | --rotate"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def reader(name: str, text: str) -> CommandParser:
            p = sub.add_parser(name, help=text)
            p.add_argument("--user", required=True, help="who reads: their clearance decides what is shown")
            p.add_argument("--format", choices=("text", "json"), default="text")
            return p

        reader("list", "visits the user may see (example: habeas visits list --user rita)")
        show = reader(
            "show", "one visit with its findings and gaps (example: habeas visits show 3 --user rita)"
        )
        show.add_argument("visit", type=int)
        finding = reader(
            "finding",
            "record a finding (example: habeas visits finding 3 --place 7 --area exercise --measure "
            'hours_outdoors --value 0.5 --text "..." --unsourced --user rita)',
        )
        finding.add_argument("visit", type=int)
        finding.add_argument("--place", type=int, required=True, help="the place's number (places.Place)")
        finding.add_argument("--area", choices=Area.values, default="")
        finding.add_argument("--assessment", choices=Assessment.values, default=Assessment.CONCERN)
        finding.add_argument("--text", required=True)
        finding.add_argument("--measure", choices=norms.Measure.values, default="")
        finding.add_argument("--value", default=None)
        finding.add_argument("--unsourced", action="store_true", help="entered without a source, by --user")
        recs = reader(
            "recommendations",
            "recommendations with their follow-up (example: habeas visits recommendations --user rita)",
        )
        recs.add_argument("--status", choices=["", "none", *FollowUpStatus.values], default="")
        recs.add_argument("--visit", type=int, default=None)
        report = reader(
            "report",
            "what may go to the authorities or the public, by consent "
            "(example: habeas visits report 3 --for authorities --user rita)",
        )
        report.add_argument("visit", type=int)
        report.add_argument("--for", dest="audience", choices=selectors.AUDIENCES, required=True)
        notes = reader(
            "notes", "an interview's notes, for a restricted-cleared user; logged (example: ... notes 12)"
        )
        notes.add_argument("interview", type=int)
        key = sub.add_parser(
            "key",
            help="the notes key: --generate prints a new one; --ensure writes var/notes.key once (not in "
            "production); --rotate re-encrypts every note under the first key of HABEAS_NOTES_KEY",
        )
        group = key.add_mutually_exclusive_group(required=True)
        group.add_argument("--generate", action="store_true")
        group.add_argument("--ensure", action="store_true")
        group.add_argument("--rotate", action="store_true")

    # -- dispatch ----------------------------------------------------------------------------------
    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "key":
            return self._key(options)
        try:
            user = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist as missing:
            raise CommandError(f"no active user named {options['user']!r}") from missing
        handler = getattr(self, f"_{action}")
        try:
            result = handler(user, options)
        except crypto.NotesKeyError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result["json"], ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(result["text"]))
        return None

    def _visit(self, user: User, pk: int) -> Visit:
        try:
            return selectors.visit_get(user, pk)
        except Visit.DoesNotExist as missing:
            raise CommandError(f"no visit {pk} visible to {user.get_username()}") from missing

    # -- actions -----------------------------------------------------------------------------------
    def _list(self, user: User, options: dict[str, Any]) -> dict[str, Any]:
        visits = list(
            selectors.visits_visible(user).select_related("body").order_by("-started", "-id")[:1000]
        )
        rows = [
            {
                "id": v.pk,
                "title": v.title,
                "body": str(v.body),
                "started": str(v.started or ""),
                "ended": str(v.ended or ""),
                "announced": v.announced,
            }
            for v in visits
        ]
        text = [f"{r['id']}\t{r['started']}\t{r['body']}\t{r['title']}" for r in rows] or ["no visits"]
        return {"json": rows, "text": text}

    def _show(self, user: User, options: dict[str, Any]) -> dict[str, Any]:
        self._visit(user, options["visit"])
        detail = selectors.visit_detail(user, options["visit"])
        visit = detail.visit
        places = []
        dates = f"{visit.started or '?'} - {visit.ended or ''}"
        text = [f"{visit.title} ({visit.body}), {dates}, {visit.get_announced_display()}"]
        for block in detail.places:
            vp = block.visit_place
            findings = []
            text.append(
                f"  place {vp.place_id}: {vp.place.name}, population on the day: {vp.population or '?'}"
            )
            for row in block.checklist:
                for f in row.findings:
                    item = {
                        "id": f.finding.pk,
                        "area": row.area,
                        "assessment": f.finding.assessment,
                        "text": f.finding.text,
                        "measure": f.finding.measure,
                        "value": str(f.finding.value) if f.finding.value is not None else None,
                        "gap": _gap_json(f.gap) if f.gap else None,
                    }
                    findings.append(item)
                    line = f"    [{row.label}] {f.finding.get_assessment_display()}: {f.finding.text}"
                    if f.gap:
                        line += f"\n      {f.finding.value} {f.gap.unit}: {f.gap.describe()}"
                    text.append(line)
            places.append(
                {
                    "place": vp.place_id,
                    "name": vp.place.name,
                    "population": vp.population,
                    "findings": findings,
                }
            )
        outcomes = [
            {"guarantee": g.outcome.guarantee, "outcome": g.outcome.outcome} for g in detail.guarantees
        ]
        for g in detail.guarantees:
            text.append(f"  guarantee: {g.label}: {g.outcome.get_outcome_display()}")
        interviews = [
            {
                "id": r.interview.pk,
                "code": r.interview.code,
                "person": r.person_id,
                "consent_authorities": r.interview.consent_authorities,
                "consent_public": r.interview.consent_public,
                "reprisal_risk": r.interview.reprisal_risk,
            }
            for r in detail.interviews
        ]
        for r in detail.interviews:
            text.append(
                f"  interview {r.interview.pk}: {r.interview.code or r.person_name or 'dossier not visible'}"
            )
        recommendations = [_rec_json(v) for v in detail.recommendations]
        for v in detail.recommendations:
            text.append(
                f"  recommendation {v.recommendation.pk} to {v.recommendation.addressed_to}: {_status(v)}"
            )
        data = {
            "id": visit.pk,
            "title": visit.title,
            "body": str(visit.body),
            "started": str(visit.started or ""),
            "ended": str(visit.ended or ""),
            "places": places,
            "guarantees": outcomes,
            "interviews": interviews,
            "recommendations": recommendations,
        }
        return {"json": data, "text": text}

    def _finding(self, user: User, options: dict[str, Any]) -> dict[str, Any]:
        if not user.can_edit:
            raise CommandError(f"{user.get_username()} may not record findings (researchers and admins only)")
        visit = self._visit(user, options["visit"])
        try:
            visit_place = (
                VisitPlace.objects.filter(visit=visit, place_id=options["place"])
                .filter(confidentiality__lte=user.clearance, place__confidentiality__lte=user.clearance)
                .get()
            )
        except VisitPlace.DoesNotExist as missing:
            # A merged-away place's visits moved to its survivor (habeas.linkage.merge): say so.
            survivor = (
                Place.objects.filter(pk=options["place"], confidentiality__lte=user.clearance)
                .values_list("merged_into_id", flat=True)
                .first()
            )
            if survivor is not None:
                raise CommandError(
                    f"place {options['place']} was merged into {survivor}: use that number"
                ) from missing
            raise CommandError(
                f"place {options['place']} is not one of visit {visit.pk}'s places"
            ) from missing
        if not options["unsourced"]:
            raise CommandError("cite the finding in the web form, or mark it --unsourced (entered by --user)")
        finding = services.finding_record(
            visit_place=visit_place,
            area=options["area"],
            assessment=options["assessment"],
            text=options["text"],
            measure=options["measure"],
            value=options["value"],
            unsourced=True,
            by=user,
        )
        gap = selectors.gap_of(finding)
        data = {"id": finding.pk, "gap": _gap_json(gap) if gap else None}
        text = [
            f"finding {finding.pk} recorded"
            + (f": {finding.value} {gap.unit}, {gap.describe()}" if gap else "")
        ]
        return {"json": data, "text": text}

    def _recommendations(self, user: User, options: dict[str, Any]) -> dict[str, Any]:
        rows = selectors.recommendation_list(
            user, status=options["status"], per_page=200
        ).paginator.object_list
        if options["visit"]:
            rows = [v for v in rows if v.recommendation.visit_id == options["visit"]]
        data = [_rec_json(v) for v in rows]
        text = [
            f"{v.recommendation.pk}\t{v.recommendation.addressed_to}\t{_status(v)}\t{v.recommendation.text[:100]}"
            for v in rows
        ] or ["no recommendations"]
        return {"json": data, "text": text}

    def _report(self, user: User, options: dict[str, Any]) -> dict[str, Any]:
        try:
            report = selectors.visit_report(user, options["visit"], options["audience"])
        except Visit.DoesNotExist as missing:
            raise CommandError(f"no visit {options['visit']} visible to {user.get_username()}") from missing
        data = report.as_dict()
        text = [f"{report.visit.title}: report for the {report.audience}"]
        text += [f"  finding at {f.place} [{f.area}] {f.text} {f.gap}".rstrip() for f in report.findings]
        text += [f"  allegation: {a.kind}, {a.person}" for a in report.allegations]
        text += [
            f"  recommendation to {to}: {t} ({s or 'no follow-up'})" for to, t, s in report.recommendations
        ]
        if report.withheld:
            text.append(f"  {report.withheld} interview(s) left out: consent does not cover this use")
        return {"json": data, "text": text}

    def _notes(self, user: User, options: dict[str, Any]) -> dict[str, Any]:
        try:
            interview = selectors.interview_get(user, options["interview"])
        except Interview.DoesNotExist as missing:
            raise CommandError(
                f"no interview {options['interview']} visible to {user.get_username()}"
            ) from missing
        notes = services.interview_notes_read(interview=interview, by=user, channel="cli")
        return {"json": {"interview": interview.pk, "notes": notes}, "text": [notes]}

    def _key(self, options: dict[str, Any]) -> None:
        if options["generate"]:
            self.stdout.write(crypto.generate_key())
        elif options["ensure"]:
            if settings.HABEAS_NOTES_KEY or settings.PRODUCTION:
                self.stdout.write("HABEAS_NOTES_KEY is set (or production): no key file written")
                return
            path = settings.HABEAS_NOTES_KEY_FILE
            wrote = crypto.ensure_key_file(path)
            self.stdout.write(f"wrote a new notes key to {path}" if wrote else f"notes key kept in {path}")
        else:
            try:
                count = services.notes_rotate()
            except crypto.NotesKeyError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"re-encrypted {count} notes and narratives under the first key")


def _gap_json(gap: norms.Assessment) -> dict[str, Any]:
    data = {
        "norm": gap.norm.norm.label,
        "figure": str(gap.norm.norm.figure),
        "unit": gap.norm.norm.unit,
        "gap": str(gap.norm.gap),
        "met": gap.norm.met,
        "source": gap.norm.norm.source,
        "reading": gap.describe(),
    }
    if gap.emergency is not None:
        data["emergency_minimum"] = str(gap.emergency.norm.figure)
        data["below_emergency_minimum"] = not gap.emergency.met
    return data


def _status(view: selectors.RecommendationView) -> str:
    current = view.current
    return f"{current.get_status_display()} ({current.date})" if current else "no follow-up"


def _rec_json(view: selectors.RecommendationView) -> dict[str, Any]:
    rec = view.recommendation
    return {
        "id": rec.pk,
        "visit": rec.visit_id,
        "report": view.report_id,
        "addressed_to": rec.addressed_to,
        "text": rec.text,
        "made": str(rec.made or ""),
        "statuses": [
            {"status": s.fact.status, "date": str(s.fact.date), "note": s.fact.note} for s in view.statuses
        ],
    }
