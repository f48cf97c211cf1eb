"""Build the project on one engine and export its marts, for the portability tests.

    python scripts/portability/build_engine.py ENGINE --work DIR [--seeds DIR] [--vars YAML]

ENGINE is a target of profiles.yml: duckdb, postgres or spark. The script

1. copies the project (without .venv, target, logs, warehouses) to DIR/ENGINE/project,
   optionally with the seed CSVs of --seeds instead of seeds/, so that runs on
   several engines never share a target folder, a DuckDB file or a Spark metastore
   with each other or with a developer's own `dbt build`;
2. runs `dbt build` there (seeds, models, tests) in this very process through
   dbt's Python API: on Spark (session mode) the SparkSession that dbt started is
   still alive afterwards, so reading the marts back costs no second JVM start;
3. writes every mart the engine built (models in the `marts` and `audit` schemas;
   env LU_PORTABILITY_SCHEMAS) to
   DIR/ENGINE/marts/<model>.json: columns, rows (values normalised to JSON: dates as
   ISO text, decimals as floats) and the mart's key (from its
   unique_combination_of_columns / unique test), plus DIR/ENGINE/summary.json
   (success, timings, marts built, marts disabled on this engine).

With --incremental-check (PostgreSQL: DuckDB's tests cover it there, Spark rebuilds
every model), the script then appends a batch to the staged events seed (a new day, late
events of an older day, a repeated id and a conflicting copy: append_event_batch), runs
`dbt build` again (the incremental paths), exports every table of the staging,
intermediate, marts and audit schemas to DIR/ENGINE/incremental/, runs `dbt build
--full-refresh` and exports them again to DIR/ENGINE/full_refresh/; the summary's
`incremental_check` says how each step went.

PostgreSQL connection settings come from the PG* environment variables (see
pg_server.sh). Exit status: 0 when dbt build passed and the marts were exported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import math
import os
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENGINES = ("duckdb", "postgres", "spark")
MART_SCHEMAS = tuple(
    s.strip() for s in os.environ.get("LU_PORTABILITY_SCHEMAS", "marts,audit").split(",") if s.strip()
)
# What is not part of the project itself and must not be copied.
SKIP_NAMES = {
    ".git", ".venv", "target", "logs", "dbt_packages", ".duckdb_tmp", "spark-warehouse",
    "metastore_db", "derby.log", "__pycache__", ".pytest_cache", "bench",
}
SKIP_SUFFIXES = (".duckdb", ".duckdb.wal")
# The schemas whose tables the incremental check compares with a full refresh.
CHECKED_SCHEMAS = ("staging", "intermediate", "marts", "audit")


def log(message: str) -> None:
    print(f"[portability] {message}", file=sys.stderr, flush=True)


def stage_project(dest: Path, seeds: Path | None) -> None:
    """Copy the project to dest (fresh), with seeds from `seeds` when given."""
    if dest.exists():
        shutil.rmtree(dest)

    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP_NAMES or n.endswith(SKIP_SUFFIXES)}

    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)
    if seeds is not None:
        # The five raw tables' seeds (seeds/sample/ in this project) are
        # replaced by the CSVs of `seeds`; other seeds (rule tables) stay.
        replaced = {csv.name for csv in Path(seeds).glob("*.csv")}
        raw_dirs = {old.parent for old in (dest / "seeds").rglob("*.csv") if old.name in replaced}
        for folder in raw_dirs:
            for old in folder.glob("*.csv"):
                if old.name in replaced:
                    old.unlink()
        target = sorted(raw_dirs)[0] if raw_dirs else dest / "seeds" / "sample"
        target.mkdir(parents=True, exist_ok=True)
        for csv in sorted(Path(seeds).glob("*.csv")):
            shutil.copy2(csv, target / csv.name)


def normalise(value):
    """A database value as plain JSON: the same figure reads the same on every engine."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return normalise(value.item())
    return str(value)


class Reader:
    """Reads a whole relation with the engine's own client."""

    def __init__(self, engine: str, duckdb_path: Path | None):
        self.engine = engine
        if engine == "duckdb":
            import duckdb
            from dbt.adapters.duckdb.connections import DuckDBConnectionManager

            # dbt-duckdb keeps the database open in this process: close it first.
            DuckDBConnectionManager.close_all_connections()
            self.conn = duckdb.connect(str(duckdb_path), read_only=True)
        elif engine == "postgres":
            import psycopg2

            self.conn = psycopg2.connect(
                host=os.environ.get("PGHOST", "127.0.0.1"),
                port=int(os.environ.get("PGPORT", "5432")),
                user=os.environ.get("PGUSER", "postgres"),
                password=os.environ.get("PGPASSWORD", ""),
                dbname=os.environ.get("PGDATABASE", "postgres"),
            )
        elif engine == "spark":
            from pyspark.sql import SparkSession

            # The session dbt created in this process (getOrCreate returns it).
            self.spark = SparkSession.builder.getOrCreate()
        else:
            raise ValueError(engine)

    def read(self, relation: str) -> tuple[list[str], list[list]]:
        sql = f"select * from {relation}"
        if self.engine == "spark":
            frame = self.spark.sql(sql)
            columns = [c.lower() for c in frame.columns]
            rows = [[normalise(v) for v in row] for row in frame.collect()]
            return columns, rows
        cursor = self.conn.cursor()
        cursor.execute(sql)
        columns = [d[0].lower() for d in cursor.description]
        rows = [[normalise(v) for v in row] for row in cursor.fetchall()]
        cursor.close()
        return columns, rows

    def close(self) -> None:
        if self.engine in ("duckdb", "postgres"):
            self.conn.close()


