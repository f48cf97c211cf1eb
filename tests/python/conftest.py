"""Shared fixtures: running the real dbt project on a fixture dataset and reading its marts.

Interface used (CONTRACT section 1):
- repo root = the parent of ``tests/``; dbt = ``<repo>/.venv/bin/dbt`` if it exists, else
  ``dbt`` on PATH (override with the environment variable ``LICENSE_UTILIZATION_DBT``;
  extra arguments for every build, e.g. ``--threads 4``, in ``LICENSE_UTILIZATION_DBT_ARGS``);
- ``dbt build --project-dir <repo> --profiles-dir <repo> --target-path <tmp>/target
  --log-path <tmp>/logs --vars '{raw_path: <dir with the 5 CSVs>, ...}'`` with
  ``DBT_DUCKDB_PATH=<tmp>/warehouse.duckdb``;
- marts are read from schema ``marts`` of that DuckDB file, read-only, after dbt exits.

A dbt invocation costs several seconds, so each (dataset, configuration) is built once
per test session and cached; tests then assert many things on the cached marts.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the helper modules next to this file, whatever the import mode
    sys.path.insert(0, str(HERE))

import datasets  # noqa: E402
from marts_compare import MARTS  # noqa: E402

REPO_ROOT = HERE.parents[1]
DBT_TIMEOUT_SECONDS = int(os.environ.get("LICENSE_UTILIZATION_DBT_TIMEOUT", "1800"))


def dbt_executable() -> str | None:
    override = os.environ.get("LICENSE_UTILIZATION_DBT")
    if override:
        return override
    venv_dbt = REPO_ROOT / ".venv" / "bin" / "dbt"
    if venv_dbt.exists():
        return str(venv_dbt)
    return shutil.which("dbt")


@dataclass
class DbtRun:
    """One finished ``dbt build``."""

    returncode: int
    output: str  # stdout + stderr
    db_path: Path
    workdir: Path
    vars: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


class DbtProject:
    """Runs ``dbt build`` of the repo in throw-away directories."""

    def __init__(self, executable: str, root: Path, scratch: Path) -> None:
        self.executable = executable
        self.root = root
        self.scratch = scratch
        self._count = 0

    def build(self, raw_dir: Path | None, vars: dict[str, Any], label: str) -> DbtRun:
        """``dbt build`` of the raw files in ``raw_dir`` (None: the bundled seeds)."""
        self._count += 1
        workdir = self.scratch / f"{self._count:02d}-{label}"
        workdir.mkdir(parents=True)
        all_vars = {**({"raw_path": str(raw_dir)} if raw_dir is not None else {}), **vars}
        return self.run("build", workdir / "warehouse.duckdb", workdir, all_vars)

    def run(self, command_name: str, db_path: Path, workdir: Path, all_vars: dict[str, Any],
            extra_args: tuple[str, ...] = ()) -> DbtRun:
        """Any dbt command against the DuckDB file ``db_path``; output kept in ``workdir``."""
        workdir.mkdir(parents=True, exist_ok=True)
        command = [
            self.executable, command_name,
            "--project-dir", str(self.root),
            "--profiles-dir", str(self.root),
            "--target-path", str(workdir / "target"),
            "--log-path", str(workdir / "logs"),
            "--vars", json.dumps(all_vars),
            *extra_args,
            *shlex.split(os.environ.get("LICENSE_UTILIZATION_DBT_ARGS", "")),
        ]
        env = {
            **os.environ,
            "DBT_DUCKDB_PATH": str(db_path),
            "DBT_USE_COLORS": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
        proc = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True,
                              timeout=DBT_TIMEOUT_SECONDS)
        output = proc.stdout + ("\n" + proc.stderr if proc.stderr else "")
        (workdir / f"dbt_{command_name}_output.txt").write_text(" ".join(command) + "\n\n" + output)
        return DbtRun(proc.returncode, output, db_path, workdir, all_vars)


def read_marts(db_path: Path) -> dict[str, Any]:
    """The four marts as DataFrames, read from the DuckDB file without locking it."""
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {mart: con.execute(f"select * from marts.{mart}").df() for mart in MARTS}
    finally:
        con.close()


@pytest.fixture(scope="session")
def dbt_project(tmp_path_factory) -> DbtProject:
    if not (REPO_ROOT / "dbt_project.yml").exists():
        pytest.skip(f"no dbt_project.yml in {REPO_ROOT}")
    executable = dbt_executable()
    if executable is None:
        pytest.skip("dbt not found: run `make setup` (creates .venv/bin/dbt) or put dbt on PATH")
    pytest.importorskip("duckdb")
    return DbtProject(executable, REPO_ROOT, tmp_path_factory.mktemp("dbt"))


@pytest.fixture(scope="session")
def raw_dirs(tmp_path_factory) -> Callable[[str], Path]:
    """dataset name -> directory holding its five CSV files (written once)."""
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            cache[name] = datasets.write_dataset(name, tmp_path_factory.mktemp(f"raw-{name}"))
        return cache[name]

    return get


@pytest.fixture(scope="session")
def dbt_builds(dbt_project, raw_dirs) -> Callable[..., DbtRun]:
    """(dataset, config, as_of) -> the finished dbt build, run once per session.

    ``as_of`` is "fixed" (the dataset's as_of_date var) or "null" (var not passed).
    ``extra_vars`` (a dict) is for builds expected to fail; it is part of the cache key.
    """
    cache: dict[str, DbtRun] = {}

    def get(dataset: str, config: str = "default", as_of: str = "fixed",
            extra_vars: dict[str, Any] | None = None) -> DbtRun:
        key = json.dumps([dataset, config, as_of, extra_vars or {}], sort_keys=True)
        if key not in cache:
            vars = dict(datasets.CONFIGS[config])
            if as_of == "fixed":
                vars["as_of_date"] = datasets.dataset_as_of(dataset)
            vars.update(extra_vars or {})
            label = f"{dataset}-{config}-{as_of}" + ("-extra" if extra_vars else "")
            cache[key] = dbt_project.build(raw_dirs(dataset), vars, label)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def dbt_marts(dbt_builds) -> Callable[..., dict[str, Any]]:
    """(dataset, config, as_of) -> the four marts of a successful build (fails otherwise)."""
    cache: dict[str, dict[str, Any]] = {}

    def get(dataset: str, config: str = "default", as_of: str = "fixed") -> dict[str, Any]:
        run = dbt_builds(dataset, config, as_of)
        if not run.ok:
            pytest.fail(
                f"dbt build failed for dataset={dataset} config={config} as_of={as_of} "
                f"(exit {run.returncode}; full output in {run.workdir}/dbt_build_output.txt):\n{run.tail()}",
                pytrace=False,
            )
        key = run.db_path.as_posix()
        if key not in cache:
            cache[key] = read_marts(run.db_path)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def sample_build(dbt_project) -> DbtRun:
    """``dbt build`` of the bundled sample data (the seeds), with every data and unit test.

    This is the suite's one build of the sample warehouse: `make test` relies on it for
    "dbt build passes on the sample data".
    """
    run = dbt_project.build(None, {}, "sample")
    if not run.ok:
        pytest.fail(f"dbt build of the sample data failed (exit {run.returncode}; output in "
                    f"{run.workdir}):\n{run.tail()}", pytrace=False)
    return run
