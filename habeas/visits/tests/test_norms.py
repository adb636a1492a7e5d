"""Norms and gaps: the norm is the ICRC's 3.4 / 5.4 m2, never the 2 m2 emergency figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from habeas.visits import norms


def test_every_norm_names_its_source():
    for norm in norms.NORMS.values():
        assert norm.source and norm.figure > 0
    assert "ICRC" in norms.NORMS["icrc_shared_cell"].source
    assert "rules 43-44" in norms.NORMS["mandela_solitary"].source


def test_shared_cell_is_held_against_3_4_not_2():
    gap = norms.assess("floor_shared", "2.5")
    assert gap.norm.norm.figure == Decimal("3.4") and gap.norm.gap == Decimal("0.9") and not gap.met
    # Above the emergency figure, yet still short of the norm.
    assert gap.emergency is not None and gap.emergency.met
    assert gap.norm.percent == 74
    assert "0.9 m² short of ICRC norm, shared cell" in gap.describe()


def test_below_the_emergency_minimum_says_so():
    gap = norms.assess("floor_shared", Decimal("1.6"))
    assert (
        gap.norm.gap == Decimal("1.8") and gap.emergency is not None and gap.emergency.gap == Decimal("0.4")
    )
    assert "below the 2 m² emergency minimum" in gap.describe()


def test_single_cell_norm():
    assert norms.assess("floor_single", "5.4").met
    assert norms.assess("floor_single", "4").norm.gap == Decimal("1.4")


def test_hours_outdoors_at_least_one():
    assert norms.assess("hours_outdoors", 1).met
    gap = norms.assess("hours_outdoors", "0.25")
    assert gap.norm.gap == Decimal("0.75") and gap.emergency is None


def test_solitary_over_15_days_is_prolonged():
    assert norms.assess("solitary_days", 15).met
    gap = norms.assess("solitary_days", 40)
    assert not gap.met and gap.norm.gap == Decimal(25) and "25 days over" in gap.describe()
    assert gap.norm.percent is None


@pytest.mark.parametrize("value", ["-1", "NaN", "Infinity", "25"])
def test_impossible_values_are_refused(value):
    with pytest.raises(ValueError, match="not a possible value"):
        norms.assess("hours_outdoors", value)


def test_unknown_measure():
    with pytest.raises(ValueError, match="no norm for the measure"):
        norms.assess("cell_temperature", 30)


def test_every_measure_has_a_norm_a_unit_and_an_area():
    for measure in norms.Measure.values:
        assert measure in norms.NORM_FOR and measure in norms.UNITS and measure in norms.AREA_FOR
