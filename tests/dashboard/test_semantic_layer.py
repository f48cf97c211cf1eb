"""The semantic layer (MetricFlow) validates and gives the marts' numbers.

`mf validate-configs` must pass (semantics and the warehouse), and `mf query` of
`license_utilization` by month, and by month and industry, must equal plain SQL over the
marts: the seat-weighted mean of fct_license_utilization_monthly per month, and the
`industry` rows of fct_utilization_by_cohort.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from serve_helpers import executable, run_checked

TOLERANCE = 1e-6  # percentage points: MetricFlow and DuckDB do the same double arithmetic


def mf_query(env: dict[str, str], tmp_path: Path, metrics: list[str], group_by: list[str]) -> pd.DataFrame:
    """Run `mf query ... --csv` and read the CSV."""
    out = tmp_path / f"mf_{'_'.join(group_by)}.csv"
    run_checked(
        [executable("mf"), "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by),
         "--order", group_by[0], "--csv", str(out), "--quiet"],
        env,
    )
    frame = pd.read_csv(out)
    if "metric_time__month" in frame:
        frame["metric_time__month"] = pd.to_datetime(frame["metric_time__month"]).dt.date
    return frame


def test_mf_validate_configs_passes(dbt_environment):
    result = run_checked([executable("mf"), "validate-configs"], dbt_environment)
    output = result.stdout + result.stderr
    assert "ERRORS: 0" in output
    assert "Successfully validated the semantics" in output
    assert "Successfully validated metrics against data warehouse" in output


def test_utilization_by_month_equals_monthly_mart(dbt_environment, marts, tmp_path):
    metrics = ["license_utilization", "licensed_seats", "utilized_seats", "active_users", "overage_users",
               "accounts_at_risk", "average_license_utilization"]
    got = mf_query(dbt_environment, tmp_path, metrics, ["metric_time__month"])
    expected = marts(
        """
        with monthly as (
            select
                month_start,
                100.0 * sum(utilized_seats) / sum(licensed_seats) as license_utilization,
                sum(licensed_seats) as licensed_seats,
                sum(utilized_seats) as utilized_seats,
                sum(active_users) as active_users,
                sum(overage_users) as overage_users,
                count(*) filter (where health_band = 'at_risk') as accounts_at_risk
            from marts.fct_license_utilization_monthly
            group by month_start
        ),
        daily as (
            select month_start, 100.0 * sum(utilized_seats) / sum(licensed_seats) as average_license_utilization
            from marts.fct_license_utilization_daily
            group by month_start
        )
        select monthly.*, daily.average_license_utilization
        from monthly inner join daily using (month_start)
        order by month_start
        """
    )
    expected["month_start"] = pd.to_datetime(expected["month_start"]).dt.date
    assert len(expected) >= 12, "the sample data spans more than a year"
    merged = expected.merge(got, left_on="month_start", right_on="metric_time__month", how="outer",
                            suffixes=("_sql", "_mf"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    for metric in metrics:
        difference = (merged[f"{metric}_sql"] - merged[f"{metric}_mf"]).abs()
        assert difference.max() <= TOLERANCE, merged[["month_start", f"{metric}_sql", f"{metric}_mf"]]


def test_utilization_by_industry_equals_cohort_mart(dbt_environment, marts, tmp_path):
    got = mf_query(dbt_environment, tmp_path, ["license_utilization", "licensed_seats", "accounts_at_risk"],
                   ["metric_time__month", "account__industry"])
    expected = marts(
        """
        select month_start, cohort_value as industry, utilization_pct, licensed_seats, at_risk_accounts
        from marts.fct_utilization_by_cohort
        where cohort_type = 'industry'
        """
    )
    expected["month_start"] = pd.to_datetime(expected["month_start"]).dt.date
    merged = expected.merge(
        got,
        left_on=["month_start", "industry"],
        right_on=["metric_time__month", "account__industry"],
        how="outer",
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert expected["industry"].nunique() >= 5
    assert (merged["utilization_pct"] - merged["license_utilization"]).abs().max() <= TOLERANCE
    assert (merged["licensed_seats_x"] == merged["licensed_seats_y"]).all()
    assert (merged["at_risk_accounts"] == merged["accounts_at_risk"]).all()

    # The as-of month by industry, the question a CS lead asks: spot-check one figure by hand.
    latest = merged[merged["month_start"] == merged["month_start"].max()]
    industry = latest.sort_values("licensed_seats_x").iloc[-1]
    by_hand = marts(
        """
        select 100.0 * sum(monthly.utilized_seats) / sum(monthly.licensed_seats) as pct
        from marts.fct_license_utilization_monthly as monthly
        inner join marts.dim_account_health as health using (account_id)
        where monthly.month_start = ? and health.industry = ?
        """,
        [industry["month_start"], industry["industry"]],
    )["pct"].iloc[0]
    assert abs(by_hand - industry["license_utilization"]) <= TOLERANCE
