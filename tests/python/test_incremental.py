"""Incremental event processing: a second run on new files equals a full refresh.

A landing folder as a real pipeline fills it: the five tables, events split into Parquet
files. First run: the history up to a cut-off day, with one user missing from the users
table (their events are quarantined as unknown_user) and one file that is later taken away
(copies of old events, some identical, some conflicting). Then, for the second run:
- the next days' events land (new data),
- late events for a day inside the look-back (var event_lookback_days, 3),
- the missing user arrives, and the withdrawn file is gone;
then, with the same users, files that only add rows to old days: a replay of an old file
(events already loaded, weeks old), and ids sent again on other days - among them an earlier
copy, under another user, of a user's only event in two months (the intervals of that user,
whose activity row goes away, must be computed again though no activity of theirs is counted);
and for a third run a file of one old day corrected in place (its logins renamed: the same rows
per day, so only the files' stamps tell). The incremental `dbt build` on the same warehouse must give exactly the marts, the audit and
the validated events that a `--full-refresh` build of the whole folder gives, and repeat runs
must change nothing.

The raw tables can also be warehouse tables (var raw_schema): there one old day's logins are
renamed by an UPDATE between two runs (the same rows per day, so only the checksum of the day's
rows tells), and the incremental run must again equal a full refresh.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import datasets
from warehouse_reads import latest_account_day_builds, query

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
# the event exceptions, the raw counts, the id index, the audit and the activity intervals
# (decided_at, changed_at, indexed_at, counted_at, computed_at,
# users_signature: when and under which users a row was decided, differ by design;
# an incremental run also keeps the simply kept rows it decided again, is_simply_kept, so
# that their days get recounted: a rebuild leaves them to the raw input)
CHECKED_TABLES = {
    "base_license__events_exceptions": "staging",
    "base_license__event_days": "staging",
    "base_license__event_file_days": "staging",
    "base_license__event_id_days": "staging",
    "audit_event_outcomes_daily": "audit",
    "audit_raw_rows": "audit",
    "quarantine_raw_rows": "audit",
    "int_user_activity_intervals": "intermediate",
    "int_definition_activity_intervals": "intermediate",
}
IGNORED_COLUMNS = {
    "decided_at", "changed_at", "indexed_at", "counted_at", "computed_at", "users_signature", "quarantine_id",
}


def read_marts(db_path: Path, tables: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The marts and the checked tables (``tables``: name -> schema), without the columns
    that differ by design, in a stable row order."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        frames = {}
        tables = tables if tables is not None else {mart: "marts" for mart in MARTS} | CHECKED_TABLES
        for table, schema in tables.items():
            only = " where not is_simply_kept" if table == "base_license__events_exceptions" else ""
            frame = con.execute(f"select * from {schema}.{table}{only}").df()
            frame = frame.drop(columns=[c for c in frame.columns if c in IGNORED_COLUMNS])
            frames[table] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        return frames
    finally:
        con.close()


def assert_marts_equal(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for table in left:
        pd.testing.assert_frame_equal(left[table], right[table], check_exact=False, atol=1e-9, obj=table)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> dict[str, Path]:
    """Four landing folders: `initial` (history), `middle` (the new days, the late events,
    the user, the file withdrawn), `grown` (`middle` plus the replayed file and the ids sent
    again on other days, which so land in a run where the set of users does not change) and
    `complete` (`grown` with the one-day file corrected in place)."""
    csv_dir = datasets.write_dataset("random", tmp_path_factory.mktemp("random-csv"))
    as_of = dt.date.fromisoformat(AS_OF)
    cut_off = as_of - dt.timedelta(days=6)         # last day of the first load
    late_day = cut_off - dt.timedelta(days=2)     # inside the 3-day look-back
    replay_day = cut_off - dt.timedelta(days=40)  # far outside it
    corrected_day = cut_off - dt.timedelta(days=30)  # its file is corrected in place

    initial = tmp_path_factory.mktemp("landing-initial")
    con = duckdb.connect()
    for table in ("accounts", "subscriptions", "subscription_seat_changes"):
        shutil.copy(csv_dir / f"{table}.csv", initial / f"{table}.csv")
    (initial / "events").mkdir()
    events = f"read_csv('{csv_dir}/events.csv', header = true, all_varchar = true)"
    day = "cast(try_cast(event_ts as timestamp) as date)"
    old_events = f"(select * from {events} where {day} < date '{replay_day}' and event_id is not null)"
    # the user with most old events is missing from the first load's users table
    late_user = con.execute(
        f"select user_id from {old_events} group by user_id order by count(*) desc, user_id limit 1"
    ).fetchone()[0]
    users = f"read_csv('{csv_dir}/users.csv', header = true, all_varchar = true)"
    con.execute(
        f"copy (select * from {users} where user_id <> '{late_user}') to '{initial}/users.csv' (header true)"
    )
    con.execute(
        f"copy (select * from {events} where {day} <= date '{cut_off}' and {day} <> date '{late_day}' "
        f"and {day} <> date '{corrected_day}') to '{initial}/events/part_001.parquet' (format parquet)"
    )
    con.execute(
        f"copy (select * from {events} where {day} = date '{corrected_day}') "
        f"to '{initial}/events/part_001b_one_day.parquet' (format parquet)"
    )
    # a file that is taken away before the second run: identical copies of some old events
    # and conflicting copies (another event name) of others
    con.execute(
        f"copy (select * from (select * from {old_events} order by event_id limit 12) "
        f"union all select * replace ('conflicting_' || event_name as event_name) "
        f"from (select * from {old_events} order by event_id desc limit 12)) "
        f"to '{initial}/events/part_000_withdrawn.parquet' (format parquet)"
    )
    complete = tmp_path_factory.mktemp("landing-complete")
    shutil.copytree(initial, complete, dirs_exist_ok=True)
    (complete / "events" / "part_000_withdrawn.parquet").unlink()
    shutil.copy(csv_dir / "users.csv", complete / "users.csv")
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
    # ids sent again with another timestamp: copies that land on a new day, whose first copies
    # lie on old days no raw row of this run changes (later: the new copy is the conflict; earlier:
    # the old copy becomes one, and its day's activity changes)
    resent = f"(select * from {old_events} where {day} < date '{replay_day}' - 5 order by event_id offset 30 limit 6)"
    ts = "try_cast(event_ts as timestamp)"
    to_new_day = f"cast({ts} + (date '{cut_off}' + 1 - {day}) * interval 1 day as varchar)"
    to_earlier_day = f"cast({ts} - interval 3 day as varchar)"
    # and a user's only event in two months, a login, sent again a minute earlier under the
    # busiest other user: the earlier copy is kept, theirs becomes a conflicting copy, and they
    # lose their activity of that day (and, under the default rule, the days it made active)
    # (ids and users compared trimmed, as staging reads them: the random dataset pads some)
    stamped = (
        f"(select trim(event_id) as id, trim(user_id) as uid, {ts} as at, lower(trim(event_name)) as name, "
        f"count(*) over (partition by trim(event_id)) as copies from {events})"
    )
    withdrawn = (
        f"(select trim(event_id) from (select event_id from {old_events} order by event_id limit 12) "
        f"union all select trim(event_id) from (select event_id from {old_events} order by event_id desc limit 12))"
    )
    lonely = con.execute(
        f"select e.id, e.uid, cast(e.at as date) from {stamped} as e "
        f"where e.copies = 1 and e.name = 'login' and cast(e.at as date) < date '{replay_day}' - 5 and hour(e.at) >= 1 "
        f"and e.uid <> trim('{late_user}') and e.uid in (select trim(user_id) from {users}) "
        f"and e.uid not in (select trim(user_id) from {resent}) and e.id not in {withdrawn} "
        f"and not exists (select 1 from {stamped} as o where o.uid = e.uid and o.id <> e.id "
        f"and abs(datediff('day', o.at, e.at)) <= 60) "
        f"order by e.id limit 1"
    ).fetchone()
    assert lonely is not None, "the dataset must hold a user's only event in two months"
    thief = con.execute(
        f"select user_id from {old_events} where trim(user_id) not in ('{lonely[1]}', trim('{late_user}')) "
        f"group by user_id order by count(*) desc, user_id limit 1"
    ).fetchone()[0]
    con.execute(
        f"copy (select * replace ({to_new_day} as event_ts) from (select * from {resent} order by event_id limit 3) "
        f"union all select * replace ({to_earlier_day} as event_ts) "
        f"from (select * from {resent} order by event_id desc limit 3) "
        f"union all select * replace (cast({ts} - interval 1 minute as varchar) as event_ts, '{thief}' as user_id) "
        f"from {events} where trim(event_id) = '{lonely[0]}') "
        f"to '{complete}/events/part_005_resent.parquet' (format parquet)"
    )
    counts = {
        name: con.execute(f"select count(*) from read_parquet('{complete}/events/{name}.parquet')").fetchone()[0]
        for name in ("part_002_new_days", "part_003_late", "part_004_replay", "part_005_resent")
    }
    assert all(counts.values()), f"every new file must hold events: {counts}"
    middle = tmp_path_factory.mktemp("landing-middle")
    shutil.copytree(complete, middle, dirs_exist_ok=True)  # copies keep the files' times
    (middle / "events" / "part_004_replay.parquet").unlink()
    (middle / "events" / "part_005_resent.parquet").unlink()
    grown = tmp_path_factory.mktemp("landing-grown")
    shutil.copytree(complete, grown, dirs_exist_ok=True)
    # the one-day file corrected in place for the third run: its logins renamed, so the day
    # keeps its row count and only the file's stamps (size, time) change
    one_day = complete / "events" / "part_001b_one_day.parquet"
    corrected = complete / "part_001b_corrected.parquet"
    con.execute(
        f"copy (select * replace (case when lower(trim(event_name)) = 'login' then 'page_view' "
        f"else event_name end as event_name) from read_parquet('{one_day}')) to '{corrected}' (format parquet)"
    )
    con.close()
    corrected.replace(one_day)
    return {
        "initial": initial, "middle": middle, "grown": grown, "complete": complete, "late_user": late_user,
        "corrected_day": corrected_day, "lonely": lonely[1:],
    }


@pytest.fixture(scope="module")
def incremental_and_full(dbt_project, landing, tmp_path_factory):
    vars_ = {"as_of_date": AS_OF}
    workdir = tmp_path_factory.mktemp("incremental")
    db_path = workdir / "warehouse.duckdb"
    first = dbt_project.run("build", db_path, workdir / "run1", {"raw_path": str(landing["initial"]), **vars_})
    assert first.ok, first.tail()
    first_rules = quarantined_event_rules(db_path)
    first_logins = day_logins(db_path, landing["corrected_day"])
    files_counted = [file_counted_at(db_path)]
    lonely_activity = [user_day_activity(db_path, *landing["lonely"])]
    users_built = [users_built_at(db_path)]
    second = dbt_project.run("build", db_path, workdir / "run2", {"raw_path": str(landing["middle"]), **vars_})
    assert second.ok, second.tail()
    second_builds = account_day_build_kinds(db_path)
    files_counted.append(file_counted_at(db_path))
    users_built.append(users_built_at(db_path))
    grown = dbt_project.run("build", db_path, workdir / "run2a", {"raw_path": str(landing["grown"]), **vars_})
    assert grown.ok, grown.tail()
    grown_builds = account_day_build_kinds(db_path)
    lonely_activity.append(user_day_activity(db_path, *landing["lonely"]))
    lonely_removed = query(
        db_path,
        "select count(*) from intermediate.int_user_activity_removals "
        f"where user_id = '{landing['lonely'][0]}' and activity_date = date '{landing['lonely'][1]}'",
    )[0][0]
    files_counted.append(file_counted_at(db_path))
    second_and_half = dbt_project.run(
        "build", db_path, workdir / "run2b", {"raw_path": str(landing["complete"]), **vars_}
    )
    assert second_and_half.ok, second_and_half.tail()
    second_and_half_builds = account_day_build_kinds(db_path)
    corrected_logins = day_logins(db_path, landing["corrected_day"])
    files_counted.append(file_counted_at(db_path))
    incremental = read_marts(db_path)
    stamps_before_rerun = run_stamps(db_path)
    third = dbt_project.run("build", db_path, workdir / "run3", {"raw_path": str(landing["complete"]), **vars_})
    assert third.ok, third.tail()
    files_counted.append(file_counted_at(db_path))
    rerun_builds = account_day_build_kinds(db_path)
    stamps_after_rerun = run_stamps(db_path)
    users_results = [run_result_message(run, "base_license__users") for run in (second, third)]
    eligibility_results = [run_result_message(run, "int_user_eligibility") for run in (second, third)]
    builds_results = [run_result_message(run, "int_account_day_builds") for run in (second, third)]
    build_records = (
        len(latest_account_day_builds(db_path)),
        query(db_path, "select count(*) from intermediate.int_account_day_builds")[0][0],
    )
    rerun = read_marts(db_path)
    # a --full-refresh of the build records alone (on a copy) empties them
    emptied_path = workdir / "emptied.duckdb"
    shutil.copy(db_path, emptied_path)
    emptied = dbt_project.run(
        "run", emptied_path, workdir / "run-emptied", {"raw_path": str(landing["complete"]), **vars_},
        extra_args=("--select", "int_account_day_builds", "--full-refresh"),
    )
    assert emptied.ok, emptied.tail()
    emptied_records = (
        run_result_message(emptied, "int_account_day_builds"),
        query(emptied_path, "select count(*) from intermediate.int_account_day_builds")[0][0],
    )
    full_workdir = tmp_path_factory.mktemp("full-refresh")
    full = dbt_project.run(
        "build", full_workdir / "warehouse.duckdb", full_workdir, {"raw_path": str(landing["complete"]), **vars_},
        extra_args=("--full-refresh",),
    )
    assert full.ok, full.tail()
    return {
        "first_rules": first_rules,
        "first_logins": first_logins,
        "corrected_logins": corrected_logins,
        "files_counted": files_counted,
        "second_builds": second_builds,
        "grown_builds": grown_builds,
        "lonely_activity": lonely_activity,
        "lonely_removed": lonely_removed,
        "interval_plans": [interval_plans(run) for run in (second, grown, second_and_half, third)],
        "second_and_half_builds": second_and_half_builds,
        "rerun_builds": rerun_builds,
        "users_built": users_built,
        "users_results": users_results,
        "eligibility_results": eligibility_results,
        "builds_results": builds_results,
        "build_records": build_records,
        "emptied_records": emptied_records,
        "stamps": (stamps_before_rerun, stamps_after_rerun),
        "incremental": incremental,
        "rerun": rerun,
        "full": read_marts(full.db_path),
        "incremental_db": db_path,
        "full_db": full.db_path,
    }


def account_day_build_kinds(db_path: Path) -> set[str]:
    """The build kinds of the account x day models' latest builds (int_account_day_builds)."""
    return {kind for kind, _, _ in latest_account_day_builds(db_path).values()}


