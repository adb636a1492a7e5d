"""Visits to places of detention: who went where and when, what access they had, whom they interviewed,
what they found against the norms, and what they recommended.

Cited facts take ``habeas.dossiers.models.Fact`` (a citation, more citations, or "entered without a
source" by a named user). What a detainee said (interview notes, an allegation's narrative) is stored
only as a Fernet token (``habeas.visits.crypto``) and read through ``services.interview_notes_read``,
which checks clearance and writes a ``NotesRead`` row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import ConfidentialityMixin
from habeas.dossiers.models import AllegationKind, Fact
from habeas.lib.fields import PartialDateBound, PartialDateField
from habeas.visits.norms import Measure

_LEVELS = models.Q(confidentiality__in=[0, 1, 2])


class Announced(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    UNANNOUNCED = "unannounced", _("unannounced")
    UNKNOWN = "unknown", _("not known")


class StageKind(models.TextChoices):
    # The four stages of an ICRC-style visit, in order.
    INITIAL_TALK = "initial_talk", _("initial talk with the authorities")
    TOUR = "tour", _("tour of the premises")
    INTERVIEWS = "interviews", _("private interviews")
    CLOSING_TALK = "closing_talk", _("closing talk with the authorities")


class Outcome(models.TextChoices):
    """What a team actually had on the day, guarantee by guarantee."""

    OBTAINED = "obtained", _("obtained")
    PARTLY = "partly", _("partly obtained")
    DENIED = "denied", _("denied")
    NOT_TESTED = "not_tested", _("not tested")


class Area(models.TextChoices):
    """Inspection areas of a conditions checklist (Nelson Mandela Rules, ICRC practice)."""

    REGISTRATION = "registration", _("registration and files")
    SEPARATION = "separation", _("separation of categories")
    ACCOMMODATION = "accommodation", _("accommodation")
    HYGIENE = "hygiene", _("hygiene")
    CLOTHING = "clothing", _("clothing and bedding")
    FOOD = "food", _("food and water")
    EXERCISE = "exercise", _("exercise")
    HEALTH = "health", _("health care")
    DISCIPLINE = "discipline", _("discipline and solitary confinement")
    RESTRAINTS = "restraints", _("restraints")
    COMPLAINTS = "complaints", _("information and complaints")
    CONTACT = "contact", _("contact with the outside world")
    RELIGION = "religion", _("religion")
    NOTIFICATIONS = "notifications", _("notification of death, illness or transfer")
    INVESTIGATIONS = "investigations", _("investigation of deaths and torture")
    STAFF = "staff", _("staff")


class Assessment(models.TextChoices):
    ADEQUATE = "adequate", _("adequate")
    CONCERN = "concern", _("concern")
    SERIOUS = "serious", _("serious concern")
    NOT_ASSESSED = "not_assessed", _("not assessed")


class ReprisalRisk(models.TextChoices):
    UNKNOWN = "unknown", _("not assessed")
    NONE = "none", _("none")
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Consistency(models.TextChoices):
    """The Istanbul Protocol's grading of medical findings against the allegation."""

    NOT_EXAMINED = "not_examined", _("not examined")
    NOT_CONSISTENT = "not_consistent", _("not consistent")
    CONSISTENT = "consistent", _("consistent")
    HIGHLY_CONSISTENT = "highly_consistent", _("highly consistent")
    TYPICAL = "typical", _("typical of")
    DIAGNOSTIC = "diagnostic", _("diagnostic of")


class Method(models.TextChoices):
    """Methods of torture and ill-treatment an allegation may name (several per allegation)."""

    BEATING = "beating", _("beating, blunt trauma")
    POSITIONAL = "positional", _("stress positions, forced standing")
    SUSPENSION = "suspension", _("suspension")
    ELECTRIC = "electric", _("electric shocks")
    ASPHYXIATION = "asphyxiation", _("asphyxiation, near-drowning")
    SLEEP = "sleep", _("sleep deprivation")
    TEMPERATURE = "temperature", _("exposure to heat or cold")
    SEXUAL = "sexual", _("sexual violence")
    THREATS = "threats", _("threats, to the person or family")
    ISOLATION = "isolation", _("prolonged isolation")
    DEPRIVATION = "deprivation", _("deprivation of food, water or medical care")
    RESTRAINT = "restraint", _("shackling, restraint chairs")
    HUMILIATION = "humiliation", _("humiliation")
    OTHER = "other", _("other")


class FollowUpStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY_IMPLEMENTED = "partly_implemented", _("partly implemented")
    IMPLEMENTED = "implemented", _("implemented")
    REJECTED = "rejected", _("rejected")
    NO_INFORMATION = "no_information", _("no information")


# -- the visit -------------------------------------------------------------------------------------
class Visit(Fact):
    body = models.ForeignKey("access.MonitoringBody", on_delete=models.PROTECT, related_name="visits")
    negotiation = models.ForeignKey(
        "access.AccessNegotiation", null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    title = models.CharField(max_length=300, help_text="A line that tells visits apart.")
    started = PartialDateField("started", blank=False)
    started_start = PartialDateBound()
    started_end = PartialDateBound()
    ended = PartialDateField("ended")
    announced = models.CharField(max_length=12, choices=Announced.choices, default=Announced.UNKNOWN)
    # Public and internal descriptions are separate fields, so a public page never shows the notes.
    summary_public = models.TextField(blank=True)
    notes_internal = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta(Fact.Meta):
        ordering = ["-started", "-id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(announced__in=Announced.values), name="visit_announced_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    """Who went, as they are named in the report (staff of the body, doctors, interpreters)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, help_text="e.g. head of delegation, doctor")

    class Meta:
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class VisitPlace(Fact):
    """One place seen during the visit, with what the authorities or the team counted on the day."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="places")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="visits")
    date = PartialDateField("date")
    population = models.PositiveIntegerField(null=True, blank=True, help_text="People held on the day.")
    note = models.TextField(blank=True)

    class Meta(Fact.Meta):
        ordering = ["visit", "date", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(fields=["visit", "place"], name="visitplace_unique"),
        ]

    def __str__(self) -> str:
        return str(self.place)


class Stage(ConfidentialityMixin):
    """One of the four stages, with its date and the team's notes on it (internal by default)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=16, choices=StageKind.choices)
    date = PartialDateField("date")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["visit", "id"]
        constraints = [
            models.CheckConstraint(condition=_LEVELS, name="stage_confidentiality_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=StageKind.values), name="stage_kind_valid"),
            models.UniqueConstraint(fields=["visit", "kind"], name="stage_unique"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class GuaranteeOutcome(Fact):
    """Whether a guarantee (the access app's vocabulary) held during this visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="guarantee_outcomes")
    # habeas.access.models.GuaranteeKind values.
    guarantee = models.CharField(max_length=32)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    note = models.TextField(blank=True)

    class Meta(Fact.Meta):
        ordering = ["visit", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="guaranteeoutcome_valid"
            ),
            models.UniqueConstraint(fields=["visit", "guarantee"], name="guaranteeoutcome_unique"),
        ]


# -- interviews ------------------------------------------------------------------------------------
class Interview(Fact):
    """A talk with a detainee: linked to a dossier, or recorded under a generated code (never both), so
    that a person who must not be identified is not."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="interviews")
    visit_place = models.ForeignKey(
        VisitPlace, null=True, blank=True, on_delete=models.PROTECT, related_name="interviews"
    )
    person = models.ForeignKey(
        "dossiers.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="visit_interviews"
    )
    # Generated by the service from random characters: it carries nothing of the person.
    code = models.CharField(max_length=16, blank=True, editable=False)
    date = PartialDateField("date")
    private = models.BooleanField(default=True, help_text="Without officials within hearing.")
    consent_given = models.BooleanField(default=False)
    consent_authorities = models.BooleanField(default=False, help_text="May be raised with the authorities.")
    consent_public = models.BooleanField(default=False, help_text="May be used in public reporting.")
    consent_named = models.BooleanField(default=False, help_text="May be named.")
    reprisal_risk = models.CharField(max_length=8, choices=ReprisalRisk.choices, default=ReprisalRisk.UNKNOWN)
    # A Fernet token (habeas.visits.crypto), never the text.
    notes_encrypted = models.TextField(blank=True, editable=False)

    class Meta(Fact.Meta):
        ordering = ["visit", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(code=""))
                | (models.Q(person__isnull=True) & ~models.Q(code="")),
                name="interview_person_or_code",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="interview_code_unique"
            ),
            # No scope without consent itself.
            models.CheckConstraint(
                condition=models.Q(consent_given=True)
                | models.Q(consent_authorities=False, consent_public=False, consent_named=False),
                name="interview_scope_needs_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(reprisal_risk__in=ReprisalRisk.values), name="interview_risk_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"interview {self.code}" if self.code else f"interview #{self.pk}"


class FollowUpCheck(Fact):
    """A check on an interviewee after the visit: were there reprisals?"""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="follow_ups")
    date = PartialDateField("date", blank=False)
    outcome = models.TextField(blank=True)
    reprisal_found = models.BooleanField(default=False)

    class Meta(Fact.Meta):
        ordering = ["interview", "date", "id"]


class InterviewAllegation(Fact):
    """An allegation raised in an interview; for torture, the Istanbul Protocol's core fields. The
    narrative is encrypted like the notes."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="allegations")
    kind = models.CharField(max_length=32, choices=AllegationKind.choices)
    date_from = PartialDateField("from")
    date_to = PartialDateField("to")
    places = models.TextField(blank=True, help_text="Where it happened, as the person described it.")
    methods = models.JSONField(default=list, blank=True, help_text="Method values.")
    methods_other = models.CharField(max_length=300, blank=True)
    perpetrators = models.TextField(blank=True)
    injuries = models.TextField(blank=True)
    witnesses = models.TextField(blank=True)
    consistency = models.CharField(
        max_length=20, choices=Consistency.choices, default=Consistency.NOT_EXAMINED
    )
    narrative_encrypted = models.TextField(blank=True, editable=False)

    class Meta(Fact.Meta):
        ordering = ["interview", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind__in=AllegationKind.values), name="interviewallegation_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(consistency__in=Consistency.values),
                name="interviewallegation_consistency_valid",
            ),
        ]


