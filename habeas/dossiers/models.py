"""Prisoners of concern and what happened to them, every fact with its citation.

A *fact* is any row below that says something about the world. It cites one source span
(``citation``), may cite more (``extra_citations``), or is marked as entered without a source by a
named user (``unsourced_by``); the database refuses a fact with neither.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import Confidentiality, ConfidentialityMixin
from habeas.lib.fields import PartialDateBound, PartialDateField


class Fact(ConfidentialityMixin):
    citation = models.ForeignKey(
        "sources.Citation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extra_citations = models.ManyToManyField("sources.Citation", blank=True, related_name="+")
    # Who entered what is answered by the history table; these need no index of their own.
    unsourced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text="Entered without a source by this user.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(citation__isnull=False) | models.Q(unsourced_by__isnull=False),
                name="%(class)s_cited_or_unsourced",
            ),
            models.CheckConstraint(
                condition=models.Q(confidentiality__in=[0, 1, 2]), name="%(class)s_confidentiality_valid"
            ),
        ]


# -- vocabularies ----------------------------------------------------------------------------------
class Sex(models.TextChoices):
    FEMALE = "F", "female"
    MALE = "M", "male"
    OTHER = "X", "other"
    UNKNOWN = "", "unknown"


class NameKind(models.TextChoices):
    MAIN = "main", "main name"
    RELIGIOUS = "religious", "religious name"
    PEN = "pen", "pen name"
    ALIAS = "alias", "alias"
    BIRTH = "birth", "birth name"
    ROMANISATION = "romanisation", "romanisation"


class RomanisationScheme(models.TextChoices):
    NONE = "", "none / as written"
    PINYIN = "pinyin", "Hanyu Pinyin"
    WADE_GILES = "wade_giles", "Wade-Giles"
    ULY = "uly", "Uyghur Latin (ULY)"
    THL = "thl", "THL simplified Tibetan"
    WYLIE = "wylie", "Wylie"
    OTHER = "other", "other"


class Status(models.TextChoices):
    DETAINED = "detained", "detained"
    RELEASED = "released", "released"
    DECEASED = "deceased", "deceased"
    DISAPPEARED = "disappeared", "disappeared"
    WHEREABOUTS_UNKNOWN = "unknown", "whereabouts unknown"
    ESCAPED = "escaped", "escaped"
    HOUSE_ARREST = "house_arrest", "house arrest"


# A person with one of these statuses is no longer held, so a passed release date is not overdue.
NOT_HELD = (Status.RELEASED, Status.DECEASED, Status.ESCAPED)


class Measure(models.TextChoices):
    CRIMINAL_DETENTION = "criminal_detention", "criminal detention"
    FORMAL_ARREST = "formal_arrest", "formal arrest"
    RSDL = "rsdl", "residential surveillance at a designated location"
    ADMINISTRATIVE = "administrative", "administrative detention"
    REEDUCATION = "reeducation", "re-education"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", "enforced disappearance"
    PSYCHIATRIC = "psychiatric", "psychiatric detention"
    HOUSE_ARREST = "house_arrest", "house arrest"
    BLACK_JAIL = "black_jail", "black jail"
    OTHER = "other", "other"
    UNKNOWN = "unknown", "unknown"


class LegalStepKind(models.TextChoices):
    DETENTION = "detention", "detention"
    FORMAL_ARREST = "formal_arrest", "formal arrest"
    INDICTMENT = "indictment", "indictment"
    TRIAL = "trial", "trial"
    SENTENCE = "sentence", "sentence"
    APPEAL = "appeal", "appeal"
    APPEAL_RULING = "appeal_ruling", "appeal ruling"
    RELEASE = "release", "release"
    OTHER = "other", "other"


class SentenceKind(models.TextChoices):
    FIXED = "fixed", "fixed term"
    LIFE = "life", "life imprisonment"
    DEATH = "death", "death"
    DEATH_REPRIEVE = "death_reprieve", "death with two-year reprieve"
    SUSPENDED = "suspended", "suspended sentence"


class SentenceChangeKind(models.TextChoices):
    REDUCTION = "reduction", "sentence reduction"
    COMMUTATION = "commutation", "commutation"
    PAROLE = "parole", "parole"
    MEDICAL_PAROLE = "medical_parole", "medical parole"
    EXTENSION = "extension", "extension"


class AllegationKind(models.TextChoices):
    TORTURE = "torture", "torture or ill-treatment"
    RELIGIOUS_PERSECUTION = "religious_persecution", "religious persecution"
    ARBITRARY_DETENTION = "arbitrary_detention", "arbitrary detention"
    DENIAL_OF_MEDICAL_CARE = "denial_of_medical_care", "denial of medical care"
    INCOMMUNICADO = "incommunicado", "incommunicado detention"
    DEATH_IN_CUSTODY = "death_in_custody", "death in custody"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", "enforced disappearance"
    OTHER = "other", "other"


# -- the person ------------------------------------------------------------------------------------
class Person(Fact):
    # No index: four values, so the list filter on sex is always combined with the page scan.
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    birth_date = PartialDateField("birth date")
    birth_date_start = PartialDateBound()
    birth_date_end = PartialDateBound()
    ethnicity = models.CharField(max_length=100, blank=True, db_index=True)
    religion = models.CharField(max_length=100, blank=True, db_index=True)
    occupation = models.CharField(max_length=200, blank=True)
    residence_country = models.CharField(max_length=2, blank=True)
    residence_province = models.CharField(max_length=120, blank=True, db_index=True)
    residence_prefecture = models.CharField(max_length=120, blank=True)
    residence_county = models.CharField(max_length=120, blank=True)
    issue_category = models.CharField(max_length=100, blank=True, help_text="e.g. CECC's 'eth/rel'")
    # Public and internal descriptions are separate fields, so publishing never leaks notes.
    summary_public = models.TextField(blank=True)
    notes_internal = models.TextField(blank=True)

    # Derived by habeas.dossiers.derive from names, statuses and sentences; never typed in.
    display_name = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    current_status = models.CharField(
        max_length=16, choices=Status.choices, blank=True, db_index=True, editable=False
    )
    status_date = PartialDateField("status date", editable=False)
    expected_release = PartialDateField("expected release", editable=False)
    expected_release_earliest = models.DateField(null=True, blank=True, editable=False)
    # Overdue = this day has passed and current_status is not one of NOT_HELD.
    expected_release_latest = models.DateField(null=True, blank=True, editable=False, db_index=True)

    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a save that starts from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by habeas.linkage.merge: this dossier's facts moved to that one; the row stays (hidden from
    # lists and search, its page redirecting) so the merge can be undone. No index of its own: the
    # unfiltered list reads person_live_name_idx (partial, live dossiers), filtered lists a more
    # selective column, and the merge records answer "what was merged into X".
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta(Fact.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["display_name", "id"]
        indexes = [
            # Dossier list filter "held past expected release": the day, status and level read from the
            # index alone; only the candidates are then checked for hidden facts.
            models.Index(
                fields=["expected_release_latest", "current_status", "confidentiality"],
                name="person_overdue_idx",
            ),
            # Person list filtered by status, in name order: the first page is read in index order
            # (no sort of the ~40% of persons with one status) and the count from the index alone.
            models.Index(
                fields=["current_status", "display_name", "id", "confidentiality"],
                name="person_status_name_idx",
            ),
            # Person list filtered by status and province (the usual pair), in name order: likewise.
            models.Index(
                fields=["current_status", "residence_province", "display_name", "id", "confidentiality"],
                name="person_status_province_idx",
            ),
            # The unfiltered person list (live dossiers only, in name order): the first page and the
            # count read this index alone instead of every row's merged_into.
            models.Index(
                fields=["display_name", "id", "confidentiality"],
                name="person_live_name_idx",
                condition=models.Q(merged_into__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"person #{self.pk}"


class ExternalId(models.Model):
    """The person's number in another database (CECC record number, CHRD number...)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="external_ids")
    scheme = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    # Hash of the imported row: re-importing an unchanged row is a no-op.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="externalid_unique")]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class PersonName(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(max_length=300)
    script = models.CharField(
        max_length=4, blank=True, help_text="ISO 15924: Latn, Hans, Hant, Arab, Tibt, Cyrl"
    )
    kind = models.CharField(max_length=16, choices=NameKind.choices, default=NameKind.MAIN)
    scheme = models.CharField(max_length=16, choices=RomanisationScheme.choices, blank=True, default="")
    language = models.CharField(max_length=20, blank=True)

    class Meta(Fact.Meta):
        verbose_name = _("person name")
        verbose_name_plural = _("person names")
        ordering = ["person", "id"]
        indexes = [
            # Dossier list: persons whose derived name, status or release draws on a fact above the
            # reader's clearance (selectors._without_hidden: one probe per candidate person).
            models.Index(
                fields=["person"], condition=models.Q(confidentiality__gt=0), name="personname_hidden_idx"
            ),
            # The same for a reader cleared for internal records: the restricted names alone (a tenth
            # of them). A name search's sort (selectors._order) asks of every match whether the person
            # has a hidden name; for thousands of matches PostgreSQL answers with one hashed list of
            # those names' persons, which this index gives index-only instead of a scan of every name
            # (2 ms instead of 33 ms at 100,000 persons, bench/RESULTS.md section 2), and SQLite's
            # per-person probe needs no row read.
            models.Index(
                fields=["person"], condition=models.Q(confidentiality__gt=1), name="personname_restricted_idx"
            ),
        ]
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(fields=["person", "text", "kind"], name="personname_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class NameKey(models.Model):
    """Folded search keys of a name (hanzi, toneless pinyin, transposed...), derived by services."""

    # Derived rows, deleted with their name through the ORM's cascade; without database-level
    # constraints a bulk import on PostgreSQL skips two foreign-key checks per key at commit.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys", db_constraint=False)
    key = models.CharField(max_length=300)
    # The level a reader needs to be told that this key matches: the stricter of its name's and its
    # person's confidentiality. Name search below full clearance then reads the keys alone
    # (``level <= clearance``) instead of joining each to its name. Written with the key (services, the
    # bulk writer, merge, jsonl restore: ``services.name_key_levels``) and kept right by database
    # triggers when a name's or person's level changes, or a name or key moves to another person
    # (migration 0008), whatever code does it. The default is the highest level: a key written without
    # one is hidden from every reader below full clearance (it fails closed), never shown.
    level = models.PositiveSmallIntegerField(default=Confidentiality.RESTRICTED)

    class Meta:
        indexes = [
            # Name search: key range scan (prefix), level, then person ids: read from the index alone.
            models.Index(fields=["key", "level", "person"], name="namekey_key_level_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class Organisation(models.Model):
    name = models.CharField(max_length=300, unique=True)
    kind = models.CharField(max_length=100, blank=True, help_text="party, church, NGO, company...")

    def __str__(self) -> str:
        return self.name


class Affiliation(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=200, blank=True, help_text='e.g. "co-founder"')
    started = PartialDateField("started")
    ended = PartialDateField("ended")

    class Meta(Fact.Meta):
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return f"{self.role or 'member'} of {self.organisation}"


# -- detention -------------------------------------------------------------------------------------
class Detention(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="detentions")
    started = PartialDateField("started")
    started_start = PartialDateBound()
    started_end = PartialDateBound()
    ended = PartialDateField("ended")
    ended_start = PartialDateBound()
    ended_end = PartialDateBound()
    measure = models.CharField(max_length=32, choices=Measure.choices, default=Measure.UNKNOWN)
    age_at_start = models.PositiveSmallIntegerField(null=True, blank=True)
    # Where held now or last; custody periods hold the full itinerary.
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="detentions"
    )
    notes = models.TextField(blank=True)

    class Meta(Fact.Meta):
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["person", "started", "id"]
        indexes = [
            # Dossier list: persons whose derived name, status or release draws on a fact above the
            # reader's clearance (selectors._without_hidden: one probe per candidate person).
            models.Index(
                fields=["person"], condition=models.Q(confidentiality__gt=0), name="detention_hidden_idx"
            ),
            # Dossier list filter "detained between" (overlap of started/ended bounds), covering.
            models.Index(
                fields=["started_start", "ended_end", "confidentiality", "person"],
                name="detention_period_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} from {self.started or '?'}"


class CustodyPeriod(Fact):
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="custody_periods")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="custody_periods")
    started = PartialDateField("started")
    ended = PartialDateField("ended")

    class Meta(Fact.Meta):
        verbose_name = _("custody period")
        verbose_name_plural = _("custody periods")
        ordering = ["detention", "started", "id"]


class LegalStep(Fact):
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="legal_steps")
    kind = models.CharField(max_length=16, choices=LegalStepKind.choices)
    date = PartialDateField("date")
    court = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=500, blank=True)
    # CECC marks steps it could not confirm with "?" (e.g. "tri?").
    uncertain = models.BooleanField(default=False)

    class Meta(Fact.Meta):
        verbose_name = _("legal step")
        verbose_name_plural = _("legal steps")
        ordering = ["detention", "date", "id"]


