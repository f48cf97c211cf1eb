"""The customer-success layer (dim_account_health, fct_utilization_alerts, milestones,
cohorts, definitions side by side) on the hand-built dataset of cs_datasets.py.

Three dbt builds, each run once per module (~10-30 s each):
- ``cs_default``: contract defaults, as_of_date 2024-06-30;
- ``cs_changed``: the same data with five threshold vars moved (cs_datasets.CHANGED_VARS),
  proving the thresholds come from vars: exactly the twin accounts sitting between the
  old and the new threshold change their flags (cs_datasets.CHANGES), nothing else does;
- ``cs_retuned``: every other var behind a flag moved (cs_datasets.RETUNED_VARS: strong
  band, trend window and minimum, forecast horizon, sharp-drop window and points,
  stickiness window, milestone days, onboarding lookback), with the full expected result.

Every expected value is worked out by hand in cs_datasets.py. Skipped when dbt is not
available (see the ``dbt_project`` fixture in conftest.py).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest

import cs_datasets as cs

PCT_TOL = 0.01
SLOPE_TOL = 2e-6

TABLES = {
    "health": "marts.dim_account_health",
    "alerts": "marts.fct_utilization_alerts",
    "milestones": "marts.fct_utilization_milestones",
    "cohorts": "marts.fct_utilization_by_cohort",
    "definitions": "marts.fct_utilization_by_definition",
    "monthly": "marts.fct_license_utilization_monthly",
    "daily": "marts.fct_license_utilization_daily",
    "weekly": "intermediate.int_account_weekly_utilization",
    "trend": "intermediate.int_account_utilization_trend",
}


# --------------------------------------------------------------------------- builds


class Build:
    """A finished dbt build of the customer-success dataset and its tables."""

    def __init__(self, run) -> None:
        self.run = run
        self.tables: dict[str, pd.DataFrame] = {}
        self.errors: dict[str, str] = {}
        if not run.db_path.exists():
            return
        duckdb = pytest.importorskip("duckdb")
        con = duckdb.connect(str(run.db_path), read_only=True)
        try:
            for key, relation in TABLES.items():
                try:
                    self.tables[key] = con.execute(f"select * from {relation}").df()
                except Exception as exc:  # a model that did not build
                    self.errors[key] = str(exc)
        finally:
            con.close()

    def table(self, key: str) -> pd.DataFrame:
        if key not in self.tables:
            pytest.fail(
                f"{TABLES[key]} was not built ({self.errors.get(key, 'no warehouse')}); "
                f"dbt output in {self.run.workdir}:\n{self.run.tail()}",
                pytrace=False,
            )
        return self.tables[key]

    def health(self) -> dict[str, dict[str, Any]]:
        df = self.table("health")
        return {row["account_id"]: row for row in df.to_dict("records")}


@pytest.fixture(scope="module")
def cs_raw_dir(tmp_path_factory):
    return cs.write_customer_success(tmp_path_factory.mktemp("raw-customer-success"))


@pytest.fixture(scope="module")
def cs_default(dbt_project, cs_raw_dir) -> Build:
    return Build(dbt_project.build(cs_raw_dir, {"as_of_date": cs.AS_OF}, "customer-success-default"))


@pytest.fixture(scope="module")
def cs_changed(dbt_project, cs_raw_dir) -> Build:
    return Build(dbt_project.build(cs_raw_dir, {"as_of_date": cs.AS_OF, **cs.CHANGED_VARS},
                                   "customer-success-changed"))


@pytest.fixture(scope="module")
def cs_retuned(dbt_project, cs_raw_dir) -> Build:
    return Build(dbt_project.build(cs_raw_dir, {"as_of_date": cs.AS_OF, **cs.RETUNED_VARS},
                                   "customer-success-retuned"))


# --------------------------------------------------------------------------- helpers


def _null(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _iso(value: Any) -> str | None:
    return None if _null(value) else pd.Timestamp(value).date().isoformat()


def _num(value: Any) -> float | None:
    return None if _null(value) else float(value)


def _bool(value: Any) -> bool | None:
    return None if _null(value) else bool(value)


def _check(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _same_number(got: Any, want: float | None, tol: float = PCT_TOL) -> bool:
    got = _num(got)
    if want is None or got is None:
        return want is None and got is None
    return math.isclose(got, want, abs_tol=tol)


# --------------------------------------------------------------------------- default build


def test_build_succeeds_with_all_dbt_tests(cs_default):
    """The project's own data tests (contracts, formula tests, uniqueness) pass on this dataset."""
    assert cs_default.run.ok, (
        f"dbt build exited {cs_default.run.returncode}; output in "
        f"{cs_default.run.workdir}:\n{cs_default.run.tail()}"
    )


