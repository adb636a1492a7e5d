"""Where facts come from: documents, and the exact spans of them that support a fact."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from habeas.accounts.models import ConfidentialityMixin
from habeas.lib.fields import PartialDateBound, PartialDateField


def content_hash(text: str) -> str:
    """The same text is stored once: sha256 of the text with line endings made uniform."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class SourceKind(models.TextChoices):
    NEWS = "news", "news report"
    VERDICT = "verdict", "court verdict"
    STATE_MEDIA = "state_media", "state-media notice"
    OFFICIAL = "official", "other official document"
    NGO_REPORT = "ngo_report", "NGO report"
    DATABASE = "database", "database record"
    UN_DOCUMENT = "un_document", "UN document"
    TESTIMONY = "testimony", "testimony"
    GOVERNMENT_RESPONSE = "government_response", "government response"
    OTHER = "other", "other"


class Reliability(models.TextChoices):
    """Admiralty-style source grading, as used by monitoring NGOs."""

    A = "A", "A: completely reliable"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: reliability cannot be judged"


class Source(ConfidentialityMixin):
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published = PartialDateField("published")
    # First and last day ``published`` can mean: the source list's date-range filter compares these.
    published_start = PartialDateBound()
    published_end = PartialDateBound()
    language = models.CharField(max_length=20, blank=True, help_text="BCP 47 tag, e.g. en, zh-Hans")
    kind = models.CharField(max_length=24, choices=SourceKind.choices, default=SourceKind.OTHER)
    official = models.BooleanField(
        default=False, help_text="Issued by the state (verdicts, state media, government answers)."
    )
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    text = models.TextField(help_text="The original text; citations point into it by offset.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Where the text came from inside another system, e.g. "cecc:2004-00001".
    external_ref = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: a metadata edit that starts from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-published", "title"]
        indexes = [
            # The source list's publisher and language choices (DISTINCT over visible sources), read
            # from the index alone instead of scanning rows that carry whole texts.
            models.Index(fields=["publisher", "confidentiality"], name="source_publisher_idx"),
            models.Index(fields=["language", "confidentiality"], name="source_language_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidentiality__in=[0, 1, 2]), name="source_confidentiality_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Citation(models.Model):
    """A source and the span of its text that supports a fact: ``text[start:end] == quote``."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="citation_span_not_empty"
            ),
            # One citation per span: facts citing the same words share it.
            models.UniqueConstraint(fields=["source", "start", "end"], name="citation_unique_span"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: “{self.quote[:60]}”"