class Charge(Fact):
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="charges")
    text = models.CharField(max_length=500, blank=True, help_text="The charge as written.")
    statute = models.CharField(max_length=100, blank=True, help_text='e.g. "PRC Criminal Law 1997"')
    article = models.CharField(max_length=30, blank=True, help_text='e.g. "105(2)"')

    class Meta(Fact.Meta):
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["detention", "id"]
        indexes = [
            # Dossier list filter "charged under art. X".
            models.Index(fields=["statute", "article"], name="charge_statute_idx"),
        ]

    def __str__(self) -> str:
        if self.article:
            return f"{self.text or self.statute} ({self.statute} art. {self.article})"
        return self.text or self.statute


class Sentence(Fact):
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="sentences")
    kind = models.CharField(max_length=16, choices=SentenceKind.choices, default=SentenceKind.FIXED)
    term_months = models.PositiveIntegerField(null=True, blank=True, help_text="Fixed term, in months.")
    term_days = models.PositiveIntegerField(default=0, help_text="Days beyond the months (weeks as 7 days).")
    probation_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a suspended sentence."
    )
    political_rights_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Deprivation of political rights, in months."
    )
    political_rights_life = models.BooleanField(default=False)
    pronounced = PartialDateField("pronounced")
    # Dossier list filter "sentenced between": first and last day ``pronounced`` can mean.
    pronounced_start = PartialDateBound()
    pronounced_end = PartialDateBound()
    court = models.CharField(max_length=300, blank=True)
    # The term counts from here; PRC courts credit pre-trial custody, so by default the detention start.
    term_starts = PartialDateField("term counted from")

    class Meta(Fact.Meta):
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        ordering = ["detention", "pronounced", "id"]
        indexes = [
            # Dossier list filter "sentence of at least / at most N years, life, death"; covering (level
            # and detention too), so the filter reads the index alone.
            models.Index(
                fields=["kind", "term_months", "confidentiality", "detention"], name="sentence_length_idx"
            ),
            # Dossier list filter "sentenced between", covering likewise.
            models.Index(
                fields=["pronounced_start", "pronounced_end", "confidentiality", "detention"],
                name="sentence_pronounced_idx",
            ),
            # Dossier list: persons whose derived release draws on a sentence above the reader's clearance
            # (selectors._without_hidden: one probe per candidate person).
            models.Index(
                fields=["detention"], condition=models.Q(confidentiality__gt=0), name="sentence_hidden_idx"
            ),
        ]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(kind="fixed")
                | models.Q(term_months__isnull=False)
                | models.Q(term_days__gt=0),
                name="sentence_fixed_has_term",
            ),
        ]