def test_one_health_row_per_account(cs_default):
    df = cs_default.table("health")
    assert sorted(df["account_id"]) == cs.ACCOUNTS
    assert set(_iso(v) for v in df["as_of_date"]) == {cs.AS_OF}


def test_health_snapshot_figures(cs_default):
    health = cs_default.health()
    problems = []
    columns = ["licensed_seats", "active_users", "utilized_seats", "overage_users", "utilization_pct"]
    for account, (*numbers, band, renewal, days) in cs.SNAPSHOT.items():
        row = health[account]
        for column, want in zip(columns, numbers):
            if not _same_number(row[column], want):
                problems.append(f"{account}.{column}: {row[column]} != {want}")
        if (None if _null(row["health_band"]) else row["health_band"]) != band:
            problems.append(f"{account}.health_band: {row['health_band']} != {band}")
        if _iso(row["renewal_date"]) != renewal:
            problems.append(f"{account}.renewal_date: {_iso(row['renewal_date'])} != {renewal}")
        if not _same_number(row["days_to_renewal"], days):
            problems.append(f"{account}.days_to_renewal: {row['days_to_renewal']} != {days}")
    _check(problems)


def test_health_profile_columns(cs_default):
    health = cs_default.health()
    problems = [
        f"{a}: {(health[a]['industry'], health[a]['size_band'], health[a]['plan_tier'])} != {want}"
        for a, want in cs.PROFILE.items()
        if (health[a]["industry"], health[a]["size_band"], health[a]["plan_tier"]) != want
    ]
    _check(problems)


def test_weekly_utilization_input_of_the_trend(cs_default):
    """The trend model's input: weekly mean of daily utilization (ISO weeks)."""
    weekly = cs_default.table("weekly")
    weekly = weekly.assign(week=[_iso(v) for v in weekly["week_start"]])
    got = {(r["account_id"], r["week"]): (r["days_with_seats"], r["utilization_pct"]) for r in weekly.to_dict("records")}
    expected = {}
    for k, week in enumerate(cs.WEEKS):
        expected[("DEC1", week.isoformat())] = (7, 100.0 - 2 * k)   # one leaver per Monday of 50 seats
        expected[("DEC2", week.isoformat())] = (7, 100.0 - k)       # one leaver per Monday of 100 seats
        expected[("DROP1", week.isoformat())] = (7, 80.0 if k < 6 else 60.0)
    expected[("ONB1", "2024-05-13")] = (5, 50.0)                    # 05-15 .. 05-19
    assert ("ONB1", "2024-05-06") not in got                        # before the term: no week
    problems = [
        f"{key}: {got.get(key)} != {want}" for key, want in expected.items()
        if key not in got or got[key][0] != want[0] or not math.isclose(got[key][1], want[1], abs_tol=1e-9)
    ]
    _check(problems)


