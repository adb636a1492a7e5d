"""What a merge or a split moved, row by row, so it can be undone exactly.

Imported by ``habeas.linkage.models`` (Django finds an app's models there); kept in its own module so
the merge side of linkage (habeas.linkage.merge) and the engine's pair models stay apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import ConfidentialityMixin


class Operation(models.TextChoices):
    MERGE = "merge", _("merge")
    SPLIT = "split", _("split")


class RecordKind(models.TextChoices):
    PERSON = "person", _("person")
    PLACE = "place", _("place of detention")


class MergeRecord(ConfidentialityMixin):
    """One merge (``origin`` absorbed into ``target``) or split (records of ``origin`` moved to the new
    ``target``) of two persons or two places.

    ``moves`` lists every change, in order, as plain JSON:
    ``{"op": "move", "model": "dossiers.personname", "pk": 5, "field": "person", "from": 1, "to": 2}``
    (a row's link changed), ``{"op": "set", "model": "dossiers.person", "pk": 2, "field": "birth_date",
    "from": "", "to": "1969"}`` (an empty field of the survivor filled from the absorbed record),
    ``{"op": "cite", "model": "dossiers.personname", "pk": 9, "add": [3, 4]}`` (citations added to the
    survivor's copy of a name both records had), ``{"op": "keep", "model": "dossiers.personname",
    "pk": 7, "as": 9}`` (that duplicate name stays on the absorbed record). Undoing reverses exactly
    these, and nothing else.

    ``confidentiality`` is the highest level of the two records and of every row that moved: the
    record names what moved, so it is read only by those cleared for all of it.
    """

    operation = models.CharField(max_length=8, choices=Operation.choices)
    kind = models.CharField(max_length=8, choices=RecordKind.choices)
    # Persons or places, by kind (the other pair stays empty): absorbed -> survivor, or split -> new.
    origin_person = models.ForeignKey(
        "dossiers.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_person = models.ForeignKey(
        "dossiers.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The reviewed pair that led to the merge, if any (its decision follows merge and undo).
    person_pair = models.ForeignKey(
        "linkage.PersonPair", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place_pair = models.ForeignKey(
        "linkage.PlacePair", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moves = models.JSONField(default=list, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What undoing found changed since and left as it is ({"removed": [...], "moved": [...], ...}).
    undo_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # Merge history page, and "merges of this person" on the dossier and when undoing.
            models.Index(fields=["origin_person"], name="mergerecord_origin_person_idx"),
            models.Index(fields=["target_person"], name="mergerecord_target_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(operation__in=Operation.values), name="mergerecord_operation"),
            models.CheckConstraint(
                condition=(
                    Q(kind="person", origin_person__isnull=False, target_person__isnull=False)
                    & Q(origin_place__isnull=True, target_place__isnull=True, place_pair__isnull=True)
                )
                | (
                    Q(kind="place", origin_place__isnull=False, target_place__isnull=False)
                    & Q(origin_person__isnull=True, target_person__isnull=True, person_pair__isnull=True)
                ),
                name="mergerecord_kind_records",
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True, undone_by__isnull=True)
                | Q(undone_at__isnull=False, undone_by__isnull=False),
                name="mergerecord_undone_by_whom",
            ),
            models.CheckConstraint(
                condition=Q(confidentiality__in=[0, 1, 2]), name="mergerecord_level_valid"
            ),
        ]

    def __str__(self) -> str:
        origin = self.origin_person_id or self.origin_place_id
        target = self.target_person_id or self.target_place_id
        arrow = "into" if self.operation == Operation.MERGE else "split to"
        return f"{self.kind} {origin} {arrow} {target} ({self.operation} #{self.pk})"

    @property
    def origin_id(self) -> int:
        return int(self.origin_person_id or self.origin_place_id or 0)

    @property
    def target_id(self) -> int:
        return int(self.target_person_id or self.target_place_id or 0)
