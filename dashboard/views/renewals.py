"""Renewal pipeline: which accounts renew in the next 90 days, and how utilized are they?

Answers "which accounts renew in the next 90 days below 60%?" without SQL: the second
headline number and the red rows of the table.
"""

from __future__ import annotations

import streamlit as st

from lu_dashboard import charts, data, ui
from lu_dashboard.figures import fmt_date, fmt_int, renewal_pipeline
from lu_dashboard.settings import thresholds

ui.require_warehouse()
limits = thresholds()
health = data.account_health()

st.title(f"Renewal pipeline: next {limits.renewal_days} days")
ui.as_of_caption("Renewal date: the nearest end date among the account's seat-based terms in force.")

left, right = st.columns(2)
horizon = left.slider(
    "Renewing within (days)", min_value=30, max_value=365, value=limits.renewal_days, step=15,
    help=f"Default: var pre_renewal_days ({limits.renewal_days})",
)
below = right.slider(
    "Below utilization (%)", min_value=10, max_value=100, value=int(limits.at_risk_pct), step=5,
    help=f"Default: the at-risk threshold, var at_risk_utilization_pct ({limits.at_risk_pct:g}%)",
)

pipeline = renewal_pipeline(health, horizon)
below_rows = renewal_pipeline(health, horizon, below_pct=below)

cols = st.columns(4)
cols[0].metric(f"Renewing within {horizon} days", fmt_int(len(pipeline)))
cols[1].metric(f"Of them below {below}%", fmt_int(len(below_rows)))
cols[2].metric("Seats renewing", fmt_int(pipeline["licensed_seats"].sum()))
cols[3].metric(f"Seats below {below}%", fmt_int(below_rows["licensed_seats"].sum()))

if below_rows.empty:
    st.success(f"No account renewing within {horizon} days is below {below}%.")
else:
    names = ", ".join(
        f"{row.account_name} ({row.utilization_pct:.1f}%, renews {fmt_date(row.renewal_date)})"
        for row in below_rows.itertuples()
    )
    st.error(f"Renewing within {horizon} days below {below}%: {names}")

only_below = st.toggle(f"Show only accounts below {below}%", value=False)
shown = ui.with_band_labels(below_rows if only_below else pipeline)
shown = shown.assign(account_link=shown["account_id"].map(ui.account_link))

if shown.empty:
    st.info("No renewals in this window.")
else:
    st.altair_chart(charts.renewal_timeline(shown, limits))
    ui.table(
        shown,
        ["account_name", "renewal_date", "days_to_renewal", "licensed_seats", "utilization_pct", "band_label",
         "utilization_trend_pts_per_week", "recommended_play", "priority_rank", "account_link"],
        key="renewals_table",
    )
    st.caption("Rows in renewal-date order; 'open account' shows the account's trend, departments and peers.")
