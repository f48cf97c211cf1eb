"""Account x day models computed from the first day a change can reach.

int_account_seats_daily, int_account_users_daily, fct_license_utilization_daily and the
monthly marts read from it (monthly, by department, by role, by definition) compute again, on a run after
the first, only the days from the first one whose figures may have changed
(macros/rules/account_days.sql), and record how in int_account_day_builds. Here as_of_date
follows the events (no var), so it moves as files land and go:
- run 1: the history up to a cut-off day, without one old day (`late_day`);
- run 2: five new days land: as_of_date moves forward, only the days from (at the latest) the
  day after the old as_of_date are computed again;
- run 3: the late day lands, first in a run that leaves int_account_users_daily out, then in
  a full run: computed again from that day on (the daily fact, built in between on the stale
  users, catches up when the users model is built);
- run 4: the new days' file is taken away: as_of_date moves back; the rows after it go;
- run 5: three more new days land, and the user with most events in the history leaves the
  users table (on their first day they were the only user with events).
After runs 2, 3, 4 and 5 every table equals a --full-refresh build of the same folder.

The activity intervals (int_user_activity_intervals, int_definition_activity_intervals) are
compared too. In run 5 the first day of the user who left keeps no activity row at all: only
the event rows decided again on it say that it changed, and the intervals must be computed
again from it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import datasets
from warehouse_reads import latest_account_day_builds, query

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "int_account_seats_daily": "intermediate",
    "int_account_users_daily": "intermediate",
    "fct_license_utilization_daily": "marts",
    "fct_license_utilization_monthly": "marts",
    "fct_utilization_by_department": "marts",
    "fct_utilization_by_role": "marts",
    "fct_utilization_by_definition": "marts",
    "fct_utilization_milestones": "marts",
    "dim_account_health": "marts",
}
INCREMENTAL_MODELS = [name for name in TABLES if name not in ("fct_utilization_milestones", "dim_account_health")]
# kept incrementally per user; computed_at (when an interval was computed) differs by design
INTERVAL_TABLES = {"int_user_activity_intervals": "intermediate", "int_definition_activity_intervals": "intermediate"}
# the stickiness window, kept day by day: when a row was counted, and the window it was counted
# in, differ by design (a row counted in an earlier run keeps that run's window)
WINDOW_TABLES = {"int_user_feature_days": "intermediate", "int_account_stickiness": "intermediate"}
RUN_COLUMNS = {
    "int_user_activity_intervals": ["computed_at"],
    "int_definition_activity_intervals": ["computed_at"],
    "int_user_feature_days": ["counted_at", "window_start", "window_end"],
}


def read_tables(db_path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        frames = {}
        for table, schema in (TABLES | INTERVAL_TABLES | WINDOW_TABLES).items():
            columns = f"* exclude ({', '.join(RUN_COLUMNS[table])})" if table in RUN_COLUMNS else "*"
            frame = con.execute(f"select {columns} from {schema}.{table}").df()
            frames[table] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        return frames
    finally:
        con.close()


def assert_tables_equal(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    for table in TABLES | INTERVAL_TABLES | WINDOW_TABLES:
        pd.testing.assert_frame_equal(left[table], right[table], check_exact=False, atol=1e-9, obj=table)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> dict:
    csv_dir = datasets.write_dataset("random", tmp_path_factory.mktemp("account-days-csv"))
    as_of = dt.date.fromisoformat(datasets.dataset_as_of("random"))
    cut_off = as_of - dt.timedelta(days=8)
    late_day = cut_off - dt.timedelta(days=20)
    folder = tmp_path_factory.mktemp("account-days-landing")
    for table in ("accounts", "subscriptions", "subscription_seat_changes", "users"):
        shutil.copy(csv_dir / f"{table}.csv", folder / f"{table}.csv")
    events_dir = folder / "events"
    events_dir.mkdir()
    parked = tmp_path_factory.mktemp("account-days-parked")
    events = f"read_csv('{csv_dir}/events.csv', header = true, all_varchar = true)"
    day = "cast(try_cast(event_ts as timestamp) as date)"
    con = duckdb.connect()
    history = f"{day} <= date '{cut_off}' and {day} <> date '{late_day}'"
    # the user with most events in the history leaves the users table in run 5; on their first
    # day of activity they are the only user with events (the others' events of that day are
    # left out): when their rows are decided again, that day keeps no activity row at all
    leaving_user, lone_day = con.execute(
        f"select user_id, min({day}) from {events} where {history} "
        "group by user_id order by count(*) desc, user_id limit 1"
    ).fetchone()
    files = {
        "part_001_history": f"{history} and ({day} <> date '{lone_day}' or user_id = '{leaving_user}')",
        "part_002_new_days": f"{day} > date '{cut_off}' and {day} <= date '{cut_off + dt.timedelta(days=5)}'",
        "part_003_late": f"{day} = date '{late_day}'",
        "part_004_more_days": f"{day} > date '{cut_off + dt.timedelta(days=5)}'",
    }
    for name, condition in files.items():
        con.execute(f"copy (select * from {events} where {condition}) to '{parked}/{name}.parquet' (format parquet)")
        assert con.execute(f"select count(*) from '{parked}/{name}.parquet'").fetchone()[0] > 0, name
    con.close()
    return {
        "folder": folder, "parked": parked, "cut_off": cut_off, "late_day": late_day,
        "leaving_user": leaving_user, "lone_day": lone_day,
    }


def land(landing: dict, name: str) -> None:
    shutil.copy(landing["parked"] / f"{name}.parquet", landing["folder"] / "events" / f"{name}.parquet")


@pytest.fixture(scope="module")
def runs(dbt_project, landing, tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("account-days")
    db_path = workdir / "warehouse.duckdb"
    vars_ = {"raw_path": str(landing["folder"])}
    result: dict = {}

    def build(label: str, target: Path = db_path, extra_args: tuple[str, ...] = (), command: str = "build") -> None:
        run = dbt_project.run(command, target, workdir / label, vars_, extra_args=extra_args)
        assert run.ok, run.tail()

    def full_refresh(label: str) -> dict[str, pd.DataFrame]:
        target = workdir / f"{label}.duckdb"
        build(label, target, ("--full-refresh",))
        return read_tables(target)

    land(landing, "part_001_history")
    build("run1")
    result["run1"] = latest_account_day_builds(db_path)
    land(landing, "part_002_new_days")
    build("run2")
    result["run2"] = latest_account_day_builds(db_path)
    # the stamps of the intervals that reach the day before the new days: the first run's
    # (users not counted on the new days) and the second run's (users counted on them)
    result["run2_interval_stamps"] = {
        table: query(
            db_path,
            f"select count(distinct computed_at) from {schema}.{table} where active_to >= date '{landing['cut_off']}'",
        )[0][0]
        for table, schema in INTERVAL_TABLES.items()
    }
    result["run2_tables"] = read_tables(db_path)
    result["run2_full"] = full_refresh("run2_full")
    result["run2_feature_days"] = query(
        db_path,
        "select min(activity_date) filter (where counted_at = (select max(counted_at) from "
        "intermediate.int_user_feature_days)), min(activity_date), max(window_start), max(window_end), "
        "count(distinct counted_at) from intermediate.int_user_feature_days",
    )[0]
    land(landing, "part_003_late")
    # the late day first reaches the daily fact while int_account_users_daily is left out
    # (a --select, or a model that failed): the next run must catch the fact up with it
    # (`dbt run`: the cross-model tests would rightly see the stale users)
    build("run3_partial", extra_args=("--exclude", "int_account_users_daily"), command="run")
    result["run3_partial"] = latest_account_day_builds(db_path)
    build("run3")
    result["run3"] = latest_account_day_builds(db_path)
    result["run3_tables"] = read_tables(db_path)
    result["run3_full"] = full_refresh("run3_full")
    (landing["folder"] / "events" / "part_002_new_days.parquet").unlink()
    build("run4")
    result["run4"] = latest_account_day_builds(db_path)
    result["run4_tables"] = read_tables(db_path)
    result["run4_full"] = full_refresh("run4_full")
    lone_day_users = (
        "select distinct user_id from intermediate.int_user_activity_daily "
        f"where activity_date = date '{landing['lone_day']}'"
    )
    result["run4_lone_day_users"] = query(db_path, lone_day_users)
    land(landing, "part_004_more_days")
    users_csv = landing["folder"] / "users.csv"
    users = pd.read_csv(users_csv, dtype=str, keep_default_na=False)
    users[users["user_id"] != landing["leaving_user"]].to_csv(users_csv, index=False)
    build("run5")
    result["run5_leaving_user_intervals"] = query(
        db_path,
        "select count(*) from intermediate.int_definition_activity_intervals "
        f"where user_id = '{landing['leaving_user']}'",
    )[0][0]
    result["run5_lone_day_users"] = query(db_path, lone_day_users)
    result["run5_tables"] = read_tables(db_path)
    result["run5_full"] = full_refresh("run5_full")
    return result


def test_first_run_builds_everything(runs):
    assert {model: kind for model, (kind, _, _) in runs["run1"].items()} == {m: "full" for m in INCREMENTAL_MODELS}


def test_new_days_recompute_only_the_days_after_the_old_as_of_date(runs, landing):
    old_as_of = runs["run1"]["fct_license_utilization_daily"][2]
    for model in INCREMENTAL_MODELS:
        kind, rebuilt_from, as_of = runs["run2"][model]
        assert kind == "from_day", model
        assert as_of > old_as_of, model
        # the look-back recounts a few days before the old as_of_date, never the history
        assert old_as_of - dt.timedelta(days=7) <= rebuilt_from <= old_as_of + dt.timedelta(days=1), model


def test_new_days_compute_the_intervals_of_their_users_only(runs):
    """Only new days landed (no old day changed, no user left): the intervals are computed
    again only for the users counted on them. The others' intervals that reach the day before
    keep the first run's stamp, and every table equals a full refresh."""
    assert runs["run2_interval_stamps"] == {table: 2 for table in INTERVAL_TABLES}
    assert_tables_equal(runs["run2_tables"], runs["run2_full"])


