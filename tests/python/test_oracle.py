"""Proves the oracle (oracle.py) on the hand-worked fixtures of datasets.py.

Runs without dbt:  python -m pytest tests/python/test_oracle.py
Once these pass, the oracle is trusted to judge the dbt marts on data too large to work
out by hand (test_marts_vs_oracle.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import datasets
import oracle
from marts_compare import MARTS, check_expectations, compare_all, compare_marts, invariant_problems

HAND_CASES = [
    (name, config)
    for name in datasets.HAND_DATASETS
    for config in datasets.CONFIGS
    if datasets.EXPECTED[name].get(config)
]


def run(tables, config="default", as_of=datasets.AS_OF, **extra):
    vars = {**datasets.CONFIGS[config], "as_of_date": as_of, **extra}
    return oracle.compute_marts(tables, vars)


@pytest.fixture(scope="module")
def hand_tables():
    return {name: factory() for name, factory in datasets.HAND_DATASETS.items()}


@pytest.mark.parametrize("name,config", HAND_CASES, ids=[f"{n}-{c}" for n, c in HAND_CASES])
def test_oracle_reproduces_hand_worked_values(hand_tables, name, config):
    problems = check_expectations(run(hand_tables[name], config), datasets.EXPECTED[name][config])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("config", list(datasets.CONFIGS))
def test_combined_fixtures_equal_union_of_fixtures(hand_tables, config):
    """Fixtures do not interfere: the union dataset gives the union of the results,
    and meets the merged hand-worked expectations (what the dbt build is checked on)."""
    combined = run(datasets.dataset_fixtures(), config)
    separate = [run(tables, config) for tables in hand_tables.values()]
    union = {m: pd.concat([s[m] for s in separate], ignore_index=True) for m in MARTS}
    problems = compare_all(combined, union)
    problems += check_expectations(combined, datasets.expectations("fixtures", config))
    assert not problems, "\n".join(problems)


def test_article_example_is_exactly_sixty_percent(hand_tables):
    daily = run(hand_tables["article"])["fct_license_utilization_daily"]
    row = daily[daily["date_day"] == dt.date(2024, 3, 31)].iloc[0]
    assert (row["licensed_seats"], row["active_users"], row["utilized_seats"]) == (100, 60, 60)
    assert row["utilization_pct"] == 60.0
    assert row["health_band"] == "healthy"


@pytest.mark.parametrize("name", list(datasets.DATASETS))
def test_csv_round_trip_is_lossless(tmp_path, name):
    """write_dataset -> read_dataset gives back the same raw values (padding, nulls)
    and so the same marts."""
    tables = datasets.DATASETS[name]()
    datasets.write_dataset(name, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.csv" for t in datasets.COLUMNS)
    back = datasets.read_dataset(tmp_path)
    for table in datasets.COLUMNS:
        left = tables[table].astype(object).where(tables[table].notna(), None)
        right = back[table].astype(object).where(back[table].notna(), None)
        assert left.values.tolist() == right.values.tolist(), table
    if name != "random":  # random is covered by its own tests; keep this one fast
        assert not compare_all(run(back), run(tables))


def test_csv_format(tmp_path):
    datasets.write_dataset("users", tmp_path)
    users = (tmp_path / "users.csv").read_text().splitlines()
    assert users[0] == "user_id,account_id,email,role,department,holds_license,created_at,deactivated_at"
    assert "USR-U3,USR,usr-u3@example.com,,,true,2024-02-20 15:00:00," in users
    assert 'USR-U5,USR,usr-u5@example.com,contributor," Engineering ",,2023-12-01 09:00:00,' in users
    datasets.write_dataset("article", tmp_path)
    changes = (tmp_path / "subscription_seat_changes.csv").read_text()
    assert changes == "subscription_id,effective_date,seats_purchased\n"  # header, no rows


def test_as_of_null_is_latest_event_of_a_known_user(hand_tables):
    """USR-GHOST (unknown) logs in 2024-04-05; the latest known user's event is 03-31."""
    tables = hand_tables["users"]
    assert oracle.as_of_date(tables, {"as_of_date": None}) == dt.date(2024, 3, 31)
    marts = oracle.compute_marts(tables, {"as_of_date": None})
    assert marts["fct_license_utilization_daily"]["date_day"].max() == dt.date(2024, 3, 31)
    assert not compare_all(marts, run(tables))
    # the combined fixtures were built so that the same holds for them
    assert oracle.as_of_date(datasets.dataset_fixtures(), {}) == dt.date(2024, 3, 31)
    # and an as_of_date var overrides the data
    assert oracle.as_of_date(tables, {"as_of_date": "2024-02-15"}) == dt.date(2024, 2, 15)


def test_as_of_date_cuts_the_facts(hand_tables):
    marts = run(hand_tables["seat_changes"], as_of="2024-02-15")
    daily = marts["fct_license_utilization_daily"]
    assert daily["date_day"].max() == dt.date(2024, 2, 15)
    assert len(daily) == 46  # 01-01 .. 02-15
    feb = marts["fct_license_utilization_monthly"].set_index("month_start").loc[dt.date(2024, 2, 1)]
    # 02-01..02-09 at 40 %, 02-10..02-15 at 100 %: (360 + 600) / 15 = 64
    assert feb["days_with_seats"] == 15
    assert feb["utilization_pct"] == 100.0
    assert feb["avg_utilization_pct"] == pytest.approx(64.0)


def test_unknown_user_events_change_nothing(hand_tables):
    tables = {k: v.copy() for k, v in hand_tables["users"].items()}
    without_ghost = tables["events"][tables["events"]["user_id"] != "USR-GHOST"]
    assert len(without_ghost) == len(tables["events"]) - 2
    assert not compare_all(run({**tables, "events": without_ghost}), run(tables))


