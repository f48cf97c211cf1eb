"""Reference implementation ("oracle") of CONTRACT.md sections 3-5 for four marts.

This module recomputes, from the five raw tables, what the dbt project must put in

- ``fct_license_utilization_daily``   (account x day)
- ``fct_license_utilization_monthly`` (account x calendar month)
- ``fct_utilization_by_department``   (account x month x department)
- ``fct_utilization_by_role``         (account x month x role)

It is deliberately naive: plain Python loops over accounts x days and users x days,
every figure computed straight from its definition in the contract, no intervals, no
window functions, no shared code with the dbt project. It is meant to be obviously
right, not fast (a few seconds for ~100 users over a year). ``test_oracle.py`` proves
it against figures worked out by hand; ``test_marts_vs_oracle.py`` then uses it to check
the dbt marts on data too large to work out by hand.

Decisions where CONTRACT.md is silent (the dbt project must agree; see also the
report that came with this file):

- Text values are trimmed and a value that is empty after trimming is null.
- ``pricing_model``, ``role`` and ``event_name`` are compared lower-cased; the var
  ``active_rule_match`` and the event-name lists are lower-cased as well.
  Ids and ``department`` keep their case (they are not enumerations).
- A repeated ``event_id`` is one event: the first occurrence in file order is kept
  (fixtures only repeat identical rows, so which copy is kept does not matter there).
- Events whose ``user_id`` is not in ``users`` are ignored. Subscriptions, users of
  accounts that are not in ``accounts`` are ignored too (no fixture has any).
- ``as_of_date`` null -> the latest UTC event date among events of *known* users
  (after de-duplication; unknown users' events are ignored everywhere, so they do not
  move the reporting date either). Free and deactivated users are known users.
- An event name in both ``login_event_names`` and ``core_workflow_event_names``
  counts as a login.
- A seat change applies to its subscription only while the term is in force;
  changes dated before the start or after the end/cancellation change nothing
  outside the term. When no change is dated <= d the term has ``seats_purchased``.
- ``utilization_pct`` is not rounded here; comparisons use a 0.01 tolerance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import pandas as pd

TABLES = ("accounts", "subscriptions", "subscription_seat_changes", "users", "events")

#: Defaults of CONTRACT section 3 plus the health-band thresholds of section 4.
DEFAULT_VARS: dict[str, Any] = {
    "active_window_days": 30,
    "active_min_logins": 1,
    "active_min_feature_events": 0,
    "active_min_core_workflow_events": 0,
    "active_rule_match": "any",
    "login_event_names": ["login"],
    "core_workflow_event_names": [],
    "as_of_date": None,
    "strong_utilization_pct": 80,
    "at_risk_utilization_pct": 60,
}

#: event category -> var holding its threshold
THRESHOLD_VARS = {
    "login": "active_min_logins",
    "feature_use": "active_min_feature_events",
    "core_workflow": "active_min_core_workflow_events",
}

SEAT_PRICING_MODELS = ("seat_based", "tiered")

DAILY_COLUMNS = [
    "account_id", "date_day", "licensed_seats", "assigned_seats", "active_users",
    "utilized_seats", "utilization_pct", "overage_users", "health_band",
]
MONTHLY_COLUMNS = [
    "account_id", "month_start", "days_with_seats", "licensed_seats", "active_users",
    "utilization_pct", "avg_utilization_pct", "min_utilization_pct",
    "max_utilization_pct", "health_band",
]
DEPARTMENT_COLUMNS = [
    "account_id", "month_start", "department", "assigned_seats", "active_users", "utilization_pct",
]
ROLE_COLUMNS = ["account_id", "month_start", "role", "assigned_seats", "active_users", "utilization_pct"]

MART_COLUMNS = {
    "fct_license_utilization_daily": DAILY_COLUMNS,
    "fct_license_utilization_monthly": MONTHLY_COLUMNS,
    "fct_utilization_by_department": DEPARTMENT_COLUMNS,
    "fct_utilization_by_role": ROLE_COLUMNS,
}


class OracleConfigError(ValueError):
    """The vars describe no valid "active" rule (CONTRACT section 3)."""


# --------------------------------------------------------------------------- values


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other non-scalars
        return False


def _text(value: Any) -> str | None:
    """Trimmed text; null or empty after trimming -> None."""
    if _is_null(value):
        return None
    text = str(value).strip()
    return text or None


def _lower(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else text.lower()


def _date(value: Any) -> dt.date | None:
    """Date (or UTC date of a timestamp) of a CSV string, date or timestamp."""
    if _is_null(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC")
    return ts.date()


def _int(value: Any) -> int | None:
    if _is_null(value):
        return None
    return int(float(str(value).strip()))


def _bool(value: Any) -> bool | None:
    if _is_null(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "t", "1", "yes", "y"):
        return True
    if text in ("false", "f", "0", "no", "n"):
        return False
    if text == "":
        return None
    raise ValueError(f"not a boolean: {value!r}")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(row) for row in df.to_dict("records")]


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Rule:
    """The "active" rule of CONTRACT section 3, validated."""

    window_days: int
    thresholds: dict[str, int]  # category -> minimum count, only categories with > 0
    match: str  # 'any' | 'all'
    login_names: frozenset[str]
    core_names: frozenset[str]

    def category(self, event_name: str | None) -> str:
        name = (event_name or "").strip().lower()
        if name in self.login_names:
            return "login"
        if name in self.core_names:
            return "core_workflow"
        return "feature_use"


def _name_list(value: Any) -> frozenset[str]:
    if _is_null(value):
        return frozenset()
    if isinstance(value, str):
        value = [value]
    return frozenset(n.strip().lower() for n in value if n is not None and str(n).strip())


def resolve_vars(vars: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Contract defaults overlaid with ``vars`` (unknown keys such as raw_path are kept)."""
    merged = dict(DEFAULT_VARS)
    merged.update(vars or {})
    return merged