def test_account_day_models_rebuild_in_full_only_when_their_inputs_change(incremental_and_full):
    """The second run's users differ (the late user arrives): every account x day model is
    computed in full; the next run changes events only, and computes them from a day on."""
    assert incremental_and_full["second_builds"] == {"full"}
    assert incremental_and_full["grown_builds"] == {"from_day"}
    assert incremental_and_full["second_and_half_builds"] == {"from_day"}


def interval_plans(run) -> list[dict | None]:
    """The plans the intervals models carried in their compiled SQL in a run (carry_plan)."""
    compiled = run.workdir / "target" / "compiled" / "license_utilization" / "models" / "intermediate"
    plans = []
    for model in ("int_user_activity_intervals", "int_definition_activity_intervals"):
        sql = (compiled / f"{model}.sql").read_text()
        plans.append(json.loads(sql.split("/* plan activity_intervals: ", 1)[1].split(" */", 1)[0]))
    return plans


def test_intervals_compute_only_the_users_whose_activity_changed(incremental_and_full):
    """Every incremental run computes the intervals again from the first changed day for only
    the users whose activity rows were counted or taken away since the intervals' last
    computation (users_since): new days, late events and replays, but also a file taken away,
    a user arriving, a file corrected in place. A rerun changes nothing. The marts and the
    intervals equal a full refresh's (test_incremental_run_equals_full_refresh), the lonely
    user's included: the only event of theirs in two months became another user's copy, so
    their activity row went away with no row left to stamp; int_user_activity_removals names
    them."""
    second, grown, corrected, rerun = incremental_and_full["interval_plans"]
    for plans in (second, grown, corrected):
        assert all(plan["from_day"] is not None and plan["users_since"] is not None for plan in plans)
    assert all(plan["from_day"] is None for plan in rerun)
    assert incremental_and_full["lonely_activity"] == [1, 0]
    assert incremental_and_full["lonely_removed"] == 1


