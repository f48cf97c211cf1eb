"""bench/ab_query.py: alternating timing of two versions of a query, and its row check.

No dbt here: a small DuckDB file stands in for a built warehouse, and the "model" is a
count of events per user and day, written two ways (same rows) and once wrongly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import ab_query  # noqa: E402

GROUPED = """
select user_id, cast(event_ts as date) as activity_date, count(*) as events, now() as built_at
from "wh"."staging"."events"
group by 1, 2
"""
# the same rows by a window instead of a group-by, as dbt's run file would wrap it
WINDOWED = """
  create table "wh"."staging"."counts__dbt_tmp" as (
select distinct user_id, activity_date, events, now() as built_at
from (
    select user_id, cast(event_ts as date) as activity_date,
        count(*) over (partition by user_id, cast(event_ts as date)) as events
    from "wh"."staging"."events"
)
  );
"""
# one row fewer: a user's first day left out
WRONG = GROUPED.replace("group by 1, 2", "group by 1, 2 having cast(event_ts as date) > date '2024-01-01' or user_id <> 'u1'")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ab")
    db = folder / "wh.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema staging")
    con.execute("""
        create table staging.events as
        select 'u' || (i % 7) as user_id,
               timestamp '2024-01-01 08:00:00' + to_hours(cast(i % 50 as bigint)) as event_ts
        from range(1000) as t(i)
    """)
    con.close()
    for name, sql in (("grouped.sql", GROUPED), ("windowed.sql", WINDOWED), ("wrong.sql", WRONG)):
        (folder / name).write_text(sql)
    return db


def test_select_of_unwraps_dbts_create_table_as():
    assert ab_query.select_of(WINDOWED).startswith("select distinct user_id")
    assert ab_query.select_of(WINDOWED).endswith(")")
    assert ab_query.select_of(GROUPED) == GROUPED.strip()


def test_order_alternates_which_side_goes_first():
    assert ab_query.order(3) == ["a", "b", "b", "a", "a", "b"]


def test_same_rows_two_ways_are_equal_and_every_run_is_timed(warehouse, capsys):
    out = warehouse.parent / "result.json"
    rc = ab_query.main(["--db", str(warehouse), "--a", str(warehouse.parent / "grouped.sql"),
                        "--b", str(warehouse.parent / "windowed.sql"), "--repeat", "3",
                        "--ignore-columns", "built_at", "--json", str(out)])
    assert rc == 0
    result = json.loads(out.read_text())
    assert result["equal"] and result["rows_only_in_a"] == 0 and result["rows_only_in_b"] == 0
    assert len(result["runs"]["a"]) == 3 and len(result["runs"]["b"]) == 3
    assert all(r["wall_s"] > 0 for side in ("a", "b") for r in result["runs"][side])
    assert 0 <= result["b_faster_pairs"] <= 3 and result["pairs"] == 3
    assert result["a_best_s"] <= result["a_median_s"]
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("ab a_best_s=") and last.endswith("equal=yes")


def test_a_timestamp_column_must_be_ignored_to_compare(warehouse):
    # built_at differs between the two runs; left in, the rows differ
    result = ab_query.run(warehouse, "wh", GROUPED, WINDOWED, 1, 1, "1GB", ignore=[])
    assert not result["equal"]


def test_different_rows_are_counted_and_fail(warehouse, capsys):
    rc = ab_query.main(["--db", str(warehouse), "--a", str(warehouse.parent / "grouped.sql"),
                        "--b", str(warehouse.parent / "wrong.sql"), "--repeat", "1",
                        "--ignore-columns", "built_at"])
    assert rc == 1
    result = ab_query.run(warehouse, "wh", GROUPED, WRONG, 1, 1, "1GB", ignore=["built_at"])
    assert (result["rows_only_in_a"], result["rows_only_in_b"]) == (1, 0)
    assert capsys.readouterr().out.strip().endswith("equal=no")
