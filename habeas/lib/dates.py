"""Partial and uncertain dates.

Reports rarely give a full date: "detained in 2018", "sentenced in May 2010", "around 1999". We keep
what is known and no more, in the EDTF subset of ISO 8601-2: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
with a trailing ``~`` for "circa" (approximate). The string sorts correctly as text, and every value
also has the first and last day it can mean, which is what range filters compare.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property, lru_cache

_EDTF = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<circa>~)?$")


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


class PartialDateError(ValueError):
    """A date that cannot exist or cannot be read."""


@dataclass(frozen=True, order=False)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    circa: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise PartialDateError(f"year {self.year} is out of range")
        if self.day is not None and self.month is None:
            raise PartialDateError("a day without a month is not a date")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError(f"month {self.month} does not exist")
        if self.day is not None:
            assert self.month is not None
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise PartialDateError(f"{self.year:04d}-{self.month:02d} has no day {self.day}")

    # -- reading -------------------------------------------------------------------------------
    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """Read an EDTF string such as ``2018``, ``2018-05``, ``2018-05-03`` or ``2018~``."""
        return _parse_cached(value)

    @classmethod
    def _parse(cls, value: str) -> PartialDate:
        match = _EDTF.match(value.strip())
        if not match:
            raise PartialDateError(
                f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~)"
            )
        return cls(
            year=int(match["y"]),
            month=int(match["m"]) if match["m"] else None,
            day=int(match["d"]) if match["d"] else None,
            circa=bool(match["circa"]),
        )

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @classmethod
    def coerce(cls, value: PartialDate | dt.date | str | None) -> PartialDate | None:
        """Accept what callers naturally have: a PartialDate, a date, an EDTF string or nothing."""
        if value is None or value == "":
            return None
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            return cls.from_date(value.date())
        if isinstance(value, dt.date):
            return cls.from_date(value)
        if isinstance(value, str):
            return cls.parse(value)
        raise PartialDateError(f"cannot read a date from {type(value).__name__}")

    # -- facts about the value -----------------------------------------------------------------
    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @cached_property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def isoformat(self) -> str:
        return self._iso

    @cached_property
    def _iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + ("~" if self.circa else "")

    def __str__(self) -> str:
        return self.isoformat()

    def display(self) -> str:
        """Human reading: '3 May 2010', 'May 2010', '2010', 'c. 2010'."""
        if self.day is not None:
            text = f"{self.day} {calendar.month_abbr[self.month or 1]} {self.year}"
        elif self.month is not None:
            text = f"{calendar.month_abbr[self.month]} {self.year}"
        else:
            text = str(self.year)
        return f"c. {text}" if self.circa else text

    # Sorting follows the text form, which puts a year before its months and a month before its days.
    def __lt__(self, other: PartialDate) -> bool:
        return self.isoformat() < other.isoformat()

    def __le__(self, other: PartialDate) -> bool:
        return self.isoformat() <= other.isoformat()

    def __gt__(self, other: PartialDate) -> bool:
        return self.isoformat() > other.isoformat()

    def __ge__(self, other: PartialDate) -> bool:
        return self.isoformat() >= other.isoformat()


@lru_cache(maxsize=200_000)
def _parse_cached(value: str) -> PartialDate:
    # Values are immutable, so the same text can share one instance; imports repeat dates a lot.
    return PartialDate._parse(value)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar arithmetic as courts count terms: 31 Jan + 1 month is the last day of February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))