def user_day_activity(db_path: Path, user_id: str, day: dt.date) -> int:
    """A user's activity rows on a day (int_user_activity_daily: 1 or 0)."""
    return query(
        db_path,
        "select count(*) from intermediate.int_user_activity_daily "
        f"where user_id = '{user_id}' and activity_date = date '{day}'",
    )[0][0]


def run_result_message(run, model: str) -> str | None:
    """The message of a model's result in a run's run_results.json (OK, KEPT, ...)."""
    results = json.loads((run.workdir / "target" / "run_results.json").read_text())["results"]
    return next(r["message"] for r in results if r["unique_id"] == f"model.license_utilization.{model}")


def users_built_at(db_path: Path) -> list[dt.datetime]:
    """When the rows of base_license__users were built (one value: it is built whole)."""
    return [at for (at,) in query(db_path, "select distinct built_at from staging.base_license__users")]


def run_stamps(db_path: Path) -> dict[str, list[tuple]]:
    """How many user-days carry each counted_at (int_user_activity_daily), the latest
    computed_at of each intervals model, and when the users were built."""
    return {
        "users": users_built_at(db_path),
        "activity": query(
            db_path,
            "select counted_at, count(*) from intermediate.int_user_activity_daily group by counted_at order by 1",
        ),
        "intervals": query(
            db_path,
            "select (select max(computed_at) from intermediate.int_user_activity_intervals), "
            "(select max(computed_at) from intermediate.int_definition_activity_intervals)",
        ),
    }


