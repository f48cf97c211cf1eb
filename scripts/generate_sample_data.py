#!/usr/bin/env python3
"""Generate the bundled sample data (dbt seeds) of the license_utilization project.

The data describe "Acme Workspace", a fictional SaaS product, and about forty fictional
customer accounts between 2025-01-01 and 2026-10-31 (the latest event date, so the marts are
"as of" 2026-10-31). Five CSV files are written, with exactly the columns of the raw tables
in CONTRACT.md section 2:

    accounts.csv, subscriptions.csv, subscription_seat_changes.csv, users.csv, events.csv

How it works
------------
Every account is described by a `Story` in `STORIES` below: its contract terms (with mid-term
seat changes), the batches in which its users were provisioned, and a *curve*: the share of
its seats that is in use, as a piecewise-linear function of the date. On each day the
generator ranks the account's eligible licensed users (a fixed random rank per user, nudged by
role and by "lagging" departments) and marks the first round(curve x seats) of them as
engaged. An engaged user logs in now and then according to an intensity class (light,
regular, heavy, daily) with a weekday rhythm, and never goes more than MAX_LOGIN_GAP_DAYS
without a login, so an engaged user is "active" under the default rule (>= 1 login in the
trailing 30 days). Feature events accompany logins. Users the curve does not reach stay
dormant (at most one welcome login after provisioning).

Deliberate imperfections, so that staging has work to do: a few exact duplicate event rows
(~0.2%), a few events of user ids that do not exist (~0.1%), mixed-case and space-padded
enumerations (' Admin', 'SEAT_BASED', 'GROWTH ', eight logins spelled 'Login' / 'LOGIN'), null
roles, departments, industries, regions, employee counts and emails, and a few null
`holds_license` values (which mean true). Some users are active on days without seats: before
their account's first term starts (onboarding), in a gap between terms, on usage-based plans.

Determinism: only `random.Random` seeded from `--seed` and the account id, only integer and
IEEE-exact float arithmetic (no libm functions), and fixed output order; CSVs use "\\n" line
ends and UTF-8. Running it twice, on any platform, writes byte-identical files.

Usage:  python scripts/generate_sample_data.py [--seed 42] [--out seeds/sample/]
The stories and their designed numbers are described in seeds/sample/README.md.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

DATA_START = date(2025, 1, 1)
AS_OF = date(2026, 10, 31)  # the latest event date
MAX_LOGIN_GAP_DAYS = 21  # an engaged user never goes longer than this without a login
WELCOME_LOGIN_PROBABILITY = 0.25  # a user the curve does not reach may still try it once
DUPLICATE_SHARE = 0.002  # exact duplicate event rows
ORPHAN_SHARE = 0.001  # events whose user_id is not in users
GHOST_USER_IDS = ["usr_9001", "usr_9002", "usr_9003", "usr_9004", "usr_9005", "usr_9006"]

# event_name -> feature_name (logins have no feature)
FEATURES = {
    "report_viewed": "reports",
    "dashboard_created": "dashboards",
    "comment_added": "comments",
    "task_completed": "tasks",
    "export_csv": "data_export",
    "workflow_run": "automations",
}
FEATURE_ORDER = list(FEATURES)  # an account using n features uses the first n of a shuffle

# intensity class -> (logins per week, choices for the number of feature events on a login day)
INTENSITY = {
    "light": (0.25, (0, 0, 0, 0, 0, 1)),
    "regular": (0.55, (0, 0, 0, 1)),
    "heavy": (1.4, (0, 0, 1, 1)),
    "daily": (4.5, (0, 1, 1, 2)),
}
WEEKEND_FACTOR = 0.12  # weekend activity relative to a weekday

ROLES = (("admin", 6), ("contributor", 52), ("viewer", 36), (None, 6))
# engaged first: admins, then contributors, then viewers (shifts the per-user random rank)
ROLE_RANK_SHIFT = {"admin": -0.3, "contributor": 0.0, "viewer": 0.25, None: 0.1}
DEPARTMENTS = (
    ("Sales", 20),
    ("Engineering", 22),
    ("Marketing", 12),
    ("Support", 16),
    ("Finance", 8),
    ("Operations", 14),
    (None, 5),
)
# UTC hours of the working day, by region
REGION_HOURS = {"NA": (13, 23), "EMEA": (7, 18), "APAC": (0, 10), "LATAM": (11, 21), None: (13, 23)}

FIRST_NAMES = (
    "Ada Alex Amara Ben Bianca Carlos Chen Chloe Dana Dev Elena Emil Farah Felix Gita Grace "
    "Hana Hugo Ines Ivan Jade Jonas Kai Kemal Lena Leo Maya Mateo Nadia Noah Olga Omar Priya "
    "Paul Quinn Rafael Rosa Sam Sofia Tariq Tess Uma Victor Vera Wei Will Xenia Yara Yusuf "
    "Zoe Zane Mina Arjun Lucia Oskar Freya Malik Ines Nico Ruth"
).split()
LAST_NAMES = (
    "Abbott Adeyemi Alvarez Bauer Becker Brennan Castillo Chowdhury Dalton Diaz Eriksen "
    "Fischer Fontaine Garcia Gupta Haddad Hansen Ibrahim Ito Jensen Kaur Keller Kim Kowalski "
    "Larsen Lopez Mbeki Moreau Murphy Nakamura Novak Okafor Olsen Park Patel Quinn Rossi "
    "Sato Schmidt Silva Singh Sorensen Tanaka Torres Tran Urban Varga Vogel Walsh Weber "
    "Xu Yilmaz Young Zhang Zimmermann Moretti Lindqvist Achebe Horvat Duarte"
).split()


@dataclass(frozen=True)
class Term:
    """One contract term (a row of subscriptions). Text fields are written as given."""

    plan: str
    tier: str
    model: str  # seat_based / tiered / usage_based, possibly messy on purpose
    seats: int
    start: str
    end: str | None = None
    canceled: str | None = None
    changes: tuple[tuple[str, int], ...] = ()  # mid-term seat changes (effective_date, seats)


@dataclass(frozen=True)
class Story:
    """One customer account and what its data should show."""

    account_id: str
    name: str
    industry: str | None
    employees: int | None
    region: str | None
    story: str
    terms: tuple[Term, ...]
    users: tuple[tuple[int, str, str], ...]  # batches: (count, first and last created date)
    curve: tuple[tuple[str, float], ...]  # share of seats in use, piecewise linear in time
    guests: int = 1  # users with holds_license = false (free / guest)
    mix: tuple[float, float, float, float] = (0.50, 0.38, 0.12, 0.0)  # light/regular/heavy/daily
    churn: float = 0.10  # chance that a user is deactivated at some point in ~2.5 years
    features: int = 3  # how many of the six features the account uses
    lagging_departments: tuple[str, ...] = ()  # these disengage first when the curve falls
    department_weights: tuple[tuple[str | None, int], ...] = DEPARTMENTS
    wobble: float = 0.015  # amplitude of a slow deterministic wiggle around the curve
    october_leavers: int = 0  # engaged users deactivated between 2026-10-05 and 2026-10-28
    offboarding: tuple[str, str, float] | None = None  # (from, to, share of users deactivated)
    welcome_login: float = WELCOME_LOGIN_PROBABILITY


def seat(plan, tier, seats, start, end=None, **kw):
    return Term(plan, tier, "seat_based", seats, start, end, **kw)


# fmt: off
STORIES: tuple[Story, ...] = (
    Story("acc_001", "Bluefin Freight Co.", "Logistics", 850, "NA",
          "Oldest customer, steady healthy; renewed with more seats, then a mid-term increase",
          terms=(seat("Workspace Growth", "growth", 30, "2025-01-01", "2025-12-31"),
                 seat("Workspace Growth", "growth", 35, "2026-01-01", "2027-12-31",
                      changes=(("2026-06-01", 40),))),
          users=((32, "2024-12-10", "2024-12-20"), (12, "2025-03-01", "2026-09-30")),
          curve=(("2025-01-01", 0.45), ("2025-03-01", 0.70), ("2026-10-31", 0.72)),
          october_leavers=2),
    Story("acc_002", "Harborlight Analytics", "Software", 140, "EMEA",
          "Expansion ready: strong utilization, daily use of all six features",
          terms=(seat("Workspace Enterprise", "enterprise", 25, "2026-04-01", "2027-03-31"),),
          users=((26, "2026-03-23", "2026-04-05"), (2, "2026-06-01", "2026-09-01")),
          curve=(("2026-04-01", 0.60), ("2026-05-01", 0.92), ("2026-10-31", 0.96)),
          guests=3, mix=(0.0, 0.05, 0.25, 0.70), churn=0.02, features=6),
    Story("acc_003", "Copperline Manufacturing", "Manufacturing", 1001, "NA",
          "True-up: more active users than seats (tiered plan)",
          terms=(Term("Workspace Growth", "growth", "tiered", 32, "2025-06-01", "2027-05-31"),),
          users=((34, "2025-05-20", "2025-06-10"), (10, "2025-09-01", "2026-09-15")),
          curve=(("2025-06-01", 0.60), ("2025-09-01", 0.90), ("2026-04-01", 1.00),
                 ("2026-10-31", 1.15)),
          churn=0.04, features=4),
    Story("acc_004", "Driftwood Health", "Healthcare", 2400, "NA",
          "Renewal risk: renews 2026-11-30 at ~40% utilization",
          terms=(seat("Workspace Growth", "growth", 60, "2025-12-01", "2026-11-30"),),
          users=((54, "2025-11-24", "2025-12-10"),),
          curve=(("2025-12-01", 0.20), ("2026-02-01", 0.42), ("2026-10-31", 0.40))),
    Story("acc_005", "Evergreen Credit Union", "Financial Services", 620, "NA",
          "Renews 2027-01-14 at strong utilization; the next term is already booked",
          terms=(seat("Workspace Enterprise", "Enterprise", 40, "2025-01-15", "2027-01-14"),
                 seat("Workspace Enterprise", "enterprise", 45, "2027-01-15", "2029-01-14")),
          users=((40, "2025-01-06", "2025-01-24"), (5, "2025-06-01", "2026-08-01")),
          curve=(("2025-01-15", 0.50), ("2025-03-15", 0.88), ("2026-10-31", 0.92))),
    Story("acc_006", "Foxglove Robotics", "Manufacturing", 380, "EMEA",
          "Intentional over-buy: 200 seats bought ahead of hiring, filling from 25% to ~70%",
          terms=(seat("Workspace Enterprise", "enterprise", 200, "2026-01-01", "2027-12-31"),),
          users=((55, "2025-12-22", "2026-01-06"), (96, "2026-01-15", "2026-10-20")),
          curve=(("2026-01-01", 0.25), ("2026-10-31", 0.70)),
          mix=(0.45, 0.45, 0.10, 0.0), churn=0.05, wobble=0.0),
    Story("acc_007", "Granite Peak Insurance", "Financial Services", 1500, "NA",
          "Steady decline over the last ~8 weeks, led by Support and Operations, renewing 2027-01-15",
          terms=(seat("Workspace Growth", "growth", 50, "2025-04-01", "2027-01-15"),),
          users=((48, "2025-03-20", "2025-04-10"), (6, "2025-07-01", "2026-06-01")),
          curve=(("2025-04-01", 0.55), ("2025-06-01", 0.88), ("2026-07-25", 0.90),
                 ("2026-10-31", 0.42)),
          lagging_departments=("Support", "Operations"),
          department_weights=(("Sales", 15), ("Engineering", 18), ("Marketing", 10),
                              ("Support", 25), ("Finance", 7), ("Operations", 22), (None, 3)),
          wobble=0.0),
    Story("acc_008", "Ironbark Retail Group", "Retail", 3100, "NA",
          "Sharp drop within October 2026: the sales team stopped using the product in "
          "mid-September (tiered plan)",
          terms=(Term("Workspace Growth", "growth", "tiered", 50, "2025-08-01", "2027-07-31"),),
          users=((50, "2025-07-25", "2025-08-08"),),
          curve=(("2025-08-01", 0.60), ("2025-10-01", 0.88), ("2026-09-14", 0.88),
                 ("2026-09-24", 0.42), ("2026-10-31", 0.42)),
          mix=(0.0, 0.4, 0.6, 0.0), churn=0.03, lagging_departments=("Sales",),
          department_weights=(("Sales", 58), ("Engineering", 8), ("Marketing", 8),
                              ("Support", 12), ("Finance", 6), ("Operations", 8)),
          wobble=0.0),
    Story("acc_009", "Juniper Learning", "Education", 1000, "NA",
          "Onboarding gap: term started 2026-07-15, utilization stays low at day 30/60/90",
          terms=(seat("Workspace Growth", "growth", 60, "2026-07-15", "2027-07-14"),),
          users=((36, "2026-07-08", "2026-07-20"), (14, "2026-08-20", "2026-09-30")),
          curve=(("2026-07-15", 0.05), ("2026-08-14", 0.15), ("2026-09-13", 0.27),
                 ("2026-10-13", 0.36), ("2026-10-31", 0.40)),
          churn=0.0, wobble=0.0, welcome_login=0.1),
    Story("acc_010", "Kestrel Media", "Media", 60, "EMEA",
          "Good onboarding (for contrast): term started 2026-08-01, strong by day 30",
          terms=(Term("Workspace Starter", "starter", "Seat_Based", 30, "2026-08-01",
                      "2027-07-31"),),
          users=((30, "2026-07-28", "2026-08-06"),),
          curve=(("2026-08-01", 0.35), ("2026-08-25", 0.80), ("2026-09-30", 0.90),
                 ("2026-10-31", 0.90)),
          churn=0.0, wobble=0.0),
    Story("acc_011", "Lanternfish Studios", "Media", 210, "APAC",
          "Right-sized mid-term: 50 -> 35 seats on 2026-05-01, healthy -> strong",
          terms=(seat("Workspace Growth", "growth", 50, "2025-05-01", "2027-04-30",
                      changes=(("2026-05-01", 35),)),),
          users=((44, "2025-04-22", "2025-05-10"),),
          curve=(("2025-05-01", 0.50), ("2025-07-01", 0.60), ("2026-04-30", 0.60),
                 ("2026-05-01", 0.83), ("2026-10-31", 0.83)),
          churn=0.05),
    Story("acc_012", "Marigold Foods", "Retail", 450, "EMEA",
          "Two seat-based products in force at once (Workspace + Analytics add-on)",
          terms=(seat("Workspace Growth", "growth", 25, "2025-03-01", "2027-02-28"),
                 seat("Workspace Analytics Add-on", "growth", 10, "2025-09-01", "2026-08-31"),
                 seat("Workspace Analytics Add-on", "growth", 10, "2026-09-01", "2027-08-31")),
          users=((28, "2025-02-20", "2025-03-10"), (8, "2025-08-25", "2025-09-10")),
          curve=(("2025-03-01", 0.50), ("2025-05-01", 0.68), ("2026-10-31", 0.68)),
          churn=0.05),
    Story("acc_013", "Nimbus Outdoor", "Retail", 95, "NA",
          "Add-on seats changed to 0 on 2026-06-01; main seats raised 35 -> 40",
          terms=(seat("Workspace Growth", "growth", 30, "2025-06-15", "2027-06-14",
                      changes=(("2026-02-01", 35),)),
                 seat("Field Ops Add-on", "growth", 10, "2025-06-15", "2027-06-14",
                      changes=(("2026-06-01", 0),))),
          users=((42, "2025-06-05", "2025-06-25"),),
          curve=(("2025-06-15", 0.50), ("2025-08-15", 0.72), ("2026-10-31", 0.75)),
          churn=0.05),
    Story("acc_014", "Obsidian Legal", "Professional Services", 160, "EMEA",
          "Churned: term canceled on 2026-04-15 after a slide; most users offboarded",
          terms=(seat("Workspace Growth", "growth", 35, "2025-03-01", "2027-02-28",
                      canceled="2026-04-15"),),
          users=((34, "2025-02-20", "2025-03-10"),),
          curve=(("2025-03-01", 0.60), ("2025-06-01", 0.70), ("2025-12-01", 0.65),
                 ("2026-03-15", 0.30), ("2026-04-14", 0.20), ("2026-04-15", 0.0)),
          offboarding=("2026-04-20", "2026-04-30", 0.7), wobble=0.0),
    Story("acc_015", "Pinecrest Dental", "Healthcare", 50, "NA",
          "Gap between terms: lapsed in February 2026, renewed 2026-03-01 with fewer seats",
          terms=(seat("Workspace Starter", "starter", 25, "2025-02-01", "2026-01-31"),
                 seat("Workspace Starter", "starter", 20, "2026-03-01", "2027-02-28")),
          users=((24, "2025-01-25", "2025-02-07"),),
          curve=(("2025-02-01", 0.60), ("2025-04-01", 0.80), ("2026-01-31", 0.80),
                 ("2026-02-01", 0.28), ("2026-02-28", 0.28), ("2026-03-01", 0.85),
                 ("2026-10-31", 0.85)),
          churn=0.05, wobble=0.0),
    Story("acc_016", "Quarry Lane Construction", "Construction", 75, "LATAM",
          "Open-ended monthly term (no end_date)",
          terms=(seat("Workspace Starter", "starter", 15, "2025-07-01", None),),
          users=((15, "2025-06-25", "2025-07-05"), (2, "2026-01-01", "2026-06-01")),
          curve=(("2025-07-01", 0.50), ("2025-09-01", 0.67), ("2026-10-31", 0.67)),
          churn=0.05, wobble=0.0),
    Story("acc_017", "Riverbend Pharmacy", "Healthcare", 300, "NA",
          "Usage-based only; its seats_purchased (500 committed units) must not count",
          terms=(Term("Workspace Usage", "growth", "usage_based", 500, "2025-05-01",
                      "2027-04-30"),),
          users=((28, "2025-04-20", "2025-05-10"),),
          curve=(("2025-05-01", 0.50), ("2026-10-31", 0.70))),
    Story("acc_018", "Saltmarsh Energy", "Energy", 1200, "EMEA",
          "Usage-based only, open-ended, 0 seats",
          terms=(Term("Workspace Usage", "enterprise", "usage_based", 0, "2025-10-01", None),),
          users=((20, "2025-09-22", "2025-10-08"),),
          curve=(("2025-10-01", 0.60), ("2026-10-31", 0.60))),
    Story("acc_019", "Tidewater Shipping", "Logistics", 700, "APAC",
          "Seat-based workspace plus a usage-based API platform (1000 units, left out)",
          terms=(seat("Workspace Growth", "growth", 45, "2025-09-01", "2027-08-31"),
                 Term("API Platform", "enterprise", "usage_based", 1000, "2026-01-01",
                      "2026-12-31")),
          users=((44, "2025-08-25", "2025-09-10"),),
          curve=(("2025-09-01", 0.45), ("2025-11-01", 0.64), ("2026-10-31", 0.64)),
          churn=0.05),
    Story("acc_020", "Umberfield Bank", "Financial Services", 8500, "NA",
          "Large tiered enterprise account, steady strong; renews in 92 days (just outside 90)",
          terms=(Term("Workspace Enterprise", "enterprise", "Tiered", 50, "2025-02-01",
                      "2027-01-31"),),
          users=((48, "2025-01-20", "2025-02-14"), (8, "2025-06-01", "2026-09-01")),
          curve=(("2025-02-01", 0.55), ("2025-05-01", 0.82), ("2026-10-31", 0.84)),
          october_leavers=2),
    Story("acc_021", "Vantage Telemetry", "Software", 260, "NA",
          "Growing: seats raised mid-term 25 -> 35 -> 45, utilization stays strong",
          terms=(Term("Workspace Growth", "growth", "SEAT_BASED", 25, "2025-04-15", "2027-04-14",
                      changes=(("2025-10-01", 35), ("2026-04-01", 45))),),
          users=((25, "2025-04-08", "2025-04-20"), (11, "2025-09-20", "2025-10-05"),
                 (12, "2026-03-20", "2026-04-10")),
          curve=(("2025-04-15", 0.70), ("2025-06-15", 0.90), ("2026-10-31", 0.88)),
          churn=0.04),
    Story("acc_022", "Willowbrook Clinic", "Healthcare", 540, "NA",
          "At risk, steadily around 50%; renewal not before mid-2027",
          terms=(seat("Workspace Growth", "growth", 40, "2025-07-01", "2027-06-30"),),
          users=((38, "2025-06-22", "2025-07-10"),),
          curve=(("2025-07-01", 0.30), ("2025-09-01", 0.50), ("2026-10-31", 0.50))),
    Story("acc_023", "Xenon Fabrication", None, 330, "APAC",
          "Industry unknown (null); healthy; renewed on 2026-10-15 (new term day 30 not reached)",
          terms=(seat("Workspace Growth", "growth", 45, "2025-10-15", "2026-10-14"),
                 seat("Workspace Growth", "growth", 45, "2026-10-15", "2027-10-14")),
          users=((44, "2025-10-06", "2025-10-24"),),
          curve=(("2025-10-15", 0.45), ("2025-12-15", 0.65), ("2026-10-31", 0.65)),
          churn=0.05),
    Story("acc_024", "Yarrow Collective", "Media", None, None,
          "Size and region unknown (null); term ends on the as-of day (renewal booked); 80%",
          terms=(seat("Workspace Starter", "starter", 10, "2025-11-01", "2026-10-31"),
                 seat("Workspace Starter", "starter", 12, "2026-11-01", "2027-10-31")),
          users=((10, "2025-10-27", "2025-11-05"),),
          curve=(("2025-11-01", 0.60), ("2026-01-01", 0.80), ("2026-10-31", 0.80)),
          churn=0.0, wobble=0.0),
    Story("acc_025", "Aldergrove Software", "Software", 320, "NA",
          "Healthy; renewed 2026-02-15 with more seats",
          terms=(seat("Workspace Growth", "GROWTH ", 30, "2025-02-15", "2026-02-14"),
                 seat("Workspace Growth", "growth", 35, "2026-02-15", "2027-02-14")),
          users=((30, "2025-02-05", "2025-02-25"), (6, "2026-02-10", "2026-03-15")),
          curve=(("2025-02-15", 0.50), ("2025-04-15", 0.70), ("2026-10-31", 0.70))),
    Story("acc_026", "Brightwater Schools", "Education", 1400, "NA",
          "At risk, with a summer-break dip every July-August (tiered)",
          terms=(Term("Workspace Enterprise", "enterprise", "tiered", 45, "2025-08-15",
                      "2026-08-14"),
                 Term("Workspace Enterprise", "enterprise", "tiered", 45, "2026-08-15",
                      "2027-08-14")),
          users=((44, "2025-08-05", "2025-08-25"),),
          curve=(("2025-08-15", 0.35), ("2025-09-15", 0.55), ("2026-06-15", 0.55),
                 ("2026-07-10", 0.25), ("2026-08-25", 0.25), ("2026-09-15", 0.52),
                 ("2026-10-31", 0.52))),
    Story("acc_027", "Cinderhill Media", "Media", 75, "EMEA",
          "Small and strong; renewed 2026-04-01 with two more seats",
          terms=(seat("Workspace Starter", "starter", 12, "2025-04-01", "2026-03-31"),
                 seat("Workspace Starter", "starter", 14, "2026-04-01", "2027-03-31")),
          users=((12, "2025-03-25", "2025-04-05"), (3, "2026-03-25", "2026-04-10")),
          curve=(("2025-04-01", 0.60), ("2025-05-15", 0.86), ("2026-10-31", 0.86)),
          churn=0.03, wobble=0.0),
    Story("acc_028", "Dovetail Robotics", "Manufacturing", 2600, "APAC",
          "Healthy enterprise account",
          terms=(seat("Workspace Enterprise", "enterprise", 40, "2025-10-01", "2027-09-30"),),
          users=((38, "2025-09-22", "2025-10-10"),),
          curve=(("2025-10-01", 0.40), ("2025-12-01", 0.66), ("2026-10-31", 0.66))),
    Story("acc_029", "Emberline Retail", "Retail", 5200, "NA",
          "Healthy but renews 2027-01-09, within 90 days (tiered)",
          terms=(Term("Workspace Growth", "growth", "tiered", 40, "2026-01-10", "2027-01-09"),),
          users=((38, "2026-01-02", "2026-01-20"),),
          curve=(("2026-01-10", 0.35), ("2026-03-01", 0.62), ("2026-10-31", 0.62))),
    Story("acc_030", "Fernhill Logistics", "Logistics", 45, "LATAM",
          "Tiny at-risk account (4 of 8 seats)",
          terms=(seat("Workspace Starter", "starter", 8, "2025-06-01", "2026-05-31"),
                 seat("Workspace Starter", "starter", 8, "2026-06-01", "2027-05-31")),
          users=((8, "2025-05-25", "2025-06-05"),),
          curve=(("2025-06-01", 0.50), ("2026-10-31", 0.50)), churn=0.0, wobble=0.0),
    Story("acc_031", "Glasswing Health", "Healthcare", 640, "EMEA",
          "At risk after a slow start in April 2026",
          terms=(seat("Workspace Growth", "growth", 40, "2026-04-01", "2027-03-31"),),
          users=((36, "2026-03-25", "2026-04-15"),),
          curve=(("2026-04-01", 0.20), ("2026-07-01", 0.55), ("2026-10-31", 0.55))),
    Story("acc_032", "Hollowpoint Security", "Software", 180, "NA",
          "Strong; renewed 2026-09-15 with four more seats",
          terms=(seat("Workspace Growth", "growth", 28, "2025-09-15", "2026-09-14"),
                 seat("Workspace Growth", "growth", 32, "2026-09-15", "2027-09-14")),
          users=((28, "2025-09-08", "2025-09-20"), (5, "2026-09-10", "2026-09-20")),
          curve=(("2025-09-15", 0.60), ("2025-11-01", 0.90), ("2026-10-31", 0.90)),
          churn=0.03, mix=(0.2, 0.5, 0.3, 0.0)),
    Story("acc_033", "Inkwell Publishing", "Media", 95, "EMEA",
          "New customer, term started 2026-09-01; day 30 reached, day 60 not yet",
          terms=(seat("Workspace Starter", "starter", 20, "2026-09-01", "2027-08-31"),),
          users=((20, "2026-08-25", "2026-09-05"),),
          curve=(("2026-09-01", 0.30), ("2026-10-31", 0.65)), churn=0.0, wobble=0.0),
    Story("acc_034", "Jasper Mills", "Manufacturing", 430, "NA",
          "Deeply at risk (~35%), renewal not before March 2027",
          terms=(seat("Workspace Growth", "growth", 40, "2025-03-15", "2027-03-14"),),
          users=((38, "2025-03-05", "2025-03-25"),),
          curve=(("2025-03-15", 0.25), ("2025-06-01", 0.35), ("2026-10-31", 0.35))),
    Story("acc_035", "Kiln & Co., Ltd.", "Retail", 28, "EMEA",
          "Five seats, all in use; open-ended term; a comma in the name",
          terms=(seat("Workspace Starter", "starter", 5, "2025-05-20", None),),
          users=((5, "2025-05-15", "2025-05-25"),),
          curve=(("2025-05-20", 1.0), ("2026-10-31", 1.0)), churn=0.0, wobble=0.0,
          mix=(0.0, 0.5, 0.5, 0.0)),
    Story("acc_036", "Lumen Credit", "Financial Services", 1100, "NA",
          "Strong enterprise account (tiered)",
          terms=(Term("Workspace Enterprise", "enterprise", "tiered", 40, "2025-05-01",
                      "2027-04-30"),),
          users=((39, "2025-04-22", "2025-05-10"), (4, "2025-10-01", "2026-08-01")),
          curve=(("2025-05-01", 0.55), ("2025-07-01", 0.82), ("2026-10-31", 0.82)),
          october_leavers=1),
    Story("acc_037", "Mossgiel Farms", "Agriculture", 201, "NA",
          "Healthy, term started 2026-06-01",
          terms=(seat("Workspace Growth", "growth", 40, "2026-06-01", "2027-05-31"),),
          users=((36, "2026-05-25", "2026-06-10"),),
          curve=(("2026-06-01", 0.40), ("2026-08-01", 0.75), ("2026-10-31", 0.75)),
          churn=0.03),
    Story("acc_038", "Northgate Transit", "Logistics", 3400, None,
          "Exactly 60% (healthy band edge); downsized 35 -> 30 at the 2026-07-01 renewal",
          terms=(seat("Workspace Enterprise", "enterprise", 35, "2025-07-01", "2026-06-30"),
                 seat("Workspace Enterprise", "enterprise", 30, "2026-07-01", "2027-06-30")),
          users=((34, "2025-06-22", "2025-07-10"),),
          curve=(("2025-07-01", 0.50), ("2025-09-01", 0.60), ("2026-10-31", 0.60)),
          churn=0.04, wobble=0.0),
    Story("acc_039", "Oakhaven Senior Care", "Healthcare", 51, "NA",
          "Small open-ended term started 2026-05-15, healthy",
          terms=(seat("Workspace Starter", "starter", 10, "2026-05-15", None),),
          users=((10, "2026-05-10", "2026-05-20"),),
          curve=(("2026-05-15", 0.50), ("2026-07-01", 0.70), ("2026-10-31", 0.70)),
          churn=0.0, wobble=0.0),
    Story("acc_040", "Parallax Games", "Software", 200, "APAC",
          "Strong and renewing 2026-11-30 (within 90 days)",
          terms=(seat("Workspace Growth", "growth", 30, "2025-12-01", "2026-11-30"),),
          users=((30, "2025-11-24", "2025-12-08"),),
          curve=(("2025-12-01", 0.60), ("2026-01-15", 0.93), ("2026-10-31", 0.93)),
          churn=0.0, wobble=0.0, mix=(0.1, 0.5, 0.4, 0.0), features=5),
)
# fmt: on


# ----------------------------------------------------------------------------- helpers


def d(text: str) -> date:
    return date.fromisoformat(text)


def fmt_ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def norm(text: str) -> str:
    return text.strip().lower()


def days_between(first: date, last: date):
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def term_in_force(term: Term, day: date) -> bool:
    if d(term.start) > day:
        return False
    if term.end is not None and day > d(term.end):
        return False
    if term.canceled is not None and day >= d(term.canceled):
        return False
    return True


def term_quantity(term: Term, day: date) -> int:
    quantity = term.seats
    for effective, seats in sorted(term.changes):
        if d(effective) <= day:
            quantity = seats
    return quantity


def seats_in_force(story: Story, day: date) -> int:
    return sum(
        term_quantity(term, day)
        for term in story.terms
        if norm(term.model) in ("seat_based", "tiered") and term_in_force(term, day)
    )


def curve_value(points: tuple[tuple[str, float], ...], day: date) -> float:
    """Piecewise-linear interpolation, constant outside the points."""
    dated = [(d(when), value) for when, value in points]
    if day <= dated[0][0]:
        return dated[0][1]
    for (left, left_value), (right, right_value) in zip(dated, dated[1:]):
        if day <= right:
            span = (right - left).days
            return left_value + (right_value - left_value) * (day - left).days / span
    return dated[-1][1]


def triangle_wave(day_number: int, period: int) -> float:
    """A deterministic wiggle in -1..1 (no libm, so identical on every platform)."""
    position = (day_number % period) / period
    return 4 * position - 1 if position < 0.5 else 3 - 4 * position


def random_time(rng: random.Random, day: date, region: str | None) -> datetime:
    first_hour, last_hour = REGION_HOURS[region]
    return datetime(day.year, day.month, day.day, rng.randint(first_hour, last_hour - 1),
                    rng.randint(0, 59), rng.randint(0, 59))


def weighted(rng: random.Random, pairs):
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights=weights)[0]


# ----------------------------------------------------------------------------- model


@dataclass
class User:
    account_id: str
    first: str
    last: str
    email: str | None
    role: str | None
    department: str | None
    holds_license: bool | None
    created_at: datetime
    deactivated_at: datetime | None
    intensity: str
    rank: float
    user_id: str = ""

    def can_act(self, day: date) -> bool:
        """Provisioned before this day and not yet deactivated."""
        if self.created_at.date() >= day:
            return False
        return self.deactivated_at is None or day < self.deactivated_at.date()


def build_users(story: Story, rng: random.Random, account_created: datetime) -> list[User]:
    domain = "".join(ch for ch in story.name.split()[0].lower() if ch.isalnum()) + ".example"
    taken: dict[str, int] = {}
    users: list[User] = []
    batches = list(story.users) + [(story.guests, story.users[0][1], "2026-09-30")]
    for batch_number, (count, first_day, last_day) in enumerate(batches):
        is_guest_batch = batch_number == len(story.users)
        low = max(d(first_day), account_created.date())
        high = max(d(last_day), low)
        for _ in range(count):
            created_day = low + timedelta(days=rng.randint(0, (high - low).days))
            created = random_time(rng, created_day, story.region)
            if created <= account_created:
                created = account_created + timedelta(hours=rng.randint(1, 48))
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            local = f"{first}.{last}".lower()
            taken[local] = taken.get(local, 0) + 1
            if taken[local] > 1:
                local = f"{local}{taken[local]}"
            email = None if rng.random() < 0.02 else f"{local}@{domain}"
            if is_guest_batch:
                role = weighted(rng, (("viewer", 8), ("contributor", 1), (None, 1)))
                department = weighted(rng, (("Marketing", 1), ("Sales", 1), (None, 3)))
                holds_license: bool | None = False
                email = f"{local}@guest-partner.example"
            else:
                role = weighted(rng, ROLES)
                department = weighted(rng, story.department_weights)
                holds_license = None if rng.random() < 0.012 else True
            intensity = weighted(rng, list(zip(INTENSITY, story.mix)))
            deactivated = None
            if rng.random() < story.churn:
                leave_day = created.date() + timedelta(days=rng.randint(45, 900))
                if leave_day <= AS_OF:
                    deactivated = random_time(rng, leave_day, story.region)
            rank = rng.random() + ROLE_RANK_SHIFT[role]
            if department in story.lagging_departments:
                rank += 2.0  # behind everyone else, whatever the role
            users.append(User(story.account_id, first, last, email, role, department,
                              holds_license, created, deactivated, intensity, rank))
    if story.offboarding:
        start, end, share = story.offboarding
        for user in users:
            if user.deactivated_at is None and rng.random() < share:
                leave_day = d(start) + timedelta(days=rng.randint(0, (d(end) - d(start)).days))
                user.deactivated_at = random_time(rng, leave_day, story.region)
    if story.october_leavers:
        # engaged, long-standing users who leave mid-window: active in October, not eligible
        # on 2026-10-31
        candidates = sorted(
            (u for u in users if u.holds_license is not False and u.deactivated_at is None
             and u.created_at.date() < date(2026, 8, 1)),
            key=lambda u: u.rank,
        )[: story.october_leavers]
        for user in candidates:
            leave_day = date(2026, 10, 5) + timedelta(days=rng.randint(0, 23))
            user.deactivated_at = random_time(rng, leave_day, story.region)
    users.sort(key=lambda u: u.created_at)
    return users


def engaged_days(story: Story, users: list[User], rng: random.Random) -> dict[int, list[date]]:
    """Per user (index), the days on which the account's curve reaches them."""
    licensed = sorted(
        (i for i, u in enumerate(users) if u.holds_license is not False),
        key=lambda i: users[i].rank,
    )
    guests = [i for i, u in enumerate(users) if u.holds_license is False]
    guest_share = {i: rng.random() for i in guests}
    has_seat_terms = any(norm(t.model) in ("seat_based", "tiered") for t in story.terms)
    first_seats = next((t.seats for t in story.terms
                        if norm(t.model) in ("seat_based", "tiered")), 0)
    phase = rng.randint(0, 60)
    result: dict[int, list[date]] = {i: [] for i in range(len(users))}
    basis = first_seats
    for day in days_between(DATA_START, AS_OF):
        eligible = [i for i in licensed if users[i].can_act(day)]
        seats = seats_in_force(story, day)
        if not has_seat_terms:
            basis = len(eligible)  # usage-based: the curve is a share of the users
        elif seats > 0 or any(term_in_force(t, day) for t in story.terms):
            basis = seats  # otherwise (a gap, or after a cancellation) keep the last one
        share = curve_value(story.curve, day)
        share += story.wobble * triangle_wave((day - DATA_START).days + phase, 56)
        wanted = int(max(share, 0.0) * basis + 0.5)
        for i in eligible[:wanted]:
            result[i].append(day)
        for i in guests:
            if users[i].can_act(day) and guest_share[i] < 0.5 and share > 0:
                result[i].append(day)
    return result


