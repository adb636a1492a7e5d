"""Who uses habeas and what they may see.

Confidentiality is an ordered level on every record; a user's clearance is the highest level
they may read. Selectors compare the two, so one integer comparison guards every read path.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Confidentiality(models.IntegerChoices):
    PUBLIC = 0, "public"
    INTERNAL = 1, "internal"
    RESTRICTED = 2, "restricted"


class Role(models.TextChoices):
    ADMIN = "admin", "administrator"
    RESEARCHER = "researcher", "researcher"
    REVIEWER = "reviewer", "reviewer"
    VIEWER = "viewer", "viewer"


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    clearance = models.PositiveSmallIntegerField(
        choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clearance__in=Confidentiality.values), name="user_clearance_valid"
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    @property
    def can_edit(self) -> bool:
        return self.is_active and self.role in {Role.ADMIN, Role.RESEARCHER}

    @property
    def can_review(self) -> bool:
        return self.is_active and self.role in {Role.ADMIN, Role.REVIEWER, Role.RESEARCHER}


class ConfidentialityMixin(models.Model):
    """Every record carries its level; selectors never return one above the reader's clearance."""

    # No index: three values, always combined with a more selective filter.
    confidentiality = models.PositiveSmallIntegerField(
        choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )

    class Meta:
        abstract = True