def test_rerun_on_the_same_files_computes_nothing_again(incremental_and_full):
    """A rerun recounts the look-back days (var event_lookback_days); they come out as they were,
    so they keep their counted_at, and nothing downstream is computed again: no interval, and
    every account x day model records an unchanged build."""
    before, after = incremental_and_full["stamps"]
    assert len(before["activity"]) > 1  # the runs before did change days
    assert after == before
    assert incremental_and_full["rerun_builds"] == {"unchanged"}


def test_users_are_built_again_only_when_something_they_depend_on_changed(incremental_and_full):
    """base_license__users is built whole or not at all: the second run brings the late user,
    so it builds every row again; a rerun on the same files keeps them (same built_at). Its
    rows then equal a full refresh's (test_incremental_run_equals_full_refresh reads the marts
    and the quarantine built from them)."""
    first, second = incremental_and_full["users_built"]
    before, after = incremental_and_full["stamps"]
    assert len(first) == len(second) == len(before["users"]) == 1
    assert second != first
    assert after["users"] == before["users"]
    # and the run says so: dbt's log line and run_results read KEPT, not OK
    assert incremental_and_full["users_results"] == ["OK", "KEPT"]
    # the licensed users' intervals (int_user_eligibility) follow the users: built again when
    # the late user arrives, kept by the rerun
    assert incremental_and_full["eligibility_results"] == ["OK", "KEPT"]


