"""Dialogue with governments: engagements, the prisoner lists handed over in them, the answers
received case by case, and the acts of clemency or better treatment that followed.

The loop researchers run: pick persons of concern (by a saved dossier query or by hand), write a
short case summary for the recipient and say what is asked for each, hand the list over in a
dialogue round or a letter, record each answer with the official document it came in, and record
the outcomes (release, sentence reduction...) linked to the lists and answers that preceded them.

What the recipient reads (``case_summary``) and what stays with us (``internal_note``, ``notes``) are
separate fields, so an export lists its fields by hand and never reaches an internal one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import ConfidentialityMixin
from habeas.dossiers.models import Fact
from habeas.lib.fields import PartialDateBound, PartialDateField

LEVELS = Q(confidentiality__in=[0, 1, 2])


# -- vocabularies ----------------------------------------------------------------------------------
class InterlocutorKind(models.TextChoices):
    MINISTRY = "ministry", _("ministry")
    COURT = "court", _("court")
    PROCURATORATE = "procuratorate", _("procuratorate")
    PROVINCIAL_GOVERNMENT = "provincial_government", _("provincial government")
    PRISON_ADMINISTRATION = "prison_administration", _("prison administration")
    EMBASSY = "embassy", _("embassy or consulate")
    LEGISLATURE = "legislature", _("legislature")
    OTHER = "other", _("other")


class EngagementKind(models.TextChoices):
    DIALOGUE_ROUND = "dialogue_round", _("dialogue round")
    SUMMIT = "summit", _("summit")
    OFFICIAL_VISIT = "official_visit", _("official visit")
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting")
    OTHER = "other", _("other")


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    HANDED_OVER = "handed_over", _("handed over")


class RequestKind(models.TextChoices):
    """What a list asks for one person (an entry may ask several)."""

    INFORMATION = "information", _("information on status and whereabouts")
    RELEASE = "release", _("release")
    MEDICAL_PAROLE = "medical_parole", _("medical parole")
    SENTENCE_REDUCTION = "sentence_reduction", _("sentence reduction")
    COMMUTATION = "commutation", _("commutation of a death sentence")
    FAMILY_VISIT = "family_visit", _("family visit")
    LAWYER_ACCESS = "lawyer_access", _("access for a lawyer")
    HUMANITARIAN_ACCESS = "humanitarian_access", _("access for a humanitarian organisation")


class ResponseType(models.TextChoices):
    """After HURIDOCS' intervention response types, with what prisoner-list work adds."""

    INFORMATION_PROVIDED = "information_provided", _("information provided")
    FAVOURABLE_RESULT = "favourable_result", _("favourable result")
    DENIED_FACTS = "denied_facts", _("denied the facts")
    REQUESTED_MORE_INFORMATION = "requested_more_information", _("requested more information")
    TOKEN_RESPONSE = "token_response", _("token response")
    PERSON_UNKNOWN = "person_unknown", _("said the person is unknown")
    REFUSED = "refused", _("refused to answer")
    NO_RESPONSE = "no_response", _("no response")


# Types that count as an answer in the statistics ("responses received"): everything but silence.
ANSWERED = tuple(t for t in ResponseType.values if t != ResponseType.NO_RESPONSE)


class OutcomeKind(models.TextChoices):
    RELEASE = "release", _("release")
    EARLY_RELEASE = "early_release", _("early release")
    SENTENCE_REDUCTION = "sentence_reduction", _("sentence reduction")
    PAROLE = "parole", _("parole")
    MEDICAL_PAROLE = "medical_parole", _("medical parole")
    COMMUTATION = "commutation", _("commutation")
    IMPROVED_TREATMENT = "improved_treatment", _("improved treatment")
    FAMILY_VISIT = "family_visit", _("family visit granted")


# Outcomes that change when the person will be free: they may give a new expected release date.
RELEASE_CHANGING = (OutcomeKind.SENTENCE_REDUCTION, OutcomeKind.COMMUTATION)
# Outcomes that set the person free: alerts and suggestions stop treating them as held.
FREEING = (OutcomeKind.RELEASE, OutcomeKind.EARLY_RELEASE, OutcomeKind.PAROLE, OutcomeKind.MEDICAL_PAROLE)


# -- records ---------------------------------------------------------------------------------------
class Interlocutor(ConfidentialityMixin):
    """Who a list is handed to: a ministry, court, provincial government, embassy..."""

    name = models.CharField(max_length=300, help_text="e.g. Ministry of Justice")
    name_local = models.CharField(max_length=300, blank=True, help_text="In its own language, e.g. 司法部")
    kind = models.CharField(max_length=24, choices=InterlocutorKind.choices, default=InterlocutorKind.OTHER)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    notes = models.TextField(blank=True, help_text="Internal.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="interlocutor_unique_name"),
            models.CheckConstraint(condition=LEVELS, name="interlocutor_confidentiality_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=InterlocutorKind.values), name="interlocutor_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Engagement(ConfidentialityMixin):
    """A dialogue round, summit, official visit, letter or meeting."""

    kind = models.CharField(max_length=16, choices=EngagementKind.choices)
    title = models.CharField(max_length=300)
    our_side = models.CharField(
        max_length=300, blank=True, help_text="Who spoke for us: a delegation, an NGO"
    )
    interlocutor = models.ForeignKey(
        Interlocutor, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    date = PartialDateField("date")
    date_start = PartialDateBound()
    date_end = PartialDateBound()
    # Where it took place (a city, a venue): not a place of detention, so free text.
    location = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, help_text="Internal.")
    citations = models.ManyToManyField("sources.Citation", blank=True, related_name="+")
    # Entered without a source by this user, when no citation is given (the services require one).
    unsourced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=LEVELS, name="engagement_confidentiality_valid"),
            models.CheckConstraint(condition=Q(kind__in=EngagementKind.values), name="engagement_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class SavedQuery(models.Model):
    """A dossier list query kept under a name (the person list's query string, e.g.
    ``status=detained&province=Xinjiang``), from which prisoner lists are built."""

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "saved queries"
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="savedquery_unique_name")]

    def __str__(self) -> str:
        return self.name


