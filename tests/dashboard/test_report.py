"""`make report`: the static HTML summary shows the portfolio and every alert in order."""

from __future__ import annotations

import html
import subprocess
import sys

from serve_helpers import REPO_ROOT


def test_report_lists_portfolio_and_alerts_in_priority_order(warehouse, marts, tmp_path):
    out = tmp_path / "report.html"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "report.py"), "--warehouse", str(warehouse), "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = out.read_text()

    expected_pct = marts(
        "select 100.0 * sum(utilized_seats) / sum(licensed_seats) as pct "
        "from marts.dim_account_health where licensed_seats > 0"
    )["pct"].iloc[0]
    assert f"{expected_pct:.1f}%" in document

    alerts = marts(
        """
        select alerts.reason
        from marts.fct_utilization_alerts as alerts
        inner join marts.dim_account_health as health using (account_id)
        order by alerts.severity_rank, health.priority_rank, alerts.account_id, alerts.alert_type
        """
    )["reason"]
    positions = [document.find(html.escape(reason)) for reason in alerts]
    assert all(position >= 0 for position in positions), "every alert is listed"
    assert positions == sorted(positions), "alerts are in priority order"

    below = marts(
        "select account_name from marts.dim_account_health "
        "where days_to_renewal between 0 and 90 and utilization_pct < 60"
    )["account_name"]
    assert f"{len(below)} of them below" in document
    for name in below:
        assert html.escape(name) in document
    assert "<script" not in document.lower(), "self-contained, no JavaScript"
