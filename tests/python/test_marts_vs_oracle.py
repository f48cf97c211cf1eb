"""Builds the real dbt project on the fixture datasets and checks its marts against
(a) the figures worked out by hand (datasets.EXPECTED) and (b) the oracle, row by row.

dbt builds (each ~10-60 s, all cached per session, see conftest.py):
- ``fixtures`` (the union of the hand-made datasets) x 3 rule configurations, as_of fixed;
- ``fixtures`` with the default rule and as_of_date not set (null);
- ``random`` (seeded, 10 accounts, 100 users, ~4000 events) x 3 rule configurations;
- two invalid configurations, which must fail with a message naming the var.

Skipped when the project or dbt is not there yet (see the ``dbt_project`` fixture).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import datasets
import oracle
from marts_compare import MARTS, check_expectations, compare_marts, invariant_problems, normalize

CONFIGS = list(datasets.CONFIGS)
KINDS = ["daily", "absent", "monthly", "department", "role"]


def oracle_marts(dataset: str, config: str, as_of: str | None = "fixed"):
    vars = dict(datasets.CONFIGS[config])
    vars["as_of_date"] = datasets.dataset_as_of(dataset) if as_of == "fixed" else None
    return oracle.compute_marts(datasets.DATASETS[dataset](), vars)


_ORACLE_CACHE: dict[tuple, dict] = {}


def cached_oracle(dataset: str, config: str, as_of: str | None = "fixed"):
    key = (dataset, config, as_of)
    if key not in _ORACLE_CACHE:
        _ORACLE_CACHE[key] = oracle_marts(dataset, config, as_of)
    return _ORACLE_CACHE[key]


def _fail(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems[:40]) + (f"\n... {len(problems) - 40} more" if len(problems) > 40 else ""),
                    pytrace=False)


# --------------------------------------------------------------------------- hand-made fixtures


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("config", CONFIGS)
def test_fixture_marts_match_hand_worked_values(dbt_marts, config, kind):
    """Window edges, seat changes, terms, eligibility, duplicates, orphans, groups: the
    figures of datasets.EXPECTED, worked out by hand, found in the dbt marts."""
    expected = datasets.expectations("fixtures", config)
    if not expected.get(kind):
        pytest.skip(f"no hand-worked {kind} figures for {config}")
    _fail(check_expectations(dbt_marts("fixtures", config), {kind: expected[kind]}))


@pytest.mark.parametrize("mart", MARTS)
@pytest.mark.parametrize("config", CONFIGS)
def test_fixture_marts_match_oracle(dbt_marts, config, mart):
    """Every row of the mart (keys equal, numbers within 0.01) as the oracle computes it."""
    _fail(compare_marts(mart, dbt_marts("fixtures", config)[mart], cached_oracle("fixtures", config)[mart]))


@pytest.mark.parametrize("config", CONFIGS)
def test_fixture_marts_invariants(dbt_marts, config):
    _fail(invariant_problems(dbt_marts("fixtures", config)))


def test_article_example_is_sixty_percent(dbt_marts):
    """The brief's example, read straight from the mart: 100 seats, 60 active -> 60.0 %."""
    daily = normalize("fct_license_utilization_daily", dbt_marts("fixtures")["fct_license_utilization_daily"])
    row = daily.loc[("ART", "2024-03-31")]
    assert row["licensed_seats"] == 100
    assert row["assigned_seats"] == 80
    assert row["active_users"] == 60
    assert row["utilized_seats"] == 60
    assert row["utilization_pct"] == pytest.approx(60.0, abs=1e-9)
    assert row["overage_users"] == 0
    assert row["health_band"] == "healthy"


def test_over_use_is_reported_not_hidden(dbt_marts):
    """SEA 02-10..02-19: 6 active users on 5 seats -> 100 %, overage 1, strong."""
    daily = normalize("fct_license_utilization_daily", dbt_marts("fixtures")["fct_license_utilization_daily"])
    rows = daily.loc["SEA"].loc["2024-02-10":"2024-02-19"]
    assert len(rows) == 10
    assert (rows["licensed_seats"] == 5).all() and (rows["active_users"] == 6).all()
    assert (rows["utilized_seats"] == 5).all()
    assert (rows["utilization_pct"] == 100).all()
    assert (rows["overage_users"] == 1).all()
    assert (rows["health_band"] == "strong").all()
    # 0 seats from 02-20: no fact rows until the change to 8 seats on 03-01
    sea_days = set(daily.loc["SEA"].index)
    assert not any("2024-02-20" <= d <= "2024-02-29" for d in sea_days)
    assert "2024-03-01" in sea_days


