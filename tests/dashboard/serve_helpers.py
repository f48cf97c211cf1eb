"""Helpers of the serving-layer tests: paths, the dbt/mf environment, running commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
VENV_BIN = REPO_ROOT / ".venv" / "bin"


def executable(name: str) -> str:
    """`name` from the project's .venv when there, else from PATH."""
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found: run `make setup-serve` (pip install -r requirements-serve.txt)")
    return found


#: Repo entries a shadow project leaves out: dbt's outputs, environments, warehouses.
NOT_SHADOWED = {".git", ".venv", "target", "logs", "dbt_packages", ".duckdb_tmp", "__pycache__", ".pytest_cache",
                "spark-warehouse", "metastore_db"}


def shadow_project(folder: Path) -> Path:
    """A project folder whose entries are symlinks to the repo's, with its own target/ and logs/.

    dbt and mf run there, so the tests neither overwrite the repo's target/ nor read a
    target/semantic_manifest.json that another dbt run in the repo has just rewritten
    (`mf` always reads <project>/target/semantic_manifest.json, which names the database).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for entry in sorted(REPO_ROOT.iterdir()):
        if entry.name in NOT_SHADOWED or ".duckdb" in entry.name:
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


def dbt_env(warehouse: Path, project: Path) -> dict[str, str]:
    """Environment for dbt and mf: profiles and project in `project`, our warehouse."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DBT_DUCKDB_PATH": str(warehouse),
        "DBT_TARGET": "duckdb",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run_checked(args: list[str], env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    """Run a command in the project of `env`; fail the test with its output if it fails."""
    started = time.monotonic()
    result = subprocess.run(args, cwd=env["DBT_PROJECT_DIR"], env=env, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(args)}` exited {result.returncode} after {time.monotonic() - started:.0f} s:\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
        )
    return result
