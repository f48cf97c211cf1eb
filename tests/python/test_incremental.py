"""Incremental event processing: a second run on new files equals a full refresh.

A landing folder as a real pipeline fills it: the five tables, events split into Parquet
files. First run: the history up to a cut-off day. Then three files land:
- the next days' events (new data),
- late events for a day inside the look-back (var event_lookback_days, 3),
- a replay of an old file (events already loaded, weeks old).
The incremental `dbt build` on the same warehouse must give exactly the marts that a
`--full-refresh` build of the whole folder gives, and repeat runs must change nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import datasets

MARTS = [
    "fct_license_utilization_daily",
    "fct_license_utilization_monthly",
    "fct_utilization_by_department",
    "fct_utilization_by_role",
    "fct_utilization_by_definition",
    "fct_utilization_milestones",
    "fct_utilization_by_cohort",
    "dim_account_health",
    "fct_utilization_alerts",
]
AS_OF = datasets.dataset_as_of("random")


def read_marts(db_path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        frames = {}
        for mart in MARTS:
            frame = con.execute(f"select * from marts.{mart}").df()
            frames[mart] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        return frames
    finally:
        con.close()


def assert_marts_equal(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    for mart in MARTS:
        pd.testing.assert_frame_equal(left[mart], right[mart], check_exact=False, atol=1e-9, obj=mart)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> dict[str, Path]:
    """Two landing folders: `initial` (history) and `complete` (history + the new files)."""
    csv_dir = datasets.write_dataset("random", tmp_path_factory.mktemp("random-csv"))
    as_of = dt.date.fromisoformat(AS_OF)
    cut_off = as_of - dt.timedelta(days=6)         # last day of the first load
    late_day = cut_off - dt.timedelta(days=2)     # inside the 3-day look-back
    replay_day = cut_off - dt.timedelta(days=40)  # far outside it

    initial = tmp_path_factory.mktemp("landing-initial")
    con = duckdb.connect()
    for table in ("accounts", "subscriptions", "subscription_seat_changes", "users"):
        shutil.copy(csv_dir / f"{table}.csv", initial / f"{table}.csv")
    (initial / "events").mkdir()
    events = f"read_csv('{csv_dir}/events.csv', header = true, all_varchar = true)"
    day = "cast(try_cast(event_ts as timestamp) as date)"
    con.execute(
        f"copy (select * from {events} where {day} <= date '{cut_off}' and {day} <> date '{late_day}') "
        f"to '{initial}/events/part_001.parquet' (format parquet)"
    )
    complete = tmp_path_factory.mktemp("landing-complete")
    shutil.copytree(initial, complete, dirs_exist_ok=True)
    con.execute(
        f"copy (select * from {events} where {day} > date '{cut_off}' or {day} is null) "
        f"to '{complete}/events/part_002_new_days.parquet' (format parquet)"
    )
    con.execute(
        f"copy (select * from {events} where {day} = date '{late_day}') "
        f"to '{complete}/events/part_003_late.parquet' (format parquet)"
    )
    con.execute(
        f"copy (select * from {events} where {day} = date '{replay_day}') "
        f"to '{complete}/events/part_004_replay.parquet' (format parquet)"
    )
    counts = {
        name: con.execute(f"select count(*) from read_parquet('{complete}/events/{name}.parquet')").fetchone()[0]
        for name in ("part_002_new_days", "part_003_late", "part_004_replay")
    }
    con.close()
    assert all(counts.values()), f"every new file must hold events: {counts}"
    return {"initial": initial, "complete": complete}


@pytest.fixture(scope="module")
def incremental_and_full(dbt_project, landing, tmp_path_factory):
    vars_ = {"as_of_date": AS_OF}
    workdir = tmp_path_factory.mktemp("incremental")
    db_path = workdir / "warehouse.duckdb"
    first = dbt_project.run("build", db_path, workdir / "run1", {"raw_path": str(landing["initial"]), **vars_})
    assert first.ok, first.tail()
    second = dbt_project.run("build", db_path, workdir / "run2", {"raw_path": str(landing["complete"]), **vars_})
    assert second.ok, second.tail()
    incremental = read_marts(db_path)
    third = dbt_project.run("build", db_path, workdir / "run3", {"raw_path": str(landing["complete"]), **vars_})
    assert third.ok, third.tail()
    rerun = read_marts(db_path)
    full_workdir = tmp_path_factory.mktemp("full-refresh")
    full = dbt_project.run(
        "build", full_workdir / "warehouse.duckdb", full_workdir, {"raw_path": str(landing["complete"]), **vars_},
        extra_args=("--full-refresh",),
    )
    assert full.ok, full.tail()
    return {
        "incremental": incremental,
        "rerun": rerun,
        "full": read_marts(full.db_path),
        "incremental_db": db_path,
        "full_db": full.db_path,
    }


def test_incremental_run_equals_full_refresh(incremental_and_full):
    assert_marts_equal(incremental_and_full["incremental"], incremental_and_full["full"])


def test_rerun_changes_nothing(incremental_and_full):
    assert_marts_equal(incremental_and_full["rerun"], incremental_and_full["incremental"])


def test_events_are_not_duplicated_by_incremental_runs(incremental_and_full):
    con = duckdb.connect(str(incremental_and_full["incremental_db"]), read_only=True)
    try:
        duplicates = con.execute(
            "select count(*) from (select event_id from staging.base_license__events "
            "where outcome = 'kept' group by event_id having count(*) > 1)"
        ).fetchone()[0]
        audit = con.execute("select * from audit.audit_raw_rows where table_name = 'events'").df()
    finally:
        con.close()
    assert duplicates == 0
    row = audit.iloc[0]
    assert row["rows_read"] == row["rows_kept"] + row["rows_merged"] + row["rows_quarantined"]


def test_replayed_file_is_merged_on_full_refresh(incremental_and_full, landing):
    """A full refresh reads the replayed file too, and folds it into the rows it repeats."""
    con = duckdb.connect(str(incremental_and_full["full_db"]), read_only=True)
    try:
        merged = con.execute(
            "select rows_merged from audit.audit_raw_rows where table_name = 'events'"
        ).fetchone()[0]
    finally:
        con.close()
    replayed = duckdb.connect().execute(
        f"select count(*) from read_parquet('{landing['complete']}/events/part_004_replay.parquet')"
    ).fetchone()[0]
    assert merged >= replayed