def test_stickiness_window_moves_by_the_new_days_only(runs):
    """Five new days move as_of_date and the stickiness window: the feature days are counted
    again only from the look-back before the old as_of_date, the days that left the window are
    gone, and the rest of the window was counted by the first run."""
    old_as_of = runs["run1"]["fct_license_utilization_daily"][2]
    recounted_from, first_day, window_start, window_end, runs_counted = runs["run2_feature_days"]
    assert window_end == runs["run2"]["fct_license_utilization_daily"][2] > old_as_of
    assert window_start == window_end - dt.timedelta(days=29)
    assert first_day >= window_start
    assert old_as_of - dt.timedelta(days=3) <= recounted_from <= old_as_of + dt.timedelta(days=1)
    assert first_day < recounted_from
    assert runs_counted == 2


def test_a_late_day_recomputes_from_that_day(runs, landing):
    late = ("from_day", landing["late_day"])
    # the partial run: every model it built, from the late day on
    for model in INCREMENTAL_MODELS:
        if model != "int_account_users_daily":
            assert runs["run3_partial"][model][:2] == late, model
    # the next run: the users model, and every model that reads it directly or not, again from
    # the late day. The seats do not read it, and nothing they read changed since the partial
    # run: the look-back days counted again came out as they were and kept their counted_at
    for model in INCREMENTAL_MODELS:
        if model != "int_account_seats_daily":
            assert runs["run3"][model][:2] == late, model
    assert runs["run3"]["int_account_seats_daily"][:2] == ("unchanged", None)


