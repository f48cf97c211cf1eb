"""Write a static HTML summary of the portfolio and the alert list (`make report`).

One self-contained file (inline CSS and SVG charts, no JavaScript, nothing fetched), to
mail, attach to a ticket or publish: the headline numbers, the utilization distribution,
the portfolio trend by month against the 60% / 80% bands, the renewals of the next 90
days, the alert feed in priority order and the top of the customer-success queue.

It reads the marts of the DuckDB warehouse read-only (`DBT_DUCKDB_PATH`, else
license_utilization.duckdb at the repo root), and uses the dashboard's figures
(dashboard/lu_dashboard/figures.py), so both show the same numbers.

Usage:
    python scripts/report.py [--out target/report/license_utilization_report.html]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import sys
from pathlib import Path

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "dashboard"))

from lu_dashboard.figures import (  # noqa: E402
    BAND_COLORS,
    BAND_LABELS,
    band_counts,
    fmt_date,
    fmt_int,
    fmt_pct,
    portfolio_summary,
    renewal_pipeline,
    severity_counts,
    utilization_bins,
)
from lu_dashboard.settings import Thresholds, thresholds, warehouse_path  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "target" / "report" / "license_utilization_report.html"
SEVERITY_COLORS = {"high": "#c62828", "medium": "#ef6c00", "low": "#1565c0"}


# --- reading ------------------------------------------------------------------------------


def read_marts(path: Path) -> dict[str, pd.DataFrame]:
    """The rows the report needs, read with a read-only connection."""
    if not path.exists():
        raise SystemExit(f"No warehouse at {path}: run `make run` first.")
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "health": connection.execute(
                "select * from marts.dim_account_health order by priority_rank, account_id"
            ).df(),
            "monthly": connection.execute(
                """
                select month_start,
                       100.0 * sum(utilized_seats) / nullif(sum(licensed_seats), 0) as utilization_pct
                from marts.fct_license_utilization_monthly
                group by month_start order by month_start
                """
            ).df(),
            "alerts": connection.execute(
                """
                select alerts.*, health.account_name, health.recommended_play, health.priority_rank
                from marts.fct_utilization_alerts as alerts
                left join marts.dim_account_health as health using (account_id)
                order by alerts.severity_rank, health.priority_rank, alerts.account_id, alerts.alert_type
                """
            ).df(),
        }
    finally:
        connection.close()


# --- SVG charts ---------------------------------------------------------------------------


def svg_bars(labels: list[str], values: list[int], colors: list[str], width: int = 460, height: int = 220) -> str:
    """A vertical bar chart with value labels."""
    top = max(values + [1])
    left, bottom, gap = 10, 36, 8
    bar = (width - left * 2) / max(len(values), 1) - gap
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">']
    for index, (label, value, color) in enumerate(zip(labels, values, colors)):
        x = left + index * (bar + gap)
        h = (height - bottom - 20) * value / top
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{color}"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="v">{value}</text>')
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="l">'
            f"{html.escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_trend(monthly: pd.DataFrame, limits: Thresholds, width: int = 940, height: int = 240) -> str:
    """Portfolio utilization by month over shaded bands."""
    left, right, top, bottom = 40, 10, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(pct: float) -> float:
        return top + plot_h * (1 - pct / 100)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img">']
    for low, high, band in ((0, limits.at_risk_pct, "at_risk"), (limits.at_risk_pct, limits.strong_pct, "healthy"),
                            (limits.strong_pct, 100, "strong")):
        parts.append(
            f'<rect x="{left}" y="{y(high):.1f}" width="{plot_w}" height="{y(low) - y(high):.1f}" '
            f'fill="{BAND_COLORS[band]}" opacity="0.12"/>'
        )
    for pct in (0, 20, 40, 60, 80, 100):
        parts.append(f'<text x="{left - 6}" y="{y(pct) + 4:.1f}" text-anchor="end" class="l">{pct}</text>')
    for pct in (limits.at_risk_pct, limits.strong_pct):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(pct):.1f}" y2="{y(pct):.1f}" class="rule"/>')
    rows = monthly.dropna(subset=["utilization_pct"]).reset_index(drop=True)
    if len(rows):
        step = plot_w / max(len(rows) - 1, 1)
        points = [(left + index * step, y(value)) for index, value in enumerate(rows["utilization_pct"])]
        parts.append('<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="'
                     + " ".join(f"{px:.1f},{py:.1f}" for px, py in points) + '"/>')
        for (px, py), row in zip(points, rows.itertuples()):
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#1f77b4">'
                         f"<title>{fmt_date(row.month_start)[:7]}: {fmt_pct(row.utilization_pct)}</title></circle>")
        for index in range(0, len(rows), max(1, len(rows) // 8)):
            parts.append(f'<text x="{points[index][0]:.1f}" y="{height - 8}" text-anchor="middle" class="l">'
                         f"{fmt_date(rows['month_start'][index])[:7]}</text>")
    parts.append("</svg>")
    return "".join(parts)


# --- HTML ---------------------------------------------------------------------------------


def table(frame: pd.DataFrame, columns: dict[str, str], row_class=None) -> str:
    """An HTML table of `columns` (column -> heading); values are escaped."""
    head = "".join(f"<th>{html.escape(title)}</th>" for title in columns.values())
    body = []
    for _, row in frame.iterrows():
        css = f' class="{row_class(row)}"' if row_class else ""
        cells = "".join(f"<td>{html.escape(str(row[column]))}</td>" for column in columns)
        body.append(f"<tr{css}>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}">None.</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 32px auto; max-width: 1000px;
       color: #222; }
h1 { margin-bottom: 4px; } .muted { color: #666; font-size: 13px; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; margin: 20px 0; }
.tile { border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; min-width: 130px; }
.tile .k { font-size: 13px; color: #555; } .tile .n { font-size: 26px; font-weight: 600; }
.row { display: flex; gap: 24px; flex-wrap: wrap; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 24px; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } tr.risk td { background: #fdecea; }
.sev { color: #fff; border-radius: 4px; padding: 1px 6px; font-size: 12px; }
svg text.l { font-size: 11px; fill: #555; } svg text.v { font-size: 11px; fill: #222; }
svg .rule { stroke: #555; stroke-dasharray: 6 4; }
"""


