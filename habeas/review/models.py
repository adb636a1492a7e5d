"""The review queue: facts an extractor proposes from a source, waiting for a person to decide.

Nothing here is a fact. A candidate becomes one only when a reviewer accepts it (or when a user asks
for automatic acceptance above a confidence they set); the fact is then written by the same dossier
services as hand entry, citing the candidate's evidence spans.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ExtractionRun(models.Model):
    """One pass of an extractor over one source."""

    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="extraction_runs")
    extractor_version = models.CharField(max_length=100)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The extractor's output as it came, so a decision can be traced back to what was proposed.
    output = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"extraction of source #{self.source_id} ({self.extractor_version})"


class CandidateKind(models.TextChoices):
    PERSON = "person", "person and names"
    DETENTION = "detention", "detention"
    SENTENCE = "sentence", "sentence"
    CHARGE = "charge", "charge"
    STATUS = "status", "status"
    HEALTH = "health", "health note"
    ALLEGATION = "allegation", "allegation"
    AFFILIATION = "affiliation", "affiliation"
    PLACE = "place", "place of detention"
    # A monitoring body's access to a country or its places (requested, agreed, refused...): it lands in
    # habeas.access as a step of a negotiation, not in a dossier.
    ACCESS = "access", "access event"


class CandidateState(models.TextChoices):
    PENDING = "pending", "pending"
    ACCEPTED = "accepted", "accepted"
    EDITED = "edited", "edited and accepted"
    REJECTED = "rejected", "rejected"


# What a reviewer may change before accepting, per kind, in the order the review page shows them.
EDIT_FIELDS: dict[str, tuple[str, ...]] = {
    CandidateKind.PERSON: ("names", "ethnicity", "occupation"),
    CandidateKind.DETENTION: ("started", "measure"),
    CandidateKind.SENTENCE: ("kind", "months", "pronounced"),
    CandidateKind.CHARGE: ("text", "statute", "article"),
    CandidateKind.PLACE: ("place_id",),
    CandidateKind.STATUS: ("status", "date"),
    CandidateKind.HEALTH: ("condition",),
    CandidateKind.ALLEGATION: ("kind", "description"),
    CandidateKind.AFFILIATION: ("organisation", "role"),
    CandidateKind.ACCESS: ("body", "country", "status", "date", "conditions"),
}

DECIDED_STATES = (CandidateState.ACCEPTED, CandidateState.EDITED, CandidateState.REJECTED)
LANDED_STATES = (CandidateState.ACCEPTED, CandidateState.EDITED)


class Candidate(models.Model):
    """A proposed fact. Facts about a person hang from the person's candidate (``parent``); a sentence,
    charge or place hangs from the detention's candidate when there is one."""

    run = models.ForeignKey(ExtractionRun, on_delete=models.CASCADE, related_name="candidates")
    # The source again, so the queue counts pending candidates per source without a join.
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=CandidateKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    values = models.JSONField(
        default=dict, blank=True, help_text="The values as the extractor proposed them."
    )
    confidence = models.FloatField(null=True, blank=True)
    # Person candidates: the dossier the names matched when extracted (null: a new person is proposed).
    # Once accepted, the dossier the facts went into.
    person = models.ForeignKey(
        "dossiers.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=CandidateState.choices, default=CandidateState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What was written, after edits (the proposal stays in ``values``).
    accepted_values = models.JSONField(null=True, blank=True)
    # The record the acceptance created (or, for a person matched to a known dossier, landed on).
    created_model = models.CharField(max_length=60, blank=True, help_text='e.g. "dossiers.Detention"')
    created_id = models.PositiveBigIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order within the run.")

    class Meta:
        ordering = ["run", "position", "id"]
        indexes = [
            # The queue: sources with pending candidates, and a source's candidates by state.
            models.Index(fields=["source", "state"], name="candidate_source_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CandidateKind.values), name="candidate_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=CandidateState.values), name="candidate_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="candidate_confidence_range",
            ),
            # Pending: nobody decided. Decided: someone, at some time.
            models.CheckConstraint(
                condition=Q(state="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(state="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="candidate_decided_iff_not_pending",
            ),
            # Accepted (as proposed or edited): it created something, and says what. Else nothing.
            models.CheckConstraint(
                condition=(
                    Q(
                        state__in=["accepted", "edited"],
                        created_id__isnull=False,
                        accepted_values__isnull=False,
                    )
                    & ~Q(created_model="")
                )
                | (~Q(state__in=["accepted", "edited"]) & Q(created_id__isnull=True, created_model="")),
                name="candidate_created_iff_accepted",
            ),
            # Only a person candidate links to a dossier; its facts reach the person through it.
            models.CheckConstraint(
                condition=Q(kind="person") | Q(person__isnull=True), name="candidate_person_only_for_person"
            ),
            models.CheckConstraint(
                condition=~Q(kind="person") | Q(parent__isnull=True), name="candidate_person_has_no_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} candidate #{self.pk} ({self.state})"


class CandidateSpan(models.Model):
    """A span of the source text that supports a candidate (``source.text[start:end]``)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["candidate", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="candidatespan_not_empty"),
            models.UniqueConstraint(fields=["candidate", "start", "end"], name="candidatespan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.start}:{self.end}"