def test_build_records_are_kept_until_a_full_refresh(incremental_and_full):
    """int_account_day_builds holds the rows the account x day models' post-hooks write: every
    run after the first keeps the table as it is (KEPT), so the records of the five builds
    add up; a --full-refresh builds it again, empty (every such model then computes in full)."""
    assert incremental_and_full["builds_results"] == ["KEPT", "KEPT"]
    models, records = incremental_and_full["build_records"]
    assert models >= 6
    assert records == 5 * models  # five builds so far, one record per model each
    assert incremental_and_full["emptied_records"] == ("OK", 0)


def test_users_unsigned_are_built_every_run_and_never_doubled(dbt_project, landing, tmp_path):
    """Where no checksum signs the inputs (var event_day_checksum false, or an engine without a
    row_checksum), the users are built again on every run: every row replaced, none doubled."""
    vars_ = {"raw_path": str(landing["initial"]), "as_of_date": AS_OF, "event_day_checksum": False}
    db_path = tmp_path / "warehouse.duckdb"
    raw_users = duckdb.connect().execute(
        f"select count(*) from read_csv('{landing['initial'] / 'users.csv'}', header = true)"
    ).fetchone()[0]
    built = []
    for run in ("run1", "run2"):
        result = dbt_project.run(
            "run", db_path, tmp_path / run, vars_, extra_args=("--select", "base_license__accounts", "base_license__users")
        )
        assert result.ok, result.tail()
        assert run_result_message(result, "base_license__users") == "OK"
        built.append(query(db_path, "select count(*), count(distinct built_at), max(built_at) from staging.base_license__users")[0])
    (rows1, stamps1, at1), (rows2, stamps2, at2) = built
    assert rows1 == rows2 == raw_users
    assert stamps1 == stamps2 == 1
    assert at2 > at1