def user_events(story: Story, user: User, days: list[date], features: list[str],
                rng: random.Random) -> list[tuple[str, str, str | None, datetime]]:
    """Login and feature events of one user (user_id filled in later)."""
    per_week, feature_counts = INTENSITY[user.intensity]
    weekday_probability = per_week / (5 + 2 * WEEKEND_FACTOR)
    login_days: list[date] = []
    events = []
    previous: date | None = None
    last_login: date | None = None
    pending = False
    for day in days:
        if previous is None or (day - previous).days > 1:
            # a new run of engagement starts with a login on a weekday, unless the user
            # logged in recently anyway
            pending = last_login is None or (day - last_login).days >= MAX_LOGIN_GAP_DAYS
        previous = day
        weekday = day.weekday() < 5
        probability = weekday_probability * (1.0 if weekday else WEEKEND_FACTOR)
        if pending and weekday:
            login = True
        elif not pending and last_login and (day - last_login).days >= MAX_LOGIN_GAP_DAYS:
            login = True
        else:
            login = rng.random() < probability
        if login:
            login_days.append(day)
            last_login, pending = day, False
        elif weekday and user.intensity != "light" and rng.random() < 0.03:
            # a session left open from an earlier day: feature use without a login
            ts = random_time(rng, day, story.region)
            name = rng.choice(features)
            events.append((user.user_id, name, FEATURES[name], ts))
    # dormant users: at most one welcome login soon after being provisioned
    first_engaged = days[0] if days else None
    welcome = user.created_at.date() + timedelta(days=rng.randint(1, 3))
    if (
        (first_engaged is None or first_engaged > welcome + timedelta(days=7))
        and DATA_START <= welcome <= AS_OF
        and user.can_act(welcome)
        and rng.random() < story.welcome_login
    ):
        login_days.append(welcome)
    for day in login_days:
        ts = random_time(rng, day, story.region)
        events.append((user.user_id, "login", None, ts))
        for _ in range(rng.choice(feature_counts)):
            minutes = rng.randint(1, 240)
            feature_ts = min(ts + timedelta(minutes=minutes, seconds=rng.randint(0, 59)),
                             datetime(day.year, day.month, day.day, 23, 59, 59))
            name = rng.choice(features)
            events.append((user.user_id, name, FEATURES[name], feature_ts))
    return events