def build_rule(vars: Mapping[str, Any] | None = None) -> Rule:
    """Validate the rule vars; raise OracleConfigError naming the offending var."""
    cfg = resolve_vars(vars)
    window = int(cfg["active_window_days"])
    if window < 1:
        raise OracleConfigError(f"active_window_days must be >= 1, got {window}")
    thresholds = {}
    for category, var_name in THRESHOLD_VARS.items():
        minimum = int(cfg[var_name])
        if minimum < 0:
            raise OracleConfigError(f"{var_name} must be >= 0, got {minimum}")
        if minimum > 0:
            thresholds[category] = minimum
    if not thresholds:
        raise OracleConfigError(
            "no condition: active_min_logins, active_min_feature_events and "
            "active_min_core_workflow_events are all 0"
        )
    match = str(cfg["active_rule_match"]).strip().lower()
    if match not in ("any", "all"):
        raise OracleConfigError(f"active_rule_match must be 'any' or 'all', got {cfg['active_rule_match']!r}")
    return Rule(
        window_days=window,
        thresholds=thresholds,
        match=match,
        login_names=_name_list(cfg["login_event_names"]),
        core_names=_name_list(cfg["core_workflow_event_names"]),
    )


# --------------------------------------------------------------------------- raw data


@dataclass
class Term:
    subscription_id: str
    account_id: str
    seats_purchased: int
    start_date: dt.date
    end_date: dt.date | None
    canceled_at: dt.date | None
    changes: list[tuple[dt.date, int]] = field(default_factory=list)  # (effective_date, seats)

    def in_force(self, day: dt.date) -> bool:
        return (
            self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
            and (self.canceled_at is None or day < self.canceled_at)
        )

    def quantity(self, day: dt.date) -> int:
        """Latest seat change with effective_date <= day, else seats_purchased."""
        quantity, latest = self.seats_purchased, None
        for effective_date, seats in self.changes:
            if effective_date <= day and (latest is None or effective_date >= latest):
                quantity, latest = seats, effective_date
        return quantity