class PrisonerList(ConfidentialityMixin):
    title = models.CharField(max_length=300)
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.PROTECT, related_name="lists"
    )
    interlocutor = models.ForeignKey(Interlocutor, on_delete=models.PROTECT, related_name="lists")
    status = models.CharField(max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    handed_over = PartialDateField("handed over")
    handed_over_start = PartialDateBound()
    handed_over_end = PartialDateBound()
    built_from = models.ForeignKey(
        SavedQuery, null=True, blank=True, on_delete=models.SET_NULL, related_name="lists"
    )
    notes = models.TextField(blank=True, help_text="Internal.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-handed_over", "-id"]
        constraints = [
            models.CheckConstraint(condition=LEVELS, name="prisonerlist_confidentiality_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ListStatus.values), name="prisonerlist_status_valid"
            ),
            # A list handed over says when; a draft has not been handed over yet.
            models.CheckConstraint(
                condition=(Q(status="handed_over") & ~Q(handed_over=""))
                | (Q(status="draft") & Q(handed_over="")),
                name="prisonerlist_handed_over_iff_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ListEntry(ConfidentialityMixin):
    """One person on a list and what is asked for them."""

    prisoner_list = models.ForeignKey(PrisonerList, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey("dossiers.Person", on_delete=models.PROTECT, related_name="list_entries")
    # Values of RequestKind, at least one (checked by the services: a JSON list is not checkable
    # portably in SQL).
    requests = models.JSONField(default=list)
    case_summary = models.TextField(blank=True, help_text="Written for the recipient; exported.")
    internal_note = models.TextField(blank=True, help_text="Ours only; never exported.")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["prisoner_list", "position", "id"]
        verbose_name_plural = "list entries"
        indexes = [
            # Selection helpers and statistics: "lists this person was on", "persons ever asked about".
            models.Index(fields=["person", "prisoner_list"], name="listentry_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=LEVELS, name="listentry_confidentiality_valid"),
            models.UniqueConstraint(fields=["prisoner_list", "person"], name="listentry_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.prisoner_list}"


class Response(ConfidentialityMixin):
    """The interlocutor's answer about one entry. An answer is an official source: it cites the
    document it came in, or is entered without a source by a named user (a ``no_response`` row,
    recorded when a deadline passed, needs neither)."""

    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="responses")
    received = PartialDateField("received")
    received_start = PartialDateBound()
    received_end = PartialDateBound()
    type = models.CharField(max_length=32, choices=ResponseType.choices)
    text = models.TextField(blank=True, help_text="What the answer says about the person.")
    source = models.ForeignKey(
        "sources.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citation = models.ForeignKey(
        "sources.Citation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unsourced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The facts the answer gives, as given: {"status", "sentence", "expected_release", "place"}.
    facts = models.JSONField(default=dict, blank=True)
    # The review run that offers those facts to the dossier (they land only once reviewed).
    review_run = models.ForeignKey(
        "review.ExtractionRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["entry", "received", "id"]
        indexes = [
            # Statistics and alerts: answers by type over time.
            models.Index(fields=["type", "received_start"], name="response_type_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=LEVELS, name="response_confidentiality_valid"),
            models.CheckConstraint(condition=Q(type__in=ResponseType.values), name="response_type_valid"),
            models.CheckConstraint(
                condition=Q(citation__isnull=False) | Q(unsourced_by__isnull=False) | Q(type="no_response"),
                name="response_cited_or_unsourced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.received or '?'})"


class Outcome(Fact):
    """An act of clemency or better treatment, with what preceded it."""

    person = models.ForeignKey("dossiers.Person", on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(max_length=24, choices=OutcomeKind.choices)
    date = PartialDateField("date")
    date_start = PartialDateBound()
    date_end = PartialDateBound()
    new_expected_release = PartialDateField("new expected release")
    note = models.TextField(blank=True)
    entries = models.ManyToManyField(ListEntry, blank=True, related_name="outcomes")
    responses = models.ManyToManyField(Response, blank=True, related_name="outcomes")

    class Meta(Fact.Meta):
        ordering = ["-date", "-id"]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(condition=Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"),
            models.CheckConstraint(
                condition=Q(new_expected_release="") | Q(kind__in=list(RELEASE_CHANGING)),
                name="outcome_new_release_only_when_changed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date or '?'})"
