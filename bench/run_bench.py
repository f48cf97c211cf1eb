#!/usr/bin/env python3
"""Benchmark the license_utilization dbt project against a hand-written DuckDB query.

One run at one scale (see bench/generate.py for the scales) does, in order:

1. Data: generates bench/data/<scale>/ unless it is there (with the same seed and generator
   version), and removes any extra day a previous run appended.
2. Full build: `dbt build --vars '{raw_path: bench/data/<scale>}'` into a fresh DuckDB file,
   with its own --target-path / --log-path under bench/results/tmp/<scale>/. Wall time,
   peak RSS of the dbt process tree, and per-node times from target/run_results.json.
3. Hand-written query: bench/handwritten_daily.sql via bench/run_handwritten.py (a child
   process, measured the same way), on the same files, same engine settings. Its result is
   compared with marts.fct_license_utilization_daily: same keys, same numbers.
4. Incremental day: the events of the day after the last one are written as a new file
   DIR/events/events_YYYY_MM_DD.parquet and `dbt build` runs again on the same DuckDB file
   (what the project does with new data today: full rebuild or incremental models). The
   mart is checked again against the hand-written query on the grown data (untimed unless
   --time-second-check). The extra file is removed at the end.
   With --source warehouse, the landing folder is first loaded into tables of the schema
   `landing` of that DuckDB file (as a warehouse holding the same data would), dbt reads them
   with --vars '{raw_schema: landing}', and the extra day is inserted into landing.events;
   results go to <scale>-warehouse.json. The loading is timed apart, outside every dbt figure.
   With --repeat N, steps 2-4 run N times (each round on a fresh database) and each reported
   time is the best of the N rounds, as timeit does: on a shared machine other load only ever
   adds time. Every round's figures stay in <scale>.json under `rounds`.
5. Results: bench/results/<scale>.json, bench/results/README.md (a table of every scale run
   so far), bench/results/time_by_scale.png, and a last line for machines:

   bench scale=S events=N full_build_s=.. daily_models_s=.. handwritten_s=.. ratio=..
         incremental_s=.. incremental_share=.. peak_rss_mb=..

   (on one line) where daily_models_s = the summed run_results execution times of the models
   upstream of fct_license_utilization_daily (itself included; DAG from manifest.json),
   ratio = daily_models_s / handwritten_s, incremental_share = summed model time of the
   incremental build / that of the full build, peak_rss_mb = peak RSS of the full build.

Engine settings come from DUCKDB_THREADS / DUCKDB_MEMORY_LIMIT (profiles.yml defaults: 2 and
4GB) or --threads / --memory-limit, and apply to dbt and to the hand-written query alike.

Usage:
    python bench/run_bench.py --scale S          # or: make bench SCALE=S
    python bench/run_bench.py --scale XS --skip-incremental
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = Path(sys.executable).parent
DAILY_MART = "fct_license_utilization_daily"
SCALE_ORDER = ["XS", "S", "M", "L"]

sys.path.insert(0, str(BENCH_DIR))
import generate  # noqa: E402  (bench/generate.py, next to this file)


# --------------------------------------------------------------------------- measuring


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory (KiB) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/stat") as handle:
                stat = handle.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss[pid] = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_measured(cmd: list[str], env: dict[str, str], log_path: Path) -> dict:
    """Run `cmd`; wall seconds, exit code and peak RSS (MiB) of its process tree.

    Peak RSS is the larger of (a) the kernel's exact peak of the largest single process
    (rusage ru_maxrss from wait4) and (b) the sum over the process tree, polled every 0.1 s.
    CPU seconds (user + system, from rusage) are reported too: on a busy machine they are a
    steadier figure than wall time. The load average at the start is recorded for the same
    reason.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    with open(log_path, "w") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT)
        peak = {"kb": 0}
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                peak["kb"] = max(peak["kb"], _tree_rss_kb(proc.pid))
                done.wait(0.1)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(wall, 2),
        "returncode": proc.returncode,
        "peak_rss_mb": round(max(peak["kb"], usage.ru_maxrss) / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "load_avg_1m_at_start": round(load_before, 2),
        "log": str(log_path.relative_to(PROJECT_DIR)),
    }


# --------------------------------------------------------------------------- dbt