def test_late_day_run_equals_full_refresh(runs):
    assert_tables_equal(runs["run3_tables"], runs["run3_full"])


def test_as_of_date_moving_back_drops_the_later_days(runs):
    before = runs["run3"]["fct_license_utilization_daily"][2]
    for model in INCREMENTAL_MODELS:
        kind, rebuilt_from, as_of = runs["run4"][model]
        assert kind == "from_day" and as_of < before, model
        assert rebuilt_from <= as_of + dt.timedelta(days=1), model
    assert runs["run4_tables"]["fct_license_utilization_daily"]["date_day"].max().date() == as_of


def test_as_of_moved_back_run_equals_full_refresh(runs):
    assert_tables_equal(runs["run4_tables"], runs["run4_full"])


def test_user_leaving_while_new_days_land_equals_full_refresh(runs, landing):
    """The leaving user's rows are decided again (unknown_user) and their activity is gone: only
    the decisions name them, and their intervals go."""
    # the scenario: on their first day the user was the only one with activity, and after run 5
    # that day has none left
    assert runs["run4_lone_day_users"] == [(landing["leaving_user"],)]
    assert runs["run5_lone_day_users"] == []
    assert runs["run5_leaving_user_intervals"] == 0
    assert_tables_equal(runs["run5_tables"], runs["run5_full"])


def test_settings_signature_names_every_declared_var():
    """A var the signature leaves out could change the figures without a full computation."""
    project = (REPO_ROOT / "dbt_project.yml").read_text()
    vars_block = re.split(r"^[a-z]", project.split("\nvars:\n", 1)[1], maxsplit=1, flags=re.M)[0]
    declared = set(re.findall(r"^  ([a-z_]+):", vars_block, re.M))
    macro = (REPO_ROOT / "macros" / "rules" / "account_days.sql").read_text()
    listed = set(re.findall(r"'([a-z_]+)'", macro.split("macro account_days_settings", 1)[1].split("endmacro", 1)[0]))
    assert declared, "no vars found in dbt_project.yml"
    assert declared <= listed, f"vars missing from account_days_settings: {sorted(declared - listed)}"
