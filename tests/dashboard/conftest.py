"""Fixtures of the serving-layer tests: one built warehouse for the whole session.

The warehouse is built once, with the sample data, by `dbt build` into a temporary
DuckDB file (`DBT_DUCKDB_PATH`). dbt runs in a shadow of the project (symlinks to the
repo's files, its own target/), where it also writes `target/semantic_manifest.json`,
which `mf` reads. Set `LU_TEST_WAREHOUSE` to an already built DuckDB file to skip the
build (a `dbt parse` then writes the semantic manifest).

Every test reads the marts read-only; the expected numbers are computed here with plain
SQL over the marts, never with the code under test.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # helper modules next to this file, whatever the import mode
    sys.path.insert(0, str(HERE))

from serve_helpers import dbt_env, executable, run_checked, shadow_project  # noqa: E402


@pytest.fixture(scope="session")
def dbt_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder dbt and mf run in: a shadow of the repo with its own target/."""
    return shadow_project(tmp_path_factory.mktemp("project") / "license_utilization")


@pytest.fixture(scope="session")
def warehouse(dbt_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with every mart built from the sample data."""
    reuse = os.environ.get("LU_TEST_WAREHOUSE")
    if reuse:
        path = Path(reuse).resolve()
        if not path.exists():
            pytest.fail(f"LU_TEST_WAREHOUSE={reuse} does not exist")
        run_checked([executable("dbt"), "parse", "--quiet"], dbt_env(path, dbt_project))
        return path
    path = tmp_path_factory.mktemp("warehouse") / "license_utilization.duckdb"
    run_checked([executable("dbt"), "build", "--quiet"], dbt_env(path, dbt_project))
    return path


@pytest.fixture(scope="session")
def dbt_environment(warehouse: Path, dbt_project: Path) -> dict[str, str]:
    """The environment to run dbt or mf in against the built warehouse."""
    return dbt_env(warehouse, dbt_project)


@pytest.fixture(scope="session")
def marts(warehouse: Path):
    """Run SQL over the built warehouse (read-only) and get a DataFrame."""

    def read(sql: str, params: list | None = None) -> pd.DataFrame:
        connection = duckdb.connect(str(warehouse), read_only=True)
        try:
            return connection.execute(sql, params or []).df()
        finally:
            connection.close()

    return read


@pytest.fixture()
def dashboard_env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the dashboard at the built warehouse, with the project's default thresholds."""
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(warehouse))
    for name in ("LU_AT_RISK_PCT", "LU_STRONG_PCT", "LU_RENEWAL_DAYS"):
        monkeypatch.delenv(name, raising=False)
    return warehouse
