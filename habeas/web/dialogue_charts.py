"""Bar charts for the dialogue statistics page, drawn on the server as inline SVG (no script, no
external service), the way the place page draws its population chart: this module computes numbers,
the template writes them into SVG attributes and text nodes, escaped, so no text from the data
becomes markup.

Horizontal bars, one row per label: interlocutor names and years both read well that way, and a long
name is cut (the full name stays in the bar's tooltip) rather than pushing the chart wider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 560
LABEL_WIDTH = 190  # room for about 28 characters of a label
VALUE_WIDTH = 70  # room after the longest bar for its value ("100% of 2,210")
ROW = 22
BAR = 14
PAD = 6
LABEL_CHARS = 28


@dataclass(frozen=True)
class Bar:
    label: str  # as shown (maybe cut)
    full_label: str  # the whole label, for the tooltip
    value: float
    shown: str  # the value as written beside the bar
    y: float  # top of the bar
    text_y: float  # baseline of the label and value texts
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    maximum: float


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(
    rows: Sequence[tuple[str, float, str]], *, title: str, maximum: float | None = None
) -> BarChart | None:
    """A chart of ``(label, value, value as written)`` rows, in the order given; None when there is
    nothing to draw. ``maximum`` fixes the scale (100 for percentages); else the largest value."""
    if not rows:
        return None
    top = maximum if maximum is not None else max(value for _label, value, _shown in rows)
    top = top if top and top > 0 else 1
    inner = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (label, value, shown) in enumerate(rows):
        y = PAD + i * ROW
        width = round(inner * max(0.0, min(float(value), top)) / top, 1)
        bars.append(
            Bar(
                label=_cut(str(label)),
                full_label=str(label),
                value=value,
                shown=shown,
                y=y + (ROW - BAR) / 2,
                text_y=y + ROW / 2 + 4,
                width=width,
                value_x=round(LABEL_WIDTH + width + 4, 1),
            )
        )
    return BarChart(
        title=title,
        width=WIDTH,
        height=PAD * 2 + ROW * len(rows),
        label_width=LABEL_WIDTH,
        bars=bars,
        maximum=top,
    )
