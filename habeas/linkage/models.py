"""Candidate pairs of records that may be one real person (or one place), and the admin's thresholds.

A pair is stored once, lower primary key on the left, with the engine's score, the evidence that
matched, and what a reviewer decided. A pair decided "different" is never proposed again, and no batch
ever drops a decided pair: the decision is knowledge, the score only a guess.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import ConfidentialityMixin


class Decision(models.TextChoices):
    PENDING = "pending", _("pending review")
    MERGED = "merged", _("merged (same)")
    DIFFERENT = "different", _("different")
    DEFERRED = "deferred", _("deferred")


class Origin(models.TextChoices):
    DEDUPE = "dedupe", _("batch dedupe")
    INGESTION = "ingestion", _("linking on ingestion")
    MANUAL = "manual", _("entered by hand")


class PairBase(ConfidentialityMixin):
    """What a person pair and a place pair share.

    ``confidentiality`` is the highest level of the facts the evidence was computed from: the
    evidence names matching places, dates and charges, so a reader who may not see a restricted
    detention may not see the pair that cites it either.
    """

    # Match probability in [0, 1] from the engine (splink's Fellegi-Sunter model).
    score = models.FloatField()
    # log2 of the Bayes factor: keeps resolution where probabilities all round to 1.0.
    match_weight = models.FloatField(default=0.0)
    # {"fields": {"name": {"level": "exact key", "left": ..., "right": ..., "weight": 5.1}, ...},
    #  "model": "persons-v1"}: which fields matched and how.
    evidence = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.DEDUPE)
    created_at = models.DateTimeField(auto_now_add=True)
    # Last time the engine (re)scored the pair.
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_decided(self) -> bool:
        return self.decision in (Decision.MERGED, Decision.DIFFERENT)


def _pair_meta_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(fields=["left", "right"], name=f"{prefix}_once"),
        models.CheckConstraint(condition=models.Q(left__lt=models.F("right")), name=f"{prefix}_ordered"),
        models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=1), name=f"{prefix}_score_range"),
        models.CheckConstraint(
            condition=models.Q(decision__in=Decision.values), name=f"{prefix}_decision_valid"
        ),
        models.CheckConstraint(
            condition=models.Q(confidentiality__in=[0, 1, 2]), name=f"{prefix}_level_valid"
        ),
    ]


class PersonPair(PairBase):
    left = models.ForeignKey("dossiers.Person", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("dossiers.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-score", "id"]
        constraints = _pair_meta_constraints("personpair")
        indexes = [
            # Review queue: pending (or deferred) pairs, best score first.
            models.Index(fields=["decision", "-score", "id"], name="personpair_queue_idx"),
            # Pairs of one person (dossier page, merge): the left side is covered by the unique index.
            models.Index(fields=["right", "left"], name="personpair_right_idx"),
        ]

    def __str__(self) -> str:
        return f"person {self.left_id} ~ {self.right_id} ({self.score:.3f}, {self.decision})"


class PlacePair(PairBase):
    left = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["-score", "id"]
        constraints = _pair_meta_constraints("placepair")
        indexes = [
            # Review queue for places: pending pairs, best score first.
            models.Index(fields=["decision", "-score", "id"], name="placepair_queue_idx"),
            # Pairs of one place.
            models.Index(fields=["right", "left"], name="placepair_right_idx"),
        ]

    def __str__(self) -> str:
        return f"place {self.left_id} ~ {self.right_id} ({self.score:.3f}, {self.decision})"


class LinkageSettings(models.Model):
    """The admin's thresholds (one row, pk 1): link automatically at or above ``auto_link``, queue
    for review at or above ``review``, treat as a new record below."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    person_auto_link = models.FloatField(default=0.99)
    person_review = models.FloatField(default=0.50)
    place_auto_link = models.FloatField(default=0.99)
    place_review = models.FloatField(default=0.50)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "linkage settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="linkagesettings_singleton"),
            models.CheckConstraint(
                condition=models.Q(person_review__gte=0, person_auto_link__lte=1)
                & models.Q(person_review__lte=models.F("person_auto_link")),
                name="linkagesettings_person_order",
            ),
            models.CheckConstraint(
                condition=models.Q(place_review__gte=0, place_auto_link__lte=1)
                & models.Q(place_review__lte=models.F("place_auto_link")),
                name="linkagesettings_place_order",
            ),
        ]

    def __str__(self) -> str:
        return "linkage settings"

    @classmethod
    def current(cls) -> LinkageSettings:
        """The row, created with the defaults the first time it is read."""
        obj, _ = cls.objects.get_or_create(id=1)
        return obj


# The merge side of linkage keeps its record in its own module (habeas.linkage.merge).
from habeas.linkage.merge_models import MergeRecord  # noqa: E402,F401


class NameCode(models.Model):
    """A person name's Chinese-transcription codes (``habeas.lib.names.chinese_transcription_codes``,
    three syllables or more), tagged by side: "s|" a Tibetan or Uyghur name, "c|" a Chinese
    transcription. The ingestion linker finds "Yangpei Luobu" for an existing "Yarphel Norbu" here:
    the two share no search key (NameKey). A name without such codes gets one row with an empty code,
    so the highest name id indexed says how far indexing got (``habeas.linkage.codes``). Derived rows:
    a name's are rewritten when its text changes, deleted with it, and follow it to another person
    (the person is read through the name)."""

    name = models.ForeignKey(
        "dossiers.PersonName", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    code = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["code", "name"], name="namecode_code_idx")]
        constraints = [models.UniqueConstraint(fields=["name", "code"], name="namecode_unique")]

    def __str__(self) -> str:
        return f"{self.name_id}: {self.code}"