def _trend_problems(health: dict[str, dict], expected: dict[str, tuple]) -> list[str]:
    problems = []
    for account, (weeks, slope, declining, strong, full) in expected.items():
        row = health[account]
        if not _same_number(row["trend_weeks_observed"], weeks, 0):
            problems.append(f"{account}.trend_weeks_observed: {row['trend_weeks_observed']} != {weeks}")
        if not _same_number(row["utilization_trend_pts_per_week"], slope, SLOPE_TOL):
            problems.append(f"{account}.utilization_trend_pts_per_week: {row['utilization_trend_pts_per_week']} != {slope}")
        if _bool(row["is_declining"]) is not declining:
            problems.append(f"{account}.is_declining: {row['is_declining']} != {declining}")
        for column, want in (("projected_strong_date", strong), ("projected_full_date", full)):
            if _iso(row[column]) != want:
                problems.append(f"{account}.{column}: {_iso(row[column])} != {want}")
    return problems


def test_trend_slope_decline_and_forecast(cs_default):
    _check(_trend_problems(cs_default.health(), cs.TREND))


def test_trend_model_matches_health(cs_default):
    """dim_account_health carries the Python model's output unchanged (latest week figure too)."""
    trend = {r["account_id"]: r for r in cs_default.table("trend").to_dict("records")}
    assert trend["ONB1"]["latest_weekly_utilization_pct"] == pytest.approx(70.0)
    assert _iso(trend["ONB1"]["latest_week_start"]) == "2024-06-24"
    assert _iso(trend["NOS"]["latest_week_start"]) == "2024-03-25"  # last week with seats, outside the window
    assert trend["NOS"]["latest_weekly_utilization_pct"] == pytest.approx(50.0)


def _stickiness_problems(health: dict[str, dict], expected: dict[str, tuple[float, float]]) -> list[str]:
    problems = []
    for account, (ratio, breadth) in expected.items():
        row = health[account]
        if not _same_number(row["stickiness_ratio"], ratio, 1e-9):
            problems.append(f"{account}.stickiness_ratio: {row['stickiness_ratio']} != {ratio}")
        if not _same_number(row["feature_breadth"], breadth, 1e-9):
            problems.append(f"{account}.feature_breadth: {row['feature_breadth']} != {breadth}")
        if not 0 <= float(row["stickiness_ratio"]) <= 1:
            problems.append(f"{account}.stickiness_ratio out of 0..1: {row['stickiness_ratio']}")
    return problems


def test_stickiness_and_feature_breadth(cs_default):
    _check(_stickiness_problems(cs_default.health(), cs.STICKINESS))


def test_stickiness_counts_only_eligible_user_days(cs_default):
    """DAU/MAU counts licensed users on the days they hold a seat (CONTRACT section 3: a
    user who is not eligible on d is neither active nor assigned on d): STK's user
    provisioned on 06-25 with events from 06-01, and its user deactivated on 05-20 with
    events all June, must not count before / after their eligibility."""
    row = cs_default.health()["STK"]
    ratio, breadth = cs.STK_STICKINESS
    assert row["stickiness_ratio"] == pytest.approx(ratio, abs=1e-9)
    assert row["feature_breadth"] == pytest.approx(breadth, abs=1e-9)


def test_peak_in_the_sharp_drop_window(cs_default):
    health = cs_default.health()
    problems = [f"{a}.peak_utilization_pct: {health[a]['peak_utilization_pct']} != {want}"
                for a, want in cs.PEAK.items() if not _same_number(health[a]["peak_utilization_pct"], want)]
    _check(problems)


@pytest.mark.parametrize("flag", cs.FLAG_COLUMNS)
def test_flag_fires_exactly_where_it_must(cs_default, flag):
    """Each flag is true for the account built to fire it and false for its twin just
    across the threshold (and for every other account)."""
    health = cs_default.health()
    fired = {a for a, row in health.items() if _bool(row[flag])}
    assert fired == cs.FLAGS_TRUE[flag]
    assert all(_bool(row[flag]) is not None for row in health.values()), f"{flag} has nulls"


