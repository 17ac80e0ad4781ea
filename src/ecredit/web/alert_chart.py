"""The brushing chart of an alert's detail page, built in Python with plotly and drawn in the
browser by the plotly.js that plotly_assets serves from our own origin.

One row per buyer (the suspicious ones on top, in red), one mark per order at its time (Beijing):
filled inside a brushing window, hollow for the shop's other orders nearby; the windows are
shaded. A reviewer sees at a glance that a few accounts made most of the window's orders while
the shop is otherwise quiet. Buyers beyond the first MAX_BUYER_ROWS share one grey row.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from ecredit.kit.clock import SHANGHAI
from ecredit.web.alert_evidence import BrushingEvidence, BrushingWindow, OrderRow

Translate = Callable[..., str]
MAX_BUYER_ROWS = 20
SUSPICIOUS_COLOURS = ("#c62828", "#e65100", "#ad1457", "#6a1b9a")
BUYER_COLOURS = ("#1f77b4", "#2ca02c", "#17becf", "#8c564b", "#bcbd22", "#9467bd", "#7f7f7f")
OTHER_COLOUR = "#a8b0ba"
WINDOW_FILL = "rgba(198, 40, 40, 0.12)"
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'


def beijing(moment: datetime) -> str:
    """An instant in Beijing time, as plotly reads dates (to the microsecond)."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S.%f")


def buyer_rows(evidence: BrushingEvidence) -> list[str]:
    """The buyers with a row of their own, top first: suspicious, then by orders in windows."""
    suspicious = [buyer.buyer_id for buyer in evidence.suspicious_buyers]
    counts = Counter(row.buyer_id for row in evidence.order_rows)
    others = sorted((b for b in counts if b not in suspicious), key=lambda b: (-counts[b], b))
    return (suspicious + others)[:MAX_BUYER_ROWS]


def _merged(windows: Iterable[BrushingWindow]) -> list[tuple[datetime, datetime]]:
    """Overlapping windows as one shaded span each."""
    spans: list[tuple[datetime, datetime]] = []
    for window in sorted(windows, key=lambda w: w.start):
        if spans and window.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], window.end))
        else:
            spans.append((window.start, window.end))
    return spans


def _trace(
    label: str, orders: list[tuple[OrderRow, bool]], colour: str, size: int, t: Translate
) -> go.Scatter:
    inside, outside = t("alerts.chart.inside"), t("alerts.chart.nearby")
    custom = [[row.order_id, row.buyer_id, inside if within else outside] for row, within in orders]
    return go.Scatter(
        x=[beijing(row.ordered_at) for row, _ in orders],
        y=[label] * len(orders),
        mode="markers",
        name=label,
        marker={
            "color": colour,
            "size": size,
            "symbol": ["circle" if within else "circle-open" for _, within in orders],
            "line": {"width": 1.5, "color": colour},
        },
        customdata=custom,
        hovertemplate=(
            f"{t('alerts.chart.order')}: %{{customdata[0]}}<br>"
            f"{t('alerts.chart.buyer')}: %{{customdata[1]}}<br>"
            "%{x|%Y-%m-%d %H:%M:%S}<br>%{customdata[2]}<extra></extra>"
        ),
    )


def brushing_figure(evidence: BrushingEvidence, t: Translate) -> dict[str, Any] | None:
    """The figure as plotly JSON (for `Plotly.newPlot`), or None when the evidence predates
    per-order rows."""
    if not evidence.order_rows:
        return None
    rows = buyer_rows(evidence)
    suspicious = {buyer.buyer_id for buyer in evidence.suspicious_buyers}
    other = t("alerts.chart.other_buyers")
    by_row: dict[str, list[tuple[OrderRow, bool]]] = {buyer: [] for buyer in [*rows, other]}
    marked = [(row, True) for row in evidence.order_rows]
    marked += [(row, False) for row in evidence.nearby_orders]
    for row, within in sorted(marked, key=lambda pair: (pair[0].ordered_at, pair[0].order_id)):
        by_row[row.buyer_id if row.buyer_id in by_row else other].append((row, within))
    traces = []
    for index, buyer in enumerate(rows):
        if buyer in suspicious:
            colour, size, label = SUSPICIOUS_COLOURS[index % len(SUSPICIOUS_COLOURS)], 12, "★ "
        else:
            colour, size, label = BUYER_COLOURS[index % len(BUYER_COLOURS)], 9, ""
        traces.append(_trace(label + buyer, by_row[buyer], colour, size, t))
    if by_row[other]:
        traces.append(_trace(other, by_row[other], OTHER_COLOUR, 7, t))
    figure = go.Figure(traces, _layout([trace.name for trace in traces], evidence, t))
    loaded: dict[str, Any] = json.loads(figure.to_json())
    return loaded


def _layout(labels: list[str], evidence: BrushingEvidence, t: Translate) -> go.Layout:
    shapes = [
        shaded(beijing(start), beijing(end), line={"width": 0})
        for start, end in _merged(evidence.windows)
    ]
    height = max(260, 110 + 30 * len(labels))
    return rows_over_time(labels, t("alerts.chart.time"), height, shapes, showlegend=False)


def shaded(start: str, end: str, line: dict[str, Any]) -> dict[str, Any]:
    """A time span shaded behind the marks, the full height of the plot."""
    return {"type": "rect", "xref": "x", "yref": "paper", "x0": start, "x1": end, "y0": 0,
            "y1": 1, "fillcolor": WINDOW_FILL, "line": line, "layer": "below"}  # fmt: skip


def rows_over_time(
    labels: list[str], time_title: str, height: int, shapes: list[dict[str, Any]], **extra: Any
) -> go.Layout:
    """The layout of an evidence chart: one row per label, top down, Beijing time across."""
    return go.Layout(
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 20, "t": 10, "b": 10},
        font={"family": FONT, "size": 13},
        hovermode="closest",
        # Numeric dates: plotly's own month names would be English on a Chinese page.
        xaxis={"title": {"text": time_title}, "type": "date", "automargin": True,
               "tickformat": "%H:%M<br>%Y-%m-%d", "hoverformat": "%Y-%m-%d %H:%M:%S"},
        # Rows are labelled (buyers, accounts); a vertical axis title would set Chinese on its side.
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels[::-1],
               "range": [-0.5, len(labels) - 0.5], "automargin": True},
        shapes=shapes,
        **extra,
    )  # fmt: skip
