"""Hand-made fixture datasets with hand-worked expected marts, plus a random generator.

Every fixture is a function returning the five raw tables of CONTRACT section 2 as
DataFrames of text (exactly what ``read_dataset`` gets back from the CSV files):
dates ``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM:SS`` (UTC), booleans ``true``/``false``,
``None`` = null (an empty CSV field).

The expected figures in ``EXPECTED`` were worked out BY HAND from the rows below (the
reasoning is in the comments next to them). They are not produced by the oracle: the
oracle is tested against them (test_oracle.py) and so are the dbt marts
(test_marts_vs_oracle.py).

All hand-made fixtures share one calendar so they can be combined into one dbt build:
terms start 2024-01-01 (one later), ``as_of_date`` = 2024-03-31 (leap year: January 31
days, February 29, March 31). Account, user, subscription and event ids are unique
across fixtures; ``dataset_fixtures()`` is their union and its expectations are the
union of theirs. The latest event of a known user is on 2024-03-31 (USR-U6) and the
only later event belongs to an unknown user, so with ``as_of_date`` null the reporting
date must still come out as 2024-03-31.

Layout of ``EXPECTED[dataset][config]`` (config names: see ``CONFIGS``):

- ``daily``: {account_id: [(first_day, last_day, licensed_seats, assigned_seats,
  active_users, utilized_seats, utilization_pct, overage_users, health_band), ...]}.
  The segments of an account list ALL its fact rows: a day in no segment has no row.
- ``absent``: accounts that must have no row in any of the four marts.
- ``monthly``: {account_id: {month_start: (days_with_seats, licensed_seats, active_users,
  utilization_pct, avg_utilization_pct, min_utilization_pct, max_utilization_pct,
  health_band)}}, all months of the account.
- ``department`` / ``role``: {(account_id, month_start): {group: (assigned_seats,
  active_users, utilization_pct)}}, all groups of that account-month.

Non-integer percentages are written with 4 decimals; comparisons allow 0.01.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any, Callable

import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "accounts": ["account_id", "account_name", "industry", "employee_count", "region", "created_at"],
    "subscriptions": [
        "subscription_id", "account_id", "plan_name", "plan_tier", "pricing_model",
        "seats_purchased", "start_date", "end_date", "canceled_at",
    ],
    "subscription_seat_changes": ["subscription_id", "effective_date", "seats_purchased"],
    "users": [
        "user_id", "account_id", "email", "role", "department", "holds_license",
        "created_at", "deactivated_at",
    ],
    "events": ["event_id", "user_id", "event_name", "feature_name", "event_ts"],
}

AS_OF = "2024-03-31"

#: Rule configurations exercised by the tests (vars on top of the contract defaults).
CONFIGS: dict[str, dict[str, Any]] = {
    # the contract defaults: >= 1 login in the trailing 30 days
    "default": {},
    # a login AND at least two feature_use events in the trailing 30 days
    "all_login_2_features": {
        "active_rule_match": "all",
        "active_min_logins": 1,
        "active_min_feature_events": 2,
    },
    # at least one core-workflow event (task_completed) in the trailing 7 days
    "core_workflow_7d": {
        "active_window_days": 7,
        "core_workflow_event_names": ["task_completed"],
        "active_min_core_workflow_events": 1,
        "active_min_logins": 0,
    },
}


# --------------------------------------------------------------------------- row helpers


class _Builder:
    """Collects raw rows of one dataset."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in COLUMNS}

    def account(self, account_id: str, *, industry: str | None = "Software", employees: int = 120,
                region: str | None = "EMEA") -> None:
        self.rows["accounts"].append({
            "account_id": account_id, "account_name": f"{account_id} Corp", "industry": industry,
            "employee_count": employees, "region": region, "created_at": "2023-06-01 00:00:00",
        })

    def subscription(self, subscription_id: str, account_id: str, pricing_model: str, seats: int,
                     start: str, end: str | None = None, canceled: str | None = None,
                     tier: str = "growth") -> None:
        self.rows["subscriptions"].append({
            "subscription_id": subscription_id, "account_id": account_id,
            "plan_name": f"Plan {tier.title()}", "plan_tier": tier, "pricing_model": pricing_model,
            "seats_purchased": seats, "start_date": start, "end_date": end, "canceled_at": canceled,
        })

    def seat_change(self, subscription_id: str, effective: str, seats: int) -> None:
        self.rows["subscription_seat_changes"].append({
            "subscription_id": subscription_id, "effective_date": effective, "seats_purchased": seats,
        })

    def user(self, user_id: str, account_id: str, *, role: str | None = "contributor",
             department: str | None = "Sales", holds: str | None = "true",
             created: str = "2023-12-01 09:00:00", deactivated: str | None = None) -> None:
        self.rows["users"].append({
            "user_id": user_id, "account_id": account_id,
            "email": f"{user_id.strip().lower()}@example.com", "role": role, "department": department,
            "holds_license": holds, "created_at": created, "deactivated_at": deactivated,
        })

    def event(self, event_id: str, user_id: str, name: str, ts: str, feature: str | None = None) -> None:
        self.rows["events"].append({
            "event_id": event_id, "user_id": user_id, "event_name": name,
            "feature_name": feature, "event_ts": ts,
        })

    def always_active(self, user_id: str) -> None:
        """Logins that keep a user active (30-day window) every day 2024-01-01..2024-04-13.

        Coverage: 01-01 -> 01-30, 01-15 -> 02-13, 02-01 -> 03-01, 02-15 -> 03-15,
        03-01 -> 03-30, 03-15 -> 04-13: no gap.
        """
        for i, day in enumerate(["2024-01-01", "2024-01-15", "2024-02-01", "2024-02-15",
                                 "2024-03-01", "2024-03-15"]):
            self.event(f"{user_id}-L{i}", user_id, "login", f"{day} 10:00:00")

    def tables(self) -> dict[str, pd.DataFrame]:
        return {t: _frame(t, self.rows[t]) for t in COLUMNS}


