"""The headline figures of the dashboard and the static report, from mart rows.

Plain pandas, no Streamlit: the dashboard pages and `scripts/report.py` compute their
numbers with the same functions. Utilization over a group of accounts is always a ratio
of sums (100 * sum utilized seats / sum licensed seats), like the marts' cohorts and
the semantic layer's `license_utilization`, so large accounts weigh by their seats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

#: Bands in display order, with the label and colour used everywhere.
BANDS = ("strong", "healthy", "at_risk")
NO_SEATS = "no seats"
BAND_LABELS = {"strong": "Strong", "healthy": "Healthy", "at_risk": "At risk", NO_SEATS: "No seats"}
BAND_COLORS = {"strong": "#2e7d32", "healthy": "#f9a825", "at_risk": "#c62828", NO_SEATS: "#9e9e9e"}
SEVERITY_ORDER = ("high", "medium", "low")


def weighted_utilization(utilized_seats: float, licensed_seats: float) -> float | None:
    """100 * utilized / licensed, None without seats."""
    if not licensed_seats or pd.isna(licensed_seats):
        return None
    return 100.0 * float(utilized_seats) / float(licensed_seats)


@dataclass(frozen=True)
class PortfolioSummary:
    """The portfolio as of as_of_date (from dim_account_health)."""

    accounts: int
    accounts_with_seats: int
    licensed_seats: int
    active_users: int
    utilized_seats: int
    overage_users: int
    accounts_with_overage: int
    utilization_pct: float | None
    median_account_utilization_pct: float | None
    strong_accounts: int
    healthy_accounts: int
    at_risk_accounts: int


def portfolio_summary(health: pd.DataFrame) -> PortfolioSummary:
    """Summarise dim_account_health rows: seat-weighted utilization, seats, bands."""
    with_seats = health[health["licensed_seats"].fillna(0) > 0]
    bands = with_seats["health_band"].value_counts()
    median = with_seats["utilization_pct"].median()
    return PortfolioSummary(
        accounts=int(len(health)),
        accounts_with_seats=int(len(with_seats)),
        licensed_seats=int(with_seats["licensed_seats"].sum()),
        active_users=int(with_seats["active_users"].fillna(0).sum()),
        utilized_seats=int(with_seats["utilized_seats"].fillna(0).sum()),
        overage_users=int(with_seats["overage_users"].fillna(0).sum()),
        accounts_with_overage=int((with_seats["overage_users"].fillna(0) > 0).sum()),
        utilization_pct=weighted_utilization(
            with_seats["utilized_seats"].fillna(0).sum(), with_seats["licensed_seats"].sum()
        ),
        median_account_utilization_pct=None if pd.isna(median) else float(median),
        strong_accounts=int(bands.get("strong", 0)),
        healthy_accounts=int(bands.get("healthy", 0)),
        at_risk_accounts=int(bands.get("at_risk", 0)),
    )


def band_for_pct(utilization_pct: float | None, at_risk_pct: float, strong_pct: float) -> str | None:
    """The band of a utilization figure, by the same rule as the marts (CONTRACT section 4)."""
    if utilization_pct is None or pd.isna(utilization_pct):
        return None
    if utilization_pct >= strong_pct:
        return "strong"
    return "at_risk" if utilization_pct < at_risk_pct else "healthy"


def band_of(health: pd.DataFrame) -> pd.Series:
    """Each account's band, `no seats` where it has none."""
    return health["health_band"].where(health["licensed_seats"].fillna(0) > 0, NO_SEATS).fillna(NO_SEATS)


def band_counts(health: pd.DataFrame) -> pd.DataFrame:
    """Accounts per band (strong, healthy, at risk, no seats), every band listed."""
    counts = band_of(health).value_counts()
    order = (*BANDS, NO_SEATS)
    return pd.DataFrame(
        {
            "band": list(order),
            "band_label": [BAND_LABELS[band] for band in order],
            "accounts": [int(counts.get(band, 0)) for band in order],
        }
    )


def utilization_bins(health: pd.DataFrame, width: int = 10) -> pd.DataFrame:
    """Accounts with seats per utilization bin [0,10), [10,20) ... [90,100]; 100 is in the last bin."""
    with_seats = health[health["licensed_seats"].fillna(0) > 0].copy()
    starts = (with_seats["utilization_pct"] // width * width).clip(upper=100 - width).astype(int)
    with_seats["bin_start"] = starts
    with_seats["band"] = band_of(with_seats)
    grouped = with_seats.groupby(["bin_start", "band"], as_index=False).agg(accounts=("account_id", "count"))
    grouped["bin_end"] = grouped["bin_start"] + width
    grouped["bin_label"] = grouped["bin_start"].map(lambda start: f"{start}-{start + width}%")
    return grouped


def renewal_pipeline(health: pd.DataFrame, horizon_days: int, below_pct: float | None = None) -> pd.DataFrame:
    """Accounts whose renewal falls within `horizon_days` of as_of_date (0 = today).

    With `below_pct`, only those whose utilization is below it (accounts without seats
    have no utilization and are left out then). Ordered by renewal date, lowest
    utilization first on the same day.
    """
    days = health["days_to_renewal"]
    pipeline = health[days.notna() & (days >= 0) & (days <= horizon_days)]
    if below_pct is not None:
        pipeline = pipeline[pipeline["utilization_pct"] < below_pct]
    return pipeline.sort_values(["renewal_date", "utilization_pct", "account_id"]).reset_index(drop=True)


def severity_counts(alerts: pd.DataFrame) -> dict[str, int]:
    """Alerts per severity, every severity listed (high, medium, low)."""
    counts = alerts["severity"].value_counts()
    return {severity: int(counts.get(severity, 0)) for severity in SEVERITY_ORDER}


# --- formatting ---------------------------------------------------------------------------


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """41.666 -> '41.7%'; None/NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    return f"{value:.{digits}f}%"


def fmt_int(value: float | None) -> str:
    """1234 -> '1,234'; None/NaN -> '–'."""
    if value is None or pd.isna(value):
        return "–"
    return f"{int(value):,}"


def fmt_date(value) -> str:
    """A date or timestamp as YYYY-MM-DD; None/NaT -> '–'."""
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).strftime("%Y-%m-%d")
