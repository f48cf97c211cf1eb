"""Where the warehouse is and which thresholds the bands use.

The dashboard reads the DuckDB file dbt builds: `DBT_DUCKDB_PATH` (the same variable
profiles.yml reads), else `license_utilization.duckdb` at the repository root. A relative
path is taken from the repository root, where dbt runs.

The band thresholds and the renewal horizon are the project's vars
(`at_risk_utilization_pct`, `strong_utilization_pct`, `pre_renewal_days` in
dbt_project.yml), so the lines drawn on the charts are the ones the marts were built
with. `LU_AT_RISK_PCT`, `LU_STRONG_PCT` and `LU_RENEWAL_DAYS` override them for a
warehouse built with `--vars`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_WAREHOUSE = REPO_ROOT / "license_utilization.duckdb"


def warehouse_path() -> Path:
    """The DuckDB file to read (never written: it is opened read-only)."""
    configured = os.environ.get("DBT_DUCKDB_PATH")
    if not configured:
        return DEFAULT_WAREHOUSE
    path = Path(configured).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


@dataclass(frozen=True)
class Thresholds:
    """Band thresholds (percent) and the renewal horizon (days)."""

    at_risk_pct: float = 60.0
    strong_pct: float = 80.0
    renewal_days: int = 90


def _project_vars() -> dict:
    try:
        project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    except (OSError, yaml.YAMLError):
        return {}
    return (project or {}).get("vars") or {}


def thresholds() -> Thresholds:
    """The thresholds of dbt_project.yml, overridden by LU_* environment variables."""
    defaults = Thresholds()
    project_vars = _project_vars()

    def pick(env: str, var: str, default: float) -> float:
        value = os.environ.get(env) or project_vars.get(var)
        return float(value) if value is not None else default

    return Thresholds(
        at_risk_pct=pick("LU_AT_RISK_PCT", "at_risk_utilization_pct", defaults.at_risk_pct),
        strong_pct=pick("LU_STRONG_PCT", "strong_utilization_pct", defaults.strong_pct),
        renewal_days=int(pick("LU_RENEWAL_DAYS", "pre_renewal_days", defaults.renewal_days)),
    )
