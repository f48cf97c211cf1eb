"""The bundled sample warehouse, and proof that the dbt tests bite.

1. The sample data builds with every data and unit test passing (the `dbt build` of
   `make test`), and tells the stories it was designed for (seeds/sample/README.md).
2. Corrupting a built mart makes `dbt test` fail, on exactly the rows corrupted: a 120%
   row, a wrong percentage, utilized seats above licensed, a wrong overage, a monthly
   figure that differs from its daily snapshot, a milestone stored twice, and department
   totals that do not add up.
   Each corruption is applied to a copy of the sample warehouse and the failing rows are
   read back (``--store-failures``), so every test is shown to catch its own case.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def sample_db(sample_build) -> Path:
    return sample_build.db_path


def query(db_path: Path, sql: str):
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


# --------------------------------------------------------------------------- sample stories


def test_sample_build_ran_unit_and_data_tests(sample_build):
    output = sample_build.output
    assert "Completed successfully" in output or "Completed with 1 warning" in output
    assert "unit_test" in output or "::" in output  # unit tests ran as part of the build
    assert "ERROR=0" in output and "WARN=" in output


def test_make_run_summary_prints_the_marts(sample_db):
    """The last step of `make run` (scripts/print_marts.py) on the sample warehouse."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "scripts" / "print_marts.py"
    proc = subprocess.run([sys.executable, str(script), str(sample_db)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "marts.fct_license_utilization_daily" in proc.stdout
    assert "marts.dim_account_health" in proc.stdout
    assert "acc_034" in proc.stdout  # the lowest utilization of October 2026 (35%)


def test_sample_as_of_is_latest_event_date(sample_db):
    as_of = query(sample_db, "select max(date_day) as d from marts.fct_license_utilization_daily")["d"][0]
    assert str(as_of)[:10] == AS_OF


@pytest.mark.parametrize(
    ("account_id", "seats", "active", "pct", "band"),
    [
        ("acc_002", 25, 24, 96.0, "strong"),      # expansion ready
        ("acc_003", 32, 37, 100.0, "strong"),     # over-use: 5 overage users
        ("acc_004", 60, 25, 41.67, "at_risk"),    # renewal risk
        ("acc_006", 200, 140, 70.0, "healthy"),   # intentional over-buy, filling
        ("acc_024", 10, 8, 80.0, "strong"),       # exactly on the 80% edge
        ("acc_038", 30, 18, 60.0, "healthy"),     # exactly on the 60% edge
    ],
)
def test_sample_account_figures_as_designed(sample_db, account_id, seats, active, pct, band):
    row = query(
        sample_db,
        f"select * from marts.fct_license_utilization_daily where account_id = '{account_id}' "
        f"and date_day = date '{AS_OF}'",
    )
    assert len(row) == 1
    assert row["licensed_seats"][0] == seats
    assert row["active_users"][0] == active
    assert row["utilization_pct"][0] == pytest.approx(pct, abs=0.01)
    assert row["health_band"][0] == band
    assert row["overage_users"][0] == max(active - seats, 0)


def test_sample_usage_based_and_canceled_accounts_have_no_seats_today(sample_db):
    health = query(sample_db, "select * from marts.dim_account_health").set_index("account_id")
    for account_id in ("acc_014", "acc_017", "acc_018"):  # canceled, usage-based only
        assert health.loc[account_id, "licensed_seats"] == 0
        assert health.loc[account_id, "recommended_play"] == "none"


def test_sample_every_alert_type_and_play_occurs(sample_db):
    alerts = set(query(sample_db, "select distinct alert_type from marts.fct_utilization_alerts")["alert_type"])
    assert alerts == {
        "renewal_risk", "declining_before_renewal", "onboarding_gap",
        "expansion_ready", "overage_true_up", "sharp_drop",
    }
    plays = set(query(sample_db, "select distinct recommended_play from marts.dim_account_health")["recommended_play"])
    assert {
        "renewal save", "onboarding walkthrough", "enablement campaign",
        "champion program", "expansion offer", "true-up conversation",
    } <= plays


def test_sample_alerts_explain_themselves(sample_db):
    alerts = query(sample_db, "select * from marts.fct_utilization_alerts").set_index(["account_id", "alert_type"])
    renewal = alerts.loc[("acc_004", "renewal_risk")]
    assert renewal["severity"] == "high"
    assert "41.7%" in renewal["reason"] and "renewal in 30 days" in renewal["reason"]
    drop = alerts.loc[("acc_008", "sharp_drop")]
    assert "88.0%" in drop["reason"] and "42.0%" in drop["reason"] and "Sales" in drop["reason"]
    overage = alerts.loc[("acc_003", "overage_true_up")]
    assert overage["reason"] == "37 active users on 32 seats: 5 over"


def test_sample_priority_puts_renewal_risk_first(sample_db):
    health = query(sample_db, "select * from marts.dim_account_health order by priority_rank")
    assert list(health["priority_rank"]) == list(range(1, len(health) + 1))
    assert health["recommended_play"].iloc[0] == "renewal save"
    assert health["recommended_play"].iloc[-1] == "none"


def test_sample_definitions_side_by_side(sample_db):
    defs = query(
        sample_db,
        "select d.*, m.active_users as monthly_active from marts.fct_utilization_by_definition d "
        "join marts.fct_license_utilization_monthly m using (account_id, month_start)",
    )
    assert {"default", "logins_7d", "logins_90d", "feature_users_30d", "login_and_feature_30d"} == set(
        defs["definition_name"]
    )
    default = defs[defs["definition_name"] == "default"]
    assert (default["active_users"] == default["monthly_active"]).all()
    # a longer window can only keep more users active, a shorter one fewer
    pivot = defs.pivot_table(index=["account_id", "month_start"], columns="definition_name", values="active_users")
    assert (pivot["logins_7d"] <= pivot["default"]).all()
    assert (pivot["default"] <= pivot["logins_90d"]).all()
    assert (pivot["login_and_feature_30d"] <= pivot["default"]).all()


def test_sample_cohort_weighting(sample_db):
    """Cohort utilization is weighted by seats: recompute one cohort from the monthly mart."""
    cohort = query(
        sample_db,
        f"select * from marts.fct_utilization_by_cohort where cohort_type = 'size_band' "
        f"and month_start = date '2026-10-01'",
    ).set_index("cohort_value")
    members = query(
        sample_db,
        """
        select p.size_band, m.licensed_seats, m.utilized_seats, m.utilization_pct
        from marts.fct_license_utilization_monthly m
        join intermediate.int_account_profile p using (account_id)
        where m.month_start = date '2026-10-01'
        """,
    )
    for band, group in members.groupby("size_band"):
        expected = 100 * group["utilized_seats"].sum() / group["licensed_seats"].sum()
        assert cohort.loc[band, "utilization_pct"] == pytest.approx(expected, abs=0.01)
        assert cohort.loc[band, "median_account_utilization_pct"] == pytest.approx(
            group["utilization_pct"].median(), abs=0.01
        )
        assert cohort.loc[band, "accounts"] == len(group)


# --------------------------------------------------------------------------- repeated ids


def test_repeated_ids_found_exactly_however_often_short_hashes_collide(sample_build):
    """The exceptions' first pass sorts 32-bit hashes of the event ids and keeps the rows
    whose hash repeats; the ids that really repeat are then found exactly among them. At
    the sample's 65k ids 32-bit hashes never collide, so the build alone would not show
    that the exact step drops the rows that only collide. Here the compiled query runs
    again with the hash cut to 3 bits, so that nearly every row is a candidate, and must
    give the very rows the build stored (the sample repeats 130 ids)."""
    compiled = (sample_build.workdir / "target" / "compiled" / "license_utilization" / "models"
                / "staging" / "base" / "base_license__events_exceptions.sql").read_text()
    short_hash_end = ") >> 32 as uinteger)"
    assert compiled.count(short_hash_end) == 2, "the sample build should use the 32-bit first pass"
    colliding = compiled.replace(short_hash_end, ") % 8 as uinteger)")

    con = duckdb.connect(str(sample_build.db_path), read_only=True)
    try:
        columns = [
            row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_schema = 'staging' "
                "and table_name = 'base_license__events_exceptions' and column_name <> 'decided_at' "
                "order by ordinal_position"
            ).fetchall()
        ]
        listed = ", ".join(columns)
        candidates = con.execute(
            f"select count(*) from ({colliding.replace('select * from final', 'select * from candidate_rows', 1)})"
        ).fetchone()[0]
        stored = con.execute("select count(*) from staging.base_license__events_exceptions").fetchone()[0]
        differences = con.execute(
            f"""
            with again as ({colliding}),
            stored as (select {listed} from staging.base_license__events_exceptions)
            select
                (select count(*) from (select {listed} from again except all select * from stored)),
                (select count(*) from (select * from stored except all select {listed} from again))
            """
        ).fetchone()
        repeated_ids = con.execute(
            "select count(distinct event_id) from staging.base_license__events_exceptions where key_rank > 1"
        ).fetchone()[0]
    finally:
        con.close()
    assert candidates > 60000, f"only {candidates} candidate rows: the 3-bit hash should make nearly every row one"
    assert repeated_ids == 130
    assert differences == (0, 0), (
        f"with colliding hashes the exceptions differ from the build's {stored} rows: "
        f"{differences[0]} rows only in the recomputation, {differences[1]} only in the build"
    )


# --------------------------------------------------------------------------- corruption

CORRUPTIONS = {
    # name: (SQL applied to the copy, the dbt test that must fail, a predicate on its failing rows)
    "pct_120": (
        f"update marts.fct_license_utilization_daily set utilization_pct = 120 "
        f"where account_id = 'acc_002' and date_day = date '{AS_OF}'",
        "values_between_fct_license_utilization_daily_utilization_pct",
        "account_id = 'acc_002'",
    ),
    "wrong_pct": (
        f"update marts.fct_license_utilization_daily set utilization_pct = 55.0 "
        f"where account_id = 'acc_038' and date_day = date '{AS_OF}'",
        "utilization_formula_fct_license_utilization_daily",
        "account_id = 'acc_038' and formula_violation like 'utilization_pct <> 100%'",
    ),
    "utilized_above_licensed": (
        f"update marts.fct_license_utilization_daily set utilized_seats = licensed_seats + 3 "
        f"where account_id = 'acc_004' and date_day = date '{AS_OF}'",
        "utilization_formula_fct_license_utilization_daily",
        "account_id = 'acc_004' and formula_violation = 'utilized_seats above licensed_seats'",
    ),
    "overage_hidden": (
        f"update marts.fct_license_utilization_daily set overage_users = 0 "
        f"where account_id = 'acc_003' and date_day = date '{AS_OF}'",
        "utilization_formula_fct_license_utilization_daily",
        "account_id = 'acc_003' and formula_violation like 'overage_users%'",
    ),
    "monthly_not_snapshot": (
        "update marts.fct_license_utilization_monthly set days_with_seats = days_with_seats - 1 "
        "where account_id = 'acc_001' and month_start = date '2026-09-01'",
        "assert_monthly_equals_daily_snapshot",
        "account_id = 'acc_001' and month_start = date '2026-09-01'",
    ),
    "milestone_twice": (
        # a row stored twice: the grain test, on DuckDB's path through sorted key hashes
        "insert into marts.fct_utilization_milestones select * from marts.fct_utilization_milestones "
        "where subscription_id = 'sub_005' and milestone = 'day_60'",
        "unique_combination_of_columns_fct_utilization_milestones",
        "subscription_id = 'sub_005' and milestone = 'day_60' and occurrences = 2",
    ),
    "departments_do_not_add_up": (
        "update marts.fct_utilization_by_department set assigned_seats = assigned_seats + 2, "
        "utilization_pct = 100.0 * active_users / (assigned_seats + 2) "
        "where account_id = 'acc_007' and month_start = date '2026-10-01' and department = 'Sales'",
        "assert_groups_add_up_to_account",
        "account_id = 'acc_007' and breakdown = 'department'",
    ),
}


@pytest.fixture(scope="module")
def corrupted_test_run(dbt_project, sample_build, tmp_path_factory):
    """Apply every corruption to a copy of the sample warehouse, then run the marts' data tests."""
    workdir = tmp_path_factory.mktemp("corrupted")
    db_path = workdir / "corrupted.duckdb"
    shutil.copy(sample_build.db_path, db_path)
    con = duckdb.connect(str(db_path))
    try:
        for sql, _, _ in CORRUPTIONS.values():
            assert con.execute(sql).fetchall()[0][0] == 1, sql  # exactly one row corrupted
    finally:
        con.close()
    run = dbt_project.run(
        "test", db_path, workdir, {},
        extra_args=("--select", "marts", "test_type:singular", "--exclude", "test_type:unit",
                    "--store-failures"),
    )
    return run


def test_clean_sample_passes_the_same_tests(dbt_project, sample_build, tmp_path_factory):
    """Control: the very same `dbt test` selection passes on the uncorrupted warehouse."""
    workdir = tmp_path_factory.mktemp("clean")
    db_path = workdir / "clean.duckdb"
    shutil.copy(sample_build.db_path, db_path)
    run = dbt_project.run(
        "test", db_path, workdir, {},
        extra_args=("--select", "marts", "test_type:singular", "--exclude", "test_type:unit"),
    )
    assert run.ok, run.tail()


def test_corrupted_marts_fail_dbt_test(corrupted_test_run):
    assert not corrupted_test_run.ok
    assert "FAIL" in corrupted_test_run.output


def failed_tests(run) -> dict[str, str]:
    """Full test name -> relation holding its stored failing rows, for tests that failed."""
    results = json.loads((run.workdir / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((run.workdir / "target" / "manifest.json").read_text())["nodes"]
    failed = {}
    for result in results:
        if result["status"] == "fail":
            node = manifest[result["unique_id"]]
            failed[node["name"]] = node["relation_name"]
    return failed


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_each_corruption_is_caught_by_its_test(corrupted_test_run, name):
    _, test_prefix, predicate = CORRUPTIONS[name]
    relations = [relation for test, relation in failed_tests(corrupted_test_run).items()
                 if test.startswith(test_prefix)]
    assert relations, f"no test named {test_prefix}* failed"
    con = duckdb.connect(str(corrupted_test_run.db_path), read_only=True)
    try:
        hits = sum(
            con.execute(f"select count(*) from (select * from {relation}) as failing where {predicate}").fetchone()[0]
            for relation in relations
        )
    finally:
        con.close()
    assert hits >= 1, f"{test_prefix} failed, but not on the row corrupted by {name}"


def test_only_the_expected_tests_fail(corrupted_test_run):
    """Nothing else broke: every failing test is one a corruption aims at."""
    expected = tuple(prefix for _, prefix, _ in CORRUPTIONS.values())
    unexpected = [test for test in failed_tests(corrupted_test_run) if not test.startswith(expected)]
    assert unexpected == []