def file_counted_at(db_path: Path) -> dict[str, dt.datetime]:
    """When each event file was last read (base_license__event_file_days), by file name."""
    return dict(query(
        db_path,
        "select file_name, max(counted_at) from staging.base_license__event_file_days group by file_name",
    ))


def test_runs_read_only_new_and_changed_files(incremental_and_full):
    """Each run counts the raw rows of the files it has not seen with their current size and
    time, and no other: the history is read once. The landing folders differ from run to run
    (copies keep the files' times), so a file is known by its name."""
    first, second, grown, second_and_half, third = incremental_and_full["files_counted"]
    run1, run2, run2a, run2b = (max(counted.values()) for counted in (first, second, grown, second_and_half))
    assert set(first) == {"part_000_withdrawn.parquet", "part_001.parquet", "part_001b_one_day.parquet"}
    # second run: the new days and the late file are read; the withdrawn file is gone; the rest
    # was read by the first run
    assert set(second) == {"part_001.parquet", "part_001b_one_day.parquet", "part_002_new_days.parquet",
                           "part_003_late.parquet"}
    assert {name for name, at in second.items() if at == run2} == {"part_002_new_days.parquet",
                                                                   "part_003_late.parquet"}
    assert second["part_001.parquet"] == first["part_001.parquet"] == run1
    # then: the replayed and resent files; then the one-day file corrected in place
    assert {name for name, at in grown.items() if at == run2a} == {"part_004_replay.parquet",
                                                                  "part_005_resent.parquet"}
    assert {name for name, at in second_and_half.items() if at == run2b} == {"part_001b_one_day.parquet"}
    assert second_and_half["part_001.parquet"] == run1
    # a rerun on the same files reads none
    assert third == second_and_half


def day_logins(db_path: Path, day: dt.date) -> int:
    """Login events counted on one day (int_user_activity_daily)."""
    return query(
        db_path,
        "select coalesce(sum(login_events), 0) from intermediate.int_user_activity_daily "
        f"where activity_date = date '{day}'",
    )[0][0]


def test_file_corrected_in_place_is_recounted(incremental_and_full):
    """The one-day file rewritten with the same rows per day (its logins renamed) changes
    that day: the incremental run counts no login there any more (the marts then equal a
    full refresh, test_incremental_run_equals_full_refresh). A count per day alone missed it."""
    assert incremental_and_full["first_logins"] > 0
    assert incremental_and_full["corrected_logins"] == 0


def quarantined_event_rules(db_path: Path) -> dict[str, int]:
    return dict(query(
        db_path,
        "select coalesce(quarantine_rule, outcome), count(*) from staging.base_license__events_exceptions group by all",
    ))


def test_first_load_quarantined_what_the_second_changes(incremental_and_full):
    """The first load really had the unknown user and the conflicting copies the second run resolves."""
    first = incremental_and_full["first_rules"]
    assert first.get("unknown_user", 0) > 0
    assert first.get("duplicate_key_conflict", 0) > 0
    assert first.get("merged", 0) > 0


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


# --------------------------------------------------------------------------- warehouse tables


# the checked tables that exist without raw files (base_license__event_file_days needs raw_path)
WAREHOUSE_TABLES = {
    table: schema for table, schema in ({mart: "marts" for mart in MARTS} | CHECKED_TABLES).items()
    if table != "base_license__event_file_days"
}


