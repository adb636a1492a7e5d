"""The change history: one row per change to any record, written in the same transaction."""

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

    class Meta:
        verbose_name_plural = "history"
        ordering = ["-at", "-id"]
        indexes = [
            # "history of this record", shown on every record page.
            models.Index(fields=["content_type", "object_id", "at"], name="history_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type.model} #{self.object_id} at {self.at:%Y-%m-%d %H:%M}"
