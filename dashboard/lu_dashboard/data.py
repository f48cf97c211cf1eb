"""Read the marts from the DuckDB warehouse, read-only.

Every function returns a pandas DataFrame of one mart (or a plain aggregate of one).
Each query opens the file read-only and closes it again, so the dashboard never holds
the file while `dbt build` wants to write it; results are cached per query and per
version of the file (its modification time), so a rebuilt warehouse shows at once.

Only the `marts` schema is read: the exposure `license_utilization_dashboard`
(models/exposures.yml) lists the marts used here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from lu_dashboard.settings import warehouse_path

#: The marts the dashboard reads (models/exposures.yml names the same).
MARTS = (
    "dim_account_health",
    "fct_license_utilization_daily",
    "fct_license_utilization_monthly",
    "fct_utilization_by_department",
    "fct_utilization_by_role",
    "fct_utilization_by_cohort",
    "fct_utilization_milestones",
    "fct_utilization_by_definition",
    "fct_utilization_alerts",
)


class WarehouseNotReady(RuntimeError):
    """The DuckDB file is missing or lacks marts: run `make run` first."""


@st.cache_data(ttl=600, show_spinner=False, max_entries=256)
def _query(path: str, version: float, sql: str, params: tuple) -> pd.DataFrame:
    """Run one query on a read-only connection (cached per file version)."""
    del version  # part of the cache key only
    connection = duckdb.connect(path, read_only=True)
    try:
        return connection.execute(sql, list(params)).df()
    finally:
        connection.close()


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run `sql` against the warehouse and return a DataFrame."""
    path = warehouse_path()
    if not path.exists():
        raise WarehouseNotReady(f"No warehouse at {path}: run `make run` to build it.")
    try:
        return _query(str(path), path.stat().st_mtime, sql, params)
    except duckdb.IOException as error:  # e.g. `dbt build` holds the write lock
        raise WarehouseNotReady(
            f"{path} cannot be opened now (is `make run` rebuilding it?): try again in a moment. ({error})"
        ) from error


def check_warehouse() -> Path:
    """The warehouse path, once every mart the dashboard reads is found in it."""
    path = warehouse_path()
    if not path.exists():
        raise WarehouseNotReady(f"No warehouse at {path}: run `make run` to build it.")
    found = set(
        query("select table_name from information_schema.tables where table_schema = 'marts'")["table_name"]
    )
    missing = [mart for mart in MARTS if mart not in found]
    if missing:
        raise WarehouseNotReady(f"{path} lacks marts {', '.join(missing)}: run `make run` to build them.")
    return path


# --- accounts --------------------------------------------------------------------------


def account_health() -> pd.DataFrame:
    """dim_account_health: one row per account as of as_of_date, in priority order."""
    return query("select * from marts.dim_account_health order by priority_rank, account_id")


def as_of_date():
    """The day the marts are as of."""
    return query("select max(as_of_date) as as_of_date from marts.dim_account_health")["as_of_date"].iloc[0]


# --- portfolio -------------------------------------------------------------------------


def portfolio_monthly() -> pd.DataFrame:
    """Portfolio per month: accounts' month snapshots summed (seat-weighted utilization)."""
    return query(
        """
        select
            month_start,
            count(*) as accounts,
            sum(licensed_seats) as licensed_seats,
            sum(utilized_seats) as utilized_seats,
            sum(active_users) as active_users,
            sum(overage_users) as overage_users,
            100.0 * sum(utilized_seats) / nullif(sum(licensed_seats), 0) as utilization_pct,
            count(*) filter (where health_band = 'at_risk') as at_risk_accounts
        from marts.fct_license_utilization_monthly
        group by month_start
        order by month_start
        """
    )


# --- one account -----------------------------------------------------------------------


def account_daily(account_id: str) -> pd.DataFrame:
    """fct_license_utilization_daily of one account."""
    return query(
        "select * from marts.fct_license_utilization_daily where account_id = ? order by date_day",
        (account_id,),
    )


def account_monthly(account_id: str) -> pd.DataFrame:
    """fct_license_utilization_monthly of one account."""
    return query(
        "select * from marts.fct_license_utilization_monthly where account_id = ? order by month_start",
        (account_id,),
    )


def account_departments(account_id: str) -> pd.DataFrame:
    """fct_utilization_by_department of one account (every month)."""
    return query(
        """
        select * from marts.fct_utilization_by_department
        where account_id = ?
        order by month_start, department
        """,
        (account_id,),
    )


def account_roles(account_id: str) -> pd.DataFrame:
    """fct_utilization_by_role of one account (every month)."""
    return query(
        "select * from marts.fct_utilization_by_role where account_id = ? order by month_start, role",
        (account_id,),
    )


def account_milestones(account_id: str) -> pd.DataFrame:
    """fct_utilization_milestones of one account's terms."""
    return query(
        """
        select * from marts.fct_utilization_milestones
        where account_id = ?
        order by term_start_date, subscription_id, milestone_date
        """,
        (account_id,),
    )


# --- cohorts and definitions --------------------------------------------------------------


def cohorts() -> pd.DataFrame:
    """fct_utilization_by_cohort (every month and cohort type)."""
    return query("select * from marts.fct_utilization_by_cohort order by month_start, cohort_type, cohort_value")


def definitions_portfolio() -> pd.DataFrame:
    """Portfolio utilization per month under each named "active" definition."""
    return query(
        """
        select
            month_start,
            definition_name,
            min(definition_rule) as definition_rule,
            count(*) as accounts,
            sum(licensed_seats) as licensed_seats,
            sum(active_users) as active_users,
            100.0 * sum(utilized_seats) / nullif(sum(licensed_seats), 0) as utilization_pct
        from marts.fct_utilization_by_definition
        group by month_start, definition_name
        order by month_start, definition_name
        """
    )


# --- alerts -------------------------------------------------------------------------------


def alerts() -> pd.DataFrame:
    """fct_utilization_alerts in priority order, with the account's name and play.

    Priority order: severity first (`severity_rank`, high = 1), then the account's
    place in the customer-success queue (`priority_rank` of dim_account_health).
    """
    return query(
        """
        select
            alerts.severity,
            alerts.alert_type,
            alerts.account_id,
            health.account_name,
            alerts.reason,
            health.recommended_play,
            health.utilization_pct,
            health.licensed_seats,
            health.renewal_date,
            health.priority_rank,
            alerts.severity_rank,
            alerts.as_of_date
        from marts.fct_utilization_alerts as alerts
        left join marts.dim_account_health as health
            on alerts.account_id = health.account_id
        order by alerts.severity_rank, health.priority_rank, alerts.account_id, alerts.alert_type
        """
    )
