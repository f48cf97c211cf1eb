#!/usr/bin/env python3
"""Generate benchmark data for the license_utilization project at a named scale.

Writes the five raw tables of CONTRACT.md section 2 as Parquet into one folder, the layout
that `dbt build --vars '{raw_path: DIR}'` reads:

    DIR/accounts.parquet  DIR/subscriptions.parquet  DIR/subscription_seat_changes.parquet
    DIR/users.parquet     DIR/events/events_YYYY_MM.parquet (one file per month)
    DIR/meta.json         scale, seed, row counts, calibration, generation time

Scales (accounts / users / events, one year of events 2025-11-01 .. 2026-10-31):

    XS 100 / 5k / 0.5M    S 1k / 50k / 5M    M 5k / 250k / 50M    L 10k / 1M / 200M

The event count is a target: it is met in expectation (calibrated, see below), so the real
count is within a fraction of a percent of it.

What the data look like
-----------------------
- Accounts: a few large, many small. A user lands in account rank floor(A * u^2.5) for a
  uniform u (the largest account of S has ~3k users, the smallest ~10); ranks are scattered
  over the ids. ~10% of accounts are on a `usage_based` plan (no utilization), ~5% more buy
  a usage-based add-on next to their seats. The rest are `seat_based` (70%) or `tiered`.
- Contract terms: 65% of accounts are customers whose first annual term started in the
  year before (2024-11-01 .. 2025-10-31; their account-days before 2025-11-01 have no
  events, hence no active users), 35% start during the year. Annual terms renew during the
  year (with more or fewer seats), except for ~15% that churn at their first renewal; ~4%
  cancel a term mid-way, ~6% renew two weeks late (a gap without seats), ~8% are
  open-ended monthly plans. Seats are bought at 0.6 .. 1.6 x the account's licensed users
  (under- and over-buying). ~35% of terms have one or two mid-term seat changes. A few
  enumeration values are mixed-case or padded (`Seat_based`, ` tiered `), as a landing
  zone has them.
- Users: provisioned from shortly before the first term onwards (most early); ~12% are
  deactivated during their life; in 60% of churned accounts everyone is deactivated after
  the churn; ~6% are free users (holds_license false) and ~1% have holds_license null.
  Each user has an activity class: heavy (20%), regular (30%), light (25%) or dormant (25%),
  times an account-level adoption factor; users of churned accounts mostly stop.
- Events: on each day a user is active with a probability (class x adoption x weekday
  rhythm: weekends ~15% of a weekday, a dip over the year-end holidays); an active day has
  1 + floor(Exp) events (heavier classes more), the first usually a `login`, the others
  feature events (report_viewed, dashboard_created, comment_added, task_completed,
  export_csv, workflow_run) with their feature_name. ~0.1% of events are delivered twice
  (same event_id; a third of the copies with a later event_ts), ~0.02% come from user ids
  that are not in `users`.

How it works
------------
Everything is generated inside DuckDB with SQL: ids from range(), pseudo-random numbers
from hash(seed, salt, key...) (no random(): its order depends on thread scheduling). Events
are generated one month at a time and streamed by COPY ... TO parquet, so even L (200M
events) fits in a few GiB of memory. The mean number of events per active day is
calibrated so that the expected total equals the target: the expected number of active
user-days per class is an exact integer sum (probabilities in parts per million), and the
mean is found by bisection on the closed form E[1 + floor(Exp(mu))] = 1 + 1/(e^(1/mu) - 1).

Determinism: the same seed, scale and DuckDB version (pinned in requirements.txt) give the
same rows (file byte order may differ with thread scheduling). DuckDB's hash() may change
between major versions, which would change the data, not its shape.

Usage:
    python bench/generate.py --scale S                       # -> bench/data/S/
    python bench/generate.py --scale XS --out /tmp/xs --seed 7
    python bench/generate.py --scale S --append-day 2026-11-01   # one more day of events
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SEED = 20251101
YEAR_START = date(2025, 11, 1)
YEAR_END = date(2026, 10, 31)
GENERATOR_VERSION = 2  # bump when the generated data change; run_bench regenerates on mismatch


@dataclass(frozen=True)
class Scale:
    """Size of a generated data set."""

    accounts: int
    users: int
    events: int


SCALES: dict[str, Scale] = {
    "XS": Scale(accounts=100, users=5_000, events=500_000),
    "S": Scale(accounts=1_000, users=50_000, events=5_000_000),
    "M": Scale(accounts=5_000, users=250_000, events=50_000_000),
    "L": Scale(accounts=10_000, users=1_000_000, events=200_000_000),
}

# Activity classes: share of users, daily activity probability before the account's adoption
# factor (parts per million), and the relative number of events on an active day.
ACTIVITY_CLASSES = (
    # (class id, name, cumulative share, probability ppm, events-per-day weight)
    (0, "heavy", 0.20, 650_000, 2.0),
    (1, "regular", 0.50, 280_000, 1.2),
    (2, "light", 0.75, 60_000, 0.8),
    (3, "dormant", 1.00, 4_000, 0.6),
)
MAX_EVENTS_PER_DAY = 60
DUPLICATE_SHARE = 0.001
UNKNOWN_USER_SHARE = 0.0002


def _sql_date(day: date) -> str:
    return f"date '{day.isoformat()}'"


def _setup(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Macros shared by every statement: a seeded uniform number and day weights."""
    con.execute(
        f"""
        -- uniform [0, 1) from the seed, a salt (one per use) and two integer keys. The outer
        -- hash() re-mixes: DuckDB combines the hashes of several arguments with a cheap step
        -- that leaves draws with different salts correlated (corr ~0.03), which biased counts.
        create or replace macro rnd(salt, a, b) as
            hash(hash(cast({int(seed)} as bigint), cast(salt as bigint), cast(a as bigint), cast(b as bigint)))
            / 18446744073709551616.0;
        -- 64 pseudo-random bits, and the i-th (0..2) 21-bit slice of them as a uniform [0, 1)
        create or replace macro rnd_bits(salt, a, b) as
            hash(hash(cast({int(seed)} as bigint), cast(salt as bigint), cast(a as bigint), cast(b as bigint)));
        create or replace macro u21(h, i) as
            cast((h >> cast(21 * i as ubigint)) & cast(2097151 as ubigint) as double) / 2097152.0;
        -- weekday rhythm and a year-end dip, per mille of an ordinary weekday
        create or replace macro day_weight_pm(d) as
            (case dayofweek(d) when 6 then 150 when 0 then 120 else 1000 end)
            * (case when (month(d) = 12 and day(d) >= 22) or (month(d) = 1 and day(d) <= 2)
                    then 450 else 1000 end) // 1000;
        """
    )