def dbt_build(raw_vars: dict, db: Path, work: Path, label: str, env: dict[str, str], profiles_dir: Path) -> dict:
    """`dbt build` of the raw tables raw_vars name (raw_path or raw_schema) into db; measurements
    plus per-node times from run_results."""
    target_path = work / f"target_{label}"
    shutil.rmtree(target_path, ignore_errors=True)
    cmd = [
        str(VENV_BIN / "dbt"),
        "build",
        "--profiles-dir", str(profiles_dir),
        "--project-dir", str(PROJECT_DIR),
        "--target-path", str(target_path),
        "--log-path", str(work / f"logs_{label}"),
        "--vars", json.dumps(raw_vars),
    ]
    run_env = dict(env, DBT_DUCKDB_PATH=str(db))
    print(f"[bench] dbt build ({label}) ...", flush=True)
    measured = run_measured(cmd, run_env, work / f"dbt_{label}.log")
    measured.update(_read_run_results(target_path))
    print(
        f"[bench] dbt build ({label}): {measured['wall_s']} s wall, {measured['cpu_s']} s CPU, "
        f"rc={measured['returncode']}, peak {measured['peak_rss_mb']} MiB, "
        f"load avg at start {measured['load_avg_1m_at_start']}",
        flush=True,
    )
    if measured["returncode"] != 0:
        for node in measured.get("problems", [])[:10]:
            print(f"[bench]   {node['status']}: {node['name']}: {node['message'][:200]}", flush=True)
        log_text = (PROJECT_DIR / measured["log"]).read_text()
        if not measured.get("nodes"):
            print(log_text[-3000:], flush=True)
        if TEMP_DIRECTORY_ERROR in log_text:
            measured["diagnosis"] = (
                "DuckDB spilled to temp_directory, then dbt-duckdb re-applied the profile's "
                "`settings: temp_directory` on a new cursor, which DuckDB refuses once the folder "
                "has been used: every later node fails. Fix: set temp_directory under "
                "`config_options` (applied once, at connect) instead of `settings`; "
                "`run_bench.py --profile spill-safe` measures with that change."
            )
            print(f"[bench]   diagnosis: {measured['diagnosis']}", flush=True)
    return measured


TEMP_DIRECTORY_ERROR = "Cannot switch temporary directory after the current one has been used"


def profiles_dir_for(mode: str, work: Path) -> Path:
    """The --profiles-dir to run dbt with: the project's, or a spill-safe copy of it.

    spill-safe: the duckdb output's `settings.temp_directory` moves to `config_options`, so it
    is set once when the database opens rather than on every new cursor (DuckDB 2 refuses to
    set it again after it has spilled). Everything else is the project's profiles.yml.
    """
    if mode == "project":
        return PROJECT_DIR
    import yaml

    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    output = profiles["license_utilization"]["outputs"]["duckdb"]
    settings = output.get("settings") or {}
    if "temp_directory" in settings:
        output.setdefault("config_options", {})["temp_directory"] = settings.pop("temp_directory")
    target = work / "profiles"
    target.mkdir(parents=True, exist_ok=True)
    (target / "profiles.yml").write_text(
        "# Written by bench/run_bench.py --profile spill-safe from the project's profiles.yml.\n"
        + yaml.safe_dump(profiles, sort_keys=False)
    )
    return target


def _read_run_results(target_path: Path) -> dict:
    """Per-node times and statuses, model totals, and the daily mart's upstream models."""
    results_file, manifest_file = target_path / "run_results.json", target_path / "manifest.json"
    if not results_file.exists() or not manifest_file.exists():
        return {}
    results = json.loads(results_file.read_text())["results"]
    manifest = json.loads(manifest_file.read_text())
    nodes = manifest["nodes"]
    daily_ids = [uid for uid, node in nodes.items() if node["resource_type"] == "model" and node["name"] == DAILY_MART]
    upstream: set[str] = set()
    stack = list(daily_ids)
    while stack:
        uid = stack.pop()
        if uid in upstream or uid not in nodes:
            continue
        upstream.add(uid)
        stack.extend(nodes[uid].get("depends_on", {}).get("nodes", []))
    upstream = {uid for uid in upstream if nodes[uid]["resource_type"] == "model"}

    per_node, problems = [], []
    totals = {"model": 0.0, "test": 0.0, "seed": 0.0, "other": 0.0}  # test: data and unit tests
    daily_models_s = 0.0
    for result in results:
        uid = result["unique_id"]
        kind = uid.split(".")[0]
        seconds = float(result.get("execution_time") or 0.0)
        node = nodes.get(uid, {})
        name = node.get("name", uid)
        per_node.append(
            {
                "name": name,
                "type": kind,
                "materialized": node.get("config", {}).get("materialized"),
                "status": result["status"],
                "seconds": round(seconds, 3),
            }
        )
        kind_total = "test" if kind == "unit_test" else kind
        totals[kind_total if kind_total in totals else "other"] += seconds
        if uid in upstream:
            daily_models_s += seconds
        if result["status"] in ("error", "fail", "runtime error"):
            problems.append({"name": name, "status": result["status"], "message": (result.get("message") or "")[:500]})
    per_node.sort(key=lambda item: -item["seconds"])
    daily_status = next((r["status"] for r in results if r["unique_id"] in daily_ids), None)
    return {
        "daily_mart_status": daily_status,
        "nodes": per_node,
        "problems": problems,
        "models_s": round(totals["model"], 2),
        "tests_s": round(totals["test"], 2),
        "daily_models_s": round(daily_models_s, 2),
        "daily_models": sorted(nodes[uid]["name"] for uid in upstream),
    }


