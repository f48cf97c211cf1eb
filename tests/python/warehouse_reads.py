"""Reads of a built DuckDB warehouse shared by the incremental tests (read-only, no lock kept)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb


def query(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one query, on a read-only connection closed at once."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def latest_account_day_builds(db_path: Path) -> dict[str, tuple[str, dt.date | None, dt.date]]:
    """model -> (build_kind, rebuilt_from, as_of_date) of its latest build in int_account_day_builds."""
    rows = query(
        db_path,
        "select model_name, build_kind, rebuilt_from, as_of_date from intermediate.int_account_day_builds "
        "qualify row_number() over (partition by model_name order by built_at desc) = 1",
    )
    return {name.split(".")[-1].strip('"'): (kind, start, as_of) for name, kind, start, as_of in rows}
