"""Headless Chromium driven over the DevTools protocol, and the app served by Streamlit.

No Selenium or Playwright (their browser downloads fail offline): Debian's `chromium`
package and the `websockets` client that Streamlit already needs are enough to open a
page, wait for what it renders, read the DOM and take a screenshot.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from websockets.sync.client import connect

#: Flags for a quiet, sandbox-free, throw-away browser (CI runs as root, offline).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
]
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable on PATH, if any (`LU_CHROMIUM` overrides)."""
    override = os.environ.get("LU_CHROMIUM")
    if override:
        return override if Path(override).exists() else shutil.which(override)
    return next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)


def install_chromium(timeout: int = 900) -> tuple[str | None, str]:
    """Install Debian's chromium with apt-get when it is missing; (path or None, log)."""
    if find_chromium():
        return find_chromium(), "already installed"
    apt = shutil.which("apt-get")
    if apt is None:
        return None, "apt-get not found"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return None, "not root and no sudo"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log = []
    for args in ([*prefix, apt, "update", "-q"], [*prefix, apt, "install", "-y", "-q", "chromium"]):
        try:
            result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{' '.join(args)}: {error}"
        log.append(result.stdout[-1500:] + result.stderr[-1500:])
        if result.returncode != 0:
            return None, f"{' '.join(args)} exited {result.returncode}:\n" + "\n".join(log)
    return find_chromium(), "\n".join(log)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.25, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def _stop(process: subprocess.Popen) -> None:
    """Stop a process we started (its own process group), politely then firmly."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


@contextmanager
def streamlit_server(app: Path, env: dict[str, str], log_path: Path, timeout: float = 60) -> Iterator[str]:
    """Serve `app` with `streamlit run` on a free loopback port; yield its URL."""
    port = free_port()
    args = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                return response.read().strip() == b"ok"
        except OSError:
            return False

    try:
        wait_for(healthy, timeout, what="the Streamlit server")
        yield url
    finally:
        _stop(process)


class Page:
    """One browser tab, driven over the Chrome DevTools protocol."""

    def __init__(self, websocket):
        self._socket = websocket
        self._ids = itertools.count(1)
        self.console_errors: list[str] = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def _record(self, message: dict) -> None:
        if message.get("method") == "Runtime.exceptionThrown":
            details = message["params"]["exceptionDetails"]
            self.console_errors.append(details.get("exception", {}).get("description") or details.get("text", ""))

    def send(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        """Call a DevTools method and return its result."""
        call_id = next(self._ids)
        self._socket.send(json.dumps({"id": call_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._record(message)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})

    def set_viewport(self, width: int, height: int) -> None:
        """Resize the viewport (the page re-lays itself out)."""
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def screenshot(self, path: Path, full_page: bool = True, max_height: int = 8000) -> Path:
        """Save a PNG of the page; `full_page` grows the viewport to the content first.

        Streamlit scrolls inside its main container, so the document itself is only as
        tall as the window: the viewport is enlarged to the container's scroll height,
        the page is given a moment to re-render, and the viewport is captured.
        """
        if full_page:
            width, window_height, height = self.evaluate(
                "[window.innerWidth, window.innerHeight, Math.max(window.innerHeight,"
                " ...Array.from(document.querySelectorAll('[data-testid=stMain], section.main, body'))"
                ".map(e => e.scrollHeight))]"
            )
            self.set_viewport(width, min(height, max_height))
            time.sleep(1.5)  # let charts resized to the new viewport draw
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        if full_page:
            self.set_viewport(width, window_height)
        return path

    def close(self) -> None:
        self._socket.close()


@contextmanager
def headless_chromium(executable: str, profile_dir: Path, width: int = 1440, height: int = 1000) -> Iterator[Page]:
    """A fresh headless Chromium (own profile folder); yield its first tab."""
    args = [
        executable, *CHROMIUM_FLAGS,
        f"--user-data-dir={profile_dir}",
        f"--window-size={width},{height}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
    ]
    log_path = profile_dir.parent / "chromium.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        port_file = profile_dir / "DevToolsActivePort"

        def devtools_port() -> int | None:
            if process.poll() is not None:
                raise RuntimeError(f"chromium exited {process.returncode}:\n{log_path.read_text()[-3000:]}")
            text = port_file.read_text() if port_file.exists() else ""
            return int(text.split()[0]) if text.strip() else None

        port = wait_for(devtools_port, 60, what="Chromium's DevTools port")

        def first_tab() -> str | None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                tabs = [tab for tab in json.load(response) if tab.get("type") == "page"]
            return tabs[0]["webSocketDebuggerUrl"] if tabs else None

        with connect(wait_for(first_tab, 30, what="a Chromium tab"), max_size=64 * 2**20, open_timeout=30) as socket_:
            page = Page(socket_)
            page.set_viewport(width, height)
            yield page
    finally:
        _stop(process)
