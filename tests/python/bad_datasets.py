"""Broken raw data for the validation, quarantine and audit layer (issue #5).

The clean base is ``datasets.dataset_fixtures()`` (the union of the hand-made fixtures,
``as_of_date`` 2024-03-31). ``broken_tables()`` is that data plus the rows of ``BAD_ROWS``:
at least one row per validation rule of every raw table, each tagged with the outcome
the models must give it (``quarantined`` with its rule, ``merged`` for an exact copy of
a kept row, ``kept`` for a row that looks suspicious but is valid).

Every broken row is built so that, handled correctly, it cannot change the four
utilization marts of the clean data:
- rows that break a row rule or a reference rule point at real accounts, terms and users,
  so the only reason for rejecting them is the rule under test;
- conflicting repeats of a key (``duplicate_key_conflict``) are always the LOSER of the
  documented winner rule (earliest account / term / user / event, larger seat change) and
  are put BEFORE the original row in the file, so file order cannot pick the winner;
- the rows tagged ``known_bug`` (a case the models get wrong, see test_bad_input.py) are
  harmless even when kept: a fractional seat count on a usage-based term, a fractional
  employee count of an account without terms, a copy of an event of an unknown user;
- the two kept additions are an event after ``as_of_date`` (within the future tolerance)
  and a usage-based term without seats, neither of which reaches a utilization figure.

``EXPECTED_AUDIT`` is worked out by hand from these rows (the arithmetic is in comments);
a test checks it against the tags, so editing ``BAD_ROWS`` without redoing the sums fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import datasets

COLUMNS = datasets.COLUMNS
BASE_DATASET = "fixtures"
AS_OF = datasets.AS_OF

#: vars of every build of the broken data: the fixed reporting day, and a future-event
#: tolerance of 10 days (not the default 24 h), so that an event 5 days ahead is kept only
#: because the var is honoured, and one 30 days ahead is quarantined.
FUTURE_TOLERANCE_HOURS = 240
BROKEN_VARS: dict[str, Any] = {"as_of_date": AS_OF, "future_event_tolerance_hours": FUTURE_TOLERANCE_HOURS}
CLEAN_VARS: dict[str, Any] = {"as_of_date": AS_OF}

#: quarantine of the clean base: the two logins of USR-GHOST, a user that does not exist.
CLEAN_QUARANTINE = [
    ("events", "unknown_user", "USR-EG1"),
    ("events", "unknown_user", "USR-EG2"),
]


@dataclass(frozen=True)
class BadRow:
    table: str
    outcome: str                 # quarantined | merged | kept
    rule: str | None             # the quarantine rule (quarantined rows only)
    record_key: str | None       # the key quarantine_raw_rows shows (seat changes: id@date)
    values: dict[str, Any]       # the raw values, exactly as written to the file
    note: str = ""
    prepend: bool = False        # written before the clean rows (conflicting repeats)
    known_bug: str | None = None  # the models currently get this row wrong (see the tests)
    bug_outcome: str | None = None  # what the models do instead: kept | merged

    @property
    def row(self) -> list[Any]:
        return [self.values.get(c) for c in COLUMNS[self.table]]


# --------------------------------------------------------------------------- row helpers


def _account(account_id, **kw):
    row = {"account_id": account_id, "account_name": f"{account_id} Corp", "industry": "Software",
           "employee_count": "120", "region": "EMEA", "created_at": "2023-06-01 00:00:00"}
    row.update(kw)
    return row


def _sub(subscription_id, account_id="WIN", pricing_model="seat_based", seats="10",
         start="2024-01-01", end="2024-12-31", canceled=None, tier="growth"):
    return {"subscription_id": subscription_id, "account_id": account_id, "plan_name": "Plan Growth",
            "plan_tier": tier, "pricing_model": pricing_model, "seats_purchased": seats,
            "start_date": start, "end_date": end, "canceled_at": canceled}


def _change(subscription_id, effective, seats):
    return {"subscription_id": subscription_id, "effective_date": effective, "seats_purchased": seats}


def _user(user_id, account_id="WIN", role="contributor", department="Sales", holds="true",
          created="2023-12-01 09:00:00", deactivated=None):
    return {"user_id": user_id, "account_id": account_id,
            "email": f"{(user_id or 'nobody').strip().lower()}@example.com", "role": role,
            "department": department, "holds_license": holds, "created_at": created,
            "deactivated_at": deactivated}


def _event(event_id, user_id="WIN-W4", name="login", ts="2024-02-02 10:00:00", feature=None):
    return {"event_id": event_id, "user_id": user_id, "event_name": name, "feature_name": feature,
            "event_ts": ts}


def _clean_row(tables: dict[str, pd.DataFrame], table: str, **match) -> dict[str, Any]:
    """The one clean row of ``table`` whose columns equal ``match`` (for exact copies)."""
    df = tables[table]
    mask = pd.Series(True, index=df.index)
    for column, value in match.items():
        mask &= df[column] == value
    rows = df[mask]
    assert len(rows) == 1, f"{table} {match}: {len(rows)} clean rows"
    return {c: (None if pd.isna(v) else v) for c, v in rows.iloc[0].items()}


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------- the broken rows


def bad_rows(now: dt.datetime | None = None) -> list[BadRow]:
    """Every broken (or borderline) row, tagged with its expected outcome.

    ``now`` (UTC) places the two events relative to the build time; the build runs
    minutes after the files are written, far inside the 5-day margins used.
    """
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    clean = datasets.dataset_fixtures()
    Q, M, K = "quarantined", "merged", "kept"
    rows: list[BadRow] = []

    def add(table, outcome, rule, key, values, note="", **kw):
        rows.append(BadRow(table, outcome, rule, key, values, note, **kw))

    # ---- accounts (rules: missing_account_id, invalid_employee_count, invalid_created_at,
    #      duplicate_key_conflict; an identical repeat is merged)
    add("accounts", Q, "missing_account_id", None, _account(None, account_name="No Id Corp"), "empty key")
    add("accounts", Q, "missing_account_id", None, _account("   ", account_name="Blank Id Corp"),
        "a key of blanks is trimmed to nothing")
    add("accounts", Q, "invalid_employee_count", "BAD-ACC-EMP", _account("BAD-ACC-EMP", employee_count="many"))
    add("accounts", Q, "invalid_employee_count", "BAD-ACC-NEGEMP", _account("BAD-ACC-NEGEMP", employee_count="-5"))
    add("accounts", Q, "invalid_created_at", "BAD-ACC-TS", _account("BAD-ACC-TS", created_at="2023-02-30 00:00:00"),
        "quarantined account: its term and user below are unknown_account")
    add("accounts", Q, "duplicate_key_conflict", "ART",
        _account("ART", account_name="ART Impostor", created_at="2023-07-01 00:00:00"),
        "ART again, created later than the original (2023-06-01): the original wins", prepend=True)
    add("accounts", M, None, "WIN", _clean_row(clean, "accounts", account_id="WIN"), "exact copy")
    add("accounts", Q, "invalid_employee_count", "BAD-ACC-FRAC", _account("BAD-ACC-FRAC", employee_count="2.5"),
        "a non-integer count", known_bug="non-integer text is rounded by DuckDB's cast to BIGINT",
        bug_outcome=K)

    # ---- subscriptions (rules: missing_subscription_id, missing_account_id, invalid_start_date,
    #      invalid_end_date, invalid_canceled_at, unknown_pricing_model, invalid_seats,
    #      seat_based_without_seats, end_before_start, duplicate_key_conflict, unknown_account)
    add("subscriptions", Q, "missing_subscription_id", None, _sub(None))
    add("subscriptions", Q, "missing_account_id", "BAD-S-NOACC", _sub("BAD-S-NOACC", account_id=None))
    add("subscriptions", Q, "invalid_start_date", "BAD-S-START", _sub("BAD-S-START", start="2024-13-01"))
    add("subscriptions", Q, "invalid_start_date", "BAD-S-NOSTART", _sub("BAD-S-NOSTART", start=None),
        "a term needs a start")
    add("subscriptions", Q, "invalid_end_date", "BAD-S-END", _sub("BAD-S-END", end="2024-02-30"))
    add("subscriptions", Q, "invalid_canceled_at", "BAD-S-CANCEL", _sub("BAD-S-CANCEL", canceled="soon"))
    add("subscriptions", Q, "unknown_pricing_model", "BAD-S-PRICING", _sub("BAD-S-PRICING", pricing_model="per_user"))
    add("subscriptions", Q, "unknown_pricing_model", "BAD-S-NOPRICING", _sub("BAD-S-NOPRICING", pricing_model=None))
    add("subscriptions", Q, "invalid_seats", "BAD-S-NEG", _sub("BAD-S-NEG", seats="-3"),
        "negative seats; its seat change below is unknown_subscription")
    add("subscriptions", Q, "invalid_seats", "BAD-S-TEN", _sub("BAD-S-TEN", seats="ten"))
    add("subscriptions", Q, "seat_based_without_seats", "BAD-S-NOSEATS", _sub("BAD-S-NOSEATS", seats=None))
    add("subscriptions", Q, "seat_based_without_seats", "BAD-S-TIERNOSEATS",
        _sub("BAD-S-TIERNOSEATS", pricing_model=" Tiered", seats=None))
    add("subscriptions", Q, "end_before_start", "BAD-S-BACKWARDS",
        _sub("BAD-S-BACKWARDS", start="2024-03-01", end="2024-02-01"))
    add("subscriptions", Q, "unknown_account", "BAD-S-UNKACC", _sub("BAD-S-UNKACC", account_id="NOPE"))
    add("subscriptions", Q, "unknown_account", "BAD-S-QACC", _sub("BAD-S-QACC", account_id="BAD-ACC-TS"),
        "its account exists but is quarantined")
    add("subscriptions", Q, "duplicate_key_conflict", "WIN-S1", _sub("WIN-S1", seats="99", start="2024-02-01"),
        "WIN-S1 again, starting later than the original (2024-01-01): the original wins", prepend=True)
    add("subscriptions", M, None, "GAP-S1", _clean_row(clean, "subscriptions", subscription_id="GAP-S1"), "exact copy")
    add("subscriptions", K, None, "OK-S-USAGE", _sub("OK-S-USAGE", account_id="USG", pricing_model="usage_based",
                                                      seats=None, end=None),
        "a usage-based term needs no seats")
    add("subscriptions", Q, "invalid_seats", "BAD-S-FRAC",
        _sub("BAD-S-FRAC", account_id="USG", pricing_model="usage_based", seats="2.5", end=None),
        "non-integer seats", known_bug="non-integer text is rounded by DuckDB's cast to BIGINT", bug_outcome=K)

    # ---- subscription_seat_changes (rules: missing_subscription_id, invalid_effective_date,
    #      invalid_seats, duplicate_key_conflict, unknown_subscription, seat_change_outside_term)
    add("subscription_seat_changes", Q, "missing_subscription_id", "@2024-02-01", _change(None, "2024-02-01", "3"))
    add("subscription_seat_changes", Q, "invalid_effective_date", "WIN-S1@", _change("WIN-S1", "2024-02-31", "12"))
    add("subscription_seat_changes", Q, "invalid_effective_date", "WIN-S1@", _change("WIN-S1", None, "12"),
        "no effective date")
    add("subscription_seat_changes", Q, "invalid_seats", "WIN-S1@2024-03-05", _change("WIN-S1", "2024-03-05", "-1"))
    add("subscription_seat_changes", Q, "invalid_seats", "WIN-S1@2024-03-06", _change("WIN-S1", "2024-03-06", "twelve"))
    add("subscription_seat_changes", Q, "unknown_subscription", "NOPE-S1@2024-02-01", _change("NOPE-S1", "2024-02-01", "4"))
    add("subscription_seat_changes", Q, "unknown_subscription", "BAD-S-NEG@2024-02-01",
        _change("BAD-S-NEG", "2024-02-01", "4"), "its term exists but is quarantined")
    add("subscription_seat_changes", Q, "seat_change_outside_term", "WIN-S1@2023-12-15",
        _change("WIN-S1", "2023-12-15", "12"), "before the term starts (2024-01-01)")
    add("subscription_seat_changes", Q, "seat_change_outside_term", "WIN-S1@2025-01-15",
        _change("WIN-S1", "2025-01-15", "12"), "after the term ends (2024-12-31)")
    add("subscription_seat_changes", Q, "duplicate_key_conflict", "SEA-S1@2024-01-20",
        _change("SEA-S1", "2024-01-20", "3"), "a second, smaller quantity for the day: the larger (15) wins",
        prepend=True)
    add("subscription_seat_changes", M, None, "OVL-S2@2024-02-15",
        _clean_row(clean, "subscription_seat_changes", subscription_id="OVL-S2"), "exact copy")
    add("subscription_seat_changes", Q, "invalid_seats", "USG-S1@2024-02-01", _change("USG-S1", "2024-02-01", "2.5"),
        "non-integer seats (on a usage-based term)",
        known_bug="non-integer text is rounded by DuckDB's cast to BIGINT", bug_outcome=K)

    # ---- users (rules: missing_user_id, missing_account_id, invalid_created_at,
    #      invalid_deactivated_at, invalid_holds_license, deactivated_before_created,
    #      duplicate_key_conflict, unknown_account)
    add("users", Q, "missing_user_id", None, _user(None))
    add("users", Q, "missing_account_id", "BAD-U-NOACC", _user("BAD-U-NOACC", account_id=None))
    add("users", Q, "invalid_created_at", "BAD-U-TS", _user("BAD-U-TS", created="last tuesday"))
    add("users", Q, "invalid_created_at", "BAD-U-NOTS", _user("BAD-U-NOTS", created=None), "no created_at")
    add("users", Q, "invalid_deactivated_at", "BAD-U-DEACT", _user("BAD-U-DEACT", deactivated="2024-02-31 10:00:00"))
    add("users", Q, "invalid_holds_license", "BAD-U-HOLDS", _user("BAD-U-HOLDS", holds="maybe"),
        "quarantined user: its event below is unknown_user")
    add("users", Q, "deactivated_before_created", "BAD-U-BACKWARDS",
        _user("BAD-U-BACKWARDS", created="2024-01-10 09:00:00", deactivated="2024-01-05 09:00:00"))
    add("users", Q, "unknown_account", "BAD-U-UNKACC", _user("BAD-U-UNKACC", account_id="NOPE"))
    add("users", Q, "unknown_account", "BAD-U-QACC", _user("BAD-U-QACC", account_id="BAD-ACC-TS"),
        "its account exists but is quarantined")
    add("users", Q, "duplicate_key_conflict", "WIN-W1",
        _user("WIN-W1", department="Impostors", created="2023-12-05 09:00:00"),
        "WIN-W1 again, provisioned later than the original (2023-12-01): the original wins", prepend=True)
    add("users", M, None, "WIN-W2", _clean_row(clean, "users", user_id="WIN-W2"), "exact copy")

    # ---- events (rules: missing_event_id, missing_user_id, missing_event_name, invalid_event_ts,
    #      event_in_future, duplicate_key_conflict, unknown_user)
    add("events", Q, "missing_event_id", None, _event(None, user_id="WIN-W1"))
    add("events", Q, "missing_user_id", "BAD-E-NOUSER", _event("BAD-E-NOUSER", user_id=None))
    add("events", Q, "missing_event_name", "BAD-E-NONAME", _event("BAD-E-NONAME", name=None))
    add("events", Q, "missing_event_name", "BAD-E-BLANKNAME", _event("BAD-E-BLANKNAME", name="  "),
        "a name of blanks is trimmed to nothing")
    add("events", Q, "invalid_event_ts", "BAD-E-TS", _event("BAD-E-TS", ts="2024-03-32 10:00:00"))
    add("events", Q, "invalid_event_ts", "BAD-E-TS", _event("BAD-E-TS", ts="2024-03-32 10:00:00"),
        "an identical copy of a rejected row is rejected too")
    add("events", Q, "invalid_event_ts", "BAD-E-NOTS", _event("BAD-E-NOTS", ts=None))
    add("events", Q, "event_in_future", "BAD-E-FUTURE",
        _event("BAD-E-FUTURE", ts=_ts(now + dt.timedelta(days=30))), "30 days ahead: beyond the 240 h tolerance")
    add("events", K, None, "OK-E-SOON", _event("OK-E-SOON", ts=_ts(now + dt.timedelta(days=5))),
        "5 days ahead: within the 240 h tolerance (beyond the default 24 h)")
    add("events", Q, "unknown_user", "BAD-E-UNKUSER", _event("BAD-E-UNKUSER", user_id="NOPE-U"))
    add("events", Q, "unknown_user", "BAD-E-QUSER", _event("BAD-E-QUSER", user_id="BAD-U-HOLDS"),
        "its user exists but is quarantined")
    add("events", Q, "duplicate_key_conflict", "WIN-E1",
        _event("WIN-E1", user_id="WIN-W1", ts="2024-02-03 12:00:00"),
        "WIN-E1 again, later than the original (2024-02-01 12:00): the earliest copy wins", prepend=True)
    add("events", M, None, "ART-E002", _clean_row(clean, "events", event_id="ART-E002"), "exact copy")
    add("events", M, None, "SEA-U1-L0", _clean_row(clean, "events", event_id="SEA-U1-L0"), "exact copy")
    add("events", M, None, "WIN-E2", {**_clean_row(clean, "events", event_id="WIN-E2"), "event_id": " WIN-E2 "},
        "a copy whose id is space-padded: ids are trimmed, so it repeats WIN-E2")
    add("events", Q, "duplicate_key_conflict", "WIN-E3",
        _event("  WIN-E3", user_id="WIN-W3", ts="2024-03-26 00:00:00"),
        "a padded id that repeats WIN-E3 a day later: the earliest copy (2024-03-25) wins")
    add("events", Q, "unknown_user", "BAD-E-UNKUSER", _event("BAD-E-UNKUSER", user_id="NOPE-U"),
        "an identical copy of an event of an unknown user: rejected like the first copy",
        known_bug="an identical copy of a row rejected by a reference rule is counted as merged",
        bug_outcome=M)
    return rows


# --------------------------------------------------------------------------- expected audit

#: audit_raw_rows of the broken data, by hand (rows_read, rows_kept, rows_merged,
#: rows_quarantined), assuming every row is handled as tagged (known bugs fixed).
EXPECTED_AUDIT: dict[str, tuple[int, int, int, int]] = {
    # clean 10 accounts + 8 rows: 7 quarantined (2 missing id, 3 employee count incl. the
    # fractional one, 1 bad created_at, 1 conflicting ART), 1 merged copy of WIN
    "accounts": (18, 10, 1, 7),
    # clean 13 + 19: 17 quarantined (1 missing id, 1 missing account, 2 start, 1 end,
    # 1 canceled_at, 2 pricing, 3 seats incl. 2.5, 2 without seats, 1 end<start,
    # 2 unknown account, 1 conflicting WIN-S1), 1 merged GAP-S1, 1 kept OK-S-USAGE
    "subscriptions": (32, 14, 1, 17),
    # clean 6 + 12: 11 quarantined (1 missing id, 2 date, 3 seats incl. 2.5,
    # 2 unknown term, 2 outside term, 1 conflicting SEA-S1), 1 merged OVL-S2
    "subscription_seat_changes": (18, 6, 1, 11),
    # clean 115 + 11: 10 quarantined (1 missing id, 1 missing account, 2 created_at,
    # 1 deactivated_at, 1 holds_license, 1 deactivated<created, 2 unknown account,
    # 1 conflicting WIN-W1), 1 merged WIN-W2
    "users": (126, 115, 1, 10),
    # clean 201 (197 kept, 2 merged RUL copies, 2 ghost logins quarantined) + 17:
    # 13 quarantined (1 missing id, 1 missing user, 2 missing name, 3 bad ts incl. the
    # copy, 1 future, 3 unknown user incl. the copy, 2 conflicting: WIN-E1 and the padded
    # WIN-E3), 3 merged copies (one with a padded id), 1 kept OK-E-SOON
    # -> kept 198, merged 5, quarantined 2 + 13 = 15
    "events": (218, 198, 5, 15),
}

#: (table, rule) groups in quarantine_raw_rows of the broken data: the warn test
#: assert_quarantine_is_empty returns one row per group. Per table: accounts 4
#: (missing_account_id, invalid_employee_count, invalid_created_at, duplicate_key_conflict),
#: subscriptions 11, seat changes 6, users 8, events 7.
EXPECTED_QUARANTINE_GROUPS = 4 + 11 + 6 + 8 + 7


def broken_tables(now: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """The clean base plus every row of ``bad_rows()``."""
    clean = datasets.dataset_fixtures()
    rows = bad_rows(now)
    out = {}
    for table, columns in COLUMNS.items():
        before = [r.row for r in rows if r.table == table and r.prepend]
        after = [r.row for r in rows if r.table == table and not r.prepend]
        frames = [pd.DataFrame(before, columns=columns, dtype=object), clean[table],
                  pd.DataFrame(after, columns=columns, dtype=object)]
        out[table] = pd.concat([f for f in frames if len(f)], ignore_index=True)
    return out


def expected_quarantine(now: dt.datetime | None = None, include_known_bugs: bool = True) -> list[BadRow]:
    return [r for r in bad_rows(now) if r.outcome == "quarantined" and (include_known_bugs or not r.known_bug)]


# --------------------------------------------------------------------------- Parquet helpers


def write_parquet(df: pd.DataFrame, path, select_sql: str = "select * from df") -> None:
    """Write ``df`` (text columns) to a Parquet file through DuckDB, shaped by ``select_sql``."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("df", df.astype(object).where(df.notna(), None))
        con.execute(f"copy ({select_sql}) to '{path}' (format parquet)")
    finally:
        con.close()


#: typed Parquet columns (a real landing zone does not store everything as text)
TYPED_SELECT: dict[str, str] = {
    "accounts": ("select account_id, account_name, industry, cast(employee_count as bigint) as employee_count, "
                 "region, cast(created_at as timestamp) as created_at from df"),
    "subscriptions": ("select subscription_id, account_id, plan_name, plan_tier, pricing_model, "
                      "cast(seats_purchased as integer) as seats_purchased, cast(start_date as date) as start_date, "
                      "cast(end_date as date) as end_date, cast(canceled_at as date) as canceled_at from df"),
    "users": ("select user_id, account_id, email, role, department, cast(holds_license as boolean) as holds_license, "
              "cast(created_at as timestamp) as created_at, cast(deactivated_at as timestamp) as deactivated_at from df"),
    "events": ("select event_id, user_id, event_name, feature_name, cast(event_ts as timestamp) as event_ts from df"),
}