def test_recommended_play_and_seats_at_stake(cs_default):
    health = cs_default.health()
    problems = []
    for account, (situation, play, stake) in cs.PLAY.items():
        row = health[account]
        got = (row["play_situation"], row["recommended_play"], int(row["seats_at_stake"]))
        if got != (situation, play, stake):
            problems.append(f"{account}: {got} != {(situation, play, stake)}")
    _check(problems)


def test_priority_rank_order(cs_default):
    df = cs_default.table("health").sort_values("priority_rank")
    assert list(df["priority_rank"]) == list(range(1, len(cs.ACCOUNTS) + 1))
    assert list(df["account_id"]) == cs.PRIORITY_ORDER


def _alert_problems(alerts: pd.DataFrame, expected: dict[tuple[str, str], tuple[str, list[str]]]) -> list[str]:
    got = {(r["account_id"], r["alert_type"]): r for r in alerts.to_dict("records")}
    problems = []
    if len(got) != len(alerts):
        problems.append("duplicate (account_id, alert_type) rows")
    missing, extra = set(expected) - set(got), set(got) - set(expected)
    if missing:
        problems.append(f"alerts missing: {sorted(missing)}")
    if extra:
        problems.append(f"unexpected alerts: {sorted(extra)} "
                        f"{[got[k]['reason'] for k in sorted(extra)]}")
    for key in set(expected) & set(got):
        severity, fragments = expected[key]
        row = got[key]
        if row["severity"] != severity:
            problems.append(f"{key}: severity {row['severity']} != {severity}")
        for fragment in fragments:
            if fragment not in (row["reason"] or ""):
                problems.append(f"{key}: reason {row['reason']!r} lacks {fragment!r}")
        if _iso(row["as_of_date"]) != cs.AS_OF:
            problems.append(f"{key}: as_of_date {row['as_of_date']}")
    return problems


def test_alerts_types_severity_and_reasons(cs_default):
    expected = {(a, t): v for a, by_type in cs.ALERTS.items() for t, v in by_type.items()}
    _check(_alert_problems(cs_default.table("alerts"), expected))


def test_alerts_agree_with_health_flags(cs_default):
    """Every alert is backed by its flag in dim_account_health (and vice versa for the
    flag-only alert types)."""
    health = cs_default.health()
    alerts = cs_default.table("alerts")
    by_type = {t: set(alerts.loc[alerts["alert_type"] == t, "account_id"]) for t in alerts["alert_type"].unique()}
    for alert_type, flag in (("renewal_risk", "is_renewal_risk"), ("onboarding_gap", "is_onboarding_gap"),
                             ("expansion_ready", "is_expansion_ready"), ("overage_true_up", "has_overage"),
                             ("sharp_drop", "is_sharp_drop")):
        assert by_type.get(alert_type, set()) == {a for a, r in health.items() if _bool(r[flag])}, alert_type
    declining_soon = {a for a, r in health.items() if _bool(r["is_declining"])
                      and not _null(r["days_to_renewal"]) and 0 <= r["days_to_renewal"] <= 90}
    assert by_type.get("declining_before_renewal", set()) == declining_soon
    assert set(alerts["severity"]) <= {"high", "medium", "low"}


def test_milestones_hand_worked(cs_default):
    ms = cs_default.table("milestones")
    got = {(r["subscription_id"], r["milestone"]): r for r in ms.to_dict("records")}
    problems = []
    for key, (date, reached, pct, band) in cs.MILESTONES.items():
        if key not in got:
            problems.append(f"{key}: missing")
            continue
        row = got[key]
        if _iso(row["milestone_date"]) != date:
            problems.append(f"{key}: milestone_date {_iso(row['milestone_date'])} != {date}")
        if _bool(row["is_reached"]) is not reached:
            problems.append(f"{key}: is_reached {row['is_reached']} != {reached}")
        if not _same_number(row["utilization_pct"], pct):
            problems.append(f"{key}: utilization_pct {row['utilization_pct']} != {pct}")
        if (None if _null(row["health_band"]) else row["health_band"]) != band:
            problems.append(f"{key}: health_band {row['health_band']} != {band}")
    _check(problems)


