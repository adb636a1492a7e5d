"""Database rules of the access models."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from habeas.access.models import (
    AccessNegotiation,
    BodyAlias,
    Guarantee,
    MonitoringBody,
    NegotiationStatusChange,
)

pytestmark = pytest.mark.django_db


def test_seeded_bodies_have_aliases() -> None:
    icrc = MonitoringBody.objects.get(short_name="ICRC")
    assert icrc.kind == "icrc"
    assert BodyAlias.objects.filter(body=icrc, key="redcross").exists()
    assert MonitoringBody.objects.filter(short_name="USCIRF", kind="foreign_commission").exists()


def test_status_row_needs_citation_or_unsourced_user() -> None:
    body = MonitoringBody.objects.get(short_name="ICRC")
    negotiation = AccessNegotiation.objects.create(body=body, country="CN", subject="prison visits")
    with pytest.raises(IntegrityError), transaction.atomic():
        NegotiationStatusChange.objects.create(negotiation=negotiation, status="requested", date="1993")


def test_country_is_stored_upper_case() -> None:
    body = MonitoringBody.objects.get(short_name="ICRC")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessNegotiation.objects.create(body=body, country="cn", subject="prison visits")


def test_other_guarantee_needs_its_text() -> None:
    body = MonitoringBody.objects.get(short_name="ICRC")
    negotiation = AccessNegotiation.objects.create(body=body, country="CN", subject="prison visits")
    with pytest.raises(IntegrityError), transaction.atomic():
        Guarantee.objects.create(negotiation=negotiation, kind="other")
