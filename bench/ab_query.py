#!/usr/bin/env python3
"""Time two versions of one model's query against the same built warehouse, in alternation.

Before/after builds mislead on a shared machine: a single pair of `dbt build` runs of the
same model can differ by a second or more with no change in the code (the host, not the
project). This script times the query alone, old and new in turn (A B B A A B ...), so both
see the same phases of the machine, and checks that they return the same rows.

    python bench/ab_query.py --db /tmp/m.duckdb --catalog m \\
        --a old/target/compiled/.../base_license__events_exceptions.sql \\
        --b new/target/compiled/.../base_license__events_exceptions.sql \\
        --repeat 4 --ignore-columns decided_at

Each file is a model's compiled select (target/compiled/...), or the statement dbt ran
(target/run/...: `create table ... as (select ...)`, whose select is used). The select is
materialised as a temporary table in memory, so the timing covers the query, not the
write to disk. `--catalog` is the database name the compiled SQL qualifies relations with
(the DuckDB file's stem when dbt built it); the file is attached read-only under that name.
Relative paths in the SQL (a raw_path) resolve from `--cwd`.

Prints each run's wall and CPU seconds, the best and median of each side, in how many
pairs the second query was the faster, whether both returned the same rows (except-all
both ways, without the --ignore-columns, such as build timestamps), and a last line for
scripts: `ab a_best_s=.. b_best_s=.. a_median_s=.. b_median_s=.. b_faster_pairs=k/n equal=..`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import duckdb

CREATE_AS = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+\S+\s+as\s*\((.*)\)\s*;?\s*$",
                       re.IGNORECASE | re.DOTALL)


def select_of(sql: str) -> str:
    """The select of a compiled model, or of dbt's `create table ... as (select)`."""
    match = CREATE_AS.match(sql)
    body = match.group(1) if match else sql
    return body.strip().rstrip(";").strip()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_once(con: duckdb.DuckDBPyConnection, table: str, query: str) -> tuple[float, float]:
    """(wall, CPU) seconds to materialise `query` as the temporary table `table`."""
    cpu, started = _cpu_seconds(), time.perf_counter()
    con.execute(f"create or replace temp table {table} as {query}")
    return time.perf_counter() - started, _cpu_seconds() - cpu


def order(repeat: int) -> list[str]:
    """A B B A A B B A ...: each side goes first as often as the other."""
    pairs = [("a", "b") if i % 2 == 0 else ("b", "a") for i in range(repeat)]
    return [side for pair in pairs for side in pair]


def differing_rows(con: duckdb.DuckDBPyConnection, ignore: list[str]) -> tuple[int, int]:
    """Rows only in a's result, rows only in b's (multisets), without the ignored columns."""
    columns = [row[0] for row in con.execute("describe ab_a").fetchall()]
    other = {row[0] for row in con.execute("describe ab_b").fetchall()}
    if set(columns) != other:
        raise SystemExit(f"the two queries return different columns: {sorted(set(columns) ^ other)}")
    kept = ", ".join(f'"{c}"' for c in columns if c not in ignore)
    only = []
    for first, second in (("ab_a", "ab_b"), ("ab_b", "ab_a")):
        sql = f"select count(*) from (select {kept} from {first} except all select {kept} from {second})"
        only.append(con.execute(sql).fetchone()[0])
    return only[0], only[1]


def run(db: Path, catalog: str, sql_a: str, sql_b: str, repeat: int, threads: int, memory_limit: str,
        ignore: list[str]) -> dict:
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit,
                                 "preserve_insertion_order": False})
    con.execute(f"attach '{db}' as \"{catalog}\" (read_only)")
    con.execute(f'use "{catalog}"')
    queries = {"a": select_of(sql_a), "b": select_of(sql_b)}
    runs: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
    for side in order(repeat):
        runs[side].append(time_once(con, f"ab_{side}", queries[side]))
    only_a, only_b = differing_rows(con, ignore)
    walls = {side: [wall for wall, _ in runs[side]] for side in runs}
    return {
        "runs": {side: [{"wall_s": round(w, 3), "cpu_s": round(c, 2)} for w, c in runs[side]] for side in runs},
        "a_best_s": round(min(walls["a"]), 3),
        "b_best_s": round(min(walls["b"]), 3),
        "a_median_s": round(statistics.median(walls["a"]), 3),
        "b_median_s": round(statistics.median(walls["b"]), 3),
        "b_faster_pairs": sum(b < a for a, b in zip(walls["a"], walls["b"])),
        "pairs": repeat,
        "rows_only_in_a": only_a,
        "rows_only_in_b": only_b,
        "equal": only_a == 0 and only_b == 0,
    }


def summary_line(result: dict) -> str:
    return (f"ab a_best_s={result['a_best_s']} b_best_s={result['b_best_s']} "
            f"a_median_s={result['a_median_s']} b_median_s={result['b_median_s']} "
            f"b_faster_pairs={result['b_faster_pairs']}/{result['pairs']} "
            f"equal={'yes' if result['equal'] else 'no'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a DuckDB file dbt built (opened read-only)")
    parser.add_argument("--catalog", help="the database name the SQL qualifies relations with (default: the file's stem)")
    parser.add_argument("--a", type=Path, required=True, help="the first (old) version's SQL file")
    parser.add_argument("--b", type=Path, required=True, help="the second (new) version's SQL file")
    parser.add_argument("--repeat", type=int, default=4, help="pairs of runs (default: 4)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DUCKDB_THREADS", "2")))
    parser.add_argument("--memory-limit", default=os.environ.get("DUCKDB_MEMORY_LIMIT", "4GB"))
    parser.add_argument("--ignore-columns", default="", help="comma-separated columns left out of the row check")
    parser.add_argument("--cwd", type=Path, help="folder relative paths in the SQL resolve from (default: here)")
    parser.add_argument("--json", type=Path, help="also write the result as JSON to this file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    db = args.db.resolve()
    sql_a, sql_b = args.a.read_text(), args.b.read_text()
    if args.cwd:
        os.chdir(args.cwd)
    ignore = [c.strip() for c in args.ignore_columns.split(",") if c.strip()]
    result = run(db, args.catalog or db.stem, sql_a, sql_b, args.repeat, args.threads, args.memory_limit, ignore)
    for side in ("a", "b"):
        shown = ", ".join(f"{r['wall_s']:.2f} s ({r['cpu_s']:.1f} CPU s)" for r in result["runs"][side])
        print(f"[ab] {side}: {shown}")
    print(f"[ab] rows only in a: {result['rows_only_in_a']}, only in b: {result['rows_only_in_b']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(summary_line(result))
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