def test_milestones_structure_and_bounds(cs_default):
    ms = cs_default.table("milestones")
    as_of = dt.date.fromisoformat(cs.AS_OF)
    subscriptions = cs.SEAT_BASED_SUBSCRIPTIONS
    problems = []
    others = set(ms["subscription_id"]) - subscriptions
    if others:
        problems.append(f"milestones of terms that are not seat-based: {sorted(others)}")
    for sub in subscriptions:
        names = set(ms.loc[ms["subscription_id"] == sub, "milestone"])
        want = {"day_30", "day_60", "day_90"} | (set() if sub in cs.OPEN_ENDED_SUBSCRIPTIONS else {"pre_renewal_90"})
        if names != want:
            problems.append(f"{sub}: milestones {sorted(names)} != {sorted(want)}")
    for row in ms.to_dict("records"):
        reached = dt.date.fromisoformat(_iso(row["milestone_date"])) <= as_of
        if _bool(row["is_reached"]) is not reached:
            problems.append(f"{row['subscription_id']} {row['milestone']}: is_reached {row['is_reached']}")
        pct = _num(row["utilization_pct"])
        if not reached and pct is not None:
            problems.append(f"{row['subscription_id']} {row['milestone']}: a figure before it is reached")
        if pct is not None and not 0 <= pct <= 100:
            problems.append(f"{row['subscription_id']} {row['milestone']}: pct {pct} out of 0..100")
    _check(problems)


def test_milestone_figure_is_the_daily_figure(cs_default):
    daily = cs_default.table("daily")
    daily_pct = {(r["account_id"], _iso(r["date_day"])): r["utilization_pct"] for r in daily.to_dict("records")}
    problems = []
    for row in cs_default.table("milestones").to_dict("records"):
        if _bool(row["is_reached"]):
            want = daily_pct.get((row["account_id"], _iso(row["milestone_date"])))
            if not _same_number(row["utilization_pct"], _num(want), 1e-9):
                problems.append(f"{row['subscription_id']} {row['milestone']}: {row['utilization_pct']} != daily {want}")
    _check(problems)


def test_cohorts_hand_worked(cs_default):
    cohorts = cs_default.table("cohorts")
    got = {(_iso(r["month_start"]), r["cohort_type"], r["cohort_value"]): r for r in cohorts.to_dict("records")}
    columns = ["accounts", "licensed_seats", "utilized_seats", "utilization_pct", "median_account_utilization_pct",
               "strong_accounts", "healthy_accounts", "at_risk_accounts"]
    problems = []
    for key, values in cs.COHORTS.items():
        if key not in got:
            problems.append(f"{key}: missing")
            continue
        for column, want in zip(columns, values):
            if not _same_number(got[key][column], want):
                problems.append(f"{key}.{column}: {got[key][column]} != {want}")
    _check(problems)