# --------------------------------------------------------------------------- hand-written query


def handwritten(raw_path: Path, db: Path, work: Path, label: str, env: dict[str, str], args) -> dict:
    """Run bench/run_handwritten.py as a measured child process."""
    cmd = [
        sys.executable,
        str(BENCH_DIR / "run_handwritten.py"),
        "--raw-path", str(raw_path),
        "--db", str(db),
        "--threads", str(args.threads),
        "--memory-limit", args.memory_limit,
        "--temp-dir", env["DUCKDB_TEMP_DIRECTORY"],
    ]
    print(f"[bench] hand-written query ({label}) ...", flush=True)
    log = work / f"handwritten_{label}.log"
    measured = run_measured(cmd, env, log)
    if measured["returncode"] != 0:
        print((PROJECT_DIR / measured["log"]).read_text()[-3000:], flush=True)
        return measured
    out = json.loads((PROJECT_DIR / measured["log"]).read_text().strip().splitlines()[-1])
    measured.update(query_s=out["seconds"], rows=out["rows"])
    print(
        f"[bench] hand-written query ({label}): {out['seconds']} s query, {measured['wall_s']} s wall, "
        f"{out['rows']:,} rows, peak {measured['peak_rss_mb']} MiB",
        flush=True,
    )
    return measured


def compare(dbt_db: Path, handwritten_db: Path) -> dict:
    """marts.fct_license_utilization_daily (dbt) vs the hand-written table: keys and numbers."""
    con = duckdb.connect()
    con.execute(f"attach '{dbt_db}' as d (read_only)")
    con.execute(f"attach '{handwritten_db}' as h (read_only)")
    numeric = ["licensed_seats", "assigned_seats", "active_users", "utilized_seats", "overage_users"]
    diffs = ", ".join(
        f"count(*) filter (where d.account_id is not null and h.account_id is not null "
        f"and d.{c} is distinct from h.{c}) as {c}"
        for c in numeric
    )
    joined = f"""
        from d.marts.{DAILY_MART} as d
        full outer join h.main.{DAILY_MART} as h
            on d.account_id = h.account_id and d.date_day = h.date_day
    """
    row = con.execute(
        f"""
        select
            count(*) filter (where h.account_id is null) as only_dbt,
            count(*) filter (where d.account_id is null) as only_handwritten,
            count(*) filter (where d.account_id is not null and h.account_id is not null) as matched,
            {diffs},
            count(*) filter (where d.account_id is not null and h.account_id is not null
                and (abs(d.utilization_pct - h.utilization_pct) > 1e-9
                     or (d.utilization_pct is null) <> (h.utilization_pct is null))) as utilization_pct,
            count(*) filter (where d.account_id is not null and h.account_id is not null
                and d.health_band is distinct from h.health_band) as health_band
        {joined}
        """
    ).fetchone()
    names = ["only_dbt", "only_handwritten", "matched", *numeric, "utilization_pct", "health_band"]
    result = dict(zip(names, row))
    result["equal"] = all(v == 0 for k, v in result.items() if k != "matched")
    if not result["equal"]:
        sample = con.execute(
            f"""
            select coalesce(d.account_id, h.account_id) as account_id, coalesce(d.date_day, h.date_day) as date_day,
                   d.licensed_seats, h.licensed_seats, d.assigned_seats, h.assigned_seats,
                   d.active_users, h.active_users
            {joined}
            where d.account_id is null or h.account_id is null
                or d.licensed_seats <> h.licensed_seats or d.assigned_seats <> h.assigned_seats
                or d.active_users <> h.active_users
            order by 1, 2 limit 10
            """
        ).fetchall()
        result["sample"] = [
            dict(zip(["account_id", "date_day", "seats_dbt", "seats_hw", "assigned_dbt", "assigned_hw",
                      "active_dbt", "active_hw"], map(str, r)))
            for r in sample
        ]
    con.close()
    return result