def test_null_as_of_date_is_latest_event_of_a_known_user(dbt_marts):
    """as_of_date not set: the reporting date is 2024-03-31 (USR-U6's login at 23:30 UTC),
    not 2024-04-05 (a login of a user who is not in users), and the marts are those of
    the fixed as_of_date build."""
    marts = dbt_marts("fixtures", "default", as_of="null")
    daily = normalize("fct_license_utilization_daily", marts["fct_license_utilization_daily"])
    assert max(d for _, d in daily.index) == "2024-03-31"
    assert oracle.as_of_date(datasets.dataset_fixtures()) == dt.date(2024, 3, 31)
    problems = []
    for mart in MARTS:
        problems += compare_marts(mart, marts[mart], dbt_marts("fixtures", "default")[mart])
        problems += compare_marts(mart, marts[mart], cached_oracle("fixtures", "default", as_of=None)[mart])
    _fail(problems)


# --------------------------------------------------------------------------- random data


@pytest.mark.parametrize("mart", MARTS)
@pytest.mark.parametrize("config", CONFIGS)
def test_random_marts_match_oracle(dbt_marts, config, mart):
    actual = dbt_marts("random", config)[mart]
    expected = cached_oracle("random", config)[mart]
    assert len(expected) > 0
    _fail(compare_marts(mart, actual, expected))


@pytest.mark.parametrize("config", CONFIGS)
def test_random_marts_invariants(dbt_marts, config):
    marts = dbt_marts("random", config)
    assert len(marts["fct_license_utilization_daily"]) > 500
    _fail(invariant_problems(marts))


def test_random_group_marts_add_up_to_the_daily_snapshot(dbt_marts):
    """Department and role rows of an account-month sum to the daily figures of the
    month's last day with seats (every eligible user is in exactly one group)."""
    marts = dbt_marts("random", "default")
    daily = normalize("fct_license_utilization_daily", marts["fct_license_utilization_daily"]).reset_index()
    daily["month_start"] = daily["date_day"].str[:8] + "01"
    snapshot = daily.sort_values("date_day").groupby(["account_id", "month_start"]).last()
    problems = []
    for mart in ("fct_utilization_by_department", "fct_utilization_by_role"):
        groups = normalize(mart, marts[mart]).reset_index()
        sums = groups.groupby(["account_id", "month_start"])[["assigned_seats", "active_users"]].sum()
        joined = snapshot.join(sums.add_suffix("_groups"))
        with_users = joined[joined["assigned_seats"] > 0]
        for column in ("assigned_seats", "active_users"):
            bad = with_users[with_users[column] != with_users[f"{column}_groups"]]
            if len(bad):
                problems.append(f"{mart}: sum of {column} differs from the daily snapshot in {len(bad)} "
                                f"account-months, e.g. {bad.head(3).to_dict('index')}")
        no_users = joined[(joined["assigned_seats"] == 0) & joined["assigned_seats_groups"].notna()]
        if len(no_users):
            problems.append(f"{mart}: rows for account-months without assigned users: {list(no_users.index[:3])}")
    _fail(problems)


# --------------------------------------------------------------------------- invalid configurations


@pytest.mark.parametrize("label,vars,pattern", [
    ("no_condition",
     {"active_min_logins": 0, "active_min_feature_events": 0, "active_min_core_workflow_events": 0},
     r"active_min_(logins|feature_events|core_workflow_events)"),
    ("unknown_match", {"active_rule_match": "some"}, r"active_rule_match"),
], ids=["all-thresholds-zero", "active_rule_match-some"])
def test_invalid_rule_configuration_stops_the_build(dbt_builds, dbt_marts, label, vars, pattern):
    # the same data and command line build fine with a valid rule ...
    dbt_marts("fixtures", "default")
    # ... and stop, naming the var, with this one
    run = dbt_builds("fixtures", "default", extra_vars=vars)
    assert not run.ok, f"dbt build succeeded with invalid vars {vars}:\n{run.tail()}"
    assert re.search(pattern, run.output), (
        f"dbt output does not name the var (/{pattern}/):\n{run.tail()}")
    with pytest.raises(oracle.OracleConfigError, match=pattern):
        oracle.build_rule(vars)