def _build_entities(con: duckdb.DuckDBPyConnection, scale: Scale) -> None:
    """Accounts, users, subscriptions and seat changes as tables in `con` (with helper columns)."""
    n_accounts, n_users = scale.accounts, scale.users
    ys, ye = _sql_date(YEAR_START), _sql_date(YEAR_END)
    # --- accounts: lifecycle flags drawn per account --------------------------------------
    con.execute(
        f"""
        create or replace table acc as
        with base as (
            select
                i as acc_idx,
                'acc_' || lpad(cast(i as varchar), 5, '0') as account_id,
                rnd(1, i, 0) < 0.10 as is_usage_based,
                rnd(2, i, 0) < 0.65 as is_existing,
                rnd(3, i, 0) as r_start,
                rnd(4, i, 0) < 0.08 as is_open_ended,
                rnd(5, i, 0) < 0.15 as churns,
                rnd(7, i, 0) < 0.04 as cancels,
                rnd(8, i, 0) as r_cancel,
                rnd(9, i, 0) < 0.06 as renews_late,
                0.6 + rnd(10, i, 0) as buy_factor,
                0.35 + 0.9 * rnd(12, i, 0) as adoption,
                rnd(13, i, 0) < 0.30 as is_tiered,
                rnd(14, i, 0) < 0.05 as has_usage_addon,
                rnd(15, i, 0) < 0.60 as offboards_on_churn,
                rnd(16, i, 0) as r_industry,
                rnd(17, i, 0) as r_region,
                rnd(18, i, 0) as r_employees
            from range(1, {n_accounts + 1}) as t(i)
        )
        select
            *,
            case
                when is_existing
                    then date '2024-11-01' + cast(floor(r_start * 365) as integer)
                else {ys} + cast(floor(r_start * 330) as integer)
            end as first_start
        from base
        """
    )
    # --- users: account by a skewed rank, provisioning, deactivation, activity class -------
    classes = " ".join(
        f"when r_class < {share} then {cid}" for cid, _, share, _, _ in ACTIVITY_CLASSES
    )
    class_ppm = " ".join(f"when {cid} then {ppm}" for cid, _, _, ppm, _ in ACTIVITY_CLASSES)
    con.execute(
        f"""
        create or replace table usr_base as
        with drawn as (
            select
                j as uidx,
                cast(floor({n_accounts} * pow(rnd(20, j, 0), 2.5)) as bigint) as acc_rank,
                rnd(21, j, 0) as r_created,
                rnd(22, j, 0) as r_deact,
                rnd(23, j, 0) as r_deact_day,
                rnd(24, j, 0) as r_license,
                rnd(25, j, 0) as r_role,
                rnd(26, j, 0) as r_dept,
                rnd(27, j, 0) as r_class,
                rnd(28, j, 0) as r_secs
            from range(1, {n_users + 1}) as t(j)
        )
        select
            drawn.*,
            (acc_rank * 7919) % {n_accounts} + 1 as acc_idx,
            case {classes} end as klass
        from drawn
        """
    )
    # licensed users per account (sizes the seats), and the account's terms
    con.execute(
        f"""
        create or replace table acc_size as
        select acc.acc_idx, count(usr_base.uidx) as n_users,
               count(usr_base.uidx) filter (where usr_base.r_license >= 0.06) as n_licensed
        from acc left join usr_base using (acc_idx)
        group by acc.acc_idx;

        create or replace table terms as
        with k as (select * from range(0, 3) as t(k)),
        drawn as (
            select
                acc.*,
                acc_size.n_licensed,
                k.k,
                cast(acc.first_start + to_years(cast(k.k as integer)) as date)
                    + cast(case when acc.renews_late then 14 * k.k else 0 end as integer) as start_date,
                0 as churn_term
            from acc
            inner join acc_size using (acc_idx)
            cross join k
        ),
        kept as (
            select *,
                case when is_open_ended then null
                     else cast(start_date + to_years(1) as date) - 1 end as end_date
            from drawn
            where start_date <= {ye}
                and (not is_open_ended or k = 0)
                and (not churns or k <= churn_term)
        ),
        last_term as (select acc_idx, max(k) as last_k from kept group by acc_idx)
        select
            kept.*,
            kept.k = last_term.last_k as is_last_term,
            case
                when kept.cancels and kept.k = last_term.last_k
                    and start_date + 10 + cast(floor(r_cancel * 300) as integer) <= coalesce(end_date, {ye})
                    then start_date + 10 + cast(floor(r_cancel * 300) as integer)
            end as canceled_at,
            greatest(1, cast(round(
                greatest(n_licensed, 1) * buy_factor * (0.85 + 0.1 * kept.k)
                * (0.9 + 0.2 * rnd(30, kept.acc_idx, kept.k))
            ) as integer)) as seats
        from kept
        inner join last_term using (acc_idx);

        -- the last day an account has a contract in force (null: still a customer)
        create or replace table acc_end as
        select acc_idx,
               case when max(coalesce(canceled_at - 1, end_date, {ye})) < {ye}
                    then max(coalesce(canceled_at - 1, end_date, {ye})) end as churn_last_day
        from terms
        group by acc_idx;
        """
    )
    # users with dates, flags and activity probability
    con.execute(
        f"""
        create or replace table usr as
        with dated as (
            select
                u.*,
                a.account_id,
                a.adoption,
                a.offboards_on_churn,
                e.churn_last_day,
                a.first_start - 21
                    + cast(floor(pow(r_created, 2.2)
                                 * greatest(coalesce(e.churn_last_day, {ye}) - (a.first_start - 21), 1)) as integer)
                    as created_date,
                case when r_license < 0.06 then false when r_license < 0.07 then null else true end
                    as holds_license
            from usr_base as u
            inner join acc as a using (acc_idx)
            inner join acc_end as e using (acc_idx)
        ),
        deactivated as (
            select *,
                least(
                    case when r_deact < 0.12
                         then created_date + 1 + cast(floor(r_deact_day * 540) as integer) end,
                    case when offboards_on_churn and churn_last_day is not null
                         then churn_last_day + 1 + cast(floor(r_deact_day * 30) as integer) end
                ) as deact_any
            from dated
        )
        select
            uidx,
            'usr_' || lpad(cast(uidx as varchar), 7, '0') as user_id,
            acc_idx,
            account_id,
            klass,
            holds_license,
            created_date,
            case when deact_any <= {ye} then deact_any end as deactivated_date,
            churn_last_day,
            cast(created_date as timestamp) + to_seconds(cast(floor(r_secs * 86400) as bigint)) as created_at,
            case when deact_any <= {ye}
                 then cast(deact_any as timestamp) + to_seconds(cast(floor(r_deact_day * 1e6) % 86400 as bigint))
            end as deactivated_at,
            -- daily activity probability (ppm): class x adoption, halved for free users
            cast(least(950000, (case klass {class_ppm} end) * adoption
                 * (case when holds_license = false then 0.5 else 1.0 end)) as bigint) as p_ppm,
            r_role,
            r_dept
        from deactivated
        """
    )