# --------------------------------------------------------------------------- reporting


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _round_lines(ordered: list[dict]) -> list[str]:
    """Each round's own ratio and share, for the scales run with --repeat: how far the best of
    N is from the rounds (a target met by the best of three only may be at the margin)."""
    lines = []
    for r in ordered:
        rounds = r.get("rounds") or []
        if len(rounds) < 2:
            continue

        def each(numerator: str, denominator: str) -> str:
            return " / ".join(
                _fmt(one[numerator] / one[denominator], 2) if one.get(numerator) and one.get(denominator) else "n/a"
                for one in rounds
            )

        lines.append(
            f"- {r['scale']}, each round: ratio {each('daily_models_s', 'handwritten_s')}; "
            f"incr. share {each('incremental_models_s', 'models_s')}."
        )
    return [*lines, ""] if lines else []


def write_readme(results: dict[str, dict]) -> None:
    """bench/results/README.md: one row per scale run so far, then the slowest nodes."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run_bench.py` (`make bench SCALE=...`); one row per scale, latest run of each.",
        "Times in seconds, memory in MiB (peak RSS of the process tree). *daily models* = summed",
        "run_results time of the models upstream of `fct_license_utilization_daily` (itself included);",
        "*ratio* = daily models / hand-written query; *incremental* = a second `dbt build` after one",
        "more day of events, *incr. share* = its summed model time / that of the full build.",
        "",
        "| scale | accounts | users | events | generate | full build | (CPU) | models | tests | daily models "
        "| hand-written | ratio | incremental | incr. share | peak RSS dbt | peak RSS hand-written | equal "
        "| load avg | rounds | run at |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    ordered = sorted(results.values(), key=lambda r: SCALE_ORDER.index(r["scale"]) if r["scale"] in SCALE_ORDER else 99)
    for r in ordered:
        full, hw, inc = r.get("full_build", {}), r.get("handwritten", {}), r.get("incremental") or {}
        rows = r["data"]["rows"]
        equal = r.get("check", {}).get("equal")
        equal_inc = (r.get("check_incremental") or {}).get("equal")
        equal_text = {True: "yes", False: "**no**", None: "n/a"}[equal]
        status = r["summary"].get("status", "ok")
        if status != "ok":
            equal_text = f"**{status}**" if equal is None else f"{equal_text} ({status})"
        if equal_inc is not None:
            equal_text += " / " + {True: "yes", False: "**no**"}[equal_inc]
        lines.append(
            "| " + " | ".join(
                [
                    r["scale"],
                    f"{rows['accounts']:,}",
                    f"{rows['users']:,}",
                    f"{rows['events']:,}",
                    _fmt(r["data"].get("generate_s")),
                    _fmt(full.get("wall_s")),
                    _fmt(full.get("cpu_s")),
                    _fmt(full.get("models_s")),
                    _fmt(full.get("tests_s")),
                    _fmt(full.get("daily_models_s")),
                    _fmt(hw.get("query_s")),
                    _fmt(r["summary"].get("ratio"), 2),
                    _fmt(inc.get("wall_s")),
                    _fmt(r["summary"].get("incremental_share"), 2),
                    _fmt(full.get("peak_rss_mb"), 0),
                    _fmt(hw.get("peak_rss_mb"), 0),
                    equal_text,
                    _fmt(full.get("load_avg_1m_at_start")),
                    str(len(r.get("rounds") or [None])),
                    r["run_at"][:16].replace("T", " "),
                ]
            ) + " |"
        )
    lines += [
        "",
        "*equal*: the mart equals the hand-written result (keys and every number) after the full build"
        " / after the incremental day. *(CPU)*: user + system CPU seconds of the full build. *load avg*:"
        " the machine's 1-minute load average when the full build started; with more runnable processes"
        " than cores, wall times (and dbt's per-node times) stretch, CPU seconds much less. *rounds*:"
        " with `--repeat N`, each time is the best of N rounds (the other rounds are in <scale>.json);"
        " the ratio and the share divide the best times; *models*, *tests*, *load avg* and the nodes"
        " below are those of the round with the least model time.",
        "",
        *_round_lines(ordered),
        f"Machine: {ordered[0]['machine']['cpus']} CPUs, {ordered[0]['machine']['memory_gib']} GiB RAM; "
        f"DuckDB {ordered[0]['versions']['duckdb']}, dbt {ordered[0]['versions']['dbt']}; engine settings "
        f"threads={ordered[0]['settings']['threads']}, memory_limit={ordered[0]['settings']['memory_limit']}; "
        "dbt profile and dbt threads (models run at once) per scale: " + ", ".join(
            f"{r['scale']} {r['settings'].get('profile', 'project')}, {r['settings'].get('dbt_threads', 2)}"
            for r in ordered) + ".",
        "",
        "![time by scale](time_by_scale.png)",
        "",
        "## Slowest nodes of the full build",
        "",
    ]
    for r in ordered:
        nodes = r.get("full_build", {}).get("nodes", [])[:10]
        if not nodes:
            continue
        lines += [f"### {r['scale']}", "", "| node | type | status | seconds | incremental run |", "|---|---|---|---:|---:|"]
        incremental_times = {n["name"]: n["seconds"] for n in (r.get("incremental") or {}).get("nodes", [])}
        for node in nodes:
            lines.append(
                f"| {node['name']} | {node['type']}"
                f"{' (' + node['materialized'] + ')' if node['type'] == 'model' and node['materialized'] else ''}"
                f" | {node['status']} | {node['seconds']:.2f} | {_fmt(incremental_times.get(node['name']), 2)} |"
            )
        lines.append("")
    (RESULTS_DIR / "README.md").write_text("\n".join(lines))


def write_chart(results: dict[str, dict]) -> None:
    """bench/results/time_by_scale.png: grouped bars of the main times per scale (log scale)."""
    try:
        import matplotlib
    except ImportError:
        print("[bench] matplotlib is not installed: no chart (pip install -r requirements.txt)", flush=True)
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ordered = sorted(results.values(), key=lambda r: SCALE_ORDER.index(r["scale"]) if r["scale"] in SCALE_ORDER else 99)
    series = [
        ("full dbt build", lambda r: r.get("full_build", {}).get("wall_s")),
        ("dbt models of the daily fact", lambda r: r.get("full_build", {}).get("daily_models_s")),
        ("hand-written query", lambda r: r.get("handwritten", {}).get("query_s")),
        ("dbt build, one more day", lambda r: (r.get("incremental") or {}).get("wall_s")),
    ]
    labels = [f"{r['scale']}\n{r['data']['rows']['events'] / 1e6:,.1f}M events" for r in ordered]
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(6, 2.2 * len(ordered) + 2), 4.5), dpi=120)
    for i, (name, get) in enumerate(series):
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(ordered))]
        values = [get(r) or 0 for r in ordered]
        bars = ax.bar(xs, values, width, label=name)
        for bar, value in zip(bars, values):
            if value:
                ax.annotate(f"{value:.0f}" if value >= 10 else f"{value:.1f}",
                            (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(ordered)), labels)
    ax.set_yscale("log")
    ax.set_ylabel("seconds (log scale)")
    threads = {r["settings"]["threads"] for r in ordered}
    ax.set_title(f"license_utilization: time by scale (DuckDB, {'/'.join(map(str, sorted(threads)))} threads)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(RESULTS_DIR / "time_by_scale.png")
    plt.close(fig)


def summary_line(result: dict) -> str:
    s = result["summary"]

    def f(value, digits=2):
        return "na" if value is None else f"{value:.{digits}f}"

    return (
        f"bench scale={result['scale']} events={result['data']['rows']['events']} "
        f"full_build_s={f(s['full_build_s'])} daily_models_s={f(s['daily_models_s'])} "
        f"handwritten_s={f(s['handwritten_s'])} ratio={f(s['ratio'])} "
        f"incremental_s={f(s['incremental_s'])} incremental_share={f(s['incremental_share'], 3)} "
        f"peak_rss_mb={f(s['peak_rss_mb'], 0)}"
    )


# --------------------------------------------------------------------------- main


def ensure_data(scale: str, seed: int, regenerate: bool, args) -> dict:
    """bench/data/<scale>/ with matching metadata, generated when absent; extra days removed."""
    data_dir = BENCH_DIR / "data" / scale
    meta_file = data_dir / "meta.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else None
    if regenerate or not meta or meta.get("seed") != seed or meta.get("generator_version") != generate.GENERATOR_VERSION:
        print(f"[bench] generating {scale} into {data_dir.relative_to(PROJECT_DIR)} ...", flush=True)
        meta = generate.generate(scale, data_dir, seed, args.threads, args.generate_memory_limit)
        print(f"[bench] generated {meta['rows']['events']:,} events in {meta['generate_seconds']} s", flush=True)
    for extra in (data_dir / "events").glob("events_????_??_??.parquet"):
        extra.unlink()
    meta["size_mb"] = round(sum(f.stat().st_size for f in data_dir.rglob("*.parquet")) / 2**20, 1)
    return meta


WAREHOUSE_SCHEMA = "landing"


def raw_vars(raw_path: Path, args) -> dict:
    """Where dbt reads the raw tables: the landing folder, or its copy as warehouse tables."""
    return {"raw_schema": WAREHOUSE_SCHEMA} if args.source == "warehouse" else {"raw_path": str(raw_path)}


def load_warehouse(raw_path: Path, db: Path, args, append: Path | None = None) -> float:
    """--source warehouse: the landing folder's five tables as tables of the schema `landing` in
    the DuckDB file dbt builds into, typed as the Parquet files hold them (a warehouse that
    loads the same files); with `append`, that one events file inserted into landing.events
    (a loader's daily append). Returns the seconds it took (not part of any dbt figure)."""
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    try:
        con.execute(f"set threads = {args.threads}; set memory_limit = '{args.memory_limit}'")
        con.execute("set preserve_insertion_order = false")
        if append is not None:
            con.execute(f"insert into {WAREHOUSE_SCHEMA}.events by name select * from read_parquet('{append}')")
        else:
            con.execute(f"create schema if not exists {WAREHOUSE_SCHEMA}")
            for table in ("accounts", "users", "subscriptions", "subscription_seat_changes"):
                con.execute(
                    f"create or replace table {WAREHOUSE_SCHEMA}.{table} as "
                    f"select * from read_parquet('{raw_path / (table + '.parquet')}')"
                )
            con.execute(
                f"create or replace table {WAREHOUSE_SCHEMA}.events as "
                f"select * from read_parquet('{raw_path / 'events' / '*.parquet'}', union_by_name = true)"
            )
        con.execute("checkpoint")
    finally:
        con.close()
    return round(time.perf_counter() - started, 2)


def run_round(scale, meta, raw_path, dbt_db, hw_db, work, env, profiles_dir, args, number: int) -> dict:
    """One round: full build into a fresh database, the hand-written query and the check, then
    (unless skipped) one more day of events, the incremental build and the check again."""
    suffix = "" if number == 1 else f"_{number}"
    if args.repeat > 1:
        print(f"[bench] round {number} of {args.repeat}", flush=True)
    one: dict = {}
    extra_file = None
    try:
        for path in (dbt_db, hw_db):
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)
        if args.source == "warehouse":
            one["load_s"] = load_warehouse(raw_path, dbt_db, args)
            print(f"[bench] loaded the Parquet files into {WAREHOUSE_SCHEMA}.* in {one['load_s']} s", flush=True)
        one["full_build"] = dbt_build(raw_vars(raw_path, args), dbt_db, work, "full" + suffix, env, profiles_dir)
        mart_built = one["full_build"].get("daily_mart_status") == "success"
        one["handwritten"] = handwritten(raw_path, hw_db, work, "full" + suffix, env, args)
        if mart_built and one["handwritten"]["returncode"] == 0:
            one["check"] = compare(dbt_db, hw_db)
            print(f"[bench] check: {_check_text(one['check'])}", flush=True)
        elif not mart_built:
            print(f"[bench] {DAILY_MART} was not built: no check, no incremental run", flush=True)

        if not args.skip_incremental and mart_built:
            next_day = date.fromisoformat(meta["last_event_day"]) + timedelta(days=1)
            extra_file, rows = generate.append_day(
                scale, raw_path, next_day, args.seed, args.threads, args.generate_memory_limit
            )
            print(f"[bench] appended {extra_file.name}: {rows:,} events", flush=True)
            if args.source == "warehouse":
                one["append_s"] = load_warehouse(raw_path, dbt_db, args, append=extra_file)
            one["incremental"] = dbt_build(
                raw_vars(raw_path, args), dbt_db, work, "incremental" + suffix, env, profiles_dir
            )
            one["incremental"]["appended_events"] = rows
            second = handwritten(raw_path, hw_db, work, "incremental" + suffix, env, args)
            if args.time_second_check:
                one["handwritten_incremental"] = second
            if one["incremental"].get("daily_mart_status") == "success" and second["returncode"] == 0:
                one["check_incremental"] = compare(dbt_db, hw_db)
                print(f"[bench] check after one more day: {_check_text(one['check_incremental'])}", flush=True)
    finally:
        if extra_file is not None:
            extra_file.unlink(missing_ok=True)
        if not args.keep_db:
            for path in (dbt_db, hw_db):
                path.unlink(missing_ok=True)
                path.with_name(path.name + ".wal").unlink(missing_ok=True)
            shutil.rmtree(work / "duckdb_tmp", ignore_errors=True)
    return one


