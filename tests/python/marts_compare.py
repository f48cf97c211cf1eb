"""Comparison helpers shared by test_oracle.py and test_marts_vs_oracle.py.

Both the oracle and the dbt marts are normalised to the contract columns, with date
keys as ``YYYY-MM-DD`` text, counts and percentages as floats and band/group names as
text, then compared row by row: same keys, numbers within ``TOLERANCE``, equal text.
Every function returns a list of human-readable differences (empty = equal), so a
failing test shows what differs instead of only that something does.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from datasets import expand_daily

TOLERANCE = 0.01

#: mart -> (key columns, numeric columns, text columns), contract columns only
MART_SPECS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "fct_license_utilization_daily": (
        ["account_id", "date_day"],
        ["licensed_seats", "assigned_seats", "active_users", "utilized_seats",
         "utilization_pct", "overage_users"],
        ["health_band"],
    ),
    "fct_license_utilization_monthly": (
        ["account_id", "month_start"],
        ["days_with_seats", "licensed_seats", "active_users", "utilization_pct",
         "avg_utilization_pct", "min_utilization_pct", "max_utilization_pct"],
        ["health_band"],
    ),
    "fct_utilization_by_department": (
        ["account_id", "month_start", "department"],
        ["assigned_seats", "active_users", "utilization_pct"],
        [],
    ),
    "fct_utilization_by_role": (
        ["account_id", "month_start", "role"],
        ["assigned_seats", "active_users", "utilization_pct"],
        [],
    ),
}
MARTS = list(MART_SPECS)
DATE_COLUMNS = {"date_day", "month_start"}

MONTHLY_FIELDS = ["days_with_seats", "licensed_seats", "active_users", "utilization_pct",
                  "avg_utilization_pct", "min_utilization_pct", "max_utilization_pct", "health_band"]
GROUP_FIELDS = ["assigned_seats", "active_users", "utilization_pct"]


def normalize(mart: str, df: pd.DataFrame) -> pd.DataFrame:
    """Contract columns of ``mart`` in comparable types, indexed by its keys."""
    keys, numeric, text = MART_SPECS[mart]
    missing = [c for c in keys + numeric + text if c not in df.columns]
    if missing:
        raise AssertionError(f"{mart}: missing contract columns {missing}; has {list(df.columns)}")
    out = pd.DataFrame(index=range(len(df)))
    for column in keys + text:
        values = df[column].reset_index(drop=True)
        if column in DATE_COLUMNS:
            out[column] = pd.to_datetime(values.astype(object)).dt.strftime("%Y-%m-%d")
        else:
            out[column] = values.astype(object).where(values.notna(), None)
    for column in numeric:
        out[column] = pd.to_numeric(df[column].reset_index(drop=True).astype(object), errors="raise").astype(float)
    return out.set_index(keys).sort_index()


def _same(a: Any, b: Any) -> bool:
    a_null, b_null = a is None or pd.isna(a), b is None or pd.isna(b)
    if a_null or b_null:
        return a_null and b_null
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(float(a) - float(b)) <= TOLERANCE


def compare_marts(mart: str, actual: pd.DataFrame, expected: pd.DataFrame, limit: int = 25) -> list[str]:
    """Row-by-row differences between two versions of one mart."""
    keys, numeric, text = MART_SPECS[mart]
    a, e = normalize(mart, actual), normalize(mart, expected)
    problems = []
    for label, frame in (("actual", a), ("expected", e)):
        duplicated = frame.index[frame.index.duplicated()]
        if len(duplicated):
            problems.append(f"{mart}: {label} has duplicate keys {list(duplicated[:5])}")
    missing = e.index.difference(a.index)
    extra = a.index.difference(e.index)
    if len(missing):
        problems.append(f"{mart}: {len(missing)} expected rows missing, e.g. {list(missing[:5])}")
    if len(extra):
        problems.append(f"{mart}: {len(extra)} unexpected rows, e.g. {list(extra[:5])}")
    common = e.index.intersection(a.index)
    for key in common:
        for column in numeric + text:
            av, ev = a.at[key, column], e.at[key, column]
            if not _same(av, ev):
                problems.append(f"{mart} {key}: {column} = {av!r}, expected {ev!r}")
                if len(problems) >= limit:
                    return problems + ["... (more differences not shown)"]
    return problems


def compare_all(actual: Mapping[str, pd.DataFrame], expected: Mapping[str, pd.DataFrame]) -> list[str]:
    problems = []
    for mart in MARTS:
        problems += compare_marts(mart, actual[mart], expected[mart])
    return problems


def _rows(mart: str, df: pd.DataFrame) -> pd.DataFrame:
    return normalize(mart, df).reset_index()


def check_expectations(marts: Mapping[str, pd.DataFrame], exp: Mapping[str, Any]) -> list[str]:
    """Differences between marts and hand-worked expectations (layout: datasets.py)."""
    problems: list[str] = []

    # daily: the segments list every fact row of their accounts
    if exp.get("daily"):
        mart = "fct_license_utilization_daily"
        expected = expand_daily(exp["daily"])
        actual = _rows(mart, marts[mart])
        actual = actual[actual["account_id"].isin(list(exp["daily"]))]
        got = {(r["account_id"], r["date_day"]): r for r in actual.to_dict("records")}
        missing = sorted(set(expected) - set(got))
        extra = sorted(set(got) - set(expected))
        if missing:
            problems.append(f"daily: {len(missing)} expected rows missing, e.g. {missing[:5]}")
        if extra:
            problems.append(f"daily: {len(extra)} rows that should not exist, e.g. {extra[:5]}")
        for key in sorted(set(expected) & set(got)):
            for column, value in expected[key].items():
                if not _same(got[key][column], value):
                    problems.append(f"daily {key}: {column} = {got[key][column]!r}, expected {value!r}")

    for account_id in exp.get("absent", []):
        for mart in MARTS:
            n = int((marts[mart]["account_id"] == account_id).sum())
            if n:
                problems.append(f"{mart}: {n} rows for {account_id}, expected none")

    if exp.get("monthly"):
        mart = "fct_license_utilization_monthly"
        actual = _rows(mart, marts[mart])
        for account_id, months in exp["monthly"].items():
            rows = actual[actual["account_id"] == account_id]
            got = {r["month_start"]: r for r in rows.to_dict("records")}
            if set(got) != set(months):
                problems.append(f"monthly {account_id}: months {sorted(got)}, expected {sorted(months)}")
            for month in sorted(set(got) & set(months)):
                for column, value in zip(MONTHLY_FIELDS, months[month]):
                    if not _same(got[month][column], value):
                        problems.append(f"monthly {account_id} {month}: {column} = "
                                        f"{got[month][column]!r}, expected {value!r}")

    for kind, mart in (("department", "fct_utilization_by_department"), ("role", "fct_utilization_by_role")):
        if not exp.get(kind):
            continue
        actual = _rows(mart, marts[mart])
        for (account_id, month), groups in exp[kind].items():
            rows = actual[(actual["account_id"] == account_id) & (actual["month_start"] == month)]
            got = {r[kind]: r for r in rows.to_dict("records")}
            if set(got) != set(groups):
                problems.append(f"{kind} {account_id} {month}: groups {sorted(got)}, expected {sorted(groups)}")
            for group in sorted(set(got) & set(groups)):
                for column, value in zip(GROUP_FIELDS, groups[group]):
                    if not _same(got[group][column], value):
                        problems.append(f"{kind} {account_id} {month} {group}: {column} = "
                                        f"{got[group][column]!r}, expected {value!r}")
    return problems


def invariant_problems(marts: Mapping[str, pd.DataFrame], strong: float = 80, at_risk: float = 60) -> list[str]:
    """Contract invariants that must hold on any data (section 4 and 5)."""
    problems = []
    d = _rows("fct_license_utilization_daily", marts["fct_license_utilization_daily"])
    checks = {
        "licensed_seats > 0": d["licensed_seats"] > 0,
        "assigned/active >= 0": (d["assigned_seats"] >= 0) & (d["active_users"] >= 0),
        "active_users <= assigned_seats": d["active_users"] <= d["assigned_seats"],
        "utilized = least(active, seats)": (d["utilized_seats"] - d[["active_users", "licensed_seats"]].min(axis=1)).abs() < 1e-9,
        "pct = 100 * utilized / seats": (d["utilization_pct"] - 100 * d["utilized_seats"] / d["licensed_seats"]).abs() <= TOLERANCE,
        "0 <= pct <= 100": d["utilization_pct"].between(0, 100),
        "overage = greatest(active - seats, 0)": (d["overage_users"] - (d["active_users"] - d["licensed_seats"]).clip(lower=0)).abs() < 1e-9,
        "health band": d["health_band"] == d["utilization_pct"].map(
            lambda p: "strong" if p >= strong else ("at_risk" if p < at_risk else "healthy")),
    }
    for name, ok in checks.items():
        bad = d[~ok]
        if len(bad):
            problems.append(f"daily: {name} violated on {len(bad)} rows, e.g. {bad.head(3).to_dict('records')}")
    m = _rows("fct_license_utilization_monthly", marts["fct_license_utilization_monthly"])
    ok = (m["min_utilization_pct"] <= m["avg_utilization_pct"] + TOLERANCE) & (
        m["avg_utilization_pct"] <= m["max_utilization_pct"] + TOLERANCE) & m["utilization_pct"].between(
        m["min_utilization_pct"] - TOLERANCE, m["max_utilization_pct"] + TOLERANCE)
    if (~ok).any():
        problems.append(f"monthly: min <= avg <= max and min <= pct <= max violated on {int((~ok).sum())} rows")
    for mart in ("fct_utilization_by_department", "fct_utilization_by_role"):
        g = _rows(mart, marts[mart])
        ok = (g["assigned_seats"] >= 1) & (g["active_users"] <= g["assigned_seats"]) & (
            (g["utilization_pct"] - 100 * g["active_users"] / g["assigned_seats"]).abs() <= TOLERANCE)
        if (~ok).any():
            problems.append(f"{mart}: assigned >= 1 / active <= assigned / pct formula violated on {int((~ok).sum())} rows")
    return problems
