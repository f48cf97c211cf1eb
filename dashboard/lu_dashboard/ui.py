"""Page furniture shared by the pages: the warehouse check, account picking, tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lu_dashboard import data
from lu_dashboard.figures import BAND_LABELS, NO_SEATS, fmt_date


def require_warehouse() -> None:
    """Stop the page with a clear message when the warehouse is not built."""
    try:
        data.check_warehouse()
    except data.WarehouseNotReady as error:
        st.error(str(error))
        st.stop()


def as_of_caption(extra: str = "") -> None:
    """The 'as of' line under a page title."""
    as_of = fmt_date(data.as_of_date())
    st.caption(f"As of {as_of}. {extra}".strip())


def band_label(band: str | None) -> str:
    """'at_risk' -> 'At risk'; None -> 'No seats'."""
    if band is None or pd.isna(band):
        return BAND_LABELS[NO_SEATS]
    return BAND_LABELS.get(band, str(band))


def with_band_labels(frame: pd.DataFrame, column: str = "health_band") -> pd.DataFrame:
    """A copy with `band_label` for display and charts."""
    return frame.assign(band_label=frame[column].map(band_label))


def account_label(row: pd.Series) -> str:
    """'Driftwood Health (acc_004)'."""
    return f"{row['account_name']} ({row['account_id']})"


#: Column formats of st.dataframe, by column name, shared by the pages.
COLUMN_CONFIG = {
    "account_id": st.column_config.TextColumn("Account id"),
    "account_name": st.column_config.TextColumn("Account"),
    "account_link": st.column_config.LinkColumn("Open", display_text="open account"),
    "utilization_pct": st.column_config.NumberColumn("Utilization %", format="%.1f"),
    "avg_utilization_pct": st.column_config.NumberColumn("Avg %", format="%.1f"),
    "median_account_utilization_pct": st.column_config.NumberColumn("Median account %", format="%.1f"),
    "utilization_trend_pts_per_week": st.column_config.NumberColumn("Trend (pts/week)", format="%+.2f"),
    "licensed_seats": st.column_config.NumberColumn("Seats", format="%d"),
    "active_users": st.column_config.NumberColumn("Active users", format="%d"),
    "assigned_seats": st.column_config.NumberColumn("Seat holders", format="%d"),
    "overage_users": st.column_config.NumberColumn("Over seats", format="%d"),
    "renewal_date": st.column_config.DateColumn("Renewal date", format="YYYY-MM-DD"),
    "days_to_renewal": st.column_config.NumberColumn("Days to renewal", format="%d"),
    "milestone_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "month_start": st.column_config.DateColumn("Month", format="YYYY-MM"),
    "band_label": st.column_config.TextColumn("Band"),
    "recommended_play": st.column_config.TextColumn("Recommended play"),
    "priority_rank": st.column_config.NumberColumn("Priority", format="%d"),
    "accounts": st.column_config.NumberColumn("Accounts", format="%d"),
    "strong_accounts": st.column_config.NumberColumn("Strong", format="%d"),
    "healthy_accounts": st.column_config.NumberColumn("Healthy", format="%d"),
    "at_risk_accounts": st.column_config.NumberColumn("At risk", format="%d"),
    "definition_name": st.column_config.TextColumn("Definition"),
    "definition_rule": st.column_config.TextColumn("Rule"),
    "is_reached": st.column_config.CheckboxColumn("Reached"),
    "subscription_id": st.column_config.TextColumn("Term"),
    "milestone": st.column_config.TextColumn("Milestone"),
    "size_band": st.column_config.TextColumn("Size"),
    "plan_tier": st.column_config.TextColumn("Plan tier"),
}


def table(frame: pd.DataFrame, columns: list[str], *, key: str | None = None, height: int | str = "auto") -> None:
    """Show `columns` of `frame` with the shared column formats."""
    st.dataframe(
        frame[columns],
        hide_index=True,
        column_config={name: config for name, config in COLUMN_CONFIG.items() if name in columns},
        key=key,
        height=height,
    )


def account_link(account_id: str) -> str:
    """Relative link to the account page of `account_id`."""
    return f"account?account={account_id}"
