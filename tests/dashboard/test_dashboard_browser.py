"""End to end: `streamlit run` the dashboard, open it in headless Chromium, screenshot it.

Checks that the pages load in a real browser without an exception: the headline
numbers and charts render, no Streamlit exception box is shown, and the server logged
no traceback. Chromium is Debian's package; it is installed with apt-get when missing,
and the test is skipped only when that is impossible (no apt-get, not root, offline).

The overview screenshot is written to the test's temporary folder; with
`LU_UPDATE_SCREENSHOT=1` also to docs/img/dashboard.png (the README's picture).
"""

from __future__ import annotations

import os
import shutil

import pytest
from browser import headless_chromium, install_chromium, streamlit_server, wait_for
from PIL import Image
from serve_helpers import REPO_ROOT

APP = REPO_ROOT / "dashboard" / "app.py"
README_SCREENSHOT = REPO_ROOT / "docs" / "img" / "dashboard.png"

#: JavaScript: what a person sees, summarised as JSON-able values.
PAGE_STATE = """
(() => {
  const q = (selector) => Array.from(document.querySelectorAll(selector));
  return {
    metrics: q('[data-testid="stMetric"]').map(e => e.innerText.replace(/\\s+/g, ' ').trim()),
    charts: q('.vega-embed canvas, .vega-embed svg.marks').length,
    exceptions: q('[data-testid="stException"]').map(e => e.innerText.slice(0, 500)),
    running: q('[data-testid="stStatusWidget"]').some(e => /running/i.test(e.innerText)),
    title: (q('h1')[0] || {}).innerText || '',
    text: (document.querySelector('[data-testid="stMain"]') || document.body).innerText,
  };
})()
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path, log = install_chromium()
    if path is None:
        pytest.skip(f"Chromium is not installed and could not be installed: {log[-500:]}")
    return path


@pytest.fixture(scope="module")
def served_app(warehouse, tmp_path_factory):
    """The dashboard served on a free loopback port, reading the test warehouse."""
    log_path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "DBT_DUCKDB_PATH": str(warehouse), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with streamlit_server(APP, env, log_path) as url:
        yield url, log_path


def open_and_wait(page, url: str, min_metrics: int, min_charts: int, timeout: float = 90) -> dict:
    """Navigate and wait until the page has rendered its metrics and charts (or failed)."""
    page.goto(url)

    def rendered():
        state = page.evaluate(PAGE_STATE) or {}
        if state.get("exceptions"):
            return state  # stop waiting: the assertion below reports it
        done = (
            len(state.get("metrics", [])) >= min_metrics
            and state.get("charts", 0) >= min_charts
            and not state.get("running")
        )
        return state if done else None

    state = wait_for(rendered, timeout, interval=0.5, what=f"{url} to render")
    wait_for(lambda: not (page.evaluate(PAGE_STATE) or {}).get("running"), 30, what="the script run to end")
    return page.evaluate(PAGE_STATE) | {"first": state}


def test_dashboard_in_headless_chromium(chromium, served_app, marts, tmp_path):
    url, server_log = served_app
    expected_pct = marts(
        """
        select 100.0 * sum(utilized_seats) / sum(licensed_seats) as pct
        from marts.dim_account_health where licensed_seats > 0
        """
    )["pct"].iloc[0]
    below = marts(
        """
        select account_name from marts.dim_account_health
        where days_to_renewal between 0 and 90 and utilization_pct < 60
        """
    )["account_name"]

    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    with headless_chromium(chromium, profile, width=1440, height=1100) as page:
        overview = open_and_wait(page, f"{url}/", min_metrics=6, min_charts=4)
        assert overview["exceptions"] == []
        assert overview["title"] == "Portfolio overview"
        assert any(m.startswith("Portfolio utilization") and f"{expected_pct:.1f}%" in m for m in overview["metrics"])
        shot = page.screenshot(tmp_path / "dashboard.png")

        renewals = open_and_wait(page, f"{url}/renewals", min_metrics=4, min_charts=1)
        assert renewals["exceptions"] == []
        assert "Of them below 60%" in renewals["text"]
        for name in below:
            assert name in renewals["text"]
        page.screenshot(tmp_path / "renewals.png")

        top_account = marts("select account_id from marts.dim_account_health order by priority_rank limit 1")
        account = open_and_wait(page, f"{url}/account?account={top_account['account_id'].iloc[0]}",
                                min_metrics=6, min_charts=4)
        assert account["exceptions"] == []

        assert page.console_errors == [], page.console_errors

    log = server_log.read_text()
    assert "Traceback" not in log, log[-3000:]

    with Image.open(shot) as image:
        assert image.width == 1440 and image.height >= 1100
        colours = image.convert("RGB").resize((360, image.height // 4)).getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50, "the screenshot looks blank"
    if os.environ.get("LU_UPDATE_SCREENSHOT") == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOT)
    print(f"screenshot: {shot}")