class NotesRead(models.Model):
    """Who read which interview's notes (or an allegation's narrative), and when: one row per read."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reads")
    allegation = models.ForeignKey(
        InterviewAllegation, null=True, blank=True, on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    channel = models.CharField(max_length=10, help_text="web or cli")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who read this interview's notes", on the interview page.
            models.Index(fields=["interview", "at"], name="notesread_interview_idx"),
        ]

    def __str__(self) -> str:
        return f"read by user #{self.user_id} at {self.at:%Y-%m-%d %H:%M}"


# -- conditions ------------------------------------------------------------------------------------
class Finding(Fact):
    """What the team found in one area of one place, with a measured value where a norm exists."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    visit_place = models.ForeignKey(VisitPlace, on_delete=models.CASCADE, related_name="findings")
    area = models.CharField(max_length=16, choices=Area.choices)
    assessment = models.CharField(max_length=16, choices=Assessment.choices, default=Assessment.NOT_ASSESSED)
    text = models.TextField()
    measure = models.CharField(max_length=16, choices=Measure.choices, blank=True)
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta(Fact.Meta):
        ordering = ["visit", "visit_place", "area", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(condition=models.Q(area__in=Area.values), name="finding_area_valid"),
            models.CheckConstraint(
                condition=models.Q(assessment__in=Assessment.values), name="finding_assessment_valid"
            ),
            # A measure has its value, and a value says what it measures.
            models.CheckConstraint(
                condition=(models.Q(measure="") & models.Q(value__isnull=True))
                | (models.Q(measure__in=Measure.values) & models.Q(value__isnull=False, value__gte=0)),
                name="finding_measure_has_value",
            ),
        ]


# -- recommendations -------------------------------------------------------------------------------
class Recommendation(Fact):
    """A recommendation made after a visit, or in a report (a Source), to an authority."""

    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="recommendations"
    )
    report = models.ForeignKey(
        "sources.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    addressed_to = models.CharField(max_length=300)
    area = models.CharField(max_length=16, choices=Area.choices, blank=True)
    text = models.TextField()
    made = PartialDateField("made")

    class Meta(Fact.Meta):
        ordering = ["-made", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(visit__isnull=False) | models.Q(report__isnull=False),
                name="recommendation_from_visit_or_report",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class RecommendationStatus(Fact):
    """The follow-up of a recommendation from a date on, citing the evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20, choices=FollowUpStatus.choices)
    date = PartialDateField("date", blank=False)
    note = models.TextField(blank=True)

    class Meta(Fact.Meta):
        ordering = ["recommendation", "date", "id"]
        verbose_name_plural = "recommendation statuses"
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(status__in=FollowUpStatus.values), name="recommendationstatus_valid"
            ),
        ]