@dataclass
class User:
    user_id: str
    account_id: str
    role: str
    department: str
    holds_license: bool
    created_date: dt.date | None
    deactivated_date: dt.date | None
    # category -> list of event dates (one entry per distinct event)
    event_dates: dict[str, list[dt.date]] = field(default_factory=dict)

    def eligible(self, day: dt.date) -> bool:
        """CONTRACT section 3: holds a license, provisioned, not yet deactivated."""
        return (
            self.holds_license
            and self.created_date is not None
            and self.created_date <= day
            and (self.deactivated_date is None or self.deactivated_date > day)
        )

    def active(self, day: dt.date, rule: Rule) -> bool:
        """Rule evaluated on the trailing window day-(N-1) .. day, both ends included.

        Eligibility is a separate question (see ``eligible``): events from before the
        user was provisioned still count in the window.
        """
        first = day - dt.timedelta(days=rule.window_days - 1)
        results = []
        for category, minimum in rule.thresholds.items():
            count = sum(1 for d in self.event_dates.get(category, []) if first <= d <= day)
            results.append(count >= minimum)
        return any(results) if rule.match == "any" else all(results)


@dataclass
class Model:
    terms_by_account: dict[str, list[Term]]
    users_by_account: dict[str, list[User]]
    latest_event_date: dt.date | None


def load(raw: Mapping[str, pd.DataFrame], rule: Rule) -> Model:
    """Clean the raw tables per CONTRACT section 2 into plain Python objects."""
    missing = [t for t in TABLES if t not in raw]
    if missing:
        raise KeyError(f"raw tables missing: {missing}")

    account_ids = {a for a in (_text(r["account_id"]) for r in _records(raw["accounts"])) if a}

    terms: dict[str, Term] = {}
    for r in _records(raw["subscriptions"]):
        sid, aid = _text(r["subscription_id"]), _text(r["account_id"])
        if sid is None or sid in terms or aid not in account_ids:
            continue
        if _lower(r["pricing_model"]) not in SEAT_PRICING_MODELS:
            continue  # usage_based (or unknown) terms have no utilization
        terms[sid] = Term(
            subscription_id=sid,
            account_id=aid,
            seats_purchased=_int(r["seats_purchased"]) or 0,
            start_date=_date(r["start_date"]),
            end_date=_date(r["end_date"]),
            canceled_at=_date(r["canceled_at"]),
        )
    for r in _records(raw["subscription_seat_changes"]):
        sid = _text(r["subscription_id"])
        if sid in terms:
            terms[sid].changes.append((_date(r["effective_date"]), _int(r["seats_purchased"]) or 0))

    users: dict[str, User] = {}
    for r in _records(raw["users"]):
        uid, aid = _text(r["user_id"]), _text(r["account_id"])
        if uid is None or uid in users:
            continue
        holds = _bool(r["holds_license"])
        users[uid] = User(
            user_id=uid,
            account_id=aid,
            role=_lower(r["role"]) or "unknown",
            department=_text(r["department"]) or "Unassigned",
            holds_license=True if holds is None else holds,
            created_date=_date(r["created_at"]),
            deactivated_date=_date(r["deactivated_at"]),
        )

    seen_event_ids: set[str] = set()
    latest: dt.date | None = None
    for r in _records(raw["events"]):
        eid = _text(r["event_id"])
        if eid is None or eid in seen_event_ids:
            continue  # a repeated event_id is one event
        seen_event_ids.add(eid)
        user = users.get(_text(r["user_id"]))
        if user is None:
            continue  # events of unknown users are ignored
        day = _date(r["event_ts"])
        if day is None:
            continue
        user.event_dates.setdefault(rule.category(r["event_name"]), []).append(day)
        latest = day if latest is None or day > latest else latest

    terms_by_account: dict[str, list[Term]] = {}
    for term in terms.values():
        terms_by_account.setdefault(term.account_id, []).append(term)
    users_by_account: dict[str, list[User]] = {}
    for user in users.values():
        if user.account_id in account_ids:
            users_by_account.setdefault(user.account_id, []).append(user)
    return Model(terms_by_account, users_by_account, latest)


# --------------------------------------------------------------------------- marts


def health_band(pct: float, cfg: Mapping[str, Any]) -> str:
    if pct >= float(cfg["strong_utilization_pct"]):
        return "strong"
    if pct < float(cfg["at_risk_utilization_pct"]):
        return "at_risk"
    return "healthy"


def resolve_as_of(model: Model, cfg: Mapping[str, Any]) -> dt.date | None:
    """as_of_date var, or the latest event date of known users' events."""
    if not _is_null(cfg.get("as_of_date")):
        return _date(cfg["as_of_date"])
    return model.latest_event_date


