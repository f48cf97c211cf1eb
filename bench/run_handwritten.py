#!/usr/bin/env python3
"""Run the hand-written daily utilization query (bench/handwritten_daily.sql) on raw files.

Materialises the query's result as the table `fct_license_utilization_daily` in a fresh
DuckDB file, with the same engine settings the dbt profile uses (threads, memory_limit,
temp_directory), and prints one JSON line: {"seconds": .., "rows": .., "db": ..}.

bench/run_bench.py runs this script as a child process, so that its wall time and peak
memory are measured the same way as those of `dbt build`. It is also handy on its own:

    python bench/run_handwritten.py --raw-path bench/data/S --db /tmp/handwritten.duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import duckdb

BENCH_DIR = Path(__file__).resolve().parent
SQL_FILE = BENCH_DIR / "handwritten_daily.sql"
TABLE = "fct_license_utilization_daily"


def render(raw_path: Path) -> str:
    """The query with its {raw_path} placeholder substituted (an absolute path)."""
    path = str(raw_path.resolve()).replace("'", "''")
    return SQL_FILE.read_text().replace("{raw_path}", path)


def run(raw_path: Path, db: Path, threads: int, memory_limit: str, temp_dir: Path) -> dict:
    """Create `TABLE` in a fresh `db` from the query; returns timing and row count."""
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    temp_dir.mkdir(parents=True, exist_ok=True)
    sql = render(raw_path)
    started = time.perf_counter()
    con = duckdb.connect(
        str(db),
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": str(temp_dir),
            "preserve_insertion_order": False,
        },
    )
    con.execute(f"create table {TABLE} as {sql}")
    con.execute("checkpoint")
    seconds = time.perf_counter() - started
    rows = con.execute(f"select count(*) from {TABLE}").fetchone()[0]
    con.close()
    return {"seconds": round(seconds, 3), "rows": rows, "db": str(db)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-path", type=Path, required=True, help="folder of the raw Parquet tables")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to create (replaced)")
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("DUCKDB_THREADS", "2")),
        help="DuckDB threads (default: $DUCKDB_THREADS or 2, as profiles.yml)",
    )
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("DUCKDB_MEMORY_LIMIT", "4GB"),
        help="DuckDB memory_limit (default: $DUCKDB_MEMORY_LIMIT or 4GB, as profiles.yml)",
    )
    parser.add_argument(
        "--temp-dir",
        type=Path,
        default=Path(os.environ.get("DUCKDB_TEMP_DIRECTORY", ".duckdb_tmp")),
        help="DuckDB temp_directory for spilling (default: $DUCKDB_TEMP_DIRECTORY or .duckdb_tmp)",
    )
    parser.add_argument("--print-sql", action="store_true", help="print the rendered query and exit")
    args = parser.parse_args(argv)
    if args.print_sql:
        print(render(args.raw_path))
        return 0
    result = run(args.raw_path, args.db, args.threads, args.memory_limit, args.temp_dir)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