def test_cohort_formula_and_bounds(cs_default):
    """utilization_pct = 100 * sum utilized / sum licensed, within 0..100; the median lies
    between the members' lowest and highest snapshot; every cut covers every account."""
    cohorts = cs_default.table("cohorts")
    monthly = cs_default.table("monthly").assign(month=lambda d: [_iso(v) for v in d["month_start"]])
    problems = []
    for row in cohorts.to_dict("records"):
        key = (_iso(row["month_start"]), row["cohort_type"], row["cohort_value"])
        pct, median = float(row["utilization_pct"]), float(row["median_account_utilization_pct"])
        if not math.isclose(pct, 100 * row["utilized_seats"] / row["licensed_seats"], abs_tol=1e-9):
            problems.append(f"{key}: pct {pct} != 100 * {row['utilized_seats']} / {row['licensed_seats']}")
        if not (0 <= pct <= 100 and 0 <= median <= 100):
            problems.append(f"{key}: out of 0..100")
        if row["strong_accounts"] + row["healthy_accounts"] + row["at_risk_accounts"] != row["accounts"]:
            problems.append(f"{key}: bands do not add up to accounts")
    for (month, cohort_type), group in cohorts.assign(month=[_iso(v) for v in cohorts["month_start"]]).groupby(
            ["month", "cohort_type"]):
        snap = monthly[monthly["month"] == month]
        if group["accounts"].sum() != len(snap) or group["licensed_seats"].sum() != snap["licensed_seats"].sum():
            problems.append(f"{month} {cohort_type}: cohorts cover {group['accounts'].sum()} accounts / "
                            f"{group['licensed_seats'].sum()} seats, monthly has {len(snap)} / {snap['licensed_seats'].sum()}")
        if group["median_account_utilization_pct"].max() > snap["utilization_pct"].max() + 1e-9 or \
                group["median_account_utilization_pct"].min() < snap["utilization_pct"].min() - 1e-9:
            problems.append(f"{month} {cohort_type}: a median outside the accounts' range")
    types = cohorts.assign(month=[_iso(v) for v in cohorts["month_start"]]).groupby("month")["cohort_type"].agg(set)
    for month, seen in types.items():
        if seen != {"industry", "size_band", "plan_tier", "purchase_cohort"}:
            problems.append(f"{month}: cohort types {sorted(seen)}")
    _check(problems)


def test_definitions_hand_worked(cs_default):
    defs = cs_default.table("definitions")
    got = {(r["account_id"], _iso(r["month_start"]), r["definition_name"]): r for r in defs.to_dict("records")}
    problems = []
    for key, values in cs.DEFINITIONS.items():
        if key not in got:
            problems.append(f"{key}: missing")
            continue
        for column, want in zip(["licensed_seats", "active_users", "utilized_seats", "utilization_pct"], values):
            if not _same_number(got[key][column], want):
                problems.append(f"{key}.{column}: {got[key][column]} != {want}")
    _check(problems)


def test_definitions_formula_bounds_and_default(cs_default):
    """Every account-month has every definition; utilized = least(active, seats);
    pct = 100 * utilized / seats within 0..100; `default` equals the monthly mart."""
    defs = cs_default.table("definitions").assign(month=lambda d: [_iso(v) for v in d["month_start"]])
    monthly = cs_default.table("monthly").assign(month=lambda d: [_iso(v) for v in d["month_start"]])
    problems = []
    names = defs.groupby(["account_id", "month"])["definition_name"].agg(set)
    for key, seen in names.items():
        if seen != cs.DEFINITION_NAMES:
            problems.append(f"{key}: definitions {sorted(seen)}")
    if len(names) != len(monthly):
        problems.append(f"{len(names)} account-months in definitions, {len(monthly)} in monthly")
    for row in defs.to_dict("records"):
        key = (row["account_id"], row["month"], row["definition_name"])
        if row["utilized_seats"] != min(row["active_users"], row["licensed_seats"]):
            problems.append(f"{key}: utilized {row['utilized_seats']} != least(active, seats)")
        pct = float(row["utilization_pct"])
        if not (0 <= pct <= 100 and math.isclose(pct, 100 * row["utilized_seats"] / row["licensed_seats"], abs_tol=1e-9)):
            problems.append(f"{key}: pct {pct}")
    default = defs[defs["definition_name"] == "default"].set_index(["account_id", "month"])
    for row in monthly.to_dict("records"):
        d = default.loc[(row["account_id"], row["month"])]
        if (d["licensed_seats"], d["active_users"]) != (row["licensed_seats"], row["active_users"]) or \
                not math.isclose(d["utilization_pct"], row["utilization_pct"], abs_tol=1e-9):
            problems.append(f"{row['account_id']} {row['month']}: default != monthly")
    _check(problems)


