"""Fixtures of the portability tests: the project built on DuckDB, PostgreSQL and Spark.

Each engine is built by scripts/portability/build_engine.py in its own process and
its own copy of the project (seeds -> models -> tests, then the marts exported to
JSON). DuckDB's marts are the reference. PostgreSQL is a real server started for the
session (scripts/portability/pg_server.sh) and stopped right after its build, also
when the build fails. Spark (dbt-spark session mode, local, Java 17) is the slowest
engine, so its build starts in the background as soon as the session starts and runs
while DuckDB and PostgreSQL are built.

Environment:
  LU_PORTABILITY_WORK     work folder (default: a pytest temp folder)
  LU_PORTABILITY_SEEDS    folder of seed CSVs to use instead of seeds/
  LU_PORTABILITY_VARS     dbt --vars for every engine (YAML)
  LU_PORTABILITY_SCHEMAS  schemas whose models are compared (default marts,audit)
  LU_PORTABILITY_REUSE=1  reuse exports already in LU_PORTABILITY_WORK (no rebuild)
  LU_PG_PORT              preferred port of the test server (default 54329; another
                          free port when it is taken)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from portability_harness import SCRIPTS, EngineBuild, assert_build_passed


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: builds the project on a PostgreSQL server")
    config.addinivalue_line("markers", "spark: builds the project on Apache Spark (session mode)")


@pytest.fixture(scope="session")
def portability_work(tmp_path_factory) -> Path:
    if os.environ.get("LU_PORTABILITY_WORK"):
        work = Path(os.environ["LU_PORTABILITY_WORK"]).resolve()
        work.mkdir(parents=True, exist_ok=True)
        return work
    return tmp_path_factory.mktemp("portability")


@pytest.fixture(scope="session")
def spark_build_handle(portability_work):
    java = subprocess.run(
        ["bash", str(SCRIPTS / "ensure_java.sh")], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    build = EngineBuild("spark", portability_work, {"SPARK_LOCAL_IP": "127.0.0.1"})
    build.setup_error = None if java.returncode == 0 else f"no Java 17+ for Spark:\n{java.stderr}{java.stdout}"
    yield build
    build.stop()


@pytest.fixture(scope="session", autouse=True)
def _start_spark_early(request):
    """Start the (slow) Spark build at once when any selected test needs it."""
    if any(item.get_closest_marker("spark") for item in request.session.items):
        build = request.getfixturevalue("spark_build_handle")
        if build.setup_error is None:
            build.start()


@pytest.fixture(scope="session")
def reference(portability_work) -> dict:
    build = EngineBuild("duckdb", portability_work).wait()
    assert_build_passed(build)
    assert build["marts"], "DuckDB exported no marts"
    return build


def free_loopback_port(preferred: int) -> int:
    """`preferred` when nothing listens on it, else a port the system picks."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free loopback port")


@pytest.fixture(scope="session")
def postgres_build(portability_work) -> dict:
    if os.environ.get("LU_PORTABILITY_REUSE") == "1" and (portability_work / "postgres" / "summary.json").exists():
        return EngineBuild("postgres", portability_work).wait()
    # A server of its own: a fresh folder (under /tmp, which the postgres
    # user can reach) and a free port, so parallel runs do not collide.
    server_env = {
        **os.environ,
        "LU_PG_PORT": str(free_loopback_port(int(os.environ.get("LU_PG_PORT", "54329")))),
        "LU_PG_DIR": tempfile.mkdtemp(prefix="lu-pg-", dir="/tmp"),
    }
    server = SCRIPTS / "pg_server.sh"
    try:
        started = subprocess.run(
            ["bash", str(server), "start"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
            env=server_env,
        )
        if started.returncode != 0:
            pytest.fail(f"could not start PostgreSQL:\n{started.stderr}\n{started.stdout}", pytrace=False)
        print(started.stderr.strip(), file=sys.stderr)
        env = {}
        for line in started.stdout.splitlines():
            if line.startswith("export ") and "=" in line:
                name, _, value = line[len("export "):].partition("=")
                env[name] = value
        # and then a batch built incrementally and with --full-refresh (test_incremental_on_postgres)
        return EngineBuild("postgres", portability_work, env, extra_args=("--incremental-check",)).wait()
    finally:
        subprocess.run(["bash", str(server), "stop"], stdin=subprocess.DEVNULL, check=False, env=server_env)


@pytest.fixture(scope="session")
def spark_build(spark_build_handle) -> dict:
    if spark_build_handle.setup_error:
        pytest.fail(spark_build_handle.setup_error, pytrace=False)
    return spark_build_handle.wait()