def render(marts: dict[str, pd.DataFrame], limits: Thresholds, source: Path) -> str:
    """The report as one HTML document."""
    health, alerts = marts["health"], marts["alerts"]
    summary = portfolio_summary(health)
    as_of = fmt_date(health["as_of_date"].max()) if len(health) else "–"
    tiles = [
        ("Portfolio utilization", fmt_pct(summary.utilization_pct)),
        ("Accounts with seats", f"{summary.accounts_with_seats} / {summary.accounts}"),
        ("Licensed seats", fmt_int(summary.licensed_seats)),
        ("Active users", fmt_int(summary.active_users)),
        ("Users over seats", fmt_int(summary.overage_users)),
        ("Accounts at risk", fmt_int(summary.at_risk_accounts)),
    ]
    bins = utilization_bins(health).groupby("bin_start", as_index=False)["accounts"].sum()
    bin_labels = [f"{start}-{start + 10}" for start in range(0, 100, 10)]
    bin_values = [int(bins.loc[bins["bin_start"] == start, "accounts"].sum()) for start in range(0, 100, 10)]
    bin_colors = [
        BAND_COLORS["at_risk"] if start < limits.at_risk_pct
        else BAND_COLORS["healthy"] if start < limits.strong_pct else BAND_COLORS["strong"]
        for start in range(0, 100, 10)
    ]
    counts = band_counts(health)

    renewals = renewal_pipeline(health, limits.renewal_days).assign(
        renewal=lambda rows: rows["renewal_date"].map(fmt_date),
        utilization=lambda rows: rows["utilization_pct"].map(fmt_pct),
        band=lambda rows: rows["health_band"].map(lambda band: BAND_LABELS.get(band, "No seats")),
    )
    below = renewals[renewals["utilization_pct"] < limits.at_risk_pct]
    severity = severity_counts(alerts)
    alert_rows = []
    for position, alert in enumerate(alerts.itertuples(), start=1):
        color = SEVERITY_COLORS.get(alert.severity, "#555")
        alert_rows.append(
            f"<tr><td>{position}</td><td><span class='sev' style='background:{color}'>"
            f"{html.escape(alert.severity)}</span></td><td>{html.escape(alert.alert_type)}</td>"
            f"<td><b>{html.escape(str(alert.account_name))}</b><br><span class='muted'>{html.escape(alert.account_id)}"
            f"</span></td><td>{html.escape(alert.reason)}</td><td>{html.escape(str(alert.recommended_play))}</td></tr>"
        )
    queue = health[health["licensed_seats"].fillna(0) > 0].head(10).assign(
        utilization=lambda rows: rows["utilization_pct"].map(fmt_pct),
        band=lambda rows: rows["health_band"].map(BAND_LABELS),
        renewal=lambda rows: rows["renewal_date"].map(fmt_date),
    )
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>License utilization report, as of {as_of}</title>
<style>{CSS}</style></head><body>
<h1>License utilization report</h1>
<div class="muted">As of {as_of}. Generated {generated} from <code>{html.escape(str(source))}</code> (read-only).
Utilization = active users / licensed seats, capped at 100%; over a group of accounts, sum of utilized seats /
sum of seats. Bands: strong &ge; {limits.strong_pct:g}%, at risk &lt; {limits.at_risk_pct:g}%.</div>
<div class="tiles">{"".join(f'<div class="tile"><div class="k">{k}</div><div class="n">{v}</div></div>' for k, v in tiles)}</div>
<div class="row">
<div><h3>Utilization distribution (accounts)</h3>{svg_bars(bin_labels, bin_values, bin_colors)}</div>
<div><h3>Accounts per band</h3>{svg_bars(list(counts["band_label"]), [int(v) for v in counts["accounts"]],
                                          [BAND_COLORS[band] for band in counts["band"]], width=360)}</div>