def test_health_bounds_and_formulas(cs_default):
    problems = []
    as_of = pd.Timestamp(cs.AS_OF)
    for account, row in cs_default.health().items():
        pct = _num(row["utilization_pct"])
        if pct is not None:
            if not 0 <= pct <= 100:
                problems.append(f"{account}: pct {pct} out of 0..100")
            if not math.isclose(pct, 100 * row["utilized_seats"] / row["licensed_seats"], abs_tol=1e-9):
                problems.append(f"{account}: pct != 100 * utilized / licensed")
            if row["utilized_seats"] != min(row["active_users"], row["licensed_seats"]):
                problems.append(f"{account}: utilized != least(active, licensed)")
            if row["overage_users"] != max(row["active_users"] - row["licensed_seats"], 0):
                problems.append(f"{account}: overage != greatest(active - licensed, 0)")
        if not _null(row["renewal_date"]) and (pd.Timestamp(row["renewal_date"]) - as_of).days != row["days_to_renewal"]:
            problems.append(f"{account}: days_to_renewal != renewal_date - as_of_date")
    _check(problems)


# --------------------------------------------------------------------------- changed thresholds


CHANGE_COLUMNS = [c for c in cs.FLAG_COLUMNS if c != "is_filling_seats"] + ["health_band", "recommended_play"]


def test_changed_build_succeeds(cs_changed):
    assert cs_changed.run.ok, (
        f"dbt build with {cs.CHANGED_VARS} exited {cs_changed.run.returncode}; output in "
        f"{cs_changed.run.workdir}:\n{cs_changed.run.tail()}"
    )


def test_changing_threshold_vars_changes_exactly_the_twins(cs_default, cs_changed):
    """Moving at_risk_utilization_pct, pre_renewal_days, expansion_min_stickiness,
    sharp_drop_share and decline_pts_per_week flips exactly the flags of the twin accounts
    that sit between the old and the new threshold (cs_datasets.CHANGES); every other
    account keeps every flag, band and play."""
    before, after = cs_default.health(), cs_changed.health()
    diff: dict[str, dict[str, tuple]] = {}
    for account in cs.ACCOUNTS:
        for column in CHANGE_COLUMNS:
            old, new = before[account][column], after[account][column]
            old = None if _null(old) else (bool(old) if column.startswith(("is_", "has_")) else old)
            new = None if _null(new) else (bool(new) if column.startswith(("is_", "has_")) else new)
            if old != new:
                diff.setdefault(account, {})[column] = (old, new)
    assert diff == cs.CHANGES


def test_changed_alerts(cs_changed):
    _check(_alert_problems(cs_changed.table("alerts"), cs.CHANGED_ALERTS))


def test_changed_priority_rank(cs_changed):
    df = cs_changed.table("health").sort_values("priority_rank")
    assert list(df["account_id"]) == cs.CHANGED_PRIORITY_ORDER


def test_changed_milestones_follow_pre_renewal_days(cs_changed):
    ms = cs_changed.table("milestones")
    assert "pre_renewal_90" not in set(ms["milestone"])
    assert {m for m in ms["milestone"] if m.startswith("pre_renewal")} == {"pre_renewal_91"}
    got = {(r["subscription_id"], r["milestone"]): r for r in ms.to_dict("records")}
    problems = []
    for key, (date, reached, pct, band) in cs.CHANGED_MILESTONES.items():
        row = got.get(key)
        if row is None:
            problems.append(f"{key}: missing")
            continue
        if (_iso(row["milestone_date"]), _bool(row["is_reached"]), row["health_band"]) != (date, reached, band) \
                or not _same_number(row["utilization_pct"], pct):
            problems.append(f"{key}: {(_iso(row['milestone_date']), row['is_reached'], row['utilization_pct'], row['health_band'])}"
                            f" != {(date, reached, pct, band)}")
    _check(problems)