class SentenceChange(Fact):
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=SentenceChangeKind.choices)
    date = PartialDateField("date")
    months = models.PositiveIntegerField(default=0, help_text="Reduction or extension, in months.")
    days = models.PositiveIntegerField(default=0)
    new_kind = models.CharField(max_length=16, choices=SentenceKind.choices, blank=True)
    new_term_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="After a commutation to a fixed term, counted from the change."
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta(Fact.Meta):
        verbose_name = _("sentence change")
        verbose_name_plural = _("sentence changes")
        ordering = ["sentence", "date", "id"]
        indexes = [
            # Dossier list: persons whose derived name, status or release draws on a fact above the
            # reader's clearance (selectors._without_hidden: one probe per candidate person).
            models.Index(
                fields=["sentence"],
                condition=models.Q(confidentiality__gt=0),
                name="sentencechange_hidden_idx",
            ),
        ]


class StatusChange(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    detention = models.ForeignKey(
        Detention, null=True, blank=True, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    date = PartialDateField("date")
    date_start = PartialDateBound()
    date_end = PartialDateBound()
    # CECC's "DET?" / "REL?": reported, not confirmed.
    uncertain = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    class Meta(Fact.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["person", "date", "id"]
        indexes = [
            # Dossier list: persons whose derived name, status or release draws on a fact above the
            # reader's clearance (selectors._without_hidden: one probe per candidate person).
            models.Index(
                fields=["person"], condition=models.Q(confidentiality__gt=0), name="statuschange_hidden_idx"
            ),
        ]


class HealthNote(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_notes")
    date = PartialDateField("date")
    condition = models.CharField(max_length=300)
    note = models.TextField(blank=True)

    class Meta(Fact.Meta):
        verbose_name = _("health note")
        verbose_name_plural = _("health notes")
        ordering = ["person", "date", "id"]


class Allegation(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allegations")
    detention = models.ForeignKey(
        Detention, null=True, blank=True, on_delete=models.CASCADE, related_name="allegations"
    )
    kind = models.CharField(max_length=32, choices=AllegationKind.choices)
    wgad_category = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="WGAD category I-V, for arbitrary detention."
    )
    date = PartialDateField("date")
    description = models.TextField(blank=True)

    class Meta(Fact.Meta):
        verbose_name = _("allegation")
        verbose_name_plural = _("allegations")
        ordering = ["person", "date", "id"]
        indexes = [
            # Dossier list filter "allegation of kind K (WGAD category C)": persons by kind, covering.
            models.Index(
                fields=["kind", "wgad_category", "confidentiality", "person"], name="allegation_filter_idx"
            ),
        ]
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(wgad_category__isnull=True)
                | models.Q(kind="arbitrary_detention", wgad_category__gte=1, wgad_category__lte=5),
                name="allegation_wgad_category_valid",
            ),
        ]
