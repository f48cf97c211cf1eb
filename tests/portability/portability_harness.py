"""The engine builds of the portability tests (used by conftest.py and the tests)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts" / "portability"
TIMEOUTS = {"duckdb": 900, "postgres": 1200, "spark": 2400}


class EngineBuild:
    """One run of build_engine.py for one engine, in a subprocess."""

    def __init__(self, engine: str, work: Path, env: dict | None = None, extra_args: tuple[str, ...] = ()):
        self.engine = engine
        self.work = work
        self.extra_args = extra_args
        self.env = {**os.environ, **(env or {})}
        self.log_path = work / f"{engine}.log"
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.result: dict | None = None
        self.setup_error: str | None = None

    @property
    def summary_path(self) -> Path:
        return self.work / self.engine / "summary.json"

    def start(self) -> "EngineBuild":
        if self.process is not None or self.result is not None:
            return self
        if os.environ.get("LU_PORTABILITY_REUSE") == "1" and self.summary_path.exists():
            self.result = self._load(returncode=None, seconds=None)
            return self
        command = [sys.executable, str(SCRIPTS / "build_engine.py"), self.engine, "--work", str(self.work),
                   *self.extra_args]
        if os.environ.get("LU_PORTABILITY_SEEDS"):
            command += ["--seeds", os.environ["LU_PORTABILITY_SEEDS"]]
        self.work.mkdir(parents=True, exist_ok=True)
        self.started = time.monotonic()
        with open(self.log_path, "wb") as log:
            log.write(f"$ {shlex.join(command)}\n".encode())
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        return self

    def wait(self) -> dict:
        if self.result is not None:
            return self.result
        self.start()
        if self.result is not None:
            return self.result
        try:
            returncode = self.process.wait(timeout=TIMEOUTS[self.engine])
        except subprocess.TimeoutExpired:
            self.process.kill()
            returncode = self.process.wait()
            with open(self.log_path, "ab") as log:
                log.write(f"\nkilled after {TIMEOUTS[self.engine]} s\n".encode())
        finally:
            self._log.close()
        self.result = self._load(returncode, round(time.monotonic() - self.started, 1))
        return self.result

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _load(self, returncode, seconds) -> dict:
        summary = json.loads(self.summary_path.read_text()) if self.summary_path.exists() else {}
        marts = {}
        for path in sorted((self.work / self.engine / "marts").glob("*.json")):
            marts[path.stem] = json.loads(path.read_text())
        seconds_text = "" if seconds is None else f" in {seconds:.0f} s"
        print(f"\n[portability] {self.engine}: build {'ok' if returncode == 0 else 'exit ' + str(returncode)}"
              f"{seconds_text}; log: {self.log_path}", file=sys.stderr)
        return {
            "engine": self.engine, "returncode": returncode, "seconds": seconds,
            "summary": summary, "marts": marts, "log": self.log_path,
            "exports": self.work / self.engine,
        }


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        text = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    interesting = [line for line in text if " PASS " not in line and " START " not in line]
    return "\n".join(interesting[-lines:])


def assert_build_passed(build: dict) -> None:
    summary = build["summary"]
    if build["returncode"] in (0, None) and summary.get("dbt_success"):
        return
    failures = "\n".join(
        f"  {f['status']}: {f['node']}: {(f.get('message') or '').strip()[:400]}"
        for f in summary.get("failures", [])
    )
    pytest.fail(
        f"dbt build on {build['engine']} failed (exit {build['returncode']}).\n"
        f"{summary.get('dbt_exception') or ''}\n{failures}\n--- log tail ({build['log']}) ---\n"
        f"{log_tail(build['log'])}",
        pytrace=False,
    )