def test_changed_vars_leave_the_measurements_alone(cs_default, cs_changed):
    """Thresholds move flags, not figures: seats, users, utilization and the slope are the same."""
    before, after = cs_default.health(), cs_changed.health()
    problems = []
    for account in cs.ACCOUNTS:
        for column in ("licensed_seats", "active_users", "utilization_pct", "utilization_trend_pts_per_week",
                       "stickiness_ratio", "peak_utilization_pct", "days_to_renewal"):
            if not _same_number(after[account][column], _num(before[account][column]), 1e-9):
                problems.append(f"{account}.{column}: {before[account][column]} -> {after[account][column]}")
    _check(problems)


# --------------------------------------------------------------------------- retuned windows


def test_retuned_build_succeeds(cs_retuned):
    assert cs_retuned.run.ok, (
        f"dbt build with {cs.RETUNED_VARS} exited {cs_retuned.run.returncode}; output in "
        f"{cs_retuned.run.workdir}:\n{cs_retuned.run.tail()}"
    )


def test_retuned_trend_follows_trend_and_forecast_vars(cs_retuned):
    """trend_weeks / trend_min_weeks / forecast_max_weeks / strong_utilization_pct reach the
    Python trend model: 4-week slopes, forecasts to 85% and none beyond 4 weeks."""
    _check(_trend_problems(cs_retuned.health(), cs.RETUNED_TREND))


def test_retuned_stickiness_window(cs_retuned):
    _check(_stickiness_problems(cs_retuned.health(), cs.RETUNED_STICKINESS))


def test_retuned_sharp_drop_window(cs_retuned):
    health = cs_retuned.health()
    _check([f"{a}.peak_utilization_pct: {health[a]['peak_utilization_pct']} != {want}"
            for a, want in cs.RETUNED_PEAK.items() if not _same_number(health[a]["peak_utilization_pct"], want)])


def test_retuned_bands_follow_strong_threshold(cs_retuned):
    health = cs_retuned.health()
    _check([f"{a}.health_band: {health[a]['health_band']} != {want}" for a, want in cs.RETUNED_BANDS.items()
            if (None if _null(health[a]["health_band"]) else health[a]["health_band"]) != want])


@pytest.mark.parametrize("flag", cs.FLAG_COLUMNS)
def test_retuned_flags(cs_retuned, flag):
    health = cs_retuned.health()
    assert {a for a, row in health.items() if _bool(row[flag])} == cs.RETUNED_FLAGS_TRUE[flag]


def test_retuned_plays_and_priority(cs_retuned):
    health = cs_retuned.health()
    _check([f"{a}: {health[a]['recommended_play']} != {want}" for a, want in cs.RETUNED_PLAYS.items()
            if health[a]["recommended_play"] != want])
    df = cs_retuned.table("health").sort_values("priority_rank")
    assert list(df["account_id"]) == cs.RETUNED_PRIORITY_ORDER


def test_retuned_alerts(cs_retuned):
    _check(_alert_problems(cs_retuned.table("alerts"), cs.RETUNED_ALERTS))


def test_retuned_milestones_follow_milestone_days(cs_retuned):
    ms = cs_retuned.table("milestones")
    problems = []
    for sub in cs.SEAT_BASED_SUBSCRIPTIONS:
        names = set(ms.loc[ms["subscription_id"] == sub, "milestone"])
        want = {"day_15", "day_45"} | (set() if sub in cs.OPEN_ENDED_SUBSCRIPTIONS else {"pre_renewal_90"})
        if names != want:
            problems.append(f"{sub}: milestones {sorted(names)} != {sorted(want)}")
    got = {(r["subscription_id"], r["milestone"]): r for r in ms.to_dict("records")}
    for key, (date, reached, pct, band) in cs.RETUNED_MILESTONES.items():
        row = got.get(key)
        if row is None:
            problems.append(f"{key}: missing")
        elif (_iso(row["milestone_date"]), _bool(row["is_reached"]), row["health_band"]) != (date, reached, band) \
                or not _same_number(row["utilization_pct"], pct):
            problems.append(f"{key}: {(_iso(row['milestone_date']), row['is_reached'], row['utilization_pct'], row['health_band'])}"
                            f" != {(date, reached, pct, band)}")
    _check(problems)