def best_of(rounds: list[dict]) -> dict:
    """The figures to report from one or more rounds.

    Each step's measurement is the one of the round where that step was fastest (on a shared
    machine other load only ever adds time, so the best of N rounds is the steadiest estimate
    of what the machine does; timeit takes the minimum for the same reason): the full build,
    the hand-written query, the incremental build, each by its own time. The peak RSS is the
    highest of any round, and a check is only reported equal when it was equal in every round.
    """
    def fastest(key: str, measure: str):
        candidates = [one[key] for one in rounds if one.get(key) and one[key].get(measure) is not None]
        return min(candidates, key=lambda item: item[measure]) if candidates else None

    failed = next((one for one in rounds if (one.get("full_build") or {}).get("returncode") not in (0, None)), None)
    if failed is not None:
        return dict(failed)  # a failing round is reported as it is, never hidden by a better one
    best: dict = {}
    for key, measure in (("full_build", "models_s"), ("handwritten", "query_s"), ("incremental", "models_s"),
                         ("handwritten_incremental", "query_s")):
        chosen = fastest(key, measure) or next((one[key] for one in rounds if one.get(key)), None)
        if chosen is not None:
            best[key] = dict(chosen)
    if "full_build" in best:
        for field, pick in (("wall_s", min), ("cpu_s", min), ("daily_models_s", min), ("peak_rss_mb", max)):
            values = [one["full_build"][field] for one in rounds
                      if one.get("full_build") and one["full_build"].get(field) is not None]
            if values:
                best["full_build"][field] = pick(values)
    if "incremental" in best:
        for field, pick in (("wall_s", min), ("cpu_s", min), ("peak_rss_mb", max)):
            values = [one["incremental"][field] for one in rounds
                      if one.get("incremental") and one["incremental"].get(field) is not None]
            if values:
                best["incremental"][field] = pick(values)
    for key in ("check", "check_incremental"):
        checks = [one[key] for one in rounds if one.get(key)]
        if checks:
            best[key] = next((check for check in checks if not check["equal"]), checks[-1])
    for key in ("load_s", "append_s"):  # --source warehouse: loading the tables, outside dbt
        values = [one[key] for one in rounds if one.get(key) is not None]
        if values:
            best[key] = min(values)
    return best