def compute_marts(raw: Mapping[str, pd.DataFrame], vars: Mapping[str, Any] | None = None) -> dict[str, pd.DataFrame]:
    """The four marts as DataFrames with the contract columns.

    Date columns hold ``datetime.date`` values; percentages are unrounded floats.
    Raises OracleConfigError for a configuration the contract rejects.
    """
    cfg = resolve_vars(vars)
    rule = build_rule(cfg)
    model = load(raw, rule)
    as_of = resolve_as_of(model, cfg)

    daily_rows: list[dict[str, Any]] = []
    # (account, month) -> snapshot detail rows per user, filled after the daily pass
    if as_of is not None:
        for account_id in sorted(model.terms_by_account):
            account_terms = model.terms_by_account[account_id]
            account_users = model.users_by_account.get(account_id, [])
            first_day = min(t.start_date for t in account_terms)
            for day in _days(first_day, as_of):
                seats = sum(t.quantity(day) for t in account_terms if t.in_force(day))
                if seats <= 0:
                    continue  # no fact row on a day without seats
                assigned = [u for u in account_users if u.eligible(day)]
                active = sum(1 for u in assigned if u.active(day, rule))
                utilized = min(active, seats)
                pct = 100.0 * utilized / seats
                daily_rows.append({
                    "account_id": account_id,
                    "date_day": day,
                    "licensed_seats": seats,
                    "assigned_seats": len(assigned),
                    "active_users": active,
                    "utilized_seats": utilized,
                    "utilization_pct": pct,
                    "overage_users": max(active - seats, 0),
                    "health_band": health_band(pct, cfg),
                })

    daily = pd.DataFrame(daily_rows, columns=DAILY_COLUMNS)

    monthly_rows, department_rows, role_rows = [], [], []
    by_month: dict[tuple[str, dt.date], list[dict[str, Any]]] = {}
    for row in daily_rows:
        by_month.setdefault((row["account_id"], month_start(row["date_day"])), []).append(row)
    for (account_id, month), rows in sorted(by_month.items()):
        snapshot = max(rows, key=lambda r: r["date_day"])
        pcts = [r["utilization_pct"] for r in rows]
        monthly_rows.append({
            "account_id": account_id,
            "month_start": month,
            "days_with_seats": len(rows),
            "licensed_seats": snapshot["licensed_seats"],
            "active_users": snapshot["active_users"],
            "utilization_pct": snapshot["utilization_pct"],
            "avg_utilization_pct": sum(pcts) / len(pcts),
            "min_utilization_pct": min(pcts),
            "max_utilization_pct": max(pcts),
            "health_band": health_band(snapshot["utilization_pct"], cfg),
        })
        # Department and role: eligible users on the snapshot day, grouped.
        day = snapshot["date_day"]
        for attribute, out in (("department", department_rows), ("role", role_rows)):
            groups: dict[str, list[bool]] = {}
            for user in model.users_by_account.get(account_id, []):
                if user.eligible(day):
                    groups.setdefault(getattr(user, attribute), []).append(user.active(day, rule))
            for value in sorted(groups):
                flags = groups[value]
                out.append({
                    "account_id": account_id,
                    "month_start": month,
                    attribute: value,
                    "assigned_seats": len(flags),
                    "active_users": sum(flags),
                    "utilization_pct": 100.0 * sum(flags) / len(flags),
                })

    return {
        "fct_license_utilization_daily": daily,
        "fct_license_utilization_monthly": pd.DataFrame(monthly_rows, columns=MONTHLY_COLUMNS),
        "fct_utilization_by_department": pd.DataFrame(department_rows, columns=DEPARTMENT_COLUMNS),
        "fct_utilization_by_role": pd.DataFrame(role_rows, columns=ROLE_COLUMNS),
    }


def as_of_date(raw: Mapping[str, pd.DataFrame], vars: Mapping[str, Any] | None = None) -> dt.date | None:
    """The reporting date the oracle uses for these raw tables and vars."""
    cfg = resolve_vars(vars)
    rule = build_rule(cfg)
    return resolve_as_of(load(raw, rule), cfg)
