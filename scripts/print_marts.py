"""Print where the marts landed and a short summary of each (used by `make run`).

Usage: python scripts/print_marts.py [path/to/warehouse.duckdb]
"""

from __future__ import annotations

import os
import sys

import duckdb

MARTS_ORDER = [
    "fct_license_utilization_daily",
    "fct_license_utilization_monthly",
    "fct_utilization_by_department",
    "fct_utilization_by_role",
    "fct_utilization_by_cohort",
    "fct_utilization_milestones",
    "fct_utilization_by_definition",
    "dim_account_health",
    "fct_utilization_alerts",
]


def main(path: str) -> int:
    path = os.path.abspath(path)
    if not os.path.exists(path):
        print(f"No warehouse at {path}: run `make run` first.", file=sys.stderr)
        return 1
    con = duckdb.connect(path, read_only=True)
    tables = {
        name: rows
        for name, rows in con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    }
    print(f"\nMarts are in DuckDB file {path}, schema `marts`:")
    for name in sorted(tables, key=lambda n: (MARTS_ORDER.index(n) if n in MARTS_ORDER else 99, n)):
        count = con.execute(f"select count(*) from marts.{name}").fetchall()[0][0]
        print(f"  marts.{name:<40} {count:>8} rows")
    if "fct_license_utilization_monthly" in tables:
        as_of = con.execute("select max(date_day) from marts.fct_license_utilization_daily").fetchall()[0][0]
        print(f"\nThe accounts with the lowest utilization in the month of {as_of}:")
        print(
            con.sql(
                """
                select account_id, month_start, licensed_seats, active_users,
                       round(utilization_pct, 1) as utilization_pct, overage_users, health_band
                from marts.fct_license_utilization_monthly
                where month_start = (select max(month_start) from marts.fct_license_utilization_monthly)
                order by utilization_pct
                limit 12
                """
            )
        )
    print(f"Query them:  .venv/bin/python -c \"import duckdb; print(duckdb.connect('{path}', read_only=True)"
          ".sql('select * from marts.fct_license_utilization_monthly limit 5'))\"")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DBT_DUCKDB_PATH", "license_utilization.duckdb")))