def _calibrate(con: duckdb.DuckDBPyConnection, target_events: int) -> dict:
    """Mean events per active day (as Exp means per class) so the expected total is the target."""
    ys, ye = _sql_date(YEAR_START), _sql_date(YEAR_END)
    rows = con.execute(
        f"""
        with days as (
            select cast(d as date) as d from range({ys}, {ye} + 1, interval 1 day) as t(d)
        )
        select usr.klass, sum(
            usr.p_ppm * day_weight_pm(days.d) // 1000
            * (case when usr.churn_last_day is not null and days.d > usr.churn_last_day then 1 else 10 end) // 10
        ) as active_ppm
        from usr
        inner join days
            on days.d >= usr.created_date
            and (usr.deactivated_date is null or days.d < usr.deactivated_date)
        group by usr.klass
        order by usr.klass
        """
    ).fetchall()
    active_days = {int(k): int(v) / 1e6 for k, v in rows}  # expected active user-days per class
    weights = {cid: w for cid, _, _, _, w in ACTIVITY_CLASSES}

    def expected_events(mu_base: float) -> float:
        total = 0.0
        for cid, days in active_days.items():
            mu = mu_base * weights[cid]
            total += days * (1.0 + 1.0 / math.expm1(1.0 / mu))
        return total

    total_days = sum(active_days.values())
    if target_events <= total_days * 1.05:
        raise SystemExit(
            f"target of {target_events} events is below the expected active user-days "
            f"({total_days:.0f}); lower the activity probabilities or raise the target"
        )
    low, high = 1e-3, 1e3
    for _ in range(200):
        mid = math.sqrt(low * high)
        if expected_events(mid) < target_events:
            low = mid
        else:
            high = mid
    mu_base = float(f"{high:.9g}")
    return {
        "mu_base": mu_base,
        "mu_by_class": {cid: mu_base * weights[cid] for cid in weights},
        "expected_active_user_days": round(total_days),
        "expected_events": round(expected_events(mu_base)),
    }


