"""The same project builds and passes its tests on PostgreSQL and Spark, with DuckDB's results.

After the sample data is built on each engine (dbt build: seeds, models, every data and
unit test), every mart the engine builds (the models of schemas `marts` and `audit`) is
compared with DuckDB's, row by row: keys equal, numbers within 0.01, text, dates and
booleans equal. Marts that an engine does not build must be disabled there by config
(Python models and what depends only on them); anything else missing is a failure.
"""

from __future__ import annotations

import pytest

from portability_compare import compare_marts
from portability_harness import assert_build_passed


def test_duckdb_reference_builds(reference):
    assert_build_passed(reference)
    total = sum(len(m["rows"]) for m in reference["marts"].values())
    assert total > 0, "the DuckDB marts are all empty: nothing to compare"


def check_engine_matches_reference(reference: dict, build: dict) -> None:
    assert_build_passed(build)
    engine = build["engine"]
    disabled = set(build["summary"].get("disabled_marts", []))
    problems: list[str] = []
    compared = 0
    for name, expected in sorted(reference["marts"].items()):
        if name not in build["marts"]:
            if name in disabled:
                continue
            error = build["summary"].get("marts", {}).get(name, {}).get("error")
            problems.append(f"{name}: built on duckdb but not on {engine}" + (f" ({error})" if error else ""))
            continue
        problems.extend(compare_marts(expected, build["marts"][name]))
        compared += 1
    for name in sorted(set(build["marts"]) - set(reference["marts"])):
        problems.append(f"{name}: built on {engine} but not on duckdb, so nothing to compare it with")
    assert compared > 0, f"no mart was compared on {engine}"
    assert not problems, f"{engine} marts differ from DuckDB's:\n" + "\n".join(problems)


@pytest.mark.postgres
def test_postgres_builds_and_passes_its_tests(postgres_build):
    assert_build_passed(postgres_build)


@pytest.mark.postgres
def test_postgres_marts_equal_duckdb(reference, postgres_build):
    check_engine_matches_reference(reference, postgres_build)


@pytest.mark.spark
def test_spark_builds_and_passes_its_tests(spark_build):
    assert_build_passed(spark_build)


@pytest.mark.spark
def test_spark_marts_equal_duckdb(reference, spark_build):
    check_engine_matches_reference(reference, spark_build)
