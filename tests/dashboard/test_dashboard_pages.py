"""What a person sees: every page renders on the sample data with the right numbers.

Streamlit's AppTest runs the app's scripts in-process (no browser). Each test opens one
page of dashboard/app.py, checks that it raised no exception, and compares its headline
numbers (st.metric) with the same figures computed here by plain SQL over the marts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from serve_helpers import REPO_ROOT
from streamlit.testing.v1 import AppTest

APP = REPO_ROOT / "dashboard" / "app.py"
TIMEOUT_SECONDS = 60


def pct(value: float) -> str:
    """The dashboard's percentage format."""
    return f"{value:.1f}%"


def open_page(page: str | None = None, **query_params: str) -> AppTest:
    """Run the app, switch to `page` (e.g. 'views/renewals.py') and return the result."""
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    app.query_params.update(query_params)
    app.run()
    if page is not None:
        app.switch_page(page).run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    """Label -> shown value of every st.metric on the page."""
    return {metric.label: metric.value for metric in app.metric}


def charts(app: AppTest) -> list:
    """The Altair / Vega-Lite charts on the page."""
    return list(app.get("vega_lite_chart"))


def texts(app: AppTest) -> str:
    """Every markdown, caption, title and message on the page, as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success"):
        parts.extend(str(element.value) for element in app.get(kind))
    return "\n".join(parts)


# --- portfolio ------------------------------------------------------------------------------


def test_overview_headline_numbers(dashboard_env, marts):
    app = open_page()
    expected = marts(
        """
        select
            100.0 * sum(utilized_seats) / sum(licensed_seats) as utilization_pct,
            count(*) as accounts_with_seats,
            sum(licensed_seats) as licensed_seats,
            sum(active_users) as active_users,
            sum(overage_users) as overage_users,
            count(*) filter (where health_band = 'at_risk') as at_risk
        from marts.dim_account_health
        where licensed_seats > 0
        """
    ).iloc[0]
    shown = metrics(app)
    assert app.title[0].value == "Portfolio overview"
    assert shown["Portfolio utilization"] == pct(expected["utilization_pct"])
    assert shown["Accounts with seats"] == f"{int(expected['accounts_with_seats']):,}"
    assert shown["Licensed seats"] == f"{int(expected['licensed_seats']):,}"
    assert shown["Active users"] == f"{int(expected['active_users']):,}"
    assert shown["Users over seats"] == f"{int(expected['overage_users']):,}"
    assert shown["Accounts at risk"] == f"{int(expected['at_risk']):,}"
    # distribution, bands, monthly trend, seats by account
    assert len(charts(app)) == 4


def test_overview_band_counts_add_up(dashboard_env, marts):
    app = open_page()
    counts = marts(
        """
        select coalesce(health_band, 'no seats') as band, count(*) as accounts
        from marts.dim_account_health group by 1
        """
    ).set_index("band")["accounts"]
    shown = texts(app)
    for band, label in (("strong", "Strong"), ("healthy", "Healthy"), ("at_risk", "At risk")):
        assert f"{label}: {int(counts.get(band, 0))}" in shown
    assert f"No seats: {int(counts.get('no seats', 0))}" in shown


# --- one account ----------------------------------------------------------------------------


def test_account_page_defaults_to_top_priority_account(dashboard_env, marts):
    app = open_page("views/account.py")
    top = marts("select * from marts.dim_account_health order by priority_rank limit 1").iloc[0]
    assert app.selectbox[0].value == top["account_id"]
    assert app.title[0].value == top["account_name"]
    shown = metrics(app)
    assert shown["Utilization"] == pct(top["utilization_pct"])
    assert shown["Licensed seats"] == str(int(top["licensed_seats"]))
    days = top["days_to_renewal"]
    assert shown["Renewal in"] == ("–" if pd.isna(days) else f"{int(days)} days")


def test_account_page_from_link_shows_trend_groups_milestones_peers(dashboard_env, marts):
    account_id = marts(
        """
        select account_id from marts.dim_account_health
        where licensed_seats > 0 and overage_users > 0
        order by account_id limit 1
        """
    )["account_id"].iloc[0]
    app = open_page("views/account.py", account=account_id)
    account = marts("select * from marts.dim_account_health where account_id = ?", [account_id]).iloc[0]
    assert app.selectbox[0].value == account_id
    shown = metrics(app)
    assert shown["Utilization"] == pct(account["utilization_pct"])
    assert shown["Users over seats"] == str(int(account["overage_users"]))
    assert shown["Active users"] == str(int(account["active_users"]))
    # daily and monthly trend, department and role breakdown
    assert len(charts(app)) == 4
    latest_departments = marts(
        """
        select count(*) as n from marts.fct_utilization_by_department
        where account_id = ?
          and month_start = (select max(month_start) from marts.fct_utilization_by_department where account_id = ?)
        """,
        [account_id, account_id],
    )["n"].iloc[0]
    milestones = marts("select count(*) as n from marts.fct_utilization_milestones where account_id = ?", [account_id])
    tables = app.dataframe
    assert len(tables[0].value) == latest_departments  # department table of the latest month
    assert len(tables[2].value) == milestones["n"].iloc[0]
    peers = marts(
        "select count(*) as n from marts.dim_account_health where industry = ? and licensed_seats > 0",
        [account["industry"]],
    )["n"].iloc[0]
    assert len(tables[-1].value) == peers
    assert "Peers" in texts(app)


def test_account_without_seats_renders(dashboard_env, marts):
    no_seats = marts("select account_id from marts.dim_account_health where licensed_seats = 0 limit 1")
    if no_seats.empty:
        pytest.skip("every sample account has seats")
    app = open_page("views/account.py", account=no_seats["account_id"].iloc[0])
    shown = metrics(app)
    assert shown["Utilization"] == "–"
    assert shown["Band"] == "No seats"


# --- cohorts --------------------------------------------------------------------------------


def test_cohorts_page_industry_headline(dashboard_env, marts):
    app = open_page("views/cohorts.py")
    latest = marts(
        """
        select * from marts.fct_utilization_by_cohort
        where cohort_type = 'industry'
          and month_start = (select max(month_start) from marts.fct_utilization_by_cohort)
        order by utilization_pct desc
        """
    )
    shown = metrics(app)
    assert app.radio[0].value == "industry"
    assert shown["Cohorts"] == str(len(latest))
    assert shown["Highest utilization"] == pct(latest["utilization_pct"].iloc[0])
    assert shown["Lowest utilization"] == pct(latest["utilization_pct"].iloc[-1])
    assert len(charts(app)) == 3  # cohort bars, cohort trend, definitions


def test_cohorts_page_switches_to_size_bands(dashboard_env, marts):
    app = open_page("views/cohorts.py")
    app.radio[0].set_value("size_band").run()
    assert not app.exception
    latest = marts(
        """
        select count(*) as n from marts.fct_utilization_by_cohort
        where cohort_type = 'size_band'
          and month_start = (select max(month_start) from marts.fct_utilization_by_cohort where cohort_type = 'size_band')
        """
    )["n"].iloc[0]
    assert metrics(app)["Cohorts"] == str(latest)


# --- renewals: "which accounts renew in the next 90 days below 60%?" ---------------------


def test_renewals_page_answers_the_question(dashboard_env, marts):
    app = open_page("views/renewals.py")
    renewing = marts(
        """
        select account_name, utilization_pct, licensed_seats
        from marts.dim_account_health
        where days_to_renewal between 0 and 90
        """
    )
    below = renewing[renewing["utilization_pct"] < 60]
    shown = metrics(app)
    assert shown["Renewing within 90 days"] == str(len(renewing))
    assert shown["Of them below 60%"] == str(len(below))
    assert shown["Seats renewing"] == f"{int(renewing['licensed_seats'].sum()):,}"
    assert len(below) >= 1, "the sample data has a renewal at risk"
    message = app.error[0].value
    for name in below["account_name"]:
        assert name in message
    for name in set(renewing["account_name"]) - set(below["account_name"]):
        assert name not in message
    assert len(app.dataframe[0].value) == len(renewing)

    app.toggle[0].set_value(True).run()
    assert not app.exception
    assert sorted(app.dataframe[0].value["account_name"]) == sorted(below["account_name"])


def test_renewals_horizon_slider(dashboard_env, marts):
    app = open_page("views/renewals.py")
    app.slider[0].set_value(365).run()
    assert not app.exception
    within_year = marts("select count(*) as n from marts.dim_account_health where days_to_renewal between 0 and 365")
    assert metrics(app)["Renewing within 365 days"] == str(within_year["n"].iloc[0])


# --- alerts ---------------------------------------------------------------------------------


def test_alert_feed_in_priority_order(dashboard_env, marts):
    app = open_page("views/alerts.py")
    expected = marts(
        """
        select alerts.account_id, alerts.alert_type, alerts.severity, health.account_name
        from marts.fct_utilization_alerts as alerts
        inner join marts.dim_account_health as health using (account_id)
        order by alerts.severity_rank, health.priority_rank, alerts.account_id, alerts.alert_type
        """
    )
    shown = metrics(app)
    assert shown["Alerts"] == str(len(expected))
    for severity in ("high", "medium", "low"):
        assert shown[f"{severity.capitalize()} severity"] == str(int((expected["severity"] == severity).sum()))
    headings = [m.value for m in app.markdown if m.value.startswith("**") and ". " in m.value[:8]]
    assert len(headings) == len(expected)
    for position, (heading, row) in enumerate(zip(headings, expected.itertuples()), start=1):
        assert heading.startswith(f"**{position}. {row.account_name}**")
        assert f"**{row.alert_type}**" in heading


def test_alert_feed_filters_by_severity(dashboard_env, marts):
    app = open_page("views/alerts.py")
    app.multiselect[0].set_value(["high"]).run()
    assert not app.exception
    high = marts("select count(*) as n from marts.fct_utilization_alerts where severity = 'high'")["n"].iloc[0]
    assert len(app.dataframe[0].value) == high


# --- the warehouse ----------------------------------------------------------------------------


def test_missing_warehouse_shows_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(tmp_path / "absent.duckdb"))
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()
    assert not app.exception
    assert "make run" in app.error[0].value
    assert not (tmp_path / "absent.duckdb").exists()


def test_warehouse_locked_by_a_build_shows_a_message(warehouse, tmp_path, monkeypatch):
    copy = tmp_path / "locked.duckdb"
    shutil.copyfile(warehouse, copy)
    holder = subprocess.Popen(  # a writer, like `dbt build`, holding the file's lock
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(copy)!r}); print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("DBT_DUCKDB_PATH", str(copy))
        app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS).run()
        assert not app.exception
        assert "cannot be opened now" in app.error[0].value
    finally:
        holder.kill()
        holder.wait()


def test_dashboard_opens_the_warehouse_read_only(dashboard_env):
    sys.path.insert(0, str(REPO_ROOT / "dashboard"))
    from lu_dashboard import data

    with pytest.raises(duckdb.Error, match="(?i)read.only"):
        data._query(str(dashboard_env), 0.0, "create table marts.should_not_exist as select 1 as x", ())
    assert isinstance(Path(data.check_warehouse()), Path)
