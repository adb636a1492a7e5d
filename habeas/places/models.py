"""Places of detention: prisons, detention centres, camps, RSDL sites and the like."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from habeas.accounts.models import ConfidentialityMixin
from habeas.lib.fields import PartialDateField


class PlaceKind(models.TextChoices):
    PRISON = "prison", "prison"
    DETENTION_CENTRE = "detention_centre", "detention centre"
    ADMINISTRATIVE_DETENTION = "administrative_detention", "administrative detention centre"
    REEDUCATION = "reeducation", "re-education facility"
    RSDL_SITE = "rsdl_site", "RSDL site (residential surveillance at a designated location)"
    PSYCHIATRIC = "psychiatric", "psychiatric institution (Ankang)"
    POLICE_STATION = "police_station", "police station"
    BLACK_JAIL = "black_jail", "black jail / unofficial site"
    LABOUR_CAMP = "labour_camp", "labour camp"
    OTHER = "other", "other"
    UNKNOWN = "unknown", "unknown"


class Place(ConfidentialityMixin):
    name = models.CharField(max_length=300, help_text="The name researchers use most.")
    kind = models.CharField(max_length=32, choices=PlaceKind.choices, default=PlaceKind.UNKNOWN)
    authority = models.CharField(
        max_length=200, blank=True, help_text="Who runs it: Ministry of Justice, Public Security, ..."
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    province = models.CharField(max_length=120, blank=True, db_index=True)
    prefecture = models.CharField(max_length=120, blank=True)
    county = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=500, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: an edit that starts from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by habeas.linkage.merge: this place's names, detentions and counts moved to that one; the row
    # stays (hidden from lists, its page redirecting) so the merge can be undone.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceName(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(max_length=300)
    script = models.CharField(max_length=4, blank=True, help_text="ISO 15924: Latn, Hans, Cyrl, Arab...")
    language = models.CharField(max_length=20, blank=True)
    # Folded form for lookup: "Beijing No. 2 Prison" and "beijing number 2 prison" meet here.
    key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "text"], name="placename_unique")]

    def __str__(self) -> str:
        return self.text


class PopulationObservation(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="population")
    observed = PartialDateField("observed", blank=False)
    population = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True)
    citation = models.ForeignKey(
        "sources.Citation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unsourced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["observed"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(citation__isnull=False) | models.Q(unsourced_by__isnull=False),
                name="population_cited_or_unsourced",
            )
        ]

    def __str__(self) -> str:
        return f"{self.population} on {self.observed}"
