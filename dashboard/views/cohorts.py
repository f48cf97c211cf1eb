"""Cohort comparison: industries, size bands, plan tiers, purchase cohorts side by side.

Also shows how the choice of the "active" definition moves the portfolio number
(fct_utilization_by_definition).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lu_dashboard import charts, data, ui
from lu_dashboard.figures import band_for_pct, fmt_pct
from lu_dashboard.settings import thresholds

ui.require_warehouse()
limits = thresholds()
cohorts = data.cohorts()

st.title("Cohort comparison")
ui.as_of_caption(
    "Each cohort sums its accounts' month snapshots: utilization = sum of utilized seats / sum of seats; "
    "the median treats every account alike."
)

COHORT_TYPES = {
    "industry": "Industry",
    "size_band": "Company size",
    "plan_tier": "Plan tier",
    "purchase_cohort": "Purchase month",
}
available = [key for key in COHORT_TYPES if key in set(cohorts["cohort_type"])]
cohort_type = st.radio("Compare by", available, format_func=COHORT_TYPES.get, horizontal=True)
of_type = cohorts[cohorts["cohort_type"] == cohort_type]
months = sorted(of_type["month_start"].unique(), reverse=True)
month = st.selectbox("Month", months, format_func=lambda m: pd.Timestamp(m).strftime("%Y-%m"))
in_month = of_type[of_type["month_start"] == month].sort_values("utilization_pct", ascending=False)

best, worst = in_month.iloc[0], in_month.iloc[-1]
cols = st.columns(3)
cols[0].metric("Cohorts", len(in_month))
cols[1].metric("Highest utilization", fmt_pct(best["utilization_pct"]), delta=str(best["cohort_value"]), delta_color="off")
cols[2].metric("Lowest utilization", fmt_pct(worst["utilization_pct"]), delta=str(worst["cohort_value"]), delta_color="off")

chart_rows = ui.with_band_labels(
    in_month.assign(
        health_band=in_month["utilization_pct"].map(lambda pct: band_for_pct(pct, limits.at_risk_pct, limits.strong_pct))
    )
)
st.altair_chart(
    charts.group_utilization(
        chart_rows[["cohort_value", "accounts", "licensed_seats", "utilization_pct",
                    "median_account_utilization_pct", "band_label"]],
        "cohort_value",
        limits,
    )
)
ui.table(
    in_month.rename(columns={"cohort_value": COHORT_TYPES[cohort_type]}),
    [COHORT_TYPES[cohort_type], "accounts", "licensed_seats", "utilization_pct",
     "median_account_utilization_pct", "strong_accounts", "healthy_accounts", "at_risk_accounts"],
)

st.subheader(f"Utilization by {COHORT_TYPES[cohort_type].lower()} over time")
values = sorted(of_type["cohort_value"].unique())
chosen = st.multiselect("Cohorts", values, default=values[: min(len(values), 6)])
st.altair_chart(
    charts.lines_by_series(of_type[of_type["cohort_value"].isin(chosen)], "month_start", "cohort_value", limits, x_title="Month")
)

st.subheader('How the definition of "active" moves the number')
definitions = data.definitions_portfolio()
if not definitions.empty:
    latest = definitions[definitions["month_start"] == definitions["month_start"].max()].sort_values("utilization_pct")
    st.caption(
        "Portfolio utilization under each named definition (var active_definitions); "
        "`default` is the configured rule."
    )
    st.altair_chart(charts.lines_by_series(definitions, "month_start", "definition_name", limits, x_title="Month"))
    ui.table(latest, ["definition_name", "definition_rule", "licensed_seats", "active_users", "utilization_pct"])