def _frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Text DataFrame with exactly the contract columns (None = null)."""
    data = [[None if r.get(c) is None else str(r[c]) for c in COLUMNS[table]] for r in rows]
    return pd.DataFrame(data, columns=COLUMNS[table], dtype=object)


# --------------------------------------------------------------------------- fixtures


def dataset_article() -> dict[str, pd.DataFrame]:
    """The brief's example: 100 seats, 60 active users -> exactly 60.0 %.

    Account ART, one open-ended seat_based term of 100 seats from 2024-01-01.
    80 licensed users: ART-U001..U050 in Sales, U051..U080 in Engineering;
    U001..U010 are admins, the rest contributors. 60 of them (U001..U040 and
    U051..U070) log in once on 2024-03-20, so they are active 03-20..04-18.
    The login of U001 carries a space-padded user_id (' ART-U001 '): ids are trimmed.
    """
    b = _Builder()
    b.account("ART", industry="Retail", employees=900)
    b.subscription("ART-S1", "ART", "seat_based", 100, "2024-01-01", tier="enterprise")
    for n in range(1, 81):
        uid = f"ART-U{n:03d}"
        b.user(uid, "ART", role="admin" if n <= 10 else "contributor",
               department="Sales" if n <= 50 else "Engineering")
        if n <= 40 or 51 <= n <= 70:
            event_user = f" {uid} " if n == 1 else uid
            b.event(f"ART-E{n:03d}", event_user, "login", "2024-03-20 10:00:00")
    return b.tables()


def dataset_window() -> dict[str, pd.DataFrame]:
    """Window edges: one event on day t makes a user active on t .. t+N-1, not on t+N.

    Account WIN, seat_based 10 seats 2024-01-01..2024-12-31, 4 licensed users.
    - W1 logs in 2024-02-01 12:00: active 02-01..03-01 (t+29, Feb has 29 days), not 03-02.
    - W2 logs in 2024-03-10 23:59:59: the UTC date is 03-10, active 03-10..04-08.
    - W3 logs in 2024-03-25 00:00:00: active 03-25..04-23.
    - W4 completes a task 2024-02-10: with N = 7 and task_completed a core workflow
      (config core_workflow_7d) active 02-10..02-16, not 02-17; by default it is a
      feature_use event, which the default rule ignores.
    """
    b = _Builder()
    b.account("WIN", industry=None, employees=40, region=None)
    b.subscription("WIN-S1", "WIN", "seat_based", 10, "2024-01-01", "2024-12-31")
    for uid in ("WIN-W1", "WIN-W2", "WIN-W3", "WIN-W4"):
        b.user(uid, "WIN")
    b.event("WIN-E1", "WIN-W1", "login", "2024-02-01 12:00:00")
    b.event("WIN-E2", "WIN-W2", "login", "2024-03-10 23:59:59")
    b.event("WIN-E3", "WIN-W3", "login", "2024-03-25 00:00:00")
    b.event("WIN-E4", "WIN-W4", "task_completed", "2024-02-10 08:00:00", feature="tasks")
    return b.tables()


def dataset_seat_changes() -> dict[str, pd.DataFrame]:
    """Mid-term seat changes up, down, to 0 (no fact rows) and back up; over-use.

    Account SEA, seat_based 10 seats 2024-01-01..2024-12-31, changes:
    01-20 -> 15, 02-10 -> 5, 02-20 -> 0, 03-01 -> 8. Six users active every day.
    02-10..02-19: 6 active on 5 seats -> utilization 100, overage 1.
    """
    b = _Builder()
    b.account("SEA", industry="Finance", employees=60)
    b.subscription("SEA-S1", "SEA", "seat_based", 10, "2024-01-01", "2024-12-31")
    b.seat_change("SEA-S1", "2024-01-20", 15)
    b.seat_change("SEA-S1", "2024-02-10", 5)
    b.seat_change("SEA-S1", "2024-02-20", 0)
    b.seat_change("SEA-S1", "2024-03-01", 8)
    for n in range(1, 7):
        b.user(f"SEA-U{n}", "SEA", department="Operations")
        b.always_active(f"SEA-U{n}")
    return b.tables()


def dataset_terms() -> dict[str, pd.DataFrame]:
    """Contract terms: cancellation, a gap between terms, overlapping terms, usage-based
    terms, a late first term (with events before it), mixed-case pricing models.

    - CAN: 20 seats 2024-01-01..2024-12-31 canceled_at 2024-02-15 -> rows 01-01..02-14;
      a seat change to 50 on 03-01 (after the cancellation) revives nothing. 4 active users.
    - GAP: 5 seats 01-01..01-31 (end inclusive), then ' TIERED' 7 seats from 02-15:
      no rows 02-01..02-14. 2 active users.
    - OVL: seat_based 10 seats 01-01..03-31 plus 'Tiered ' 5 seats 02-01..02-29 changed
      to 10 on 02-15 (seats add: 15 then 20), plus 'USAGE_BASED ' 1000 seats (ignored).
      3 active users.
    - USG: only a ' usage_based' term: no row in any mart although its users are active.
    - LAT: first term (3 seats) starts 2024-03-15; LAT-U1 logged in 03-01, before the term:
      that login counts in the window (active 03-15..03-30, not 03-31). LAT-U2 never logs in.
    """
    b = _Builder()
    for aid, industry in (("CAN", "Media"), ("GAP", "Software"), ("OVL", "Health"),
                          ("USG", "Software"), ("LAT", None)):
        b.account(aid, industry=industry)
    b.subscription("CAN-S1", "CAN", "seat_based", 20, "2024-01-01", "2024-12-31", canceled="2024-02-15")
    b.seat_change("CAN-S1", "2024-03-01", 50)
    b.subscription("GAP-S1", "GAP", "seat_based", 5, "2024-01-01", "2024-01-31", tier="starter")
    b.subscription("GAP-S2", "GAP", " TIERED", 7, "2024-02-15", None, tier="growth")
    b.subscription("OVL-S1", "OVL", "seat_based", 10, "2024-01-01", "2024-03-31")
    b.subscription("OVL-S2", "OVL", "Tiered ", 5, "2024-02-01", "2024-02-29")
    b.seat_change("OVL-S2", "2024-02-15", 10)
    b.subscription("OVL-S3", "OVL", "USAGE_BASED ", 1000, "2024-01-01", None)
    b.subscription("USG-S1", "USG", " usage_based", 50, "2024-01-01", None)
    b.subscription("LAT-S1", "LAT", "seat_based", 3, "2024-03-15", None, tier="starter")
    for aid, n_users in (("CAN", 4), ("GAP", 2), ("OVL", 3), ("USG", 2)):
        for n in range(1, n_users + 1):
            b.user(f"{aid}-U{n}", aid)
            b.always_active(f"{aid}-U{n}")
    b.user("LAT-U1", "LAT")
    b.user("LAT-U2", "LAT")
    b.event("LAT-E1", "LAT-U1", "login", "2024-03-01 10:00:00")
    return b.tables()


def dataset_users() -> dict[str, pd.DataFrame]:
    """Eligibility, departments, roles, unknown users.

    Account USR, seat_based 10 seats from 2024-01-01, open-ended.
    - U1  role 'Admin', Sales, active every day.
    - U2  role 'VIEWER ', Sales, deactivated 2024-02-10 09:00 while its logins
          (01-01, 01-25, 02-05) keep it active to 03-05: counted 01-01..02-09 only.
    - U3  role null -> unknown, department null -> Unassigned, provisioned 2024-02-20
          15:00; its login of 02-01 (before it existed) counts once it is eligible:
          assigned from 02-20, active 02-20..03-01.
    - U4  holds_license false (free user), logs in all the time: never counted.
    - U5  holds_license null (-> true), ' Engineering ' (trimmed), role 'contributor',
          never logs in: assigned, never active.
    - U6  role ' Contributor', Engineering, one login 2024-03-31 23:30 (latest event of a
          known user): active on 03-31 only.
    - USR-GHOST is not in users: its logins (03-20 and 04-05) are ignored, and 04-05
      does not become the reporting date when as_of_date is null.
    """
    b = _Builder()
    b.account("USR", industry="Education", employees=300)
    b.subscription("USR-S1", "USR", "seat_based", 10, "2024-01-01", None)
    b.user("USR-U1", "USR", role="Admin", department="Sales")
    b.user("USR-U2", "USR", role="VIEWER ", department="Sales", deactivated="2024-02-10 09:00:00")
    b.user("USR-U3", "USR", role=None, department=None, created="2024-02-20 15:00:00")
    b.user("USR-U4", "USR", role="admin", department="Sales", holds="false")
    b.user("USR-U5", "USR", role="contributor", department=" Engineering ", holds=None)
    b.user("USR-U6", "USR", role=" Contributor", department="Engineering")
    b.always_active("USR-U1")
    b.event("USR-E21", "USR-U2", "login", "2024-01-01 08:00:00")
    b.event("USR-E22", "USR-U2", "login", "2024-01-25 08:00:00")
    b.event("USR-E23", "USR-U2", "login", "2024-02-05 08:00:00")
    b.event("USR-E31", "USR-U3", "login", "2024-02-01 10:00:00")
    b.always_active("USR-U4")
    b.event("USR-E61", "USR-U6", "login", "2024-03-31 23:30:00")
    b.event("USR-EG1", "USR-GHOST", "login", "2024-03-20 10:00:00")
    b.event("USR-EG2", "USR-GHOST", "login", "2024-04-05 10:00:00")
    return b.tables()


def dataset_rules() -> dict[str, pd.DataFrame]:
    """The configurable rule: categories, thresholds > 1, 'all' vs 'any', duplicates.

    Account RUL, seat_based 10 seats from 2024-01-01, six licensed users.
    - R1 login 03-20, report_viewed 03-21 and 03-22.
    - R2 login 03-20, report_viewed 03-21 whose row appears TWICE (same event_id):
         one feature event, so never 2 features.
    - R3 export_csv 03-20, 03-21, 03-22 (features only, no login).
    - R4 ' LOGIN ' 03-28, ' Task_Completed' 03-28, 'TASK_COMPLETED ' 03-29 (mixed case).
    - R5 task_completed 03-20.
    - R6 'Login' 02-15, repeated (same event_id) -> one login.
    """
    b = _Builder()
    b.account("RUL", industry="Software", employees=15)
    b.subscription("RUL-S1", "RUL", "seat_based", 10, "2024-01-01", None)
    for n, (role, dept) in enumerate([("admin", "Product"), ("contributor", "Product"),
                                      (None, None), ("viewer", "Support"),
                                      ("contributor", "Support"), ("Viewer", "Product")], 1):
        b.user(f"RUL-R{n}", "RUL", role=role, department=dept)
    b.event("RUL-E01", "RUL-R1", "login", "2024-03-20 09:00:00")
    b.event("RUL-E02", "RUL-R1", "report_viewed", "2024-03-21 09:00:00", feature="reports")
    b.event("RUL-E03", "RUL-R1", "report_viewed", "2024-03-22 09:00:00", feature="reports")
    b.event("RUL-E04", "RUL-R2", "login", "2024-03-20 09:00:00")
    b.event("RUL-E05", "RUL-R2", "report_viewed", "2024-03-21 09:00:00", feature="reports")
    b.event("RUL-E05", "RUL-R2", "report_viewed", "2024-03-21 09:00:00", feature="reports")
    b.event("RUL-E06", "RUL-R3", "export_csv", "2024-03-20 09:00:00", feature="export")
    b.event("RUL-E07", "RUL-R3", "export_csv", "2024-03-21 09:00:00", feature="export")
    b.event("RUL-E08", "RUL-R3", "export_csv", "2024-03-22 09:00:00", feature="export")
    b.event("RUL-E09", "RUL-R4", " LOGIN ", "2024-03-28 09:00:00")
    b.event("RUL-E10", "RUL-R4", " Task_Completed", "2024-03-28 10:00:00", feature="tasks")
    b.event("RUL-E11", "RUL-R4", "TASK_COMPLETED ", "2024-03-29 10:00:00", feature="tasks")
    b.event("RUL-E12", "RUL-R5", "task_completed", "2024-03-20 10:00:00", feature="tasks")
    b.event("RUL-E13", "RUL-R6", "Login", "2024-02-15 09:00:00")
    b.event("RUL-E13", "RUL-R6", "Login", "2024-02-15 09:00:00")
    return b.tables()


HAND_DATASETS: dict[str, Callable[[], dict[str, pd.DataFrame]]] = {
    "article": dataset_article,
    "window": dataset_window,
    "seat_changes": dataset_seat_changes,
    "terms": dataset_terms,
    "users": dataset_users,
    "rules": dataset_rules,
}


def dataset_fixtures() -> dict[str, pd.DataFrame]:
    """All hand-made fixtures in one set of raw tables (ids are disjoint)."""
    parts = [f() for f in HAND_DATASETS.values()]
    return {t: pd.concat([p[t] for p in parts], ignore_index=True) for t in COLUMNS}


# --------------------------------------------------------------------------- expectations
# Percentages: 40/70 etc. are written to 4 decimals; the arithmetic is in the comments.

_M1, _M2, _M3 = "2024-01-01", "2024-02-01", "2024-03-01"


def _zero_activity(segments):
    """The same seat segments with nobody active (for rules no event of the account meets)."""
    out = []
    for first, last, seats, assigned, *_ in segments:
        out.append((first, last, seats, assigned, 0, 0, 0.0, 0, "at_risk"))
    return out


_ART_DAILY = [
    ("2024-01-01", "2024-03-19", 100, 80, 0, 0, 0.0, 0, "at_risk"),
    ("2024-03-20", "2024-03-31", 100, 80, 60, 60, 60.0, 0, "healthy"),  # 60 is not < 60
]
_WIN_DAILY = [
    ("2024-01-01", "2024-01-31", 10, 4, 0, 0, 0.0, 0, "at_risk"),
    ("2024-02-01", "2024-03-01", 10, 4, 1, 1, 10.0, 0, "at_risk"),   # W1: 02-01 + 29 days
    ("2024-03-02", "2024-03-09", 10, 4, 0, 0, 0.0, 0, "at_risk"),
    ("2024-03-10", "2024-03-24", 10, 4, 1, 1, 10.0, 0, "at_risk"),   # W2
    ("2024-03-25", "2024-03-31", 10, 4, 2, 2, 20.0, 0, "at_risk"),   # W2 + W3
]
_SEA_DAILY = [
    ("2024-01-01", "2024-01-19", 10, 6, 6, 6, 60.0, 0, "healthy"),
    ("2024-01-20", "2024-02-09", 15, 6, 6, 6, 40.0, 0, "at_risk"),
    ("2024-02-10", "2024-02-19", 5, 6, 6, 5, 100.0, 1, "strong"),
    # 02-20..02-29: 0 seats -> no rows
    ("2024-03-01", "2024-03-31", 8, 6, 6, 6, 75.0, 0, "healthy"),
]
_TERMS_DAILY = {
    "CAN": [("2024-01-01", "2024-02-14", 20, 4, 4, 4, 20.0, 0, "at_risk")],
    "GAP": [
        ("2024-01-01", "2024-01-31", 5, 2, 2, 2, 40.0, 0, "at_risk"),
        ("2024-02-15", "2024-03-31", 7, 2, 2, 2, 28.5714, 0, "at_risk"),  # 200/7
    ],
    "OVL": [
        ("2024-01-01", "2024-01-31", 10, 3, 3, 3, 30.0, 0, "at_risk"),
        ("2024-02-01", "2024-02-14", 15, 3, 3, 3, 20.0, 0, "at_risk"),   # 10 + 5
        ("2024-02-15", "2024-02-29", 20, 3, 3, 3, 15.0, 0, "at_risk"),   # 10 + 10
        ("2024-03-01", "2024-03-31", 10, 3, 3, 3, 30.0, 0, "at_risk"),
    ],
    "LAT": [
        ("2024-03-15", "2024-03-30", 3, 2, 1, 1, 33.3333, 0, "at_risk"),  # 100/3
        ("2024-03-31", "2024-03-31", 3, 2, 0, 0, 0.0, 0, "at_risk"),      # 03-01 + 30
    ],
}
_USR_DAILY = [
    ("2024-01-01", "2024-02-09", 10, 4, 2, 2, 20.0, 0, "at_risk"),  # U1 U2 U5 U6; active U1 U2
    ("2024-02-10", "2024-02-19", 10, 3, 1, 1, 10.0, 0, "at_risk"),  # U2 gone
    ("2024-02-20", "2024-03-01", 10, 4, 2, 2, 20.0, 0, "at_risk"),  # U3 in, active via 02-01
    ("2024-03-02", "2024-03-30", 10, 4, 1, 1, 10.0, 0, "at_risk"),
    ("2024-03-31", "2024-03-31", 10, 4, 2, 2, 20.0, 0, "at_risk"),  # U6
]
_RUL_DAILY = {
    "default": [
        ("2024-01-01", "2024-02-14", 10, 6, 0, 0, 0.0, 0, "at_risk"),
        ("2024-02-15", "2024-03-15", 10, 6, 1, 1, 10.0, 0, "at_risk"),  # R6
        ("2024-03-16", "2024-03-19", 10, 6, 0, 0, 0.0, 0, "at_risk"),
        ("2024-03-20", "2024-03-27", 10, 6, 2, 2, 20.0, 0, "at_risk"),  # R1 R2
        ("2024-03-28", "2024-03-31", 10, 6, 3, 3, 30.0, 0, "at_risk"),  # + R4
    ],
    "all_login_2_features": [
        ("2024-01-01", "2024-03-21", 10, 6, 0, 0, 0.0, 0, "at_risk"),
        ("2024-03-22", "2024-03-28", 10, 6, 1, 1, 10.0, 0, "at_risk"),  # R1 (2nd feature 03-22)
        ("2024-03-29", "2024-03-31", 10, 6, 2, 2, 20.0, 0, "at_risk"),  # + R4 (2 tasks = features)
    ],
    "core_workflow_7d": [
        ("2024-01-01", "2024-03-19", 10, 6, 0, 0, 0.0, 0, "at_risk"),
        ("2024-03-20", "2024-03-26", 10, 6, 1, 1, 10.0, 0, "at_risk"),  # R5: 03-20 + 6
        ("2024-03-27", "2024-03-27", 10, 6, 0, 0, 0.0, 0, "at_risk"),
        ("2024-03-28", "2024-03-31", 10, 6, 1, 1, 10.0, 0, "at_risk"),  # R4
    ],
}


def _flat_months(days_per_month: dict[str, int], seats: int, active: int, pct: float, band: str):
    return {m: (days, seats, active, pct, pct, pct, pct, band) for m, days in days_per_month.items()}


_FULL = {_M1: 31, _M2: 29, _M3: 31}

EXPECTED: dict[str, dict[str, dict[str, Any]]] = {
    "article": {
        "default": {
            "daily": {"ART": _ART_DAILY},
            "monthly": {"ART": {
                _M1: (31, 100, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                _M2: (29, 100, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                # 12 days at 60 and 19 at 0: 720 / 31 = 23.2258
                _M3: (31, 100, 60, 60.0, 23.2258, 0.0, 60.0, "healthy"),
            }},
            "department": {
                ("ART", _M1): {"Sales": (50, 0, 0.0), "Engineering": (30, 0, 0.0)},
                ("ART", _M2): {"Sales": (50, 0, 0.0), "Engineering": (30, 0, 0.0)},
                # Sales 40 of 50, Engineering 20 of 30 (200/3)
                ("ART", _M3): {"Sales": (50, 40, 80.0), "Engineering": (30, 20, 66.6667)},
            },
            "role": {
                ("ART", _M1): {"admin": (10, 0, 0.0), "contributor": (70, 0, 0.0)},
                ("ART", _M2): {"admin": (10, 0, 0.0), "contributor": (70, 0, 0.0)},
                # contributors U011..U080: active U011..U040 and U051..U070 = 50; 5000/70
                ("ART", _M3): {"admin": (10, 10, 100.0), "contributor": (70, 50, 71.4286)},
            },
        },
        # no feature or task events at all: nobody is active under the other rules
        "all_login_2_features": {"daily": {"ART": _zero_activity(_ART_DAILY)}},
        "core_workflow_7d": {"daily": {"ART": _zero_activity(_ART_DAILY)}},
    },
    "window": {
        "default": {
            "daily": {"WIN": _WIN_DAILY},
            "monthly": {"WIN": {
                _M1: (31, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                _M2: (29, 10, 1, 10.0, 10.0, 10.0, 10.0, "at_risk"),
                # 03-01: 10, 03-02..09: 8 x 0, 03-10..24: 15 x 10, 03-25..31: 7 x 20 -> 300/31
                _M3: (31, 10, 2, 20.0, 9.6774, 0.0, 20.0, "at_risk"),
            }},
            "role": {
                ("WIN", _M1): {"contributor": (4, 0, 0.0)},
                ("WIN", _M2): {"contributor": (4, 1, 25.0)},
                ("WIN", _M3): {"contributor": (4, 2, 50.0)},
            },
        },
        # W1..W3 only log in and W4's task is a single feature event: nobody qualifies
        "all_login_2_features": {"daily": {"WIN": _zero_activity(_WIN_DAILY)}},
        "core_workflow_7d": {
            "daily": {"WIN": [
                ("2024-01-01", "2024-02-09", 10, 4, 0, 0, 0.0, 0, "at_risk"),
                ("2024-02-10", "2024-02-16", 10, 4, 1, 1, 10.0, 0, "at_risk"),  # 02-10 + 6
                ("2024-02-17", "2024-03-31", 10, 4, 0, 0, 0.0, 0, "at_risk"),
            ]},
            "monthly": {"WIN": {
                _M1: (31, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                # 7 days at 10: 70 / 29 = 2.4138; snapshot 02-29 has nobody active
                _M2: (29, 10, 0, 0.0, 2.4138, 0.0, 10.0, "at_risk"),
                _M3: (31, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
            }},
        },
    },
    "seat_changes": {
        "default": {
            "daily": {"SEA": _SEA_DAILY},
            "monthly": {"SEA": {
                # 19 days at 60 + 12 days at 40 = 1620 / 31 = 52.2581; snapshot 01-31 on 15 seats
                _M1: (31, 15, 6, 40.0, 52.2581, 40.0, 60.0, "at_risk"),
                # rows 02-01..02-19: 9 at 40 + 10 at 100 = 1360 / 19 = 71.5789; snapshot 02-19
                _M2: (19, 5, 6, 100.0, 71.5789, 40.0, 100.0, "strong"),
                _M3: (31, 8, 6, 75.0, 75.0, 75.0, 75.0, "healthy"),
            }},
            "department": {
                ("SEA", _M1): {"Operations": (6, 6, 100.0)},
                ("SEA", _M2): {"Operations": (6, 6, 100.0)},
                ("SEA", _M3): {"Operations": (6, 6, 100.0)},
            },
        },
        "all_login_2_features": {"daily": {"SEA": _zero_activity(_SEA_DAILY)}},
    },
    "terms": {
        "default": {
            "daily": _TERMS_DAILY,
            "absent": ["USG"],
            "monthly": {
                "CAN": _flat_months({_M1: 31, _M2: 14}, 20, 4, 20.0, "at_risk"),
                "GAP": {
                    _M1: (31, 5, 2, 40.0, 40.0, 40.0, 40.0, "at_risk"),
                    _M2: (15, 7, 2, 28.5714, 28.5714, 28.5714, 28.5714, "at_risk"),
                    _M3: (31, 7, 2, 28.5714, 28.5714, 28.5714, 28.5714, "at_risk"),
                },
                "OVL": {
                    _M1: (31, 10, 3, 30.0, 30.0, 30.0, 30.0, "at_risk"),
                    # 14 days at 20 + 15 days at 15 = 505 / 29 = 17.4138
                    _M2: (29, 20, 3, 15.0, 17.4138, 15.0, 20.0, "at_risk"),
                    _M3: (31, 10, 3, 30.0, 30.0, 30.0, 30.0, "at_risk"),
                },
                # 16 days at 100/3 + 1 day at 0 = 1600/3 / 17 = 31.3725
                "LAT": {_M3: (17, 3, 0, 0.0, 31.3725, 0.0, 33.3333, "at_risk")},
            },
            "department": {
                ("CAN", _M1): {"Sales": (4, 4, 100.0)},
                ("CAN", _M2): {"Sales": (4, 4, 100.0)},
                ("LAT", _M3): {"Sales": (2, 0, 0.0)},
            },
        },
    },
    "users": {
        "default": {
            "daily": {"USR": _USR_DAILY},
            "monthly": {"USR": {
                _M1: (31, 10, 2, 20.0, 20.0, 20.0, 20.0, "at_risk"),
                # 9 x 20 + 10 x 10 + 10 x 20 = 480 / 29 = 16.5517
                _M2: (29, 10, 2, 20.0, 16.5517, 10.0, 20.0, "at_risk"),
                # 1 x 20 + 29 x 10 + 1 x 20 = 330 / 31 = 10.6452
                _M3: (31, 10, 2, 20.0, 10.6452, 10.0, 20.0, "at_risk"),
            }},
            "department": {
                # 01-31: eligible U1 U2 (Sales, both active), U5 U6 (Engineering, idle)
                ("USR", _M1): {"Sales": (2, 2, 100.0), "Engineering": (2, 0, 0.0)},
                # 02-29: eligible U1 (Sales), U3 (Unassigned), U5 U6; active U1 U3
                ("USR", _M2): {"Sales": (1, 1, 100.0), "Unassigned": (1, 1, 100.0),
                               "Engineering": (2, 0, 0.0)},
                # 03-31: active U1 and U6
                ("USR", _M3): {"Sales": (1, 1, 100.0), "Unassigned": (1, 0, 0.0),
                               "Engineering": (2, 1, 50.0)},
            },
            "role": {
                ("USR", _M1): {"admin": (1, 1, 100.0), "viewer": (1, 1, 100.0),
                               "contributor": (2, 0, 0.0)},
                ("USR", _M2): {"admin": (1, 1, 100.0), "unknown": (1, 1, 100.0),
                               "contributor": (2, 0, 0.0)},
                ("USR", _M3): {"admin": (1, 1, 100.0), "unknown": (1, 0, 0.0),
                               "contributor": (2, 1, 50.0)},
            },
        },
        "all_login_2_features": {"daily": {"USR": _zero_activity(_USR_DAILY)}},
        "core_workflow_7d": {"daily": {"USR": _zero_activity(_USR_DAILY)}},
    },
    "rules": {
        "default": {
            "daily": {"RUL": _RUL_DAILY["default"]},
            "monthly": {"RUL": {
                _M1: (31, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                # 15 days at 10 = 150 / 29 = 5.1724
                _M2: (29, 10, 1, 10.0, 5.1724, 0.0, 10.0, "at_risk"),
                # 15 x 10 + 4 x 0 + 8 x 20 + 4 x 30 = 430 / 31 = 13.8710
                _M3: (31, 10, 3, 30.0, 13.8710, 0.0, 30.0, "at_risk"),
            }},
            "role": {
                # 03-31: active R1 (admin), R2 (contributor), R4 (viewer)
                ("RUL", _M3): {"admin": (1, 1, 100.0), "contributor": (2, 1, 50.0),
                               "unknown": (1, 0, 0.0), "viewer": (2, 1, 50.0)},
            },
            "department": {
                # Product R1 R2 R6, Unassigned R3, Support R4 R5
                ("RUL", _M2): {"Product": (3, 1, 33.3333), "Unassigned": (1, 0, 0.0),
                               "Support": (2, 0, 0.0)},
                ("RUL", _M3): {"Product": (3, 2, 66.6667), "Unassigned": (1, 0, 0.0),
                               "Support": (2, 1, 50.0)},
            },
        },
        "all_login_2_features": {
            "daily": {"RUL": _RUL_DAILY["all_login_2_features"]},
            "monthly": {"RUL": {
                _M1: (31, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                _M2: (29, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                # 7 x 10 + 3 x 20 = 130 / 31 = 4.1935
                _M3: (31, 10, 2, 20.0, 4.1935, 0.0, 20.0, "at_risk"),
            }},
            "department": {
                ("RUL", _M3): {"Product": (3, 1, 33.3333), "Unassigned": (1, 0, 0.0),
                               "Support": (2, 1, 50.0)},
            },
        },
        "core_workflow_7d": {
            "daily": {"RUL": _RUL_DAILY["core_workflow_7d"]},
            "monthly": {"RUL": {
                _M1: (31, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                _M2: (29, 10, 0, 0.0, 0.0, 0.0, 0.0, "at_risk"),
                # 7 x 10 + 4 x 10 = 110 / 31 = 3.5484
                _M3: (31, 10, 1, 10.0, 3.5484, 0.0, 10.0, "at_risk"),
            }},
            "role": {
                ("RUL", _M3): {"admin": (1, 0, 0.0), "contributor": (2, 0, 0.0),
                               "unknown": (1, 0, 0.0), "viewer": (2, 1, 50.0)},
            },
        },
    },
}


def expectations(dataset: str, config: str) -> dict[str, Any]:
    """Hand-worked expectations of a dataset under a config ({} when none were written).

    For ``fixtures`` (the union of the hand datasets) the union of their expectations.
    """
    if dataset != "fixtures":
        return EXPECTED.get(dataset, {}).get(config, {})
    merged: dict[str, Any] = {"daily": {}, "absent": [], "monthly": {}, "department": {}, "role": {}}
    for name in HAND_DATASETS:
        part = EXPECTED[name].get(config, {})
        for key, value in part.items():
            if isinstance(value, list):
                merged[key].extend(value)
            else:
                merged[key].update(value)
    return merged


def expand_daily(segments_by_account: dict[str, list[tuple]]) -> dict[tuple[str, str], dict[str, Any]]:
    """{(account_id, 'YYYY-MM-DD'): expected daily row} from the hand-written segments."""
    out = {}
    for account_id, segments in segments_by_account.items():
        for first, last, seats, assigned, active, utilized, pct, overage, band in segments:
            day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            while day <= end:
                key = (account_id, day.isoformat())
                assert key not in out, f"overlapping segments at {key}"
                out[key] = {
                    "licensed_seats": seats, "assigned_seats": assigned, "active_users": active,
                    "utilized_seats": utilized, "utilization_pct": pct, "overage_users": overage,
                    "health_band": band,
                }
                day += dt.timedelta(days=1)
    return out


# --------------------------------------------------------------------------- random data


def dataset_random(seed: int = 20240630, n_accounts: int = 10, n_users: int = 100,
                   n_events: int = 4000) -> dict[str, pd.DataFrame]:
    """Seeded random raw tables for dbt-vs-oracle comparisons (as_of_date RANDOM_AS_OF).

    Covers: 1-3 terms per account (seat_based / tiered / usage_based in mixed case, some
    overlapping, some open-ended, some canceled, some starting with 0 seats), seat changes
    (distinct dates inside the term), free / null-licence / late / deactivated users, null
    roles and departments, padded values, events before provisioning, duplicated event
    rows (exact copies), events of unknown users, several event names per category.

    Avoided on purpose (the contract leaves them open): two seat changes of one
    subscription on one day, duplicated event_ids with different content, event names in
    two categories, rows referencing unknown accounts or subscriptions.
    """
    rng = random.Random(seed)
    base = dt.date(2024, 1, 1)

    def day(offset: int) -> dt.date:
        return base + dt.timedelta(days=offset)

    b = _Builder()
    models = ["seat_based", "seat_based", "tiered", "usage_based", " Seat_Based", "TIERED ", "Usage_Based"]
    accounts = [f"RND-A{i:02d}" for i in range(1, n_accounts + 1)]
    for i, aid in enumerate(accounts):
        b.account(aid, industry=rng.choice(["Software", "Retail", None, "Health"]),
                  employees=rng.choice([8, 45, 230, 1200, 9000]), region=rng.choice(["EMEA", "NA", None]))
        for t in range(rng.randint(1, 3)):
            sid = f"RND-S{i:02d}{t}"
            start = rng.randint(-60, 150)
            end = None if rng.random() < 0.35 else start + rng.randint(30, 300)
            canceled = None
            if rng.random() < 0.25:
                canceled = start + rng.randint(1, (end - start) if end else 200)
            seats = rng.choice([0, 3, 5, 8, 10, 15, 25]) if t else rng.choice([3, 5, 8, 10, 15])
            b.subscription(sid, aid, rng.choice(models), seats, day(start).isoformat(),
                           None if end is None else day(end).isoformat(),
                           None if canceled is None else day(canceled).isoformat(),
                           tier=rng.choice(["starter", "growth", "enterprise"]))
            last = end if end is not None else 200
            if last - start > 5:
                for offset in sorted(rng.sample(range(start + 1, last + 1), k=min(rng.randint(0, 3), last - start))):
                    b.seat_change(sid, day(offset).isoformat(), rng.choice([0, 2, 4, 6, 9, 12, 20, 30]))

    users = []
    for n in range(1, n_users + 1):
        uid = f"RND-U{n:03d}"
        aid = rng.choice(accounts)
        created = rng.randint(-90, 160)
        deactivated = created + rng.randint(1, 150) if rng.random() < 0.2 else None
        holds = rng.choices(["true", "false", None], weights=[80, 10, 10])[0]
        b.user(uid, aid,
               role=rng.choice(["admin", "Contributor", " viewer ", None, "VIEWER", "contributor"]),
               department=rng.choice(["Sales", "Engineering", " Marketing ", None, "Support"]),
               holds=holds,
               created=f"{day(created).isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
               deactivated=None if deactivated is None else
               f"{day(deactivated).isoformat()} {rng.randint(0, 23):02d}:00:00")
        users.append((uid, rng.random() ** 2))  # activity weight: a few heavy users, many light

    names = ["login", "Login ", " LOGIN", "task_completed", "Task_Completed ", "report_viewed",
             "export_csv", "search", "dashboard_viewed"]
    weights = [30, 3, 2, 12, 2, 15, 6, 10, 8]
    uids = [u for u, _ in users]
    user_weights = [w for _, w in users]
    for n in range(1, n_events + 1):
        uid = "RND-GHOST" if rng.random() < 0.02 else rng.choices(uids, weights=user_weights)[0]
        ts = dt.datetime.combine(day(rng.randint(-75, 181)), dt.time()) + dt.timedelta(seconds=rng.randint(0, 86399))
        name = rng.choices(names, weights=weights)[0]
        b.event(f"RND-E{n:05d}", uid if rng.random() > 0.03 else f" {uid} ", name,
                ts.strftime("%Y-%m-%d %H:%M:%S"), feature=None if name.strip().lower() == "login" else name.strip())
    # exact duplicates of ~3% of the events
    for row in rng.sample(b.rows["events"], k=n_events * 3 // 100):
        b.rows["events"].append(dict(row))
    rng.shuffle(b.rows["events"])
    return b.tables()


RANDOM_AS_OF = "2024-06-30"

DATASETS: dict[str, Callable[[], dict[str, pd.DataFrame]]] = {
    **HAND_DATASETS,
    "fixtures": dataset_fixtures,
    "random": dataset_random,
}


def dataset_as_of(name: str) -> str:
    return RANDOM_AS_OF if name == "random" else AS_OF


# --------------------------------------------------------------------------- CSV files


def _csv_field(value: Any) -> str:
    """Empty field for null; quote values a CSV reader could alter (padding, commas...)."""
    if value is None:
        return ""
    text = str(value)
    if text == "" or text != text.strip() or any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_tables(tables: dict[str, pd.DataFrame], directory: str | Path) -> Path:
    """Write DIR/<table>.csv for the five tables with exactly the contract columns."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for table, columns in COLUMNS.items():
        df = tables[table]
        assert list(df.columns) == columns, f"{table}: columns {list(df.columns)} != {columns}"
        lines = [",".join(columns)]
        for row in df.itertuples(index=False):
            lines.append(",".join(_csv_field(None if pd.isna(v) else v) for v in row))
        (directory / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def write_dataset(name: str, directory: str | Path) -> Path:
    """Write the named dataset's five CSV files into ``directory``."""
    return write_tables(DATASETS[name](), directory)


def read_dataset(directory: str | Path) -> dict[str, pd.DataFrame]:
    """Read DIR/<table>.csv as text, empty field = null, quoted padding preserved."""
    directory = Path(directory)
    out = {}
    for table, columns in COLUMNS.items():
        with open(directory / f"{table}.csv", newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows = []
            for raw_row in reader:
                rows.append([None if v == "" else v for v in raw_row])
        assert header == columns, f"{table}: header {header} != {columns}"
        out[table] = pd.DataFrame(rows, columns=columns, dtype=object)
    return out