def _events_sql(first_day: date, last_day: date, mu_by_class: dict[int, float]) -> str:
    """SELECT of the events on first_day .. last_day (contract columns only)."""
    mu_case = " ".join(f"when {cid} then {mu!r}" for cid, mu in mu_by_class.items())
    return f"""
    with days as (
        select cast(d as date) as d,
               cast(cast(d as date) - {_sql_date(YEAR_START)} as bigint) as day_no
        from range({_sql_date(first_day)}, {_sql_date(last_day)} + 1, interval 1 day) as t(d)
    ),
    user_days as (
        select usr.uidx, usr.user_id, usr.klass, days.d, days.day_no,
               usr.p_ppm * day_weight_pm(days.d) // 1000
               * (case when usr.churn_last_day is not null and days.d > usr.churn_last_day then 1 else 10 end)
               // 10 as p_eff_ppm
        from usr
        inner join days
            on days.d >= usr.created_date
            and (usr.deactivated_date is null or days.d < usr.deactivated_date)
    ),
    active_days as (
        select *,
            cast(least({MAX_EVENTS_PER_DAY}, 1 + floor(
                -ln(1.0 - rnd(51, uidx, day_no)) * (case klass {mu_case} end)
            )) as integer) as n_events,
            -- session start: working hours mostly, any hour sometimes
            case when rnd(52, uidx, day_no) < 0.9
                 then 25200 + cast(floor(rnd(53, uidx, day_no) * 36000) as integer)
                 else cast(floor(rnd(53, uidx, day_no) * 86400) as integer) end as start_sec
        from user_days
        where rnd(50, uidx, day_no) * 1000000 < p_eff_ppm
    ),
    expanded as (
        select uidx, user_id, d, day_no, start_sec, unnest(range(n_events)) as k
        from active_days
    ),
    drawn as (
        -- two hashes per event, each cut into three 21-bit uniforms
        select
            uidx, user_id, d, k, start_sec,
            rnd_bits(54, uidx * 100 + k, day_no) as h1,
            rnd_bits(57, uidx * 100 + k, day_no) as h2
        from expanded
    ),
    events as (
        select
            'evt_' || strftime(d, '%Y%m%d') || '_' || lpad(cast(uidx as varchar), 7, '0')
                || '_' || lpad(cast(k as varchar), 2, '0') as event_id,
            user_id,
            uidx,
            case
                when (k = 0 and u21(h1, 0) < 0.88) or (k > 0 and u21(h1, 0) < 0.04) then 'login'
                when u21(h1, 1) < 0.30 then 'report_viewed'
                when u21(h1, 1) < 0.38 then 'dashboard_created'
                when u21(h1, 1) < 0.58 then 'comment_added'
                when u21(h1, 1) < 0.78 then 'task_completed'
                when u21(h1, 1) < 0.85 then 'export_csv'
                else 'workflow_run'
            end as event_name,
            cast(d as timestamp) + to_seconds(cast(
                least(86399, start_sec + k * 60 + cast(floor(u21(h1, 2) * 600 * k) as integer)) as bigint
            )) as event_ts,
            -- copy 0: the event; 1: delivered twice (same event_id; a third of the copies with
            -- a later event_ts); 2: an event of a user id that is not in users
            list_concat(
                [0],
                case when u21(h2, 0) < {DUPLICATE_SHARE} then [1] else [] end,
                case when u21(h2, 1) < {UNKNOWN_USER_SHARE} then [2] else [] end
            ) as copies,
            h2
        from drawn
    ),
    delivered as (
        select *, unnest(copies) as copy from events
    )
    select
        case when copy = 2 then event_id || 'x' else event_id end as event_id,
        case when copy = 2 then 'usr_9' || lpad(cast(uidx % 1000 as varchar), 7, '0') else user_id end
            as user_id,
        event_name,
        case event_name
            when 'login' then null
            when 'report_viewed' then 'reports'
            when 'dashboard_created' then 'dashboards'
            when 'comment_added' then 'comments'
            when 'task_completed' then 'tasks'
            when 'export_csv' then 'data_export'
            else 'automations'
        end as feature_name,
        case when copy = 1 and u21(h2, 2) < 0.33
             then event_ts + to_seconds(1 + cast(floor(u21(h2, 2) * 363) as bigint))
             else event_ts end as event_ts
    from delivered
    """