def mart_keys(manifest: dict) -> dict[str, list[str]]:
    """model unique_id -> its key columns, from the grain tests."""
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        attached = node.get("attached_node")
        if node["resource_type"] != "test" or not attached:
            continue
        kwargs = meta.get("kwargs") or {}
        if meta.get("name") == "unique_combination_of_columns":
            columns = kwargs.get("combination_of_columns") or (kwargs.get("arguments") or {}).get(
                "combination_of_columns"
            )
            if columns:
                keys[attached] = [c.lower() for c in columns]
        elif meta.get("name") == "unique" and attached not in keys and kwargs.get("column_name"):
            keys[attached] = [kwargs["column_name"].lower()]
    return keys


def append_event_batch(events_csv: Path) -> int:
    """Append a batch to the events seed, as a daily load brings one: the latest day's events
    again one day later (new ids), the events of the day five days earlier again with new ids
    one second later (late events of a day counted before), an event of the day fifteen days
    earlier sent again as it was (a repeated id) and one sent again with another event name on
    the new day (a conflicting copy). Returns the rows appended."""
    import csv

    with events_csv.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        rows = list(reader)

    def at(row: dict) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(row["event_ts"].strip())
        except ValueError:
            return None

    stamped = [(at(row), row) for row in rows if at(row) is not None]
    last_day = max(ts.date() for ts, _ in stamped)
    late_day = last_day - dt.timedelta(days=5)
    batch = []
    for ts, row in stamped:
        if ts.date() == last_day:
            batch.append({**row, "event_id": f"inc_new_{len(batch):05d}",
                          "event_ts": str(ts + dt.timedelta(days=1))})
        elif ts.date() == late_day:
            batch.append({**row, "event_id": f"inc_late_{len(batch):05d}",
                          "event_ts": str(ts + dt.timedelta(seconds=1))})
    old = [row for ts, row in stamped if ts.date() == last_day - dt.timedelta(days=15)]
    batch.append(dict(old[0]))
    batch.append({**old[1], "event_name": "conflicting_" + old[1]["event_name"],
                  "event_ts": str(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(12)))})
    with events_csv.open("a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields).writerows(batch)
    return len(batch)


def export_models(manifest: dict, reader: "Reader", schemas: tuple[str, ...], folder: Path) -> dict[str, dict]:
    """Write every built model of `schemas` to folder/<model>.json (columns, rows, and the key
    from its grain tests); returns model -> {"rows", "keys"}, or {"error"} for a model that
    could not be read (not built: dbt build reported why)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = mart_keys(manifest)
    exported: dict[str, dict] = {}
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model" or node["schema"] not in schemas:
            continue
        if node["config"].get("materialized") == "ephemeral":
            continue
        try:
            columns, rows = reader.read(node["relation_name"])
        except Exception as exc:
            exported[node["name"]] = {"error": str(exc).splitlines()[0][:500]}
            continue
        model_keys = keys.get(unique_id, [])
        (folder / f"{node['name']}.json").write_text(
            json.dumps({"model": node["name"], "keys": model_keys, "columns": columns, "rows": rows})
        )
        exported[node["name"]] = {"rows": len(rows), "keys": model_keys}
    return exported


def carried_plans(compiled: Path) -> dict[str, dict]:
    """model -> {plan name: plan}: the plans the incremental models carried in their compiled
    SQL (`/* plan <name>: <json> */`, macros/rules/carried_plans.sql)."""
    plans: dict[str, dict] = {}
    for path in sorted(compiled.rglob("*.sql")):
        for match in re.finditer(r"/\* plan (\w+): (.*?) \*/", path.read_text()):
            plans.setdefault(path.stem, {})[match.group(1)] = json.loads(match.group(2))
    return plans


def incremental_check(engine: str, dbt_args: list[str], project: Path, base: Path) -> dict:
    """A batch appended to the events seed, built incrementally and then with --full-refresh:
    every table exported after each (see the module doc)."""
    from dbt.cli.main import dbtRunner

    check = {"appended_events": append_event_batch(project / "seeds" / "sample" / "events.csv"), "steps": {}}
    for step, extra in (("incremental", []), ("full_refresh", ["--full-refresh"])):
        started = time.monotonic()
        shutil.rmtree(base / step, ignore_errors=True)
        result = dbtRunner().invoke(dbt_args + extra)
        manifest = json.loads((project / "target" / "manifest.json").read_text())
        reader = Reader(engine, None)
        try:
            exported = export_models(manifest, reader, CHECKED_SCHEMAS, base / step)
        finally:
            reader.close()
        problems = [f"{name}: {info['error']}" for name, info in exported.items() if "error" in info]
        check["steps"][step] = {
            "dbt_success": bool(result.success),
            "problems": problems,
            "seconds": round(time.monotonic() - started, 1),
            "plans": carried_plans(project / "target" / "compiled"),
        }
        log(f"{engine}: {step} build {'passed' if result.success else 'FAILED'}; tables exported to {base / step}")
    return check


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=ENGINES)
    parser.add_argument("--work", required=True, type=Path, help="work folder (shared by all engines)")
    parser.add_argument("--seeds", type=Path, default=None, help="folder of seed CSVs to use instead of seeds/")
    parser.add_argument("--vars", default=os.environ.get("LU_PORTABILITY_VARS", ""), help="dbt --vars")
    parser.add_argument("--threads", default=None, help="dbt --threads")
    parser.add_argument("--incremental-check", action="store_true",
                        help="then build a batch incrementally and with --full-refresh (see above)")
    args = parser.parse_args()

    engine = args.engine
    base = (args.work / engine).resolve()
    project = base / "project"
    marts_dir = base / "marts"
    summary_path = base / "summary.json"
    base.mkdir(parents=True, exist_ok=True)
    # Idempotent: nothing of an earlier run in the same work folder survives.
    for old in ("marts", "incremental", "full_refresh", "spark-warehouse", "duckdb_tmp", "logs"):
        shutil.rmtree(base / old, ignore_errors=True)
    for old in ("warehouse.duckdb", "warehouse.duckdb.wal", "summary.json"):
        (base / old).unlink(missing_ok=True)
    marts_dir.mkdir(parents=True)

    started = time.monotonic()
    stage_project(project, args.seeds)
    duckdb_path = base / "warehouse.duckdb"
    os.environ["DBT_DUCKDB_PATH"] = str(duckdb_path)
    os.environ["DUCKDB_TEMP_DIRECTORY"] = str(base / "duckdb_tmp")
    os.environ["LU_PROJECT_DIR"] = str(project)
    os.environ["DBT_PROFILES_DIR"] = str(project)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    if engine == "spark":
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ["SPARK_WAREHOUSE_DIR"] = str(base / "spark-warehouse")
    # Spark keeps its metastore (metastore_db/, derby.log) in the working folder.
    os.chdir(project)

    from dbt.cli.main import dbtRunner

    dbt_args = [
        "build", "--target", engine, "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(project / "target"), "--log-path", str(base / "logs"),
    ]
    if args.vars:
        dbt_args += ["--vars", args.vars]
    if args.threads:
        dbt_args += ["--threads", str(args.threads)]
    log(f"{engine}: dbt {' '.join(dbt_args)}")
    result = dbtRunner().invoke(dbt_args)
    build_seconds = time.monotonic() - started
    summary = {
        "engine": engine,
        "dbt_success": bool(result.success),
        "dbt_exception": None if result.exception is None else str(result.exception),
        "build_seconds": round(build_seconds, 1),
        "failures": [],
        "marts": {},
        "disabled_marts": [],
    }
    if result.result is not None and hasattr(result.result, "results"):
        for node_result in result.result.results:
            status = str(getattr(node_result.status, "value", node_result.status))
            if status not in ("success", "pass", "skipped", "warn", "no-op"):
                summary["failures"].append(
                    {"node": node_result.node.unique_id, "status": status, "message": node_result.message}
                )

    manifest_path = project / "target" / "manifest.json"
    exit_code = 0 if result.success else 1
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        reader = Reader(engine, duckdb_path)
        try:
            summary["marts"] = export_models(manifest, reader, MART_SCHEMAS, marts_dir)
        finally:
            reader.close()
        if any("error" in info for info in summary["marts"].values()):
            exit_code = 1
        # Models disabled on this engine by config (e.g. Python models); their
        # `schema` may be unrendered, so their folder counts too.
        for disabled in (manifest.get("disabled") or {}).values():
            for node in disabled:
                folder = f"/{node.get('original_file_path', '')}"
                if node.get("resource_type") == "model" and (
                    node.get("schema") in MART_SCHEMAS or any(f"/{s}/" in folder for s in MART_SCHEMAS)
                ):
                    summary["disabled_marts"].append(node["name"])
    else:
        exit_code = 1
    if args.incremental_check and exit_code == 0:
        summary["incremental_check"] = incremental_check(engine, dbt_args, project, base)
    summary["total_seconds"] = round(time.monotonic() - started, 1)
    summary_path.write_text(json.dumps(summary, indent=2))
    log(
        f"{engine}: dbt build {'passed' if result.success else 'FAILED'} in {build_seconds:.0f} s; "
        f"{len(summary['marts'])} marts exported, total {summary['total_seconds']:.0f} s"
    )
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