</div>
<h3>Portfolio utilization by month</h3>{svg_trend(marts["monthly"], limits)}
<h2>Renewals in the next {limits.renewal_days} days</h2>
<p>{len(renewals)} account(s) renew within {limits.renewal_days} days; <b>{len(below)} of them below
{limits.at_risk_pct:g}%</b>{": " + html.escape(", ".join(below["account_name"])) if len(below) else ""}.</p>
{table(renewals, {"account_name": "Account", "renewal": "Renewal", "days_to_renewal": "Days",
                  "licensed_seats": "Seats", "utilization": "Utilization", "band": "Band",
                  "recommended_play": "Recommended play"},
       row_class=lambda row: "risk" if row["utilization_pct"] < limits.at_risk_pct else "")}
<h2>Alerts ({len(alerts)}: {severity["high"]} high, {severity["medium"]} medium, {severity["low"]} low)</h2>
<p class="muted">In priority order: severity, then the account's priority rank.</p>
<table><thead><tr><th>#</th><th>Severity</th><th>Alert</th><th>Account</th><th>Why</th><th>Play</th></tr></thead>
<tbody>{"".join(alert_rows) or '<tr><td colspan="6">No alerts.</td></tr>'}</tbody></table>
<h2>Customer-success queue (top 10)</h2>
{table(queue, {"priority_rank": "#", "account_name": "Account", "utilization": "Utilization", "band": "Band",
               "renewal": "Renewal", "recommended_play": "Recommended play"})}
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"HTML file to write (default {DEFAULT_OUT})")
    parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file (default: DBT_DUCKDB_PATH)")
    args = parser.parse_args(argv)
    source = (args.warehouse or warehouse_path()).resolve()
    document = render(read_marts(source), thresholds(), source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(document, encoding="utf-8")
    print(f"Report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
