"""The change history, written in the same transaction as the change it describes.

Two kinds of rows:

- ``History``: one row per change to a record written one at a time (web forms, services, merges):
  who, when, and the values (``{"field": [before, after]}`` for updates, the values for creates).
- ``HistoryBatch``: one row per batch of records written in bulk by an import (``dossiers_bulk_create``:
  the CECC import, ``habeas demo``): who, when, which import (the file or the demo seed) and which of its
  input rows, with the contiguous id runs (``HistoryRun``) of every kind of record the batch created.
  It holds no values, so nothing confidential: what the import created is the record as it was
  imported, and every later change to it is a ``History`` row with its before and after values, so the
  imported values stay recoverable by walking those rows back from the record as it is now.

The runs are computed from the ids actually written, when they are written: an id reserved but not
used, or taken by another session in between, breaks a run and is never covered. Ids are never reused
(AUTOINCREMENT on SQLite, sequences on PostgreSQL), so a record created later is never attributed to a
batch. ``habeas.audit.selectors.history_for`` reads both kinds as one list.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "created"
    UPDATE = "update", "updated"
    DELETE = "delete", "deleted"
    IMPORT = "import", "imported"
    MERGE = "merge", "merged"
    SPLIT = "split", "split"


class History(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # Covered by history_object_idx below. No database-level constraint: content types are never
    # deleted, and checking one per history row is a large part of a bulk import's commit on PostgreSQL.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    object_id = models.BigIntegerField()
    # {"field": [before, after]} for updates; the created values for creates.
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    # Set only on the unsaved stand-in rows that history_for makes for records a bulk import created.
    batch: HistoryBatch | None = None

    class Meta:
        verbose_name_plural = "history"
        ordering = ["-at", "-id"]
        indexes = [
            # "history of this record", shown on every record page.
            models.Index(fields=["content_type", "object_id", "at"], name="history_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type.model} #{self.object_id} at {self.at:%Y-%m-%d %H:%M}"


class HistoryBatch(models.Model):
    """One batch of records written in bulk by an import. No values: see the module's description."""

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.IMPORT)
    # The import: "CECC import ppd.csv", "habeas demo --seed 0".
    note = models.CharField(max_length=500, blank=True)
    # The batch's input rows: the file's lines where the importer gives them (CECC), else the positions
    # of the batch's records in the import (1 for its first record).
    first_row = models.PositiveIntegerField()
    last_row = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "history batches"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} batch #{self.pk} ({self.note}) at {self.at:%Y-%m-%d %H:%M}"


class HistoryRun(models.Model):
    """Records of one kind that a batch created: every id from ``first_id`` to ``last_id``."""

    batch = models.ForeignKey(HistoryBatch, on_delete=models.PROTECT, related_name="runs")
    # As in History: content types are never deleted, so no database-level constraint.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()

    class Meta:
        indexes = [
            # "Which batch created this record": the last run starting at or before its id.
            models.Index(fields=["content_type", "first_id"], name="history_run_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_id__lte=models.F("last_id")), name="history_run_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id} #{self.first_id}-{self.last_id} of batch {self.batch_id}"