def round_summary(one: dict) -> dict:
    """The main figures of one round, for <scale>.json."""
    full, hw, inc = one.get("full_build") or {}, one.get("handwritten") or {}, one.get("incremental") or {}
    return {
        "full_build_s": full.get("wall_s"),
        "full_build_cpu_s": full.get("cpu_s"),
        "models_s": full.get("models_s"),
        "tests_s": full.get("tests_s"),
        "daily_models_s": full.get("daily_models_s"),
        "handwritten_s": hw.get("query_s"),
        "incremental_s": inc.get("wall_s"),
        "incremental_models_s": inc.get("models_s"),
        "peak_rss_mb": full.get("peak_rss_mb"),
        "load_avg_1m_at_start": full.get("load_avg_1m_at_start"),
        "equal": (one.get("check") or {}).get("equal"),
        "equal_incremental": (one.get("check_incremental") or {}).get("equal"),
        "load_s": one.get("load_s"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Scales: " + ", ".join(
            f"{n} = {s.accounts:,} accounts / {s.users:,} users / {s.events:,} events"
            for n, s in generate.SCALES.items()),
    )
    parser.add_argument("--scale", choices=list(generate.SCALES), default="S", help="named scale (default: S)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED, help="generator seed")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the data even if present")
    parser.add_argument(
        "--threads", type=int, default=int(os.environ.get("DUCKDB_THREADS", "2")),
        help="DuckDB threads for dbt and the hand-written query (default: $DUCKDB_THREADS or 2)",
    )
    parser.add_argument(
        "--memory-limit", default=os.environ.get("DUCKDB_MEMORY_LIMIT", "4GB"),
        help="DuckDB memory_limit for dbt and the hand-written query (default: $DUCKDB_MEMORY_LIMIT or 4GB)",
    )
    parser.add_argument(
        "--dbt-threads", type=int, default=int(os.environ.get("DBT_THREADS", "1")),
        help="dbt threads, i.e. models run at once (default: $DBT_THREADS or 1: one model at a time, each "
        "with all DuckDB threads, so that per-model times add up to the build's wall time instead of "
        "counting two models that share the cores twice)",
    )
    parser.add_argument("--generate-memory-limit", default="8GB", help="memory_limit of the generator (default: 8GB)")
    parser.add_argument(
        "--profile", choices=["project", "spill-safe"], default="project",
        help="dbt profile: the project's profiles.yml (default), or a copy with temp_directory set at "
        "connect time (config_options) instead of per cursor (settings), a workaround for builds "
        "that spill to disk",
    )
    parser.add_argument(
        "--source", choices=["files", "warehouse"], default="files",
        help="where dbt reads the raw tables: the Parquet landing folder (var raw_path, default), or "
        "warehouse: the same files loaded into tables of the schema `landing` of the dbt database "
        "first (var raw_schema; the one more day is inserted into landing.events); results go to "
        "<scale>-warehouse.json. The hand-written query reads the files either way",
    )
    parser.add_argument("--skip-incremental", action="store_true", help="skip the one-more-day build")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="rounds (full build, hand-written query, one more day) to run; each reported time is the "
        "best of the N rounds, every round is kept in <scale>.json under `rounds` (default: 1)",
    )
    parser.add_argument(
        "--time-second-check", action="store_true",
        help="report the timing of the hand-written query on the grown data too",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the DuckDB files under bench/results/tmp/")
    args = parser.parse_args(argv)

    scale = args.scale
    label = scale if args.source == "files" else f"{scale}-{args.source}"
    work = RESULTS_DIR / "tmp" / label
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(
        os.environ,
        DBT_TARGET="duckdb",
        DUCKDB_THREADS=str(args.threads),
        DBT_THREADS=str(args.dbt_threads),
        DUCKDB_MEMORY_LIMIT=args.memory_limit,
        DUCKDB_TEMP_DIRECTORY=str(work / "duckdb_tmp"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )

    meta = ensure_data(scale, args.seed, args.regenerate, args)
    raw_path = BENCH_DIR / "data" / scale
    dbt_db, hw_db = work / "bench.duckdb", work / "handwritten.duckdb"

    result: dict = {
        "scale": label,
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": {
            "rows": meta["rows"],
            "seed": meta["seed"],
            "generate_s": meta["generate_seconds"],
            "parquet_mb": meta["size_mb"],
        },
        "settings": {
            "threads": args.threads, "memory_limit": args.memory_limit, "profile": args.profile,
            "dbt_threads": args.dbt_threads, "source": args.source,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "platform": platform.platform(),
        },
        "versions": {"duckdb": duckdb.__version__, "dbt": _dbt_version(), "git": _git_head()},
    }

    profiles_dir = profiles_dir_for(args.profile, work)
    rounds = [
        run_round(scale, meta, raw_path, dbt_db, hw_db, work, env, profiles_dir, args, number)
        for number in range(1, max(args.repeat, 1) + 1)
    ]
    result.update(best_of(rounds))
    if len(rounds) > 1:
        result["rounds"] = [round_summary(one) for one in rounds]

    full, hw, inc = result.get("full_build", {}), result.get("handwritten", {}), result.get("incremental")
    built = full.get("daily_mart_status") == "success"
    daily, hw_s = (full.get("daily_models_s") if built else None), hw.get("query_s")
    result["summary"] = {
        "status": "ok" if full.get("returncode") == 0 else (
            "tests failed" if built else "build failed: " + (", ".join(
                n["name"] for n in full.get("problems", [])[:3]) or "see log")),
        "full_build_s": full.get("wall_s"),
        "daily_models_s": daily,
        "handwritten_s": hw_s,
        "ratio": round(daily / hw_s, 3) if daily and hw_s else None,
        "incremental_s": inc.get("wall_s") if inc else None,
        "incremental_share": round(inc["models_s"] / full["models_s"], 4)
        if inc and inc.get("models_s") is not None and full.get("models_s") else None,
        "peak_rss_mb": full.get("peak_rss_mb"),
        # CPU seconds are steadier than wall times on a busy machine
        "incremental_cpu_share": round(inc["cpu_s"] / full["cpu_s"], 4)
        if inc and inc.get("cpu_s") and full.get("cpu_s") else None,
    }

    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{label}.json").write_text(json.dumps(result, indent=2) + "\n")
    all_results = {}
    for path in RESULTS_DIR.glob("*.json"):
        loaded = json.loads(path.read_text())
        all_results[loaded["scale"]] = loaded
    write_readme(all_results)
    write_chart(all_results)
    _print_table(result)
    print(summary_line(result), flush=True)
    ok = full.get("returncode") == 0 and result.get("check", {}).get("equal", False)
    return 0 if ok else 1


def _check_text(check: dict) -> str:
    if check["equal"]:
        return f"equal ({check['matched']:,} account-days)"
    details = ", ".join(f"{k}={v}" for k, v in check.items() if k not in ("equal", "sample", "matched") and v)
    return f"DIFFERENT: {details}; matched {check['matched']:,}; sample {check.get('sample', [])[:3]}"


def _print_table(result: dict) -> None:
    full, inc = result.get("full_build", {}), result.get("incremental") or {}
    inc_times = {n["name"]: n["seconds"] for n in inc.get("nodes", [])}
    print(f"\n[bench] {result['scale']}: slowest nodes (full build s / incremental s)")
    for node in full.get("nodes", [])[:12]:
        print(f"  {node['seconds']:8.2f}  {_fmt(inc_times.get(node['name']), 2):>8}  {node['type']:5} {node['name']}")
    print()


def _dbt_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("dbt-core")
    except Exception:  # noqa: BLE001 - informational only
        return None


def _git_head() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "models", "macros"], cwd=PROJECT_DIR,
                               capture_output=True, text=True)
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
