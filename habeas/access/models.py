"""Access: who monitors places of detention, what they asked a state for, what it granted, and
benchmarks a state was measured against.

An *access negotiation* is one body asking one state (a country) for access: a country visit or
specific places. What happened is a history of dated status rows (requested ... conducted, refused),
each a cited fact; the current status is the latest row the reader may see, so it is computed by the
selectors, never stored. Each *guarantee* asked for (the UN terms of reference for fact-finding
missions, the ICRC's standard conditions) is its own row with its own dated, cited state history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import ConfidentialityMixin
from habeas.dossiers.models import Fact
from habeas.lib.fields import PartialDateBound, PartialDateField


# -- vocabularies ----------------------------------------------------------------------------------
class BodyKind(models.TextChoices):
    ICRC = "icrc", _("International Committee of the Red Cross")
    UN_SPECIAL_PROCEDURE = "un_special_procedure", _("UN special procedure")
    UN_TREATY_BODY = "un_treaty_body", _("UN treaty body")
    HIGH_COMMISSIONER = "high_commissioner", _("UN High Commissioner for Human Rights")
    NPM = "npm", _("national preventive mechanism")
    NATIONAL_COMMISSION = "national_commission", _("national human-rights commission")
    FOREIGN_COMMISSION = "foreign_commission", _("foreign government commission")
    NGO = "ngo", _("non-governmental organisation")
    OTHER = "other", _("other")


class Mandate(models.TextChoices):
    GENERAL = "general", _("human rights in general")
    DETENTION = "detention", _("conditions and treatment in detention")
    TORTURE = "torture", _("torture and ill-treatment")
    ARBITRARY_DETENTION = "arbitrary_detention", _("arbitrary detention")
    RELIGION = "religion", _("freedom of religion or belief")
    EXPRESSION = "expression", _("freedom of opinion and expression")
    DISAPPEARANCE = "disappearance", _("enforced disappearance")
    OTHER = "other", _("other")


class Scope(models.TextChoices):
    COUNTRY_VISIT = "country_visit", _("country visit")
    PLACES = "places", _("specific places")


class NegotiationStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    CONSIDERED = "considered", _("under consideration")
    INVITED = "invited", _("invited")
    AGREED = "agreed", _("agreed")
    SCHEDULED = "scheduled", _("dates set")
    CONDUCTED = "conducted", _("conducted")
    REPORT_PUBLISHED = "report_published", _("report published")
    POSTPONED = "postponed", _("postponed")
    REFUSED = "refused", _("refused")
    CUT_SHORT = "cut_short", _("cut short")


class GuaranteeKind(models.TextChoices):
    # The UN terms of reference for fact-finding missions by special procedures.
    UN_MOVEMENT = "un_movement", _("freedom of movement in the whole country")
    UN_ALL_PLACES = "un_all_places", _("access to all prisons, detention centres and places of interrogation")
    UN_CONFIDENTIAL_CONTACT = (
        "un_confidential_contact",
        _("confidential and unsupervised contact with detainees and witnesses"),
    )
    UN_DOCUMENTS = "un_documents", _("access to documents")
    UN_NO_REPRISALS = "un_no_reprisals", _("assurance of no reprisals against anyone contacted")
    # The ICRC's standard conditions for visiting detainees.
    ICRC_ALL_DETAINEES = "icrc_all_detainees", _("access to all detainees and all places of detention")
    ICRC_ALL_PREMISES = "icrc_all_premises", _("access to all premises used by or for detainees")
    ICRC_PRIVATE_INTERVIEWS = (
        "icrc_private_interviews",
        _("private interviews with detainees of its choosing"),
    )
    ICRC_REPEAT_VISITS = "icrc_repeat_visits", _("repeat visits")
    ICRC_DETAINEE_LIST = "icrc_detainee_list", _("the list of detainees")
    OTHER = "other", _("other")


UN_GUARANTEES = (
    GuaranteeKind.UN_MOVEMENT,
    GuaranteeKind.UN_ALL_PLACES,
    GuaranteeKind.UN_CONFIDENTIAL_CONTACT,
    GuaranteeKind.UN_DOCUMENTS,
    GuaranteeKind.UN_NO_REPRISALS,
)
ICRC_GUARANTEES = (
    GuaranteeKind.ICRC_ALL_DETAINEES,
    GuaranteeKind.ICRC_ALL_PREMISES,
    GuaranteeKind.ICRC_PRIVATE_INTERVIEWS,
    GuaranteeKind.ICRC_REPEAT_VISITS,
    GuaranteeKind.ICRC_DETAINEE_LIST,
)


class GuaranteeState(models.TextChoices):
    ASKED = "asked", _("asked")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    VIOLATED = "violated", _("violated")
    UNKNOWN = "unknown", _("unknown")


class Rating(models.IntegerChoices):
    """An ordinal scale: comparisons over time read the numbers."""

    REGRESSION = -1, _("regression")
    NO_PROGRESS = 0, _("no progress")
    SOME_PROGRESS = 1, _("some progress")
    SIGNIFICANT_PROGRESS = 2, _("significant progress")
    MET = 3, _("met")


_LEVELS = models.Q(confidentiality__in=[0, 1, 2])


# -- monitoring bodies -----------------------------------------------------------------------------
class MonitoringBody(ConfidentialityMixin):
    name = models.CharField(max_length=300, unique=True)
    short_name = models.CharField(max_length=60, blank=True, help_text="e.g. ICRC, WGAD, USCIRF")
    kind = models.CharField(max_length=24, choices=BodyKind.choices)
    mandate = models.CharField(max_length=24, choices=Mandate.choices, default=Mandate.GENERAL)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "monitoring bodies"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=BodyKind.values), name="body_kind_valid"),
            models.CheckConstraint(condition=models.Q(mandate__in=Mandate.values), name="body_mandate_valid"),
            models.CheckConstraint(condition=_LEVELS, name="body_confidentiality_valid"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def guarantee_kinds(self) -> tuple[str, ...]:
        """The standard guarantees this kind of body asks for: the ICRC's, or the UN terms of reference."""
        return ICRC_GUARANTEES if self.kind == BodyKind.ICRC else UN_GUARANTEES


