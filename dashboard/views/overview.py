"""Portfolio overview: how utilized is the portfolio, and where are the seats?"""

from __future__ import annotations

import streamlit as st

from lu_dashboard import charts, data, ui
from lu_dashboard.figures import band_counts, fmt_int, fmt_pct, portfolio_summary, utilization_bins
from lu_dashboard.settings import thresholds

ui.require_warehouse()
limits = thresholds()
health = data.account_health()
summary = portfolio_summary(health)

st.title("Portfolio overview")
ui.as_of_caption(
    "Utilization = active users / licensed seats, capped at 100%; over a group of accounts, "
    "sum of utilized seats / sum of seats (accounts weigh by their seats)."
)

cols = st.columns(6)
cols[0].metric(
    "Portfolio utilization",
    fmt_pct(summary.utilization_pct),
    help="100 x sum(utilized seats) / sum(licensed seats) over accounts with seats",
)
cols[1].metric("Accounts with seats", fmt_int(summary.accounts_with_seats), help=f"of {summary.accounts} accounts")
cols[2].metric("Licensed seats", fmt_int(summary.licensed_seats))
cols[3].metric("Active users", fmt_int(summary.active_users))
cols[4].metric(
    "Users over seats",
    fmt_int(summary.overage_users),
    help=f"active users beyond the seats bought, in {summary.accounts_with_overage} account(s)",
)
cols[5].metric(
    "Accounts at risk",
    fmt_int(summary.at_risk_accounts),
    help=f"utilization below {limits.at_risk_pct:g}% on the as-of date",
)

left, right = st.columns(2)
with left:
    st.subheader("Utilization distribution")
    st.altair_chart(charts.utilization_histogram(utilization_bins(health), limits))
    st.caption(
        f"Median account: {fmt_pct(summary.median_account_utilization_pct)}. "
        f"Dashed lines: {limits.at_risk_pct:g}% and {limits.strong_pct:g}%."
    )
with right:
    st.subheader("Accounts per band")
    counts = band_counts(health)
    st.altair_chart(charts.band_bar(counts))
    st.caption(", ".join(f"{row.band_label}: {row.accounts}" for row in counts.itertuples()))

st.subheader("Portfolio utilization by month")
monthly = data.portfolio_monthly()
st.altair_chart(
    charts.utilization_trend(
        monthly,
        "month_start",
        limits,
        x_title="Month",
        tooltip=["month_start", "accounts", "licensed_seats", "utilized_seats", "utilization_pct"],
    )
)
st.caption("Each account's month snapshot (its last day with seats in the month), summed over accounts.")

st.subheader("Seats and over-use by account")
st.altair_chart(charts.seats_by_account(health))
overage = health[health["overage_users"].fillna(0) > 0]
if len(overage):
    st.markdown("**Accounts using more seats than they bought** (a true-up conversation):")
    ui.table(overage, ["account_name", "licensed_seats", "active_users", "overage_users", "recommended_play"])