# ----------------------------------------------------------------------------- generation


def generate(seed: int) -> dict[str, tuple[list[str], list[list]]]:
    accounts, subscriptions, seat_changes, all_users, raw_events = [], [], [], [], []
    sub_number = 0
    stories_users: list[tuple[Story, list[User], random.Random]] = []
    for story in STORIES:
        rng = random.Random(f"{seed}:{story.account_id}")
        first_start = min(d(t.start) for t in story.terms)
        created_day = first_start - timedelta(days=rng.randint(14, 45))
        account_created = random_time(rng, created_day, story.region)
        accounts.append([story.account_id, story.name, story.industry, story.employees,
                         story.region, fmt_ts(account_created)])
        for term in story.terms:
            sub_number += 1
            sub_id = f"sub_{sub_number:03d}"
            subscriptions.append([sub_id, story.account_id, term.plan, term.tier, term.model,
                                  term.seats, term.start, term.end, term.canceled])
            for effective, seats in term.changes:
                seat_changes.append([sub_id, effective, seats])
        users = build_users(story, rng, account_created)
        stories_users.append((story, users, rng))
        all_users.extend(users)

    for number, user in enumerate(all_users, start=1):
        user.user_id = f"usr_{number:04d}"

    for story, users, rng in stories_users:
        features = FEATURE_ORDER[:]
        rng.shuffle(features)
        features = features[: story.features]
        engaged = engaged_days(story, users, rng)
        for index, user in enumerate(users):
            raw_events.extend(user_events(story, user, engaged[index], features, rng))

    rng = random.Random(f"{seed}:data-quality")
    # events of users that do not exist (deleted upstream, or a broken integration)
    for _ in range(int(len(raw_events) * ORPHAN_SHARE)):
        day = date(2026, 1, 1) + timedelta(days=rng.randint(0, (AS_OF - date(2026, 1, 1)).days))
        name = rng.choice(["login", "login", "report_viewed", "task_completed"])
        raw_events.append((rng.choice(GHOST_USER_IDS), name, FEATURES.get(name),
                           random_time(rng, day, "EMEA")))
    raw_events.sort(key=lambda e: (e[3], e[0], e[1]))
    events = [[f"evt_{n:06d}", user_id, name, feature, fmt_ts(ts)]
              for n, (user_id, name, feature, ts) in enumerate(raw_events, start=1)]
    # a few logins written with another case by an older client
    login_rows = [row for row in events if row[2] == "login"]
    for row in rng.sample(login_rows, 8):
        row[2] = rng.choice(["Login", "LOGIN"])
    # exact duplicate rows (at-least-once delivery), a few rows after the original
    duplicates = sorted(rng.sample(range(len(events)), int(len(events) * DUPLICATE_SHARE)))
    for position in reversed(duplicates):
        events.insert(min(position + rng.randint(1, 30), len(events)), list(events[position]))

    # a few messy spellings in users (staging trims and lower-cases them)
    users_rows = []
    messy_roles = {"admin": " Admin", "contributor": "CONTRIBUTOR ", "viewer": "Viewer"}
    for number, user in enumerate(all_users, start=1):
        role, department = user.role, user.department
        if role and number % 250 == 7:
            role = messy_roles[role]
        if department and number % 400 == 55:
            department = f" {department}" if number // 400 % 2 == 0 else f"{department} "
        users_rows.append([user.user_id, user.account_id, user.email, role, department,
                           user.holds_license, fmt_ts(user.created_at),
                           fmt_ts(user.deactivated_at) if user.deactivated_at else None])

    return {
        "accounts": (["account_id", "account_name", "industry", "employee_count", "region",
                      "created_at"], accounts),
        "subscriptions": (["subscription_id", "account_id", "plan_name", "plan_tier",
                           "pricing_model", "seats_purchased", "start_date", "end_date",
                           "canceled_at"], subscriptions),
        "subscription_seat_changes": (["subscription_id", "effective_date", "seats_purchased"],
                                      seat_changes),
        "users": (["user_id", "account_id", "email", "role", "department", "holds_license",
                   "created_at", "deactivated_at"], users_rows),
        "events": (["event_id", "user_id", "event_name", "feature_name", "event_ts"], events),
    }


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_tables(tables, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([cell(value) for value in row])
        print(f"{name + '.csv':32} {len(rows):>7} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "seeds" / "sample",
                        help="output folder (default: seeds/sample/ of the repository)")
    args = parser.parse_args()
    tables = generate(args.seed)
    last_event = max(row[4][:10] for row in tables["events"][1])
    first_event = min(row[4][:10] for row in tables["events"][1])
    assert first_event == DATA_START.isoformat(), first_event
    assert last_event == AS_OF.isoformat(), last_event
    write_tables(tables, args.out)


if __name__ == "__main__":
    main()