def _copy(con: duckdb.DuckDBPyConnection, select_sql: str, path: Path) -> int:
    """COPY a select to a Parquet file (zstd); returns the number of rows written."""
    tmp = path.with_suffix(".parquet.tmp")
    con.execute(
        f"copy ({select_sql}) to '{tmp}' (format parquet, compression zstd, row_group_size 500000)"
    )
    tmp.replace(path)
    return con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]


def _write_entities(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """The four small raw tables, with exactly the contract columns."""
    counts = {}
    counts["accounts"] = _copy(
        con,
        """
        select
            account_id,
            'Account ' || lpad(cast(acc_idx as varchar), 5, '0') || ' '
                || (['Ltd.', 'Inc.', 'GmbH', 'S.A.', 'Co.', 'Group'])[1 + acc_idx % 6] as account_name,
            case when r_industry < 0.05 then null
                 else (['Software', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail',
                        'Logistics', 'Education', 'Media'])[1 + cast(floor(r_industry * 1000) as integer) % 8]
            end as industry,
            case when r_employees < 0.04 then null
                 else cast(greatest(acc_size.n_users, 5) * (2 + floor(r_employees * 30)) as integer)
            end as employee_count,
            case when r_region < 0.05 then null
                 else (['NA', 'EMEA', 'APAC', 'LATAM'])[1 + cast(floor(r_region * 1000) as integer) % 4]
            end as region,
            cast(first_start - 30 - cast(floor(r_region * 90) as integer) as timestamp)
                + to_seconds(cast(floor(r_employees * 86400) as bigint)) as created_at
        from acc inner join acc_size using (acc_idx)
        order by account_id
        """,
        out / "accounts.parquet",
    )
    counts["subscriptions"] = _copy(
        con,
        """
        with seat_terms as (
            select
                'sub_' || lpad(cast(acc_idx as varchar), 5, '0') || '_' || k as subscription_id,
                account_id, acc_idx, k, n_licensed, is_open_ended, is_usage_based, is_tiered,
                seats, start_date, end_date, canceled_at
            from terms
        ),
        all_terms as (
            select *, false as is_addon from seat_terms
            union all
            -- a usage-based add-on next to the seats of a few accounts
            select st.subscription_id || 'u', st.account_id, st.acc_idx, st.k, st.n_licensed,
                   st.is_open_ended, true, false, st.seats * 3, st.start_date, st.end_date,
                   st.canceled_at, true
            from seat_terms as st
            inner join acc on st.acc_idx = acc.acc_idx
            where acc.has_usage_addon and not st.is_usage_based
        ),
        priced as (
            select *,
                case when is_usage_based then 'usage_based' when is_tiered then 'tiered' else 'seat_based' end
                    as pricing_model,
                case when n_licensed < 30 then 'starter' when n_licensed < 300 then 'growth' else 'enterprise' end
                    as plan_tier,
                rnd(31, acc_idx, k) as r_messy
            from all_terms
        )
        select
            subscription_id,
            account_id,
            'Workspace ' || upper(plan_tier[1]) || plan_tier[2:]
                || case when pricing_model = 'usage_based' then ' Usage'
                        when is_open_ended then ' Monthly' else ' Annual' end as plan_name,
            case when r_messy < 0.02 then upper(plan_tier) else plan_tier end as plan_tier,
            case when r_messy < 0.01 then upper(pricing_model[1]) || pricing_model[2:]
                 when r_messy < 0.02 then ' ' || pricing_model || ' '
                 else pricing_model end as pricing_model,
            seats as seats_purchased,
            start_date,
            end_date,
            canceled_at
        from priced
        order by subscription_id
        """,
        out / "subscriptions.parquet",
    )
    counts["subscription_seat_changes"] = _copy(
        con,
        """
        with changes as (
            select
                terms.*,
                c.c,
                rnd(40, acc_idx * 10 + k, 0) as r_n
            from terms
            cross join range(0, 2) as c(c)
        )
        select
            'sub_' || lpad(cast(acc_idx as varchar), 5, '0') || '_' || k as subscription_id,
            start_date + 20 + cast(160 * c as integer) + cast(floor(rnd(41, acc_idx * 10 + k, c) * 150) as integer)
                as effective_date,
            greatest(0, cast(round(seats * (0.7 + 0.7 * rnd(42, acc_idx * 10 + k, c))) as integer))
                as seats_purchased
        from changes
        where not is_usage_based
            and (r_n < 0.25 and c = 0 or r_n < 0.35 and c <= 1)
            and start_date + 20 + cast(160 * c as integer) + cast(floor(rnd(41, acc_idx * 10 + k, c) * 150) as integer)
                <= coalesce(canceled_at - 1, end_date, date '2026-10-31')
        order by subscription_id, effective_date
        """,
        out / "subscription_seat_changes.parquet",
    )
    counts["users"] = _copy(
        con,
        """
        select
            user_id,
            account_id,
            case when rnd(29, uidx, 0) < 0.02 then null
                 else lower(user_id) || '@' || lower(account_id) || '.example' end as email,
            case when r_role < 0.05 then 'admin' when r_role < 0.55 then 'contributor'
                 when r_role < 0.95 then 'viewer' else null end as role,
            case when r_dept < 0.05 then null
                 else (['Sales', 'Engineering', 'Marketing', 'Support', 'Finance', 'Operations'])
                      [1 + cast(floor(r_dept * 1000) as integer) % 6] end as department,
            holds_license,
            created_at,
            deactivated_at
        from usr
        order by user_id
        """,
        out / "users.parquet",
    )
    return counts


def _months(first_day: date, last_day: date):
    """(first, last) day of each calendar month overlapping first_day .. last_day."""
    start = first_day
    while start <= last_day:
        next_month = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        yield start, min(next_month - timedelta(days=1), last_day)
        start = next_month


def _connect(threads: int, memory_limit: str, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    temp_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": str(temp_dir),
            "preserve_insertion_order": False,
        }
    )
    return con


