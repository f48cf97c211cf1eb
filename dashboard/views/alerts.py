"""The alert feed, in priority order: severity first, then the account's priority rank."""

from __future__ import annotations

import streamlit as st

from lu_dashboard import data, ui
from lu_dashboard.figures import SEVERITY_ORDER, fmt_date, fmt_pct, severity_counts

ui.require_warehouse()
alerts = data.alerts()

st.title("Alert feed")
ui.as_of_caption(
    "Each alert says which rule fired and with which numbers. Order: severity (high first), "
    "then the account's place in the customer-success queue (priority rank)."
)

counts = severity_counts(alerts)
cols = st.columns(4)
cols[0].metric("Alerts", len(alerts))
for column, severity in zip(cols[1:], SEVERITY_ORDER):
    column.metric(f"{severity.capitalize()} severity", counts[severity])

left, right = st.columns(2)
severities = left.multiselect("Severity", list(SEVERITY_ORDER), default=list(SEVERITY_ORDER))
types = sorted(alerts["alert_type"].unique())
chosen_types = right.multiselect("Alert type", types, default=types)
shown = alerts[alerts["severity"].isin(severities) & alerts["alert_type"].isin(chosen_types)].reset_index(drop=True)

if shown.empty:
    st.success("No alert matches.")
for position, alert in enumerate(shown.itertuples(), start=1):
    icon = {"high": ":material/error:", "medium": ":material/warning:", "low": ":material/info:"}.get(alert.severity)
    with st.container(border=True):
        st.markdown(
            f"**{position}. {alert.account_name}** (`{alert.account_id}`) · "
            f"**{alert.alert_type}** · severity **{alert.severity}**"
        )
        st.markdown(f"{icon} {alert.reason}")
        st.caption(
            f"Utilization {fmt_pct(alert.utilization_pct)} · renewal {fmt_date(alert.renewal_date)} · "
            f"recommended play: {alert.recommended_play} · priority {alert.priority_rank} · "
            f"[open account]({ui.account_link(alert.account_id)})"
        )

with st.expander("As a table"):
    ui.table(
        shown,
        ["severity", "alert_type", "account_name", "reason", "recommended_play", "utilization_pct", "renewal_date",
         "priority_rank"],
        key="alerts_table",
    )