def test_repeated_event_id_counts_once(hand_tables):
    """RUL-R2 has one feature event whose row is repeated: it never reaches 2 features.
    Making the copy a distinct event turns R2 active under the 'all' rule."""
    tables = {k: v.copy() for k, v in hand_tables["rules"].items()}
    events = tables["events"]
    day = dt.date(2024, 3, 31)

    def active(tables):
        daily = run(tables, "all_login_2_features")["fct_license_utilization_daily"]
        return int(daily.loc[daily["date_day"] == day, "active_users"].iloc[0])

    assert active(tables) == 2  # R1 and R4
    duplicate_rows = events.index[events["event_id"] == "RUL-E05"]
    assert len(duplicate_rows) == 2
    events.loc[duplicate_rows[1], "event_id"] = "RUL-E05-bis"
    assert active({**tables, "events": events}) == 3  # + R2


@pytest.mark.parametrize("window,last_active_day", [(30, "2024-03-01"), (7, "2024-02-07"), (1, "2024-02-01")])
def test_window_edge_for_several_lengths(hand_tables, window, last_active_day):
    """WIN-W1's single login on 2024-02-01 keeps it active on t .. t+N-1 exactly."""
    daily = run(hand_tables["window"], active_window_days=window)["fct_license_utilization_daily"]
    last = dt.date.fromisoformat(last_active_day)
    by_day = daily.set_index("date_day")["active_users"]
    # W1 is the only user active in February and early March
    assert by_day[dt.date(2024, 1, 31)] == 0
    assert by_day[dt.date(2024, 2, 1)] == 1
    assert by_day[last] == 1
    assert by_day[last + dt.timedelta(days=1)] == 0


def test_rule_match_is_case_insensitive_and_thresholds_count(hand_tables):
    tables = hand_tables["rules"]
    day = dt.date(2024, 3, 22)

    def active(**vars):
        daily = run(tables, **vars)["fct_license_utilization_daily"]
        return int(daily.loc[daily["date_day"] == day, "active_users"].iloc[0])

    # on 03-22: logins R1 R2 (03-20) and R6 expired; features R1 x2, R2 x1, R3 x3, R5 x1
    assert active(active_min_logins=0, active_min_feature_events=1) == 4   # R1 R2 R3 R5
    assert active(active_min_logins=0, active_min_feature_events=2) == 2   # R1 R3
    assert active(active_min_logins=0, active_min_feature_events=3) == 1   # R3
    assert active(active_min_logins=1, active_min_feature_events=2) == 3   # any: R1 R2 R3
    assert active(active_min_logins=1, active_min_feature_events=2, active_rule_match=" ALL ") == 1  # R1
    assert active(active_min_logins=2) == 0
    assert active(login_event_names=["LOGIN", "export_csv"]) == 3  # R1 R2 + R3 via export_csv


@pytest.mark.parametrize("vars,names", [
    ({"active_min_logins": 0}, ["active_min_logins", "active_min_feature_events", "active_min_core_workflow_events"]),
    ({"active_min_logins": 0, "active_min_feature_events": 0, "active_min_core_workflow_events": 0},
     ["active_min_logins"]),
    ({"active_rule_match": "some"}, ["active_rule_match"]),
])
def test_invalid_configurations_are_rejected(hand_tables, vars, names):
    with pytest.raises(oracle.OracleConfigError) as error:
        oracle.compute_marts(hand_tables["window"], {"as_of_date": datasets.AS_OF, **vars})
    for name in names:
        assert name in str(error.value)


@pytest.fixture(scope="module")
def random_tables():
    return datasets.dataset_random()


def test_random_dataset_is_deterministic_and_rich(random_tables):
    again = datasets.dataset_random()
    for table in datasets.COLUMNS:
        assert random_tables[table].equals(again[table])
    events = random_tables["events"]
    assert 3000 <= len(events) <= 5000
    assert events["event_id"].duplicated().sum() >= 100
    assert (events["user_id"].str.strip() == "RND-GHOST").sum() > 0
    assert len(random_tables["users"]) == 100
    assert len(random_tables["accounts"]) == 10
    assert len(random_tables["subscription_seat_changes"]) > 5
    assert random_tables["subscriptions"]["canceled_at"].notna().any()
    assert random_tables["users"]["deactivated_at"].notna().any()
    assert (random_tables["users"]["holds_license"] == "false").any()


@pytest.mark.parametrize("config", list(datasets.CONFIGS))
def test_random_dataset_invariants(random_tables, config):
    marts = run(random_tables, config, as_of=datasets.RANDOM_AS_OF)
    daily = marts["fct_license_utilization_daily"]
    assert len(daily) > 500
    assert daily["active_users"].sum() > 0
    assert not invariant_problems(marts)
    if config == "default":
        # the data is varied enough to reach every band and some over-use
        assert set(daily["health_band"]) == {"strong", "healthy", "at_risk"}
        assert (daily["overage_users"] > 0).any()


def test_compare_marts_reports_differences(hand_tables):
    """The comparison used against dbt does catch a wrong number, row or key."""
    marts = run(hand_tables["seat_changes"])
    daily = marts["fct_license_utilization_daily"]
    tampered = daily.copy()
    tampered.loc[0, "utilization_pct"] += 0.5
    assert any("utilization_pct" in p for p in compare_marts("fct_license_utilization_daily", tampered, daily))
    assert compare_marts("fct_license_utilization_daily", daily.iloc[1:], daily)
    assert not compare_marts("fct_license_utilization_daily", daily.iloc[::-1], daily)  # order is free
    wrong = {**datasets.EXPECTED["seat_changes"]["default"], "absent": ["SEA"]}
    assert check_expectations(marts, wrong)
