"""Hand-built dataset for the customer-success layer, with hand-worked expectations.

One dataset (five raw tables, same text format as datasets.py), ``as_of_date`` fixed at
2024-06-30 (a Sunday). Every flag and alert of dim_account_health /
fct_utilization_alerts fires for one account, and a twin account sits just on the
other side of the threshold. Every expected figure below was worked out BY HAND from
the rows this module writes (the arithmetic is in the comments); nothing is computed
by the code under test.

Calendar
--------
- Most terms start 2024-01-01 (the spine start). as_of_date = 2024-06-30.
- ISO weeks (Monday start). The trend window (trend_weeks 8) holds the weeks starting
  after 2024-06-30 - 56 days = 2024-05-05: W0 = 05-06, W1 = 05-13, W2 = 05-20,
  W3 = 05-27, W4 = 06-03, W5 = 06-10, W6 = 06-17, W7 = 06-24 (W7 ends on as_of, so
  every week is complete). x = 0..7, mean 3.5, sum (x - 3.5)^2 = 42.
- The stickiness and sharp-drop windows (30 days) are 2024-06-01 .. 2024-06-30.
- Onboarding lookback (null -> pre_renewal_days + 90 = 180 days): terms with
  start_date > 2024-06-30 - 180 = 2024-01-02. (2024-01-01 .. 2024-06-30 is 181 days:
  Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 29 days before the 30th.)

How activity is made
--------------------
Default rule: a login on day t makes a user active t .. t+29. Two patterns:

- "through" users log in on first, first+30, first+60, ... up to as_of: active every
  day from ``first``. From 2024-01-01 the logins are 01-01, 01-31, 03-01, 03-31, 04-30,
  05-30, 06-29, so exactly ONE login day (06-29) falls in the stickiness window.
  (From 05-15: 05-15, 06-14 -> one day, 06-14. From 06-17: one day. From 01-02:
  ..., 05-31, 06-30 -> one day, 06-30. From 03-01: ..., 05-30, 06-29 -> one day.)
  An account of "through" users therefore has DAU/MAU = 1/30.
- "span" users are active exactly first .. last (logins every 30 days, the last one
  on last - 29), so their last login is at most 05-25 for every last day used here:
  no event in the stickiness window.

Accounts (seats / active at as_of -> utilization)
-------------------------------------------------
RR1  Retail, 10 seats, 5 active, 50% at_risk, renewal 2024-09-28 = as_of + 90  -> renewal risk
RR2  Retail, 10 seats, 5 active, 50% at_risk, renewal 2024-09-29 = as_of + 91  -> NOT (91 > 90)
RR3  Retail, 10 seats, 7 active, 70% healthy, renewal 2024-07-30 = as_of + 30  -> NOT (healthy)
DEC1 Software, 50 seats, loses one active user each Monday W1..W7: weekly 100, 98, ..., 86;
     slope -2 <= -1 -> declining; renewal as_of + 60 -> declining_before_renewal
DEC2 Software, 100 seats, same drops: weekly 100, 99, ..., 93: slope exactly -1.0 -> declining (edge)
DEC3 Software, 10 seats, 9 active flat (90%), renewal as_of + 60 -> slope 0, no alert
ONB1 Health, 10 seats from 2024-05-15: 5 active, 7 from 06-17; day_30 (06-14) = 50% < 60 -> onboarding gap
ONB2 Health, 10 seats from 2024-05-15: 6 active, 7 from 06-17; day_30 = 60% (not < 60) -> no gap
OLD1 Health, 10 seats from 2024-01-02: 5 active, 7 from 03-01; day_30 (02-01) = 50% but
     the term is outside the 180-day lookback (01-02 is not > 01-02) -> no gap
EXP1 Media, 10 seats, 8 active = 80% (strong, edge), DAU/MAU 60/240 = 0.25 (edge) -> expansion ready
EXP2 Media, 10 seats, 9 active = 90% strong, DAU/MAU 63/270 = 0.2333 < 0.25 -> NOT
OVR1 (industry null), 20 seats, 22 active -> overage 2; 2*10 >= 20 -> medium
OVR2 (industry null), 20 seats, 21 active -> overage 1; 10 < 20 -> low
OVR3 (industry null), 20 seats, 20 active -> exactly full, no overage
DROP1 Finance, 20 seats, 16 active until 06-16, 12 from 06-17: 80% -> 60%:
     20 pts >= 10 and 20/80 = 25% >= 25% (edge) -> sharp drop; 60 is healthy (at_risk edge)
DROP2 Finance, 20 seats, 16 -> 13 active: 80% -> 65%: 15 pts but 15/80 = 18.75% < 25% -> NOT
DROP3 Finance, 20 seats, 3 -> 2 active: 15% -> 10%: 33% of the peak but 5 pts < 10 -> NOT
NOS  Finance, 10 seats 2024-01-01 .. 2024-03-31 only: no seats on as_of -> play none
USG  Retail, a usage_based term only: never any seats -> play none, in no utilization figure
STK  Education, two 5-seat terms (growth from 01-01, enterprise from 03-01: a tie, the later
     term's tier wins) and a canceled 0-seat term; 7 active -> 70% healthy (10 seats from 03-01,
     5 before: 7 active on 5 seats in Jan/Feb -> 100%, 2 over). Its extra users must not count
     anywhere: a free user, a user provisioned on 06-25 with events from 06-01, and a user
     deactivated on 05-20 with events every day of June.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

import datasets

AS_OF = "2024-06-30"
_AS_OF = dt.date(2024, 6, 30)
_D = dt.date.fromisoformat

#: Mondays W0..W7 of the trend window (see the module docstring)
WEEKS = [dt.date(2024, 5, 6) + dt.timedelta(weeks=k) for k in range(8)]


# --------------------------------------------------------------------------- activity helpers


def _through(b: datasets._Builder, uid: str, first: str) -> None:
    """Logins on first, first+30, ... up to as_of: active every day from ``first``."""
    day, n = _D(first), 0
    while day <= _AS_OF:
        b.event(f"{uid}-T{n}", uid, "login", f"{day.isoformat()} 09:00:00")
        day += dt.timedelta(days=30)
        n += 1


def _span(b: datasets._Builder, uid: str, first: str, last: str) -> list[dt.date]:
    """Logins making ``uid`` active exactly ``first`` .. ``last`` (both included)."""
    start, end = _D(first), _D(last)
    assert (end - start).days >= 29, "a span shorter than the 30-day window cannot end on time"
    logins = [start]
    while logins[-1] + dt.timedelta(days=29) < end:
        logins.append(min(logins[-1] + dt.timedelta(days=30), end - dt.timedelta(days=29)))
    for n, day in enumerate(logins):
        b.event(f"{uid}-S{n}", uid, "login", f"{day.isoformat()} 09:00:00")
    return logins


def _june(day: int) -> str:
    return f"2024-06-{day:02d} 11:00:00"


# --------------------------------------------------------------------------- the dataset


def dataset_customer_success() -> dict[str, pd.DataFrame]:
    b = datasets._Builder()

    # --- renewal risk: RR1 fires, RR2 one day later does not, RR3 healthy does not ---
    for aid, end in (("RR1", "2024-09-28"), ("RR2", "2024-09-29"), ("RR3", "2024-07-30")):
        b.account(aid, industry="Retail", employees=40)
        b.subscription(f"{aid}-S1", aid, "seat_based", 10, "2024-01-01", end, tier="starter")
    # RR1: Sales U01..U04 all active; Engineering U05..U10, only U05 active.
    # As of 06-30: 5 of 10 -> 50%; most idle department: Engineering, 6 assigned,
    # 1 active -> 16.7% (idle 5 > Sales' 0).
    for n in range(1, 11):
        uid = f"RR1-U{n:02d}"
        b.user(uid, "RR1", department="Sales" if n <= 4 else "Engineering")
        if n <= 5:
            _through(b, uid, "2024-01-01")
    # RR2: 10 users, U01..U05 active (50%). RR3: 10 users, U01..U07 active (70%).
    for aid, active in (("RR2", 5), ("RR3", 7)):
        for n in range(1, 11):
            uid = f"{aid}-U{n:02d}"
            b.user(uid, aid)
            if n <= active:
                _through(b, uid, "2024-01-01")

    # --- declining before renewal: DEC1 (-2/week), DEC2 (-1/week, edge), DEC3 flat ---
    # User j (j = 1..7) is active until the Sunday before W_j, so week W_k has
    # seats - k active users.
    for aid, seats in (("DEC1", 50), ("DEC2", 100)):
        b.account(aid, industry="Software", employees=500)
        b.subscription(f"{aid}-S1", aid, "seat_based", seats, "2024-01-01", "2024-08-29")
        for n in range(1, seats + 1):
            uid = f"{aid}-U{n:03d}"
            b.user(uid, aid)
            if n <= 7:
                _span(b, uid, "2024-01-01", (WEEKS[n] - dt.timedelta(days=1)).isoformat())
            else:
                _through(b, uid, "2024-01-01")
    b.account("DEC3", industry="Software", employees=500)
    b.subscription("DEC3-S1", "DEC3", "seat_based", 10, "2024-01-01", "2024-08-29")
    for n in range(1, 11):
        b.user(f"DEC3-U{n:02d}", "DEC3")
        if n <= 9:
            _through(b, f"DEC3-U{n:02d}", "2024-01-01")

    # --- onboarding gap: ONB1 (day_30 50%), ONB2 (day_30 60%, edge), OLD1 (outside lookback) ---
    for aid, early in (("ONB1", 5), ("ONB2", 6)):
        b.account(aid, industry="Health", employees=120)
        b.subscription(f"{aid}-S1", aid, "seat_based", 10, "2024-05-15", "2025-05-14")
        for n in range(1, 11):
            uid = f"{aid}-U{n:02d}"
            b.user(uid, aid, created="2024-05-10 09:00:00")
            if n <= early:
                _through(b, uid, "2024-05-15")
            elif n <= 7:
                _through(b, uid, "2024-06-17")
    b.account("OLD1", industry="Health", employees=120)
    b.subscription("OLD1-S1", "OLD1", "seat_based", 10, "2024-01-02")
    for n in range(1, 11):
        uid = f"OLD1-U{n:02d}"
        b.user(uid, "OLD1")
        if n <= 5:
            _through(b, uid, "2024-01-02")
        elif n <= 7:
            _through(b, uid, "2024-03-01")

    # --- expansion ready: EXP1 (80%, DAU/MAU 0.25: both edges), EXP2 (DAU/MAU 0.2333) ---
    # Both: active from 01-01 by a span to 05-31 (logins 01-01, 01-31, 03-01, 03-31,
    # 04-30, 05-02: nothing in the window), then the June events below, every user
    # with a login on 06-01 (so no gap on 06-01).
    for aid in ("EXP1", "EXP2"):
        b.account(aid, industry="Media", employees=5000)
        b.subscription(f"{aid}-S1", aid, "seat_based", 10, "2024-01-01", tier="enterprise")
        for n in range(1, 11):
            b.user(f"{aid}-U{n:02d}", aid)
    exp1 = {
        # user: (June login days, June feature-use days ('report_viewed' on feature 'reports'))
        1: ([1, 3, 5, 7, 9, 11, 13, 27], []),        # 8 days; a login on 06-27 (last 7 days)
        2: ([1, 3, 5, 7, 9, 11, 13, 15], []),        # 8 days
        3: ([1, 3, 5, 7, 9], [11, 13, 25]),          # 8 days; 3 feature events, 1+ login
        4: ([1], [3, 5, 7, 9, 11, 13, 15]),          # 8 days; 7 feature events, 1 login
        5: ([1, 3, 5, 7, 9, 11, 30], []),            # 7 days; a login on 06-30 (last 7 days)
        6: ([1, 3, 5, 7, 9, 11], [13]),              # 7 days; 1 feature event, 1+ login
        7: ([1, 3, 5, 7, 9, 11, 13], []),            # 7 days
        8: ([1, 3, 5, 7, 9, 11, 13], []),            # 7 days
    }  # U09, U10: no events (assigned, never active)
    for n, (logins, features) in exp1.items():
        uid = f"EXP1-U{n:02d}"
        _span(b, uid, "2024-01-01", "2024-05-31")
        for day in logins:
            b.event(f"{uid}-J{day}", uid, "login", _june(day))
        for day in features:
            b.event(f"{uid}-F{day}", uid, "report_viewed", _june(day), feature="reports")
    for n in range(1, 10):  # EXP2: U01..U09 log in on 7 June days each; U10 never
        uid = f"EXP2-U{n:02d}"
        _span(b, uid, "2024-01-01", "2024-05-31")
        for day in (1, 3, 5, 7, 9, 11, 13):
            b.event(f"{uid}-J{day}", uid, "login", _june(day))

    # --- overage: OVR1 (2 over 20: medium), OVR2 (1 over 20: low), OVR3 exactly full ---
    for aid, active in (("OVR1", 22), ("OVR2", 21), ("OVR3", 20)):
        b.account(aid, industry=None, employees=None)
        b.subscription(f"{aid}-S1", aid, "seat_based", 20, "2024-01-01")
        for n in range(1, active + 1):
            b.user(f"{aid}-U{n:02d}", aid)
            _through(b, f"{aid}-U{n:02d}", "2024-01-01")

    # --- sharp drop: DROP1 fires (edge of the share), DROP2 (share), DROP3 (points) ---
    # "high" users are active from 01-01; "leavers" among them stop after 06-16.
    for aid, high, leavers in (("DROP1", 16, 4), ("DROP2", 16, 3), ("DROP3", 3, 1)):
        b.account(aid, industry="Finance", employees=120)
        b.subscription(f"{aid}-S1", aid, "seat_based", 20, "2024-01-01")
        for n in range(1, 21):
            uid = f"{aid}-U{n:02d}"
            b.user(uid, aid)
            if n <= leavers:
                _span(b, uid, "2024-01-01", "2024-06-16")
            elif n <= high:
                _through(b, uid, "2024-01-01")

    # --- no seats on as_of: NOS (term ended 2024-03-31); tier from its latest term ---
    b.account("NOS", industry="Finance", employees=120)
    b.subscription("NOS-S1", "NOS", "seat_based", 10, "2024-01-01", "2024-03-31", tier="starter")
    for n in range(1, 11):
        b.user(f"NOS-U{n:02d}", "NOS")
        if n <= 5:
            _span(b, f"NOS-U{n:02d}", "2024-01-01", "2024-03-31")

    # --- usage-based only: USG never has seats ---
    b.account("USG", industry="Retail", employees=40)
    b.subscription("USG-S1", "USG", "usage_based", 50, "2024-01-01")
    for n in range(1, 4):
        b.user(f"USG-U{n:02d}", "USG")
        b.event(f"USG-U{n:02d}-E1", f"USG-U{n:02d}", "login", "2024-01-10 09:00:00")

    # --- eligibility in stickiness, tier ties, canceled terms: STK ---
    b.account("STK", industry="Education", employees=120)
    b.subscription("STK-S1", "STK", "seat_based", 5, "2024-01-01", tier="growth")
    b.subscription("STK-S2", "STK", "seat_based", 5, "2024-03-01", tier="enterprise")
    # 0 seats, canceled 06-01: not in force on as_of, so its end_date is not the renewal date
    b.subscription("STK-S3", "STK", "seat_based", 0, "2024-01-01", "2024-07-15", canceled="2024-06-01",
                   tier="starter")
    for n in range(1, 8):
        b.user(f"STK-U{n:02d}", "STK")
        _through(b, f"STK-U{n:02d}", "2024-01-01")
    # U08: free user (holds no licence), logs in every day of June
    b.user("STK-U08", "STK", holds="false")
    # U09: provisioned 06-25, feature events every day 06-01..06-24 (before provisioning):
    #      not active under the login rule; under feature_users_30d (>= 3 feature events in
    #      30 days) active from 06-25, the day it becomes eligible
    b.user("STK-U09", "STK", created="2024-06-25 08:00:00")
    # U10: deactivated 05-20 (eligible until 05-19), logs in every day of June
    b.user("STK-U10", "STK", deactivated="2024-05-20 08:00:00")
    for day in range(1, 31):
        b.event(f"STK-U08-J{day}", "STK-U08", "login", _june(day))
        b.event(f"STK-U10-J{day}", "STK-U10", "login", _june(day))
        if day <= 24:
            b.event(f"STK-U09-F{day}", "STK-U09", "report_viewed", _june(day), feature="reports")

    return b.tables()


def write_customer_success(directory: str | Path) -> Path:
    return datasets.write_tables(dataset_customer_success(), directory)


# --------------------------------------------------------------------------- expectations
#
# dim_account_health, default vars. Per account:
# (licensed_seats, active_users, utilized_seats, overage_users, utilization_pct, health_band,
#  renewal_date, days_to_renewal)
SNAPSHOT: dict[str, tuple] = {
    "RR1": (10, 5, 5, 0, 50.0, "at_risk", "2024-09-28", 90),    # 06-30 + 90 = 09-28 (Jul 31 + Aug 31 + 28)
    "RR2": (10, 5, 5, 0, 50.0, "at_risk", "2024-09-29", 91),
    "RR3": (10, 7, 7, 0, 70.0, "healthy", "2024-07-30", 30),
    "DEC1": (50, 43, 43, 0, 86.0, "strong", "2024-08-29", 60),   # 50 - 7 leavers; 06-30 + 60 = 08-29
    "DEC2": (100, 93, 93, 0, 93.0, "strong", "2024-08-29", 60),
    "DEC3": (10, 9, 9, 0, 90.0, "strong", "2024-08-29", 60),
    "ONB1": (10, 7, 7, 0, 70.0, "healthy", "2025-05-14", 318),  # 365 (to 2025-06-30) - 47 (May 14 -> Jun 30)
    "ONB2": (10, 7, 7, 0, 70.0, "healthy", "2025-05-14", 318),
    "OLD1": (10, 7, 7, 0, 70.0, "healthy", None, None),         # open-ended term
    "EXP1": (10, 8, 8, 0, 80.0, "strong", None, None),          # 80 >= 80: strong (edge)
    "EXP2": (10, 9, 9, 0, 90.0, "strong", None, None),
    "OVR1": (20, 22, 20, 2, 100.0, "strong", None, None),       # utilized capped at 20
    "OVR2": (20, 21, 20, 1, 100.0, "strong", None, None),
    "OVR3": (20, 20, 20, 0, 100.0, "strong", None, None),
    "DROP1": (20, 12, 12, 0, 60.0, "healthy", None, None),      # 60 is not < 60: healthy (edge)
    "DROP2": (20, 13, 13, 0, 65.0, "healthy", None, None),
    "DROP3": (20, 2, 2, 0, 10.0, "at_risk", None, None),
    "NOS": (0, None, None, None, None, None, None, None),       # no seats on as_of
    "USG": (0, None, None, None, None, None, None, None),       # usage-based: never seats
    # STK-S3 was canceled 06-01: not in force, so no renewal date (both other terms open-ended);
    # U08 (free), U09 (not provisioned before 06-25, no login) and U10 (deactivated) are not active
    "STK": (10, 7, 7, 0, 70.0, "healthy", None, None),
}
ACCOUNTS = sorted(SNAPSHOT)

# (industry, size_band, plan_tier). size bands: 40 -> 1-50, 120 -> 51-200, 500 -> 201-1000,
# 5000 -> 1001+, null -> Unknown. NOS has no seats on as_of: the tier of its latest term.
PROFILE: dict[str, tuple[str, str, str]] = {
    **{a: ("Retail", "1-50", "starter") for a in ("RR1", "RR2", "RR3")},
    **{a: ("Software", "201-1000", "growth") for a in ("DEC1", "DEC2", "DEC3")},
    **{a: ("Health", "51-200", "growth") for a in ("ONB1", "ONB2", "OLD1")},
    **{a: ("Media", "1001+", "enterprise") for a in ("EXP1", "EXP2")},
    **{a: ("Unknown", "Unknown", "growth") for a in ("OVR1", "OVR2", "OVR3")},
    **{a: ("Finance", "51-200", "growth") for a in ("DROP1", "DROP2", "DROP3")},
    "NOS": ("Finance", "51-200", "starter"),
    "USG": ("Retail", "1-50", "growth"),          # tier of its (only, usage-based) term
    "STK": ("Education", "51-200", "enterprise"),  # S1 and S2 tie at 5 seats: the later term
}

# Trend: (weeks_observed, slope pts/week, is_declining, projected_strong_date, projected_full_date)
# Flat accounts: the same weekly value in all 8 weeks -> slope 0.
# DEC1: 100, 98, ..., 86 -> -2.  DEC2: 100, 99, ..., 93 -> -1.0 (<= -1: declining).
# ONB1: weeks W1 (05-13, days 05-15..05-19) .. W7 = 7 weeks, x = 0..6 (mean 3, sum (x-3)^2 = 28),
#   y = 50 x5, 70 x2: sum (x-3) y = (-3-2-1+0+1)*50 + (2+3)*70 = -250 + 350 = 100 -> 100/28 = 3.571429;
#   latest week 70: strong (80) in 10/3.571429 = 2.8 weeks = 19.6 days -> 20 days -> 2024-07-20;
#   full in 30/3.571429 = 8.4 weeks = 58.8 days -> 59 days -> 2024-08-28.
# ONB2: y = 60 x5, 70 x2: (-5*60 + 5*70)/28 = 50/28 = 1.785714;
#   strong in 10/1.785714 = 5.6 weeks = 39.2 days -> 40 -> 2024-08-09;
#   full in 30/1.785714 = 16.8 weeks = 117.6 days -> 118 -> 2024-10-26.
# DROP1: y = 80 x6 (W0..W5), 60 x2 (W6, W7): sum (x-3.5) y = -6*80 + 6*60 = -120 -> -120/42 = -2.857143
# DROP2: y = 80 x6, 65 x2: -6*80 + 6*65 = -90 -> -90/42 = -2.142857
# DROP3: y = 15 x6, 10 x2: -6*15 + 6*10 = -30 -> -30/42 = -0.714286 (> -1: not declining)
# NOS: no week in the window (last seats 03-31): 0 weeks, no slope.
# USG: no weekly rows at all -> no trend row -> weeks_observed null, is_declining false.
TREND: dict[str, tuple] = {
    **{a: (8, 0.0, False, None, None) for a in
       ("RR1", "RR2", "RR3", "DEC3", "OLD1", "EXP1", "EXP2", "OVR1", "OVR2", "OVR3", "STK")},
    "DEC1": (8, -2.0, True, None, None),
    "DEC2": (8, -1.0, True, None, None),
    "ONB1": (7, 3.571429, False, "2024-07-20", "2024-08-28"),
    "ONB2": (7, 1.785714, False, "2024-08-09", "2024-10-26"),
    "DROP1": (8, -2.857143, True, None, None),
    "DROP2": (8, -2.142857, True, None, None),
    "DROP3": (8, -0.714286, False, None, None),
    "NOS": (0, None, False, None, None),
    "USG": (None, None, False, None, None),
}

# Stickiness (DAU/MAU over 06-01..06-30) and feature breadth:
# - "through" accounts: every MAU user has exactly one event day in the window -> 1/30;
# - EXP1: 4 users x 8 days + 4 users x 7 days = 60 user-days / (30 * 8 MAU) = 0.25;
#   features: U03, U04, U06 used 'reports' (1 each), others none -> 3 / 8 = 0.375;
# - EXP2: 9 users x 7 days = 63 / (30 * 9) = 0.233333;
# - NOS, USG: no event in the window -> 0 (coalesced).
STICKINESS: dict[str, tuple[float, float]] = {
    **{a: (1 / 30, 0.0) for a in ACCOUNTS if a != "STK"},
    "EXP1": (0.25, 0.375),
    "EXP2": (63 / 270, 0.0),
    "NOS": (0.0, 0.0),
    "USG": (0.0, 0.0),
}
# STK, kept apart (see test_stickiness_counts_only_eligible_user_days): only U01..U07, one
# day each, are licensed users eligible on their event days -> 7 / (30 * 7) = 1/30, breadth 0.
# U08 is free (no licence); U09's June events (06-01..06-24) precede its provisioning on
# 06-25; U10 was deactivated on 05-20. Counting them anyway would give
# (7 + 24 + 30) / (30 * 9) = 61/270 = 0.2259 and breadth (1 feature of U09) / 9 = 0.111.
STK_STICKINESS = (1 / 30, 0.0)

# Peak daily utilization over 06-01..06-30 (sharp-drop window):
# DEC1: 06-01/06-02 are in W3 (47 active) -> 94; DEC2: 97; DROP1/2: 80 (until 06-16); DROP3: 15.
PEAK: dict[str, float | None] = {
    "RR1": 50.0, "RR2": 50.0, "RR3": 70.0, "DEC1": 94.0, "DEC2": 97.0, "DEC3": 90.0,
    "ONB1": 70.0, "ONB2": 70.0, "OLD1": 70.0, "EXP1": 80.0, "EXP2": 90.0,
    "OVR1": 100.0, "OVR2": 100.0, "OVR3": 100.0, "DROP1": 80.0, "DROP2": 80.0, "DROP3": 15.0,
    "NOS": None, "USG": None, "STK": 70.0,
}

FLAG_COLUMNS = ["is_renewal_risk", "is_declining", "is_onboarding_gap", "is_expansion_ready",
                "has_overage", "is_sharp_drop", "is_filling_seats"]

#: default vars: the accounts where each flag is TRUE (every other account: false)
FLAGS_TRUE: dict[str, set[str]] = {
    "is_renewal_risk": {"RR1"},                      # at_risk and 0 <= days_to_renewal <= 90
    "is_declining": {"DEC1", "DEC2", "DROP1", "DROP2"},  # slope <= -1.0
    "is_onboarding_gap": {"ONB1"},                   # day_30 50 < 60, term 05-15 > 01-02
    "is_expansion_ready": {"EXP1"},                  # strong and DAU/MAU >= 0.25
    "has_overage": {"OVR1", "OVR2"},
    "is_sharp_drop": {"DROP1"},                      # 80 -> 60: 20 pts, 25%
    "is_filling_seats": {"ONB1", "ONB2"},            # rising, below 80, forecast given
}

# Plays: the situation of lowest playbook priority (renewal_risk 1, onboarding_gap 2,
# declining 3, at_risk 4, overage 5, expansion_ready 6, healthy 7, strong 8, no_seats 9).
# seats_at_stake: risk plays -> licensed - utilized; overage -> overage_users; else licensed.
PLAY: dict[str, tuple[str, str, int]] = {
    # account: (play_situation, recommended_play, seats_at_stake)
    "RR1": ("renewal_risk", "renewal save", 5),
    "ONB1": ("onboarding_gap", "onboarding walkthrough", 3),
    "DROP1": ("declining", "enablement campaign", 8),
    "DEC1": ("declining", "enablement campaign", 7),
    "DEC2": ("declining", "enablement campaign", 7),
    "DROP2": ("declining", "enablement campaign", 7),
    "DROP3": ("at_risk", "enablement campaign", 18),
    "RR2": ("at_risk", "enablement campaign", 5),
    "OVR1": ("overage", "true-up conversation", 2),
    "OVR2": ("overage", "true-up conversation", 1),
    "EXP1": ("expansion_ready", "expansion offer", 10),
    "OLD1": ("healthy", "champion program", 10),
    "ONB2": ("healthy", "champion program", 10),
    "RR3": ("healthy", "champion program", 10),
    "OVR3": ("strong", "monitor", 20),
    "DEC3": ("strong", "monitor", 10),
    "EXP2": ("strong", "monitor", 10),
    "STK": ("healthy", "champion program", 10),
    "NOS": ("no_seats", "none", 0),
    "USG": ("no_seats", "none", 0),
}
# priority_rank: by play priority, then seats_at_stake desc, then account_id:
# 1 RR1 | 2 ONB1 | declining: DROP1 (8), then 7s by id DEC1, DEC2, DROP2 | at_risk: DROP3 (18), RR2 (5)
# | overage: OVR1 (2), OVR2 (1) | EXP1 | healthy 10s by id: OLD1, ONB2, RR3, STK
# | strong: OVR3 (20), then 10s: DEC3, EXP2 | none (0 seats) by id: NOS, USG
PRIORITY_ORDER = ["RR1", "ONB1", "DROP1", "DEC1", "DEC2", "DROP2", "DROP3", "RR2", "OVR1", "OVR2",
                  "EXP1", "OLD1", "ONB2", "RR3", "STK", "OVR3", "DEC3", "EXP2", "NOS", "USG"]

# fct_utilization_alerts, default vars: {account: {alert_type: (severity, [reason fragments])}}.
# Accounts not listed have no alert. Numbers are formatted with 1 decimal (0 for counts).
ALERTS: dict[str, dict[str, tuple[str, list[str]]]] = {
    "RR1": {"renewal_risk": ("high", [
        "utilization 50.0% (5 of 10 seats) < 60% with renewal in 90 days (2024-09-28)",
        "trend 0.0 pts/week over 8 weeks",
        "most idle: Engineering dept 16.7% of 6 seats",   # 1 of 6 = 16.67
    ])},
    "DEC1": {"declining_before_renewal": ("medium", [   # strong band -> medium
        "down 2.0 pts/week over 8 weeks",
        "utilization 86.0% (43 of 50 seats) with renewal in 60 days",
    ])},
    "DEC2": {"declining_before_renewal": ("medium", [
        "down 1.0 pts/week over 8 weeks",
        "utilization 93.0% (93 of 100 seats) with renewal in 60 days",
    ])},
    "ONB1": {"onboarding_gap": ("medium", [
        "term ONB1-S1 at day_30: 50.0% (< 60%)",
        "now utilization 70.0% (7 of 10 seats)",
    ])},
    "EXP1": {"expansion_ready": ("low", [
        "utilization 80.0% (8 of 10 seats) >= 80%",
        "stickiness (DAU/MAU) 0.25 >= 0.25",
    ])},
    "OVR1": {"overage_true_up": ("medium", ["22 active users on 20 seats: 2 over"])},  # 2*10 >= 20
    "OVR2": {"overage_true_up": ("low", ["21 active users on 20 seats: 1 over"])},     # 1*10 < 20
    "DROP1": {"sharp_drop": ("medium", [                 # healthy -> medium
        "utilization fell from 80.0% to 60.0% within 30 days (25% of the peak; threshold 25%)",
    ])},
}

# fct_utilization_milestones, default vars:
# {(subscription_id, milestone): (milestone_date, is_reached, utilization_pct, health_band)}
MILESTONES: dict[tuple[str, str], tuple] = {
    # RR1: 01-01 + 30 = 01-31, + 60 = 03-01 (leap February), + 90 = 03-31; 09-28 - 90 = 06-30 = as_of
    ("RR1-S1", "day_30"): ("2024-01-31", True, 50.0, "at_risk"),
    ("RR1-S1", "day_60"): ("2024-03-01", True, 50.0, "at_risk"),
    ("RR1-S1", "day_90"): ("2024-03-31", True, 50.0, "at_risk"),
    ("RR1-S1", "pre_renewal_90"): ("2024-06-30", True, 50.0, "at_risk"),  # reached on as_of itself
    # RR3: 07-30 - 90 = 05-01
    ("RR3-S1", "pre_renewal_90"): ("2024-05-01", True, 70.0, "healthy"),
    # DEC1: 08-29 - 90 = 05-31, in W3 (47 of 50 active) -> 94
    ("DEC1-S1", "day_30"): ("2024-01-31", True, 100.0, "strong"),
    ("DEC1-S1", "pre_renewal_90"): ("2024-05-31", True, 94.0, "strong"),
    # ONB1: 05-15 + 30 = 06-14 (5 of 10); + 60 = 07-14, + 90 = 08-13 after as_of;
    # 2025-05-14 - 90 = 2025-02-13 (Feb 2025 has 28 days)
    ("ONB1-S1", "day_30"): ("2024-06-14", True, 50.0, "at_risk"),
    ("ONB1-S1", "day_60"): ("2024-07-14", False, None, None),
    ("ONB1-S1", "day_90"): ("2024-08-13", False, None, None),
    ("ONB1-S1", "pre_renewal_90"): ("2025-02-13", False, None, None),
    ("ONB2-S1", "day_30"): ("2024-06-14", True, 60.0, "healthy"),
    # OLD1: 01-02 + 30 = 02-01 (5 active), + 60 = 03-02 (7), + 90 = 04-01 (7); open-ended
    ("OLD1-S1", "day_30"): ("2024-02-01", True, 50.0, "at_risk"),
    ("OLD1-S1", "day_60"): ("2024-03-02", True, 70.0, "healthy"),
    ("OLD1-S1", "day_90"): ("2024-04-01", True, 70.0, "healthy"),
    # NOS: 03-31 - 90 = 01-01
    ("NOS-S1", "day_90"): ("2024-03-31", True, 50.0, "at_risk"),
    ("NOS-S1", "pre_renewal_90"): ("2024-01-01", True, 50.0, "at_risk"),
    # STK: 01-31 has 5 seats and 7 active users -> capped at 100; S2 from 03-01 (10 seats, 7 active);
    # canceled S3: 07-15 - 90 = 04-16 -> the account's 70%
    ("STK-S1", "day_30"): ("2024-01-31", True, 100.0, "strong"),
    ("STK-S2", "day_30"): ("2024-03-31", True, 70.0, "healthy"),
    ("STK-S3", "pre_renewal_90"): ("2024-04-16", True, 70.0, "healthy"),
}
#: the seat-based (and tiered) terms: the only ones with milestones (USG-S1 is usage-based)
SEAT_BASED_SUBSCRIPTIONS = {f"{a}-S1" for a in ACCOUNTS if a != "USG"} | {"STK-S2", "STK-S3"}
#: every subscription has day_30/60/90; pre_renewal only with an end_date
OPEN_ENDED_SUBSCRIPTIONS = {"OLD1-S1", "EXP1-S1", "EXP2-S1", "OVR1-S1", "OVR2-S1", "OVR3-S1",
                            "DROP1-S1", "DROP2-S1", "DROP3-S1", "STK-S1", "STK-S2"}

# fct_utilization_by_cohort: {(month_start, cohort_type, cohort_value):
#   (accounts, licensed_seats, utilized_seats, utilization_pct, median_account_utilization_pct,
#    strong_accounts, healthy_accounts, at_risk_accounts)}
COHORTS: dict[tuple[str, str, str], tuple] = {
    # Retail June: RR1 5/10, RR2 5/10, RR3 7/10 -> 17/30 = 56.6667; median(50, 50, 70) = 50
    ("2024-06-01", "industry", "Retail"): (3, 30, 17, 56.6667, 50.0, 0, 1, 2),
    # null industry -> Unknown: OVR1 20 (22 active capped), OVR2 20, OVR3 20 -> 60/60 = 100
    ("2024-06-01", "industry", "Unknown"): (3, 60, 60, 100.0, 100.0, 3, 0, 0),
    # Finance June: DROP1 12, DROP2 13, DROP3 2 of 20 each (NOS has no June seats)
    # -> 27/60 = 45.0; median(60, 65, 10) = 60; bands healthy, healthy, at_risk
    ("2024-06-01", "industry", "Finance"): (3, 60, 27, 45.0, 60.0, 0, 2, 1),
    # Finance March (snapshot 03-31): NOS 5/10, DROP1 16/20, DROP2 16/20, DROP3 3/20
    # -> 40/70 = 57.1429; median(15, 50, 80, 80) = (50 + 80)/2 = 65 (even count)
    ("2024-03-01", "industry", "Finance"): (4, 70, 40, 57.1429, 65.0, 2, 0, 2),
    # Software June: DEC1 43/50, DEC2 93/100, DEC3 9/10 -> 145/160 = 90.625; median(86, 93, 90) = 90
    ("2024-06-01", "industry", "Software"): (3, 160, 145, 90.625, 90.0, 3, 0, 0),
    # Software May (snapshot 05-31, in W3): 47/50, 97/100, 9/10 -> 153/160 = 95.625; median 94
    ("2024-05-01", "industry", "Software"): (3, 160, 153, 95.625, 94.0, 3, 0, 0),
    # purchase cohort 2024-05 (ONB1, ONB2): May snapshot 05-31: 5/10 and 6/10 -> 11/20 = 55;
    # median(50, 60) = 55; 60 is healthy
    ("2024-05-01", "purchase_cohort", "2024-05"): (2, 20, 11, 55.0, 55.0, 0, 1, 1),
    ("2024-06-01", "purchase_cohort", "2024-05"): (2, 20, 14, 70.0, 70.0, 0, 2, 0),
    # purchase cohort 2024-01 in June = every account but ONB1, ONB2 (2024-05), NOS (no seats)
    # and USG (never seats): utilized 17 (RR) + 145 (DEC) + 7 (OLD1) + 17 (EXP) + 60 (OVR)
    # + 27 (DROP) + 7 (STK) = 280, licensed 30 + 160 + 10 + 20 + 60 + 60 + 10 = 350 -> 80.0;
    # sorted pcts 10,50,50,60,65,70,70,70,80,86,90,90,93,100,100,100 -> median (8th + 9th) / 2
    # = (70 + 80) / 2 = 75; strong: DEC x3, EXP x2, OVR x3 = 8;
    # healthy: RR3, OLD1, DROP1, DROP2, STK = 5; at_risk: RR1, RR2, DROP3 = 3
    ("2024-06-01", "purchase_cohort", "2024-01"): (16, 350, 280, 80.0, 75.0, 8, 5, 3),
    # STK alone: February snapshot 02-29: 5 seats (S1), 7 active -> utilized 5, 100% (capped);
    # March: 10 seats, 7 -> 70%
    ("2024-02-01", "industry", "Education"): (1, 5, 5, 100.0, 100.0, 1, 0, 0),
    ("2024-03-01", "industry", "Education"): (1, 10, 7, 70.0, 70.0, 0, 1, 0),
    # size band 1001+ (EXP1, EXP2): 17/20 = 85; median(80, 90) = 85
    ("2024-06-01", "size_band", "1001+"): (2, 20, 17, 85.0, 85.0, 2, 0, 0),
    ("2024-06-01", "size_band", "Unknown"): (3, 60, 60, 100.0, 100.0, 3, 0, 0),
    # plan tier starter in March: RR1 5, RR2 5, RR3 7, NOS 5 of 10 each -> 22/40 = 55;
    # median(50, 50, 50, 70) = 50
    ("2024-03-01", "plan_tier", "starter"): (4, 40, 22, 55.0, 50.0, 0, 1, 3),
    # enterprise: EXP1 8/10, EXP2 9/10 and, from March (tie of S1/S2 -> later S2), STK 7/10
    # -> 24/30 = 80; median(80, 90, 70) = 80. In February STK is growth (S1 5 seats vs the
    # 0-seat S3 'starter'): enterprise = EXP1 + EXP2 = 17/20 = 85
    ("2024-06-01", "plan_tier", "enterprise"): (3, 30, 24, 80.0, 80.0, 2, 1, 0),
    ("2024-03-01", "plan_tier", "enterprise"): (3, 30, 24, 80.0, 80.0, 2, 1, 0),
    ("2024-02-01", "plan_tier", "enterprise"): (2, 20, 17, 85.0, 85.0, 2, 0, 0),
}

# fct_utilization_by_definition: {(account_id, month_start, definition_name):
#   (licensed_seats, active_users, utilized_seats, utilization_pct)}
DEFINITIONS: dict[tuple[str, str, str], tuple] = {
    # EXP1, June (snapshot 06-30):
    ("EXP1", "2024-06-01", "default"): (10, 8, 8, 80.0),
    # logins in 06-24..06-30: U01 (06-27), U05 (06-30)
    ("EXP1", "2024-06-01", "logins_7d"): (10, 2, 2, 20.0),
    # logins in 04-02..06-30: U01..U08
    ("EXP1", "2024-06-01", "logins_90d"): (10, 8, 8, 80.0),
    # >= 3 feature_use events in 06-01..06-30 (logins not required): U03 (3), U04 (7)
    ("EXP1", "2024-06-01", "feature_users_30d"): (10, 2, 2, 20.0),
    # >= 1 login AND >= 1 feature event in 06-01..06-30: U03, U04, U06
    ("EXP1", "2024-06-01", "login_and_feature_30d"): (10, 3, 3, 30.0),
    # EXP1, May (snapshot 05-31): last logins 04-30 and 05-02, no feature events
    ("EXP1", "2024-05-01", "default"): (10, 8, 8, 80.0),
    ("EXP1", "2024-05-01", "logins_7d"): (10, 0, 0, 0.0),        # nothing in 05-25..05-31
    ("EXP1", "2024-05-01", "logins_90d"): (10, 8, 8, 80.0),
    ("EXP1", "2024-05-01", "feature_users_30d"): (10, 0, 0, 0.0),
    ("EXP1", "2024-05-01", "login_and_feature_30d"): (10, 0, 0, 0.0),
    # OVR1 June: 22 active on 20 seats, capped; every user logged in on 06-29 -> also in 7 days
    ("OVR1", "2024-06-01", "default"): (20, 22, 20, 100.0),
    ("OVR1", "2024-06-01", "logins_7d"): (20, 22, 20, 100.0),
    # ONB1 May (snapshot 05-31): 5 users whose only login so far is 05-15
    ("ONB1", "2024-05-01", "logins_7d"): (10, 0, 0, 0.0),
    ("ONB1", "2024-05-01", "logins_90d"): (10, 5, 5, 50.0),
    # STK June: U01..U07 logged in on 06-29; U08 free, U10 deactivated: never count
    ("STK", "2024-06-01", "default"): (10, 7, 7, 70.0),
    ("STK", "2024-06-01", "logins_7d"): (10, 7, 7, 70.0),
    # U09: 24 feature events 06-01..06-24, eligible from 06-25 -> active on 06-30 under >= 3 features
    ("STK", "2024-06-01", "feature_users_30d"): (10, 1, 1, 10.0),
    # login AND feature: U09 has no login, the others no feature event
    ("STK", "2024-06-01", "login_and_feature_30d"): (10, 0, 0, 0.0),
}
DEFINITION_NAMES = {"default", "logins_7d", "logins_90d", "feature_users_30d", "login_and_feature_30d"}


# --------------------------------------------------------------------------- changed thresholds
#
# The second build moves five threshold vars, each across exactly one twin:
CHANGED_VARS: dict[str, Any] = {
    "at_risk_utilization_pct": 65,     # ONB2's day_30 (60%) becomes < 65; DROP1 (60%) becomes at_risk;
                                       # DROP2 (65%) stays healthy (65 is not < 65)
    "pre_renewal_days": 91,            # RR2 (renewal in 91 days) enters the window; the onboarding
                                       # lookback becomes 181 days: OLD1 (start 01-02 > 01-01) enters
    "expansion_min_stickiness": 0.2,   # EXP2 (0.2333) becomes expansion ready
    "sharp_drop_share": 0.15,          # DROP2 (18.75% of its peak, 15 pts) becomes a sharp drop;
                                       # DROP3 (33%, but 5 pts < 10) still not
    "decline_pts_per_week": 1.5,       # DEC2 (-1.0) no longer declining; DEC1 (-2.0) still
}

#: {account: {column: (value with default vars, value with CHANGED_VARS)}}: every change of a
#: flag, the health band or the play. Every other (account, column) keeps its value.
CHANGES: dict[str, dict[str, tuple]] = {
    "RR2": {"is_renewal_risk": (False, True), "recommended_play": ("enablement campaign", "renewal save")},
    "OLD1": {"is_onboarding_gap": (False, True), "recommended_play": ("champion program", "onboarding walkthrough")},
    "ONB2": {"is_onboarding_gap": (False, True), "recommended_play": ("champion program", "onboarding walkthrough")},
    "EXP2": {"is_expansion_ready": (False, True), "recommended_play": ("monitor", "expansion offer")},
    "DROP2": {"is_sharp_drop": (False, True)},
    "DROP1": {"health_band": ("healthy", "at_risk")},
    "DEC2": {"is_declining": (True, False), "recommended_play": ("enablement campaign", "monitor")},
}

# Alerts with CHANGED_VARS: (account, alert_type) -> (severity, [reason fragments])
CHANGED_ALERTS: dict[tuple[str, str], tuple[str, list[str]]] = {
    ("RR1", "renewal_risk"): ("high", ["< 65% with renewal in 90 days (2024-09-28)"]),
    ("RR2", "renewal_risk"): ("high", ["utilization 50.0% (5 of 10 seats) < 65% with renewal in 91 days (2024-09-29)"]),
    ("DEC1", "declining_before_renewal"): ("medium", ["down 2.0 pts/week"]),
    ("ONB1", "onboarding_gap"): ("medium", ["term ONB1-S1 at day_30: 50.0% (< 65%)"]),
    ("ONB2", "onboarding_gap"): ("medium", ["term ONB2-S1 at day_30: 60.0% (< 65%)"]),
    ("OLD1", "onboarding_gap"): ("medium", ["term OLD1-S1 at day_30: 50.0% (< 65%)"]),
    ("EXP1", "expansion_ready"): ("low", ["stickiness (DAU/MAU) 0.25 >= 0.2"]),
    ("EXP2", "expansion_ready"): ("low", ["utilization 90.0% (9 of 10 seats)", "stickiness (DAU/MAU) 0.23 >= 0.2"]),
    ("OVR1", "overage_true_up"): ("medium", ["2 over"]),
    ("OVR2", "overage_true_up"): ("low", ["1 over"]),
    # DROP1 is now at_risk -> high
    ("DROP1", "sharp_drop"): ("high", ["fell from 80.0% to 60.0%", "threshold 15%"]),
    # DROP2: 15 / 80 = 18.75% -> "19%"
    ("DROP2", "sharp_drop"): ("medium", ["fell from 80.0% to 65.0% within 30 days (19% of the peak; threshold 15%)"]),
}

# priority order with CHANGED_VARS:
# renewal save: RR1, RR2 (5 each, by id) | onboarding: OLD1, ONB1, ONB2 (3 idle seats each, by id)
# | declining: DROP1 (8), DEC1 (7), DROP2 (7) | at_risk: DROP3 (18) | overage: OVR1, OVR2
# | expansion: EXP1, EXP2 (10 each) | healthy: RR3, STK | strong: DEC2 (100), OVR3 (20), DEC3 (10)
# | none: NOS, USG
CHANGED_PRIORITY_ORDER = ["RR1", "RR2", "OLD1", "ONB1", "ONB2", "DROP1", "DEC1", "DROP2", "DROP3",
                          "OVR1", "OVR2", "EXP1", "EXP2", "RR3", "STK", "DEC2", "OVR3", "DEC3", "NOS", "USG"]

# milestones with pre_renewal_days 91: RR1 09-28 - 91 = 06-29 (reached, 50% -> at_risk);
# ONB2's day_30 (60%) is at_risk under a 65 threshold
CHANGED_MILESTONES: dict[tuple[str, str], tuple] = {
    ("RR1-S1", "pre_renewal_91"): ("2024-06-29", True, 50.0, "at_risk"),
    ("ONB2-S1", "day_30"): ("2024-06-14", True, 60.0, "at_risk"),
}


# --------------------------------------------------------------------------- retuned windows
#
# A third build moves every other var behind a flag or a figure of dim_account_health:
RETUNED_VARS: dict[str, Any] = {
    "strong_utilization_pct": 85,      # EXP1 (80%) drops to healthy: no longer expansion ready
    "trend_weeks": 4,                  # slopes over W4..W7 (06-03, 06-10, 06-17, 06-24) only
    "trend_min_weeks": 4,
    "forecast_max_weeks": 4,           # ONB2's full-seat forecast (7.5 weeks) is dropped
    "sharp_drop_window_days": 15,      # peak over 06-16..06-30: DROP1's last 80% day (06-16) is in
    "sharp_drop_min_pts": 5,           # DROP3 (15% -> 10%: 5 pts, 33%) becomes a sharp drop
    "stickiness_window_days": 10,      # DAU/MAU over 06-21..06-30
    "milestone_days": [15, 45],        # day_15 / day_45 replace day_30 / 60 / 90
    "onboarding_lookback_days": 181,   # explicit: terms started after 2024-01-01 (OLD1 enters)
}

# Trend over W4..W7, x = 0..3 (mean 1.5, sum (x - 1.5)^2 = 5):
# DEC1 92, 90, 88, 86 -> -2; DEC2 96, 95, 94, 93 -> -1 (declining: <= -1);
# DROP1 80, 80, 60, 60: (-1.5 - 0.5) * 80 + (0.5 + 1.5) * 60 = -40 -> -8;
# DROP2 80, 80, 65, 65: -30 / 5 = -6; DROP3 15, 15, 10, 10: -10 / 5 = -2 (now declining);
# ONB1 50, 50, 70, 70: +40 / 5 = +8, latest 70 -> strong (85) in 15 / 8 = 1.875 weeks
#   = 13.1 days -> 14 -> 2024-07-14; full in 30 / 8 = 3.75 weeks (<= 4) = 26.25 -> 27 -> 2024-07-27;
# ONB2 60, 60, 70, 70: +20 / 5 = +4 -> strong in 15 / 4 = 3.75 weeks -> 27 days -> 2024-07-27;
#   full in 7.5 weeks > 4 -> none. Flat accounts 0; NOS 0 weeks; USG no trend row.
RETUNED_TREND: dict[str, tuple] = {
    **{a: (4, 0.0, False, None, None) for a in
       ("RR1", "RR2", "RR3", "DEC3", "OLD1", "EXP1", "EXP2", "OVR1", "OVR2", "OVR3", "STK")},
    "DEC1": (4, -2.0, True, None, None),
    "DEC2": (4, -1.0, True, None, None),
    "DROP1": (4, -8.0, True, None, None),
    "DROP2": (4, -6.0, True, None, None),
    "DROP3": (4, -2.0, True, None, None),
    "ONB1": (4, 8.0, False, "2024-07-14", "2024-07-27"),
    "ONB2": (4, 4.0, False, "2024-07-27", None),
    "NOS": (0, None, False, None, None),
    "USG": (None, None, False, None, None),
}

# DAU/MAU over 06-21..06-30 (10 days): "through" users from 01-01 (06-29), 01-02 (06-30) and
# 03-01 (06-29) have one day -> 1/10; ONB1/ONB2 users (logins 06-14, 06-17) and EXP2 users
# (last 06-13) have none -> 0; EXP1: U01 (06-27 login), U03 (06-25 feature), U05 (06-30 login)
# -> 3 / (10 * 3) = 0.1, breadth 1 feature (U03) / 3 users.
RETUNED_STICKINESS: dict[str, tuple[float, float]] = {
    **{a: (0.1, 0.0) for a in ("RR1", "RR2", "RR3", "DEC1", "DEC2", "DEC3", "OLD1",
                                "OVR1", "OVR2", "OVR3", "DROP1", "DROP2", "DROP3")},
    "ONB1": (0.0, 0.0), "ONB2": (0.0, 0.0), "EXP2": (0.0, 0.0),
    "EXP1": (0.1, 1 / 3),
    "NOS": (0.0, 0.0), "USG": (0.0, 0.0),
}

# Peak over 06-16..06-30: 06-16 is in W5: DEC1 90 (was 94), DEC2 95 (was 97); DROP1/2 80 on 06-16;
# DROP3 15; ONB1 70 (06-17 on).
RETUNED_PEAK: dict[str, float] = {"DEC1": 90.0, "DEC2": 95.0, "DROP1": 80.0, "DROP2": 80.0,
                                  "DROP3": 15.0, "ONB1": 70.0, "EXP1": 80.0}

RETUNED_BANDS: dict[str, str | None] = {
    **{a: SNAPSHOT[a][5] for a in ACCOUNTS},
    "EXP1": "healthy",  # 80 < 85
}

RETUNED_FLAGS_TRUE: dict[str, set[str]] = {
    "is_renewal_risk": {"RR1"},
    "is_declining": {"DEC1", "DEC2", "DROP1", "DROP2", "DROP3"},
    # ONB1 day_15 (05-30) 50% < 60; OLD1 (01-02 > 01-01) day_15 (01-17) and day_45 (02-16) 50%;
    # ONB2 day_15 60 / day_45 (06-29) 70; STK-S2 (03-01) day_15 03-16 / day_45 04-15 70
    "is_onboarding_gap": {"ONB1", "OLD1"},
    "is_expansion_ready": set(),                     # EXP1 is not strong; nobody sticky enough
    "has_overage": {"OVR1", "OVR2"},
    "is_sharp_drop": {"DROP1", "DROP3"},             # DROP3: 5 pts >= 5 and 33% >= 25%
    "is_filling_seats": {"ONB1", "ONB2"},
}

# Plays: OLD1 onboarding; DROP3 declining (3) before at_risk (4); EXP1 healthy (champion).
# Order: RR1 | onboarding (3 idle each): OLD1, ONB1 | declining: DROP3 (18), DROP1 (8), then 7s:
# DEC1, DEC2, DROP2 | at_risk: RR2 | overage: OVR1, OVR2 | healthy 10s: EXP1, ONB2, RR3, STK
# | strong: OVR3 (20), DEC3, EXP2 | NOS, USG
RETUNED_PRIORITY_ORDER = ["RR1", "OLD1", "ONB1", "DROP3", "DROP1", "DEC1", "DEC2", "DROP2", "RR2",
                          "OVR1", "OVR2", "EXP1", "ONB2", "RR3", "STK", "OVR3", "DEC3", "EXP2", "NOS", "USG"]
RETUNED_PLAYS: dict[str, str] = {
    "RR1": "renewal save", "OLD1": "onboarding walkthrough", "ONB1": "onboarding walkthrough",
    **{a: "enablement campaign" for a in ("DROP3", "DROP1", "DEC1", "DEC2", "DROP2", "RR2")},
    "OVR1": "true-up conversation", "OVR2": "true-up conversation",
    **{a: "champion program" for a in ("EXP1", "ONB2", "RR3", "STK")},
    **{a: "monitor" for a in ("OVR3", "DEC3", "EXP2")},
    "NOS": "none", "USG": "none",
}

RETUNED_ALERTS: dict[tuple[str, str], tuple[str, list[str]]] = {
    ("RR1", "renewal_risk"): ("high", ["renewal in 90 days", "trend 0.0 pts/week over 4 weeks"]),
    ("DEC1", "declining_before_renewal"): ("medium", ["down 2.0 pts/week over 4 weeks"]),
    ("DEC2", "declining_before_renewal"): ("medium", ["down 1.0 pts/week over 4 weeks"]),
    ("ONB1", "onboarding_gap"): ("medium", ["term ONB1-S1 at day_15: 50.0% (< 60%)"]),
    ("OLD1", "onboarding_gap"): ("medium", ["term OLD1-S1 at day_45: 50.0% (< 60%)"]),  # the latest gap
    ("OVR1", "overage_true_up"): ("medium", ["2 over"]),
    ("OVR2", "overage_true_up"): ("low", ["1 over"]),
    ("DROP1", "sharp_drop"): ("medium", ["fell from 80.0% to 60.0% within 15 days (25% of the peak; threshold 25%)"]),
    # 5 / 15 = 33%; at_risk -> high
    ("DROP3", "sharp_drop"): ("high", ["fell from 15.0% to 10.0% within 15 days (33% of the peak"]),
}

RETUNED_MILESTONES: dict[tuple[str, str], tuple] = {
    ("ONB1-S1", "day_15"): ("2024-05-30", True, 50.0, "at_risk"),
    ("ONB1-S1", "day_45"): ("2024-06-29", True, 70.0, "healthy"),
    ("OLD1-S1", "day_15"): ("2024-01-17", True, 50.0, "at_risk"),
    ("OLD1-S1", "day_45"): ("2024-02-16", True, 50.0, "at_risk"),
    ("EXP1-S1", "day_45"): ("2024-02-15", True, 80.0, "healthy"),   # 80 < 85
    ("RR1-S1", "pre_renewal_90"): ("2024-06-30", True, 50.0, "at_risk"),
}
