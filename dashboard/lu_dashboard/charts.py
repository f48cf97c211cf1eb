"""Altair charts of the dashboard. Every utilization chart shows the bands.

Utilization charts are drawn on a 0..100 axis over three shaded bands (at risk below
the at-risk threshold, healthy, strong from the strong threshold), with dashed lines at
the two thresholds (60% and 80% by default), so a point's band is seen at a glance.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from lu_dashboard.figures import BAND_COLORS, BAND_LABELS, BANDS, NO_SEATS
from lu_dashboard.settings import Thresholds

_BAND_SCALE = alt.Scale(
    domain=[BAND_LABELS[band] for band in (*BANDS, NO_SEATS)],
    range=[BAND_COLORS[band] for band in (*BANDS, NO_SEATS)],
)
_PCT_AXIS = alt.Axis(title="Utilization (%)", values=[0, 20, 40, 60, 80, 100])


def band_background(thresholds: Thresholds) -> alt.LayerChart:
    """Shaded bands and dashed threshold lines, to layer under a utilization chart."""
    bands = pd.DataFrame(
        {
            "band_label": [BAND_LABELS["at_risk"], BAND_LABELS["healthy"], BAND_LABELS["strong"]],
            "low": [0.0, thresholds.at_risk_pct, thresholds.strong_pct],
            "high": [thresholds.at_risk_pct, thresholds.strong_pct, 100.0],
        }
    )
    shade = (
        alt.Chart(bands)
        .mark_rect(opacity=0.10)
        .encode(
            y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 100]), axis=_PCT_AXIS),
            y2="high:Q",
            color=alt.Color("band_label:N", scale=_BAND_SCALE, legend=None),
        )
    )
    lines = pd.DataFrame(
        {
            "pct": [thresholds.at_risk_pct, thresholds.strong_pct],
            "label": [f"{thresholds.at_risk_pct:g}%: at risk below", f"{thresholds.strong_pct:g}%: strong from"],
        }
    )
    rules = alt.Chart(lines).mark_rule(strokeDash=[6, 4], color="#555555").encode(y="pct:Q")
    labels = (
        alt.Chart(lines)
        .mark_text(align="left", dx=4, dy=-6, fontSize=11, color="#555555")
        .encode(y="pct:Q", x=alt.value(0), text="label:N")
    )
    return alt.layer(shade, rules, labels)


def utilization_trend(
    frame: pd.DataFrame,
    x: str,
    thresholds: Thresholds,
    *,
    x_title: str,
    y: str = "utilization_pct",
    tooltip: list[str] | None = None,
    range_columns: tuple[str, str] | None = None,
    height: int = 280,
) -> alt.LayerChart:
    """A utilization line over time on the band background.

    `range_columns` (e.g. min and max of the month) are drawn as a light area behind
    the line.
    """
    base = alt.Chart(frame).encode(x=alt.X(f"{x}:T", title=x_title))
    layers: list[alt.Chart] = [band_background(thresholds)]
    if range_columns:
        low, high = range_columns
        layers.append(base.mark_area(opacity=0.25, color="#1f77b4").encode(y=f"{low}:Q", y2=f"{high}:Q"))
    layers.append(
        base.mark_line(point=len(frame) <= 36, color="#1f77b4").encode(
            y=alt.Y(f"{y}:Q", scale=alt.Scale(domain=[0, 100]), axis=_PCT_AXIS),
            tooltip=tooltip or [x, y],
        )
    )
    return alt.layer(*layers).properties(height=height)


def utilization_histogram(bins: pd.DataFrame, thresholds: Thresholds) -> alt.Chart:
    """Accounts per 10-point utilization bin, coloured by band."""
    frame = bins.assign(band_label=bins["band"].map(BAND_LABELS))
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("bin_start:Q", bin="binned", scale=alt.Scale(domain=[0, 100]), title="Utilization (%)"),
            x2="bin_end:Q",
            y=alt.Y("sum(accounts):Q", title="Accounts"),
            color=alt.Color("band_label:N", scale=_BAND_SCALE, title="Band"),
            tooltip=["bin_label", "band_label", "accounts"],
        )
    )
    lines = pd.DataFrame({"pct": [thresholds.at_risk_pct, thresholds.strong_pct]})
    rules = alt.Chart(lines).mark_rule(strokeDash=[6, 4], color="#555555").encode(x="pct:Q")
    return alt.layer(bars, rules).properties(height=260)


def band_bar(counts: pd.DataFrame) -> alt.Chart:
    """Accounts per band."""
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("band_label:N", sort=list(counts["band_label"]), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("accounts:Q", title="Accounts"),
            color=alt.Color("band_label:N", scale=_BAND_SCALE, legend=None),
            tooltip=["band_label", "accounts"],
        )
        .properties(height=260)
    )


def seats_by_account(health: pd.DataFrame) -> alt.Chart:
    """Per account: utilized and idle seats, and active users beyond the seats (over-use)."""
    with_seats = health[health["licensed_seats"].fillna(0) > 0]
    parts = []
    for position, (column, label) in enumerate((
        ("utilized_seats", "Utilized seats"),
        ("idle_seats", "Idle seats"),
        ("overage_users", "Over-use (users beyond seats)"),
    )):
        values = (
            with_seats["licensed_seats"] - with_seats["utilized_seats"]
            if column == "idle_seats"
            else with_seats[column].fillna(0)
        )
        parts.append(
            pd.DataFrame(
                {
                    "account": with_seats["account_name"],
                    "part": label,
                    "part_order": position,
                    "seats": values.astype(int),
                    "utilization_pct": with_seats["utilization_pct"].round(1),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    order = list(with_seats.sort_values("licensed_seats", ascending=False)["account_name"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("account:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=180)),
            x=alt.X("sum(seats):Q", title="Seats / users"),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(
                    domain=["Utilized seats", "Idle seats", "Over-use (users beyond seats)"],
                    range=["#1f77b4", "#c8d6e5", "#e65100"],
                ),
                title=None,
                legend=alt.Legend(orient="top", labelLimit=0),
            ),
            order=alt.Order("part_order:Q"),
            tooltip=["account", "part", "seats", "utilization_pct"],
        )
        .properties(height=alt.Step(18))
    )


def group_utilization(frame: pd.DataFrame, group: str, thresholds: Thresholds) -> alt.LayerChart:
    """Horizontal bars of utilization_pct per group (department, role, cohort)."""
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{group}:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=180)),
            x=alt.X("utilization_pct:Q", scale=alt.Scale(domain=[0, 100]), title="Utilization (%)"),
            color=alt.Color("band_label:N", scale=_BAND_SCALE, legend=None),
            tooltip=[c for c in frame.columns if c != "band_label"],
        )
    )
    lines = pd.DataFrame({"pct": [thresholds.at_risk_pct, thresholds.strong_pct]})
    rules = alt.Chart(lines).mark_rule(strokeDash=[6, 4], color="#555555").encode(x="pct:Q")
    return alt.layer(bars, rules).properties(height=alt.Step(26))


def lines_by_series(frame: pd.DataFrame, x: str, series: str, thresholds: Thresholds, *, x_title: str) -> alt.LayerChart:
    """One utilization line per series (cohorts, definitions) on the band background."""
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=x_title),
            y=alt.Y("utilization_pct:Q", scale=alt.Scale(domain=[0, 100]), axis=_PCT_AXIS),
            color=alt.Color(f"{series}:N", title=None, scale=alt.Scale(scheme="tableau10"),
                            legend=alt.Legend(orient="bottom", columns=4)),
            tooltip=[x, series, alt.Tooltip("utilization_pct:Q", format=".1f")],
        )
    )
    # The bands and the series each have their own colour scale.
    return alt.layer(band_background(thresholds), lines).resolve_scale(color="independent").properties(height=320)


def renewal_timeline(pipeline: pd.DataFrame, thresholds: Thresholds) -> alt.LayerChart:
    """Renewals on a timeline: utilization against renewal date, sized by seats."""
    frame = pipeline.assign(band_label=pipeline["health_band"].map(BAND_LABELS).fillna(BAND_LABELS[NO_SEATS]))
    points = (
        alt.Chart(frame)
        .mark_circle(opacity=0.85, stroke="#333333", strokeWidth=0.5)
        .encode(
            x=alt.X("renewal_date:T", title="Renewal date (circle size: seats)", scale=alt.Scale(padding=40)),
            y=alt.Y("utilization_pct:Q", scale=alt.Scale(domain=[0, 100]), axis=_PCT_AXIS),
            size=alt.Size("licensed_seats:Q", legend=None, scale=alt.Scale(range=[60, 900])),
            color=alt.Color("band_label:N", scale=_BAND_SCALE, title="Band", legend=alt.Legend(orient="top")),
            tooltip=["account_name", "renewal_date", "days_to_renewal", "licensed_seats",
                     alt.Tooltip("utilization_pct:Q", format=".1f"), "recommended_play"],
        )
    )
    names = (
        alt.Chart(frame)
        .mark_text(align="left", dx=12, dy=-10, fontSize=11)
        .encode(x=alt.X("renewal_date:T", scale=alt.Scale(padding=40)), y="utilization_pct:Q", text="account_name:N")
    )
    return alt.layer(band_background(thresholds), points, names).properties(height=300)
