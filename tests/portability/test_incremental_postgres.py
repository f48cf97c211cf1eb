"""On PostgreSQL, a batch built incrementally gives what a full refresh gives.

The engine comparison builds each engine once, so it never reaches the incremental paths
(the replace_stale strategy, the plans carried in the compiled SQL, the account x day
models computed from a day on); DuckDB's suite proves them there (tests/python/
test_incremental.py, test_account_days.py). Here the PostgreSQL build goes on
(scripts/portability/build_engine.py --incremental-check): a batch is appended to the
events seed (a new day, late events of a day counted before, a repeated id and a
conflicting copy), built incrementally, then everything is built again with --full-refresh.
Every table of the staging, intermediate, marts and audit schemas must hold the same rows
after both, but for the columns that say when a row was written (and the build records).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portability_harness import assert_build_passed

# when a row was written or counted (the columns named *_at) differ by design between the two
# builds; so do these:
WRITTEN_COLUMNS: set[str] = set()
# the feature-day rows not recounted keep the window they were counted in (see the yml)
BY_TABLE = {"int_user_feature_days": {"window_start", "window_end"}}
# records of the builds and of the activity rows taken away: an incremental run adds to them,
# a full refresh starts again
NOT_COMPARED = {"int_account_day_builds", "int_user_activity_removals"}


def load(folder: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def comparable(table: str, export: dict) -> list[tuple]:
    ignored = WRITTEN_COLUMNS | BY_TABLE.get(table, set())
    keep = [i for i, name in enumerate(export["columns"]) if not name.endswith("_at") and name not in ignored]
    rows = [
        tuple(round(row[i], 9) if isinstance(row[i], float) else row[i] for i in keep) for row in export["rows"]
    ]
    return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))


@pytest.fixture(scope="module")
def check(postgres_build) -> dict:
    assert_build_passed(postgres_build)
    summary = postgres_build["summary"].get("incremental_check")
    assert summary, "the PostgreSQL build ran no incremental check (build_engine.py --incremental-check)"
    for step, outcome in summary["steps"].items():
        assert outcome["dbt_success"], f"the {step} build failed on PostgreSQL; log: {postgres_build['log']}"
        assert not outcome["problems"], f"{step}: tables not exported: {outcome['problems']}"
    return {
        "summary": summary,
        "incremental": load(postgres_build["exports"] / "incremental"),
        "full_refresh": load(postgres_build["exports"] / "full_refresh"),
    }


@pytest.mark.postgres
def test_incremental_run_took_the_incremental_paths(check):
    """The batch was read and built as a batch: the plans carried in the compiled SQL name
    the changed days (fifteen days back at the earliest: the repeated id), the activity of
    the days it did not touch keeps the counted_at of the first build, and the account x day
    models' last builds computed from a day on, not in full."""
    assert check["summary"]["appended_events"] > 10
    plans = check["summary"]["steps"]["incremental"]["plans"]
    recount = plans["int_user_activity_daily"]["activity_recount"]
    assert recount is not None and len(recount["day_keys"]) >= 3
    for model in ("int_user_activity_intervals", "int_definition_activity_intervals"):
        plan = plans[model]["activity_intervals"]
        # only the users whose activity was counted or taken away since
        assert plan is not None and plan["from_day"] == min(recount["day_keys"])
        assert plan["users_since"] is not None
    assert plans["int_account_users_daily"]["account_days"]["from_day"] == min(recount["day_keys"])
    # and the full refresh computed everything
    assert all(plan is None for model in check["summary"]["steps"]["full_refresh"]["plans"].values()
               for plan in model.values())
    activity = check["incremental"]["int_user_activity_daily"]
    counted_at = {row[activity["columns"].index("counted_at")] for row in activity["rows"]}
    assert len(counted_at) >= 2
    builds = check["incremental"]["int_account_day_builds"]
    columns = builds["columns"]
    latest: dict[str, tuple] = {}
    for row in builds["rows"]:
        record = dict(zip(columns, row))
        if record["model_name"] not in latest or record["built_at"] > latest[record["model_name"]][0]:
            latest[record["model_name"]] = (record["built_at"], record["build_kind"])
    assert latest and {kind for _, kind in latest.values()} == {"from_day"}


@pytest.mark.postgres
def test_incremental_tables_equal_full_refresh_on_postgres(check):
    incremental, full = check["incremental"], check["full_refresh"]
    assert set(incremental) == set(full)
    assert len(incremental) >= 30
    differing = []
    for table in sorted(set(incremental) - NOT_COMPARED):
        left, right = comparable(table, incremental[table]), comparable(table, full[table])
        if left != right:
            only_left = len(set(left) - set(right))
            only_right = len(set(right) - set(left))
            differing.append(f"{table}: {len(left)} vs {len(right)} rows; {only_left} / {only_right} rows differ")
    assert not differing, "incremental != full refresh on PostgreSQL:\n" + "\n".join(differing)