class BodyAlias(models.Model):
    """Other names a body goes by in sources ("the Red Cross", "UN torture investigator")."""

    body = models.ForeignKey(MonitoringBody, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=300)
    # Folded form (habeas.lib.names.fold): the extraction review matches body names by it.
    key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        ordering = ["text"]
        constraints = [models.UniqueConstraint(fields=["body", "key"], name="bodyalias_unique")]

    def __str__(self) -> str:
        return self.text


# -- negotiations ----------------------------------------------------------------------------------
class AccessNegotiation(ConfidentialityMixin):
    body = models.ForeignKey(MonitoringBody, on_delete=models.PROTECT, related_name="negotiations")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, upper case")
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.COUNTRY_VISIT)
    places = models.ManyToManyField("places.Place", blank=True, related_name="access_negotiations")
    subject = models.CharField(max_length=300, help_text="What the access is for, in a line.")
    purposes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["country", "-created_at", "-id"]
        indexes = [
            # The country page and the list's country filter.
            models.Index(fields=["country", "confidentiality"], name="negotiation_country_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_LEVELS, name="negotiation_confidentiality_valid"),
            models.CheckConstraint(
                condition=models.Q(scope__in=Scope.values), name="negotiation_scope_valid"
            ),
            # Stored upper case, as places.Place.country; the services check the two letters.
            models.CheckConstraint(
                condition=models.Q(country=Upper("country")), name="negotiation_country_upper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} / {self.country}: {self.subject}"


class NegotiationStatusChange(Fact):
    """One dated step of a negotiation: requested, agreed, conducted, refused..."""

    negotiation = models.ForeignKey(AccessNegotiation, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20, choices=NegotiationStatus.choices)
    date = PartialDateField("date", blank=False)
    date_start = PartialDateBound()
    date_end = PartialDateBound()
    # Dates set for the visit ("scheduled"), or the dates it ran ("conducted").
    visit_from = PartialDateField("visit from")
    visit_to = PartialDateField("visit to")
    note = models.TextField(blank=True)

    class Meta(Fact.Meta):
        ordering = ["date", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(status__in=NegotiationStatus.values),
                name="negotiationstatuschange_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.date}"


class Guarantee(ConfidentialityMixin):
    """One condition of access, asked for in one negotiation; its state lives in GuaranteeChange rows."""

    negotiation = models.ForeignKey(AccessNegotiation, on_delete=models.CASCADE, related_name="guarantees")
    kind = models.CharField(max_length=32, choices=GuaranteeKind.choices)
    other_text = models.CharField(max_length=300, blank=True, help_text="What was asked, for 'other'.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["negotiation", "id"]
        constraints = [
            models.CheckConstraint(condition=_LEVELS, name="guarantee_confidentiality_valid"),
            models.CheckConstraint(
                condition=models.Q(kind__in=GuaranteeKind.values), name="guarantee_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="other") | ~models.Q(other_text=""), name="guarantee_other_has_text"
            ),
            models.UniqueConstraint(fields=["negotiation", "kind", "other_text"], name="guarantee_unique"),
        ]

    def __str__(self) -> str:
        return self.other_text if self.kind == GuaranteeKind.OTHER else self.get_kind_display()


class GuaranteeChange(Fact):
    """A guarantee's state from a date on: asked, granted, refused, violated, unknown."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="changes")
    state = models.CharField(max_length=12, choices=GuaranteeState.choices)
    date = PartialDateField("date", blank=False)
    note = models.TextField(blank=True)

    class Meta(Fact.Meta):
        ordering = ["date", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(state__in=GuaranteeState.values), name="guaranteechange_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.date}"


# -- benchmarks ------------------------------------------------------------------------------------
class BenchmarkSet(ConfidentialityMixin):
    """Criteria a state was to be measured against, e.g. conditions for renewing a trade status."""

    title = models.CharField(max_length=300)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, upper case")
    description = models.TextField(blank=True)
    adopted = PartialDateField("adopted")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["country", "title"]
        constraints = [
            models.CheckConstraint(condition=_LEVELS, name="benchmarkset_confidentiality_valid"),
            models.CheckConstraint(
                condition=models.Q(country=Upper("country")), name="benchmarkset_country_upper"
            ),
            models.UniqueConstraint(fields=["country", "title"], name="benchmarkset_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One criterion of a set; it is as visible as its set."""

    benchmark_set = models.ForeignKey(BenchmarkSet, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100, help_text="A short name for the scorecard's column.")
    text = models.TextField()

    class Meta:
        ordering = ["benchmark_set", "position"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["benchmark_set", "position"], name="criterion_position_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Assessment(Fact):
    """How far a criterion was met at a date, citing the evidence."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assessments")
    date = PartialDateField("date", blank=False)
    rating = models.SmallIntegerField(choices=Rating.choices)
    summary = models.TextField()

    class Meta(Fact.Meta):
        ordering = ["date", "id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(rating__in=Rating.values), name="assessment_rating_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_rating_display()} ({self.date})"
