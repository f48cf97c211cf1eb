"""One account: trend against the bands, departments and roles, milestones, peers.

Open a given account with `/account?account=<account_id>`; the page keeps the choice in
the URL, so a link can be shared.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lu_dashboard import charts, data, ui
from lu_dashboard.figures import band_for_pct, fmt_date, fmt_int, fmt_pct
from lu_dashboard.settings import thresholds

ui.require_warehouse()
limits = thresholds()
health = data.account_health()

# --- which account ------------------------------------------------------------------------
account_ids = list(health["account_id"])  # priority order: the most urgent first
labels = {row.account_id: ui.account_label(row._asdict()) for row in health.itertuples()}
requested = st.query_params.get("account")
default_index = account_ids.index(requested) if requested in account_ids else 0
account_id = st.selectbox(
    "Account",
    account_ids,
    index=default_index,
    format_func=labels.get,
    help="Accounts in priority order (dim_account_health.priority_rank)",
)
st.query_params["account"] = account_id
account = health.set_index("account_id").loc[account_id]

st.title(account["account_name"])
st.caption(
    " · ".join(
        str(part)
        for part in (
            account_id,
            account["industry"],
            f"size {account['size_band']}",
            f"plan {account['plan_tier']}",
            account["region"],
            f"as of {fmt_date(account['as_of_date'])}",
        )
        if part is not None and not pd.isna(part)
    )
)

# --- headline -----------------------------------------------------------------------------
trend = account["utilization_trend_pts_per_week"]
cols = st.columns(6)
cols[0].metric(
    "Utilization",
    fmt_pct(account["utilization_pct"]),
    delta=None if pd.isna(trend) else f"{trend:+.2f} pts/week",
    help="Trend: slope of weekly utilization over the last weeks",
)
cols[1].metric("Band", ui.band_label(account["health_band"]))
cols[2].metric("Licensed seats", fmt_int(account["licensed_seats"]))
cols[3].metric("Active users", fmt_int(account["active_users"]))
cols[4].metric("Users over seats", fmt_int(account["overage_users"]))
days = account["days_to_renewal"]
cols[5].metric(
    "Renewal in",
    "–" if pd.isna(days) else f"{int(days)} days",
    delta=None if pd.isna(days) else fmt_date(account["renewal_date"]),
    delta_color="off",
    delta_arrow="off",
    help="Nearest end date among the seat-based terms in force",
)
st.markdown(
    f"**Recommended play:** {account['recommended_play']} "
    f"(priority {fmt_int(account['priority_rank'])} of {len(health)})"
)

account_alerts = data.alerts().query("account_id == @account_id")
for alert in account_alerts.itertuples():
    show = st.error if alert.severity == "high" else st.warning if alert.severity == "medium" else st.info
    show(f"**{alert.alert_type}** ({alert.severity}): {alert.reason}")

# --- trend --------------------------------------------------------------------------------
daily = data.account_daily(account_id)
monthly = data.account_monthly(account_id)
if daily.empty:
    st.info("This account has never had seats in force: no utilization to show.")
    st.stop()

left, right = st.columns(2)
with left:
    st.subheader("Daily utilization")
    st.altair_chart(
        charts.utilization_trend(
            daily,
            "date_day",
            limits,
            x_title="Day",
            tooltip=["date_day", "licensed_seats", "active_users", "utilized_seats", "utilization_pct"],
        )
    )
with right:
    st.subheader("Monthly utilization")
    st.altair_chart(
        charts.utilization_trend(
            monthly,
            "month_start",
            limits,
            x_title="Month",
            range_columns=("min_utilization_pct", "max_utilization_pct"),
            tooltip=["month_start", "licensed_seats", "active_users", "utilization_pct",
                     "avg_utilization_pct", "min_utilization_pct", "max_utilization_pct"],
        )
    )
    st.caption("Line: the month snapshot (last day with seats); shaded: the month's lowest to highest day.")

# --- departments and roles ----------------------------------------------------------------
departments = data.account_departments(account_id)
roles = data.account_roles(account_id)
months = sorted(set(departments["month_start"]) | set(roles["month_start"]), reverse=True)
if months:
    month = st.selectbox("Month of the breakdown", months, format_func=lambda m: pd.Timestamp(m).strftime("%Y-%m"))
    st.caption("Users holding a seat and how many of them are active, at the month snapshot.")
    left, right = st.columns(2)
    for column, frame, group, title in (
        (left, departments, "department", "By department"),
        (right, roles, "role", "By role"),
    ):
        with column:
            st.subheader(title)
            month_rows = frame[frame["month_start"] == month]
            month_rows = ui.with_band_labels(
                month_rows.assign(
                    health_band=month_rows["utilization_pct"].map(
                        lambda pct: band_for_pct(pct, limits.at_risk_pct, limits.strong_pct)
                    )
                )
            )
            chart_rows = month_rows[[group, "assigned_seats", "active_users", "utilization_pct", "band_label"]]
            st.altair_chart(charts.group_utilization(chart_rows, group, limits))
            ui.table(month_rows.sort_values("utilization_pct"), [group, "assigned_seats", "active_users", "utilization_pct"])

# --- milestones ---------------------------------------------------------------------------
st.subheader("Milestones")
milestones = data.account_milestones(account_id)
if milestones.empty:
    st.info("No seat-based terms, so no milestones.")
else:
    st.caption("Utilization 30/60/90 days after each purchase and 90 days before its renewal.")
    ui.table(
        ui.with_band_labels(milestones).assign(
            band_label=lambda rows: rows["band_label"].where(rows["is_reached"], "not reached")
        ),
        ["subscription_id", "milestone", "milestone_date", "is_reached", "licensed_seats",
         "active_users", "utilization_pct", "band_label"],
    )

# --- peers --------------------------------------------------------------------------------
st.subheader("Peers")
cohorts = data.cohorts()
if not cohorts.empty and not pd.isna(account["utilization_pct"]):
    latest = cohorts["month_start"].max()
    rows = []
    for cohort_type, percentile_column in (
        ("industry", "industry_percentile"),
        ("size_band", "size_band_percentile"),
        ("plan_tier", None),
    ):
        match = cohorts[
            (cohorts["month_start"] == latest)
            & (cohorts["cohort_type"] == cohort_type)
            & (cohorts["cohort_value"] == account[cohort_type])
        ]
        if match.empty:
            continue
        cohort = match.iloc[0]
        percentile = account[percentile_column] if percentile_column else None
        rows.append(
            {
                "cohort": f"{cohort_type}: {cohort['cohort_value']}",
                "accounts": int(cohort["accounts"]),
                "cohort utilization %": cohort["utilization_pct"],
                "median account %": cohort["median_account_utilization_pct"],
                "this account %": account["utilization_pct"],
                "this account's percentile": None if percentile is None or pd.isna(percentile) else percentile,
            }
        )
    st.caption(f"Cohorts in {pd.Timestamp(latest).strftime('%Y-%m')}; the percentile is within the cohort.")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(name, format="%.1f")
            for name in ("cohort utilization %", "median account %", "this account %", "this account's percentile")
        },
    )

peers = health[(health["industry"] == account["industry"]) & (health["licensed_seats"].fillna(0) > 0)]
st.markdown(f"**Accounts in {account['industry']}** (by utilization):")
ui.table(
    ui.with_band_labels(peers.sort_values("utilization_pct", ascending=False)),
    ["account_name", "size_band", "plan_tier", "licensed_seats", "utilization_pct", "band_label", "renewal_date"],
)
