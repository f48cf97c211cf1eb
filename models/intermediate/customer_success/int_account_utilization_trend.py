"""Utilization trend, decline flag and seat-fill forecast per account.

A thin wrapper: the logic is utilization_analytics.trend (pytest-tested).
Built on DuckDB; on engines without dbt Python models the SQL model of the
same name in portable_fallbacks/ is built instead (see the yml config).
The settings come from vars, passed as configs in the model's yml.
"""

from utilization_analytics.trend import TrendSettings, account_trends, trend_input_sql


def model(dbt, session):
    dbt.config(materialized="table")
    as_of = dbt.ref("int_reporting_period").df()["as_of_date"].iloc[0]
    settings = TrendSettings(
        trend_weeks=int(dbt.config.get("trend_weeks")),
        min_weeks=int(dbt.config.get("trend_min_weeks")),
        decline_pts_per_week=float(dbt.config.get("decline_pts_per_week")),
        strong_utilization_pct=float(dbt.config.get("strong_utilization_pct")),
        max_forecast_weeks=int(dbt.config.get("forecast_max_weeks")),
    )
    # only the weeks the trend reads (the window, and each account's latest week)
    weekly = dbt.ref("int_account_weekly_utilization")
    weekly = weekly.query("weekly", trend_input_sql("weekly", as_of, settings)).df()
    return account_trends(weekly, as_of, settings)
