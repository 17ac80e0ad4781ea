"""The review-ring chart of an alert's detail page: the ring's reviews of this shop over time, one
row per ring account, built in Python with plotly like the brushing chart (alert_chart).

Rows are the ring's named accounts, highest account score on top (as in the table below the
chart); a member that wrote nothing here keeps an empty row, which shows how much of the ring
turned on this shop. Each mark is a review at its time (Beijing), coloured by its stars, a
diamond when another ring account wrote a near-identical text. The span of the reviews flagged
as a burst (burst ≥ 50 %) is shaded: each of them has at least half of the shop's ring reviews
within half a burst window of it, so they all fall within one window and the span is one burst.
Accounts beyond the first MAX_REVIEWER_ROWS share one grey row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from ecredit.web.alert_chart import beijing, rows_over_time, shaded
from ecredit.web.alert_evidence import ReviewRingEvidence, RingReview

Translate = Callable[..., str]
MAX_REVIEWER_ROWS = 25
BURST_FLAG = 0.5  # the table's threshold for a red burst cell
# One colour per star rating, from red (1 star) to the dark green of five stars.
RATING_COLOURS = {1: "#c62828", 2: "#ef6c00", 3: "#9e9d24", 4: "#43a047", 5: "#1b5e20"}
BURST_LINE = "rgba(198, 40, 40, 0.5)"


def reviewer_rows(evidence: ReviewRingEvidence) -> list[str]:
    """The accounts with a row of their own, top first: by account score, then by id."""
    members = sorted(evidence.reviewers.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in members][:MAX_REVIEWER_ROWS]


def ring_figure(evidence: ReviewRingEvidence, t: Translate) -> dict[str, Any] | None:
    """The figure as plotly JSON (for `Plotly.newPlot`), or None when there is no review."""
    if not evidence.reviews:
        return None
    rows = reviewer_rows(evidence)
    other = t("alerts.ring_chart.other_members")
    has_row = set(rows)
    labels = [*rows, other] if any(r.reviewer_id not in has_row for r in evidence.reviews) else rows
    ordered = sorted(evidence.reviews, key=lambda review: (review.review_time, review.review_id))
    traces = []
    for stars in sorted({review.rating for review in ordered}, reverse=True):
        mine = [review for review in ordered if review.rating == stars]
        row_of = [r.reviewer_id if r.reviewer_id in has_row else other for r in mine]
        traces.append(_trace(stars, mine, row_of, t))
    figure = go.Figure(traces, _layout(labels, evidence, t))
    loaded: dict[str, Any] = json.loads(figure.to_json())
    return loaded


def _trace(stars: int, reviews: list[RingReview], rows: list[str], t: Translate) -> go.Scatter:
    yes, no = t("ev.yes"), t("alerts.ring_chart.no")
    custom = [[r.review_id, r.reviewer_id, "★" * r.rating, yes if r.near_duplicate else no,
               f"{r.burst:.0%}"] for r in reviews]  # fmt: skip
    colour = RATING_COLOURS.get(stars, "#7f7f7f")
    return go.Scatter(
        x=[beijing(review.review_time) for review in reviews],
        y=rows,
        mode="markers",
        name=t("alerts.ring_chart.stars", n=stars),
        marker={
            "color": colour,
            "size": 11,
            "symbol": ["diamond" if r.near_duplicate else "circle" for r in reviews],
            "line": {"width": 1, "color": "#ffffff"},
        },
        customdata=custom,
        hovertemplate=(
            f"{t('alerts.ring_chart.review')}: %{{customdata[0]}}<br>"
            f"{t('ev.reviewer')}: %{{customdata[1]}}<br>"
            "%{x|%Y-%m-%d %H:%M:%S} %{customdata[2]}<br>"
            f"{t('ev.ring.near_duplicate')}: %{{customdata[3]}}<br>"
            f"{t('ev.ring.burst')}: %{{customdata[4]}}<extra></extra>"
        ),
    )


def burst_span(evidence: ReviewRingEvidence) -> tuple[str, str] | None:
    """From the first to the last review flagged as a burst, in Beijing time."""
    flagged = [review.review_time for review in evidence.reviews if review.burst >= BURST_FLAG]
    return (beijing(min(flagged)), beijing(max(flagged))) if flagged else None


def _layout(labels: list[str], evidence: ReviewRingEvidence, t: Translate) -> go.Layout:
    span = burst_span(evidence)
    # Outlined as well as filled: a burst of reviews at one instant still shows as a line.
    line = {"width": 1, "color": BURST_LINE}
    shapes = [] if span is None else [shaded(*span, line=line)]
    legend = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
              "title": {"text": t("ev.ring.rating")}}  # fmt: skip
    height = max(280, 140 + 28 * len(labels))
    return rows_over_time(
        labels, t("alerts.ring_chart.time"), height, shapes, showlegend=True, legend=legend
    )