@pytest.fixture(scope="module")
def warehouse_corrected_in_place(dbt_project, tmp_path_factory) -> dict:
    """The raw tables as warehouse tables (var raw_schema), and one old day's logins renamed in
    place between two runs: an UPDATE, so that day keeps its row count and only the checksum of
    its rows (base_license__event_days, var event_day_checksum) can tell."""
    csv_dir = datasets.write_dataset("random", tmp_path_factory.mktemp("random-warehouse-csv"))
    workdir = tmp_path_factory.mktemp("warehouse-tables")
    db_path = workdir / "warehouse.duckdb"
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema landing")
        for table in datasets.COLUMNS:
            con.execute(
                f"create table landing.{table} as "
                f"select * from read_csv('{csv_dir / f'{table}.csv'}', header = true, all_varchar = true)"
            )
        # a typed event_ts, as a warehouse holds it (staging then reads it without a text round trip)
        con.execute("alter table landing.events alter event_ts type timestamp using try_cast(event_ts as timestamp)")
    finally:
        con.close()
    vars_ = {"as_of_date": AS_OF, "raw_schema": "landing"}
    models_only = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    first = dbt_project.run("build", db_path, workdir / "run1", vars_, extra_args=models_only)
    assert first.ok, first.tail()
    corrected_day = dt.date.fromisoformat(AS_OF) - dt.timedelta(days=30)  # far outside the look-back
    before = {
        "logins": day_logins(db_path, corrected_day),
        "day": event_day(db_path, corrected_day),
        "marts": read_marts(db_path, WAREHOUSE_TABLES),
        "users_built": users_built_at(db_path),
    }
    con = duckdb.connect(str(db_path))
    try:
        con.execute(
            "update landing.events set event_name = 'export_report' "
            "where lower(trim(event_name)) = 'login' "
            f"and cast(event_ts as date) = date '{corrected_day}'"
        )
        # and the busiest licensed user still in place moves to another department: the users
        # keep their row count, so only the checksum of their rows tells base_license__users to
        # build again
        con.execute(
            "update landing.users set department = 'Moved Department' where user_id = ("
            "select events.user_id from landing.events inner join landing.users using (user_id) "
            "where users.deactivated_at is null and coalesce(users.holds_license, 'true') = 'true' "
            "group by events.user_id order by count(*) desc, events.user_id limit 1)"
        )
    finally:
        con.close()
    second = dbt_project.run("build", db_path, workdir / "run2", vars_)  # with every test
    assert second.ok, second.tail()
    after = {
        "logins": day_logins(db_path, corrected_day),
        "day": event_day(db_path, corrected_day),
        "changed_days": query(
            db_path,
            "select count(*) from staging.base_license__event_days "
            "where changed_at = (select max(changed_at) from staging.base_license__event_days)",
        )[0][0],
        "marts": read_marts(db_path, WAREHOUSE_TABLES),
        "users_built": users_built_at(db_path),
    }
    full_db = workdir / "full-refresh.duckdb"
    shutil.copy(db_path, full_db)
    full = dbt_project.run("build", full_db, workdir / "full", vars_, extra_args=("--full-refresh", *models_only))
    assert full.ok, full.tail()
    return {"before": before, "after": after, "full": read_marts(full_db, WAREHOUSE_TABLES)}


def event_day(db_path: Path, day: dt.date) -> tuple[int, str | None]:
    """A day's raw row count and signature (base_license__event_days)."""
    return query(
        db_path,
        "select raw_rows, files_signature from staging.base_license__event_days "
        f"where event_date = date '{day}'",
    )[0]


def test_warehouse_row_corrected_in_place_is_recounted(warehouse_corrected_in_place):
    """The renamed logins leave the day's row count as it was; its checksum changes, so the
    incremental run marks that day alone as changed and counts no login there any more."""
    before, after = warehouse_corrected_in_place["before"], warehouse_corrected_in_place["after"]
    assert before["logins"] > 0
    assert after["logins"] == 0
    assert after["day"][0] == before["day"][0]
    assert after["day"][1] != before["day"][1]
    assert after["changed_days"] == 1


def test_warehouse_incremental_run_equals_full_refresh(warehouse_corrected_in_place):
    """The corrections reached the marts (they differ from the first run's: the logins the
    daily fact, the moved user the departments, which the users were built again for), and
    the incremental run gives what a full refresh of the corrected tables gives."""
    before, after = warehouse_corrected_in_place["before"], warehouse_corrected_in_place["after"]
    assert not before["marts"]["fct_license_utilization_daily"].equals(after["marts"]["fct_license_utilization_daily"])
    departments = after["marts"]["fct_utilization_by_department"]["department"]
    assert "Moved Department" in set(departments)
    assert "Moved Department" not in set(before["marts"]["fct_utilization_by_department"]["department"])
    assert after["users_built"] != before["users_built"]
    assert_marts_equal(after["marts"], warehouse_corrected_in_place["full"])