def generate(
    scale_name: str,
    out: Path,
    seed: int = DEFAULT_SEED,
    threads: int = 2,
    memory_limit: str = "8GB",
    verbose: bool = True,
) -> dict:
    """Write the raw tables of one scale into `out` (replacing it); returns the metadata."""
    scale = SCALES[scale_name]
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    (out / "events").mkdir(parents=True)
    con = _connect(threads, memory_limit, out.parent / ".generate_tmp")
    _setup(con, seed)
    _build_entities(con, scale)
    counts = _write_entities(con, out)
    calibration = _calibrate(con, scale.events)
    if verbose:
        print(f"[generate {scale_name}] entities {counts}; calibration {calibration}", flush=True)
    events = 0
    for first_day, last_day in _months(YEAR_START, YEAR_END):
        path = out / "events" / f"events_{first_day:%Y_%m}.parquet"
        rows = _copy(con, _events_sql(first_day, last_day, calibration["mu_by_class"]), path)
        events += rows
        if verbose:
            print(
                f"[generate {scale_name}] {path.name}: {rows:,} events "
                f"({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    counts["events"] = events
    con.close()
    meta = {
        "generator_version": GENERATOR_VERSION,
        "scale": scale_name,
        "target": asdict(scale),
        "seed": seed,
        "first_event_day": YEAR_START.isoformat(),
        "last_event_day": YEAR_END.isoformat(),
        "rows": counts,
        "calibration": calibration,
        "duckdb_version": duckdb.__version__,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def append_day(
    scale_name: str,
    out: Path,
    day: date,
    seed: int = DEFAULT_SEED,
    threads: int = 2,
    memory_limit: str = "8GB",
) -> tuple[Path, int]:
    """Write the events of one more day as DIR/events/events_YYYY_MM_DD.parquet.

    The users and the calibration are those of the generated year (same seed), so the day
    looks like any other day. Returns the file and its number of rows.
    """
    scale = SCALES[scale_name]
    con = _connect(threads, memory_limit, out.parent / ".generate_tmp")
    _setup(con, seed)
    _build_entities(con, scale)
    calibration = _calibrate(con, scale.events)
    path = out / "events" / f"events_{day:%Y_%m_%d}.parquet"
    rows = _copy(con, _events_sql(day, day, calibration["mu_by_class"]), path)
    con.close()
    return path, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Scales: " + ", ".join(
            f"{name} = {s.accounts:,} accounts / {s.users:,} users / {s.events:,} events"
            for name, s in SCALES.items()
        ),
    )
    parser.add_argument("--scale", choices=list(SCALES), default="S", help="named scale (default: S)")
    parser.add_argument("--out", type=Path, help="output folder (default: bench/data/<scale>)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default: {DEFAULT_SEED})")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default: 2)")
    parser.add_argument("--memory-limit", default="8GB", help="DuckDB memory_limit (default: 8GB)")
    parser.add_argument(
        "--append-day",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="instead of generating everything, add the events of this one day to an existing folder",
    )
    args = parser.parse_args(argv)
    out = args.out or BENCH_DIR / "data" / args.scale
    if args.append_day:
        if not (out / "events").is_dir():
            parser.error(f"{out} has no events/ folder: generate the scale first")
        path, rows = append_day(args.scale, out, args.append_day, args.seed, args.threads, args.memory_limit)
        print(f"wrote {path} ({rows:,} events)")
        return 0
    meta = generate(args.scale, out, args.seed, args.threads, args.memory_limit)
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
