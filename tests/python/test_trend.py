"""Direct tests of utilization_analytics/trend.py (the logic behind the dbt Python model
int_account_utilization_trend), without dbt.

Every expected figure below is worked out by hand in the comment next to it.
Calendar used by the account_trends tests: AS_OF = 2024-03-03 (a Sunday); with
trend_weeks = 8 the window holds the weeks starting after 2024-03-03 - 56 days =
2024-01-07, i.e. the eight Mondays W[0] = 2024-01-08 ... W[7] = 2024-02-26.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from utilization_analytics.trend import (  # noqa: E402
    OUTPUT_COLUMNS,
    TrendSettings,
    account_trends,
    projected_date,
    slope_per_week,
    trend_input_sql,
)

AS_OF = dt.date(2024, 3, 3)
#: the eight Mondays of the default trend window ending AS_OF
W = [dt.date(2024, 1, 8) + dt.timedelta(weeks=k) for k in range(8)]
BEFORE_WINDOW = dt.date(2024, 1, 1)  # W[0] - 7: not > 2024-01-07, outside the window
AFTER_AS_OF = dt.date(2024, 3, 4)  # the Monday after AS_OF


def weeks(*offsets: int, start: dt.date = dt.date(2024, 1, 1)) -> pd.Series:
    return pd.Series([start + dt.timedelta(weeks=k) for k in offsets])


def frame(rows: list[tuple[str, dt.date, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["account_id", "week_start", "utilization_pct"])


def line(account: str, values: list[float | None], week_starts: list[dt.date] = W) -> list[tuple]:
    return [(account, w, v) for w, v in zip(week_starts, values)]


def by_account(result: pd.DataFrame) -> dict[str, dict]:
    return {row["account_id"]: row for row in result.to_dict("records")}


# --------------------------------------------------------------------------- slope_per_week


def test_slope_of_a_known_line_is_exact():
    # 10, 12.5, 15, 17.5, 20 on consecutive weeks: +2.5 points per week
    assert slope_per_week(weeks(0, 1, 2, 3, 4), pd.Series([10, 12.5, 15, 17.5, 20])) == pytest.approx(2.5, abs=1e-9)
    # 90, 88, ..., 76 over 8 weeks: -2 points per week
    assert slope_per_week(weeks(*range(8)), pd.Series([90 - 2 * k for k in range(8)])) == pytest.approx(-2.0, abs=1e-9)


def test_slope_is_least_squares_for_a_noisy_series():
    # x = 0,1,2,3 (mean 1.5), y = 1,3,2,6 (mean 3):
    # sum (x-1.5)(y-3) = (-1.5)(-2) + (-0.5)(0) + (0.5)(-1) + (1.5)(3) = 3 + 0 - 0.5 + 4.5 = 7
    # sum (x-1.5)^2 = 2.25 + 0.25 + 0.25 + 2.25 = 5 -> slope 7 / 5 = 1.4
    assert slope_per_week(weeks(0, 1, 2, 3), pd.Series([1, 3, 2, 6])) == pytest.approx(1.4, abs=1e-9)


def test_flat_series_gives_exactly_zero_not_minus_zero():
    slope = slope_per_week(weeks(*range(6)), pd.Series([73.3] * 6))
    assert slope == 0.0
    assert math.copysign(1.0, slope) == 1.0


def test_missing_weeks_are_placed_at_their_true_distance():
    # weeks 0, 1, 3 with values on the line 50 + 2x: 50, 52, 56 -> slope 2.
    # (Had the gap been closed, i.e. x = 0, 1, 2, the slope would be
    #  sum (x-1)(y-52.667) / 2 = ((-1)(-2.667) + (1)(3.333)) / 2 = 3.)
    assert slope_per_week(weeks(0, 1, 3), pd.Series([50, 52, 56])) == pytest.approx(2.0, abs=1e-9)


def test_slope_is_per_week_even_when_points_are_not_mondays():
    # two points 14 days apart, +7 points: 3.5 points per week
    days = pd.Series([dt.date(2024, 1, 3), dt.date(2024, 1, 17)])
    assert slope_per_week(days, pd.Series([40.0, 47.0])) == pytest.approx(3.5, abs=1e-9)


def test_slope_needs_two_distinct_weeks():
    assert slope_per_week(weeks(0), pd.Series([50.0])) is None
    assert slope_per_week(weeks(0, 0), pd.Series([50.0, 60.0])) is None
    assert slope_per_week(pd.Series([], dtype="datetime64[ns]"), pd.Series([], dtype=float)) is None


def test_slope_ignores_null_values():
    # the null at week 1 is dropped: weeks 0 and 2 remain, 50 -> 54: 2 per week
    assert slope_per_week(weeks(0, 1, 2), pd.Series([50.0, None, 54.0])) == pytest.approx(2.0, abs=1e-9)
    # only one week left with a value: no slope
    assert slope_per_week(weeks(0, 1), pd.Series([50.0, np.nan])) is None


def test_slope_accepts_text_dates():
    assert slope_per_week(pd.Series(["2024-01-01", "2024-01-08"]), pd.Series([10.0, 11.0])) == pytest.approx(1.0)


# --------------------------------------------------------------------------- projected_date


def test_projection_worked_by_hand():
    # 50 -> 80 at +5/week: 6 weeks = 42 days
    assert projected_date(50.0, 5.0, 80.0, AS_OF, 104) == AS_OF + dt.timedelta(days=42)
    # 70 -> 80 at +3/week: 10/3 weeks = 23.33 days -> rounded up to 24 days
    assert projected_date(70.0, 3.0, 80.0, AS_OF, 104) == AS_OF + dt.timedelta(days=24)
    # 70 -> 100 at +3/week: 10 weeks = 70 days
    assert projected_date(70.0, 3.0, 100.0, AS_OF, 104) == dt.date(2024, 5, 12)


def test_projection_none_when_flat_falling_or_unknown():
    assert projected_date(50.0, 0.0, 80.0, AS_OF, 104) is None
    assert projected_date(50.0, -1.0, 80.0, AS_OF, 104) is None
    assert projected_date(50.0, None, 80.0, AS_OF, 104) is None
    assert projected_date(None, 2.0, 80.0, AS_OF, 104) is None
    assert projected_date(float("nan"), 2.0, 80.0, AS_OF, 104) is None


def test_projection_none_when_already_at_target():
    assert projected_date(80.0, 2.0, 80.0, AS_OF, 104) is None
    assert projected_date(95.0, 2.0, 80.0, AS_OF, 104) is None


def test_projection_horizon_edge():
    # 0 -> 100 at +1/week: exactly 100 weeks = 700 days
    assert projected_date(0.0, 1.0, 100.0, AS_OF, 100) == AS_OF + dt.timedelta(days=700)
    # ... which is beyond a 99-week horizon
    assert projected_date(0.0, 1.0, 100.0, AS_OF, 99) is None
    # 10 -> 80 at +0.1/week: 700 weeks, beyond the default 104
    assert projected_date(10.0, 0.1, 80.0, AS_OF, 104) is None


# --------------------------------------------------------------------------- TrendSettings


def test_settings_defaults_are_the_dbt_var_defaults():
    yaml = pytest.importorskip("yaml")
    dbt_vars = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
    settings = TrendSettings()
    assert settings.trend_weeks == dbt_vars["trend_weeks"]
    assert settings.min_weeks == dbt_vars["trend_min_weeks"]
    assert settings.decline_pts_per_week == dbt_vars["decline_pts_per_week"]
    assert settings.strong_utilization_pct == dbt_vars["strong_utilization_pct"]
    assert settings.max_forecast_weeks == dbt_vars["forecast_max_weeks"]


@pytest.mark.parametrize(
    "kwargs, names",
    [
        ({"trend_weeks": 1}, "trend_weeks"),
        ({"trend_weeks": 0}, "trend_weeks"),
        ({"min_weeks": 1}, "min_weeks"),
        ({"trend_weeks": 4, "min_weeks": 5}, "min_weeks"),
        ({"decline_pts_per_week": -0.5}, "decline_pts_per_week"),
    ],
)
def test_settings_validation(kwargs, names):
    with pytest.raises(ValueError, match=names):
        TrendSettings(**kwargs)


def test_settings_edges_accepted():
    TrendSettings(trend_weeks=2, min_weeks=2)
    TrendSettings(trend_weeks=8, min_weeks=8)
    TrendSettings(decline_pts_per_week=0)


# --------------------------------------------------------------------------- account_trends


def test_account_trends_worked_example():
    rows = (
        # DOWN: 90, 88, ..., 76: slope -2 <= -1 -> declining; no forecast
        line("DOWN", [90 - 2 * k for k in range(8)])
        # FLAT: 50 every week: slope 0, not declining, no forecast (flat)
        + line("FLAT", [50.0] * 8)
        # EDGE: 100, 99, ..., 93: slope exactly -1.0 = -threshold -> declining
        + line("EDGE", [100 - k for k in range(8)])
        # JUST: 100, 99.1, ..., 93.7: slope -0.9 > -1 -> not declining
        + line("JUST", [100 - 0.9 * k for k in range(8)])
        # UP: 50, 55, 60, 65 in the last 4 weeks (W[4]..W[7]): slope +5, latest 65;
        # strong (80): 15 / 5 = 3 weeks = 21 days -> 2024-03-24;
        # full (100): 35 / 5 = 7 weeks = 49 days -> 2024-04-21
        + line("UP", [50.0, 55.0, 60.0, 65.0], W[4:])
        # SHORT: 2 weeks < min_weeks 3 -> null slope, not declining, no forecast;
        # latest 40 (W[7])
        + line("SHORT", [60.0, 40.0], W[6:])
        # THREE: exactly min_weeks weeks: 30, 31, 32 -> slope +1; latest 32;
        # strong: 48 weeks = 336 days -> 2025-02-02; full: 68 weeks = 476 days -> 2025-06-22
        + line("THREE", [30.0, 31.0, 32.0], W[5:])
        # SLOW: 10, 10.1, ..., 10.7: slope +0.1; strong needs 69.3/0.1 = 693 weeks > 104 -> None
        + line("SLOW", [10 + 0.1 * k for k in range(8)])
    )
    result = account_trends(frame(rows), AS_OF)
    assert list(result.columns) == OUTPUT_COLUMNS
    assert sorted(result["account_id"]) == sorted({r[0] for r in rows})
    got = by_account(result)

    expected = {
        # account: (weeks_observed, slope, is_declining, latest_week, latest_pct, strong_date, full_date)
        "DOWN": (8, -2.0, True, W[7], 76.0, None, None),
        "FLAT": (8, 0.0, False, W[7], 50.0, None, None),
        "EDGE": (8, -1.0, True, W[7], 93.0, None, None),
        "JUST": (8, -0.9, False, W[7], 93.7, None, None),
        "UP": (4, 5.0, False, W[7], 65.0, dt.date(2024, 3, 24), dt.date(2024, 4, 21)),
        "SHORT": (2, None, False, W[7], 40.0, None, None),
        "THREE": (3, 1.0, False, W[7], 32.0, dt.date(2025, 2, 2), dt.date(2025, 6, 22)),
        "SLOW": (8, 0.1, False, W[7], 10.7, None, None),
    }
    for account, (n, slope, declining, latest_week, latest_pct, strong, full) in expected.items():
        row = got[account]
        assert row["weeks_observed"] == n, account
        if slope is None:
            assert pd.isna(row["utilization_trend_pts_per_week"]), account
        else:
            assert row["utilization_trend_pts_per_week"] == pytest.approx(slope, abs=1e-6), account
        assert row["is_declining"] is declining or row["is_declining"] == declining, account
        assert row["latest_week_start"] == latest_week, account
        assert row["latest_weekly_utilization_pct"] == pytest.approx(latest_pct, abs=1e-9), account
        assert (row["projected_strong_date"] if not pd.isna(row["projected_strong_date"]) else None) == strong, account
        assert (row["projected_full_date"] if not pd.isna(row["projected_full_date"]) else None) == full, account


def test_account_trends_output_types():
    result = account_trends(frame(line("A", [50.0, 52.0, 54.0]) + line("B", [1.0])), AS_OF)
    assert result["weeks_observed"].dtype == "int64"
    assert result["is_declining"].dtype == bool
    assert result["utilization_trend_pts_per_week"].dtype == "float64"
    assert result["latest_weekly_utilization_pct"].dtype == "float64"
    for column in ("latest_week_start", "projected_strong_date", "projected_full_date"):
        assert all(v is None or pd.isna(v) or isinstance(v, dt.date) for v in result[column]), column


def test_decline_threshold_comes_from_settings():
    rows = line("EDGE", [100 - k for k in range(8)]) + line("DOWN2", [90 - 2 * k for k in range(8)])
    default = by_account(account_trends(frame(rows), AS_OF))
    stricter = by_account(account_trends(frame(rows), AS_OF, TrendSettings(decline_pts_per_week=1.5)))
    assert default["EDGE"]["is_declining"] and default["DOWN2"]["is_declining"]
    # -1.0 > -1.5: no longer a decline; -2.0 <= -1.5 still is
    assert not stricter["EDGE"]["is_declining"]
    assert stricter["DOWN2"]["is_declining"]
    # a zero threshold makes a flat series (slope 0 <= -0) "declining": the rule is <=
    flat = by_account(account_trends(frame(line("FLAT", [50.0] * 4)), AS_OF, TrendSettings(decline_pts_per_week=0)))
    assert flat["FLAT"]["is_declining"]


def test_min_weeks_and_trend_weeks_come_from_settings():
    # 4 weeks W[4]..W[7] of a +2 line: slope with min_weeks 3; none with min_weeks 5
    rows = line("A", [40.0, 42.0, 44.0, 46.0], W[4:])
    assert by_account(account_trends(frame(rows), AS_OF))["A"]["utilization_trend_pts_per_week"] == pytest.approx(2.0)
    five = by_account(account_trends(frame(rows), AS_OF, TrendSettings(min_weeks=5)))["A"]
    assert pd.isna(five["utilization_trend_pts_per_week"]) and five["weeks_observed"] == 4
    # trend_weeks 3: window = weeks after 2024-03-03 - 21 days = 2024-02-11 -> W[5], W[6], W[7]
    # (a week starting exactly on the boundary day would be excluded: the bound is strict)
    rows = line("B", [0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 12.0, 14.0])
    short = by_account(account_trends(frame(rows), AS_OF, TrendSettings(trend_weeks=3, min_weeks=2)))["B"]
    assert short["weeks_observed"] == 3
    assert short["utilization_trend_pts_per_week"] == pytest.approx(2.0, abs=1e-9)


def test_strong_threshold_comes_from_settings():
    # UP line as above (latest 65, +5/week); strong threshold 70: 5 / 5 = 1 week = 7 days
    rows = line("UP", [50.0, 55.0, 60.0, 65.0], W[4:])
    got = by_account(account_trends(frame(rows), AS_OF, TrendSettings(strong_utilization_pct=70)))["UP"]
    assert got["projected_strong_date"] == AS_OF + dt.timedelta(days=7)
    # already above a 60 threshold: no strong forecast, the full one stays (49 days)
    got = by_account(account_trends(frame(rows), AS_OF, TrendSettings(strong_utilization_pct=60)))["UP"]
    assert pd.isna(got["projected_strong_date"])
    assert got["projected_full_date"] == AS_OF + dt.timedelta(days=49)
    # horizon 6 weeks: strong in 3 weeks still given, full in 7 weeks not
    got = by_account(account_trends(frame(rows), AS_OF, TrendSettings(max_forecast_weeks=6)))["UP"]
    assert got["projected_strong_date"] == dt.date(2024, 3, 24)
    assert pd.isna(got["projected_full_date"])


def test_missing_weeks_in_account_trends_use_true_distance():
    # W[0], W[1], W[3] on the line 50 + 2x (x in weeks): 50, 52, 56 -> slope 2, 3 weeks observed
    rows = [("GAP", W[0], 50.0), ("GAP", W[1], 52.0), ("GAP", W[3], 56.0)]
    got = by_account(account_trends(frame(rows), AS_OF))["GAP"]
    assert got["weeks_observed"] == 3
    assert got["utilization_trend_pts_per_week"] == pytest.approx(2.0, abs=1e-9)
    assert got["latest_week_start"] == W[3]


def test_weeks_after_as_of_and_before_the_window_are_ignored():
    base = line("A", [90 - 2 * k for k in range(8)])
    noisy = base + [("A", BEFORE_WINDOW, 0.0), ("A", AFTER_AS_OF, 0.0), ("A", AFTER_AS_OF + dt.timedelta(weeks=1), 100.0)]
    got = by_account(account_trends(frame(noisy), AS_OF))["A"]
    assert got["weeks_observed"] == 8
    assert got["utilization_trend_pts_per_week"] == pytest.approx(-2.0, abs=1e-9)
    # the latest week is the last one on or before as_of, not the later ones
    assert got["latest_week_start"] == W[7]
    assert got["latest_weekly_utilization_pct"] == pytest.approx(76.0)
    # an account whose only weeks are after as_of is left out
    only_later = account_trends(frame(base + [("LATE", AFTER_AS_OF, 50.0)]), AS_OF)
    assert "LATE" not in set(only_later["account_id"])


def test_latest_pct_comes_from_history_outside_the_window():
    # only weeks before the trend window: nothing observed, no slope, but the latest
    # known weekly figure (2023-12-25: 45) is still reported
    rows = [("OLD", dt.date(2023, 12, 18), 40.0), ("OLD", dt.date(2023, 12, 25), 45.0)]
    got = by_account(account_trends(frame(rows), AS_OF))["OLD"]
    assert got["weeks_observed"] == 0
    assert pd.isna(got["utilization_trend_pts_per_week"])
    assert got["is_declining"] == False  # noqa: E712
    assert got["latest_week_start"] == dt.date(2023, 12, 25)
    assert got["latest_weekly_utilization_pct"] == pytest.approx(45.0)
    assert pd.isna(got["projected_strong_date"]) and pd.isna(got["projected_full_date"])


def test_null_weeks_are_not_observed():
    # 3 rows in the window, one of them null: 2 weeks observed < 3 -> no slope;
    # the latest non-null week is reported
    rows = [("N", W[5], 40.0), ("N", W[6], 50.0), ("N", W[7], None)]
    got = by_account(account_trends(frame(rows), AS_OF))["N"]
    assert got["weeks_observed"] == 2
    assert pd.isna(got["utilization_trend_pts_per_week"])
    assert got["latest_week_start"] == W[6]
    assert got["latest_weekly_utilization_pct"] == pytest.approx(50.0)


def test_as_of_accepts_timestamp_and_text_week_starts():
    # the dbt wrapper passes a pandas Timestamp and DuckDB may hand back datetimes
    rows = pd.DataFrame({
        "account_id": ["A"] * 3,
        "week_start": [w.isoformat() for w in W[5:]],
        "utilization_pct": [30.0, 31.0, 32.0],
    })
    got = by_account(account_trends(rows, pd.Timestamp(AS_OF)))["A"]
    assert got["utilization_trend_pts_per_week"] == pytest.approx(1.0)
    assert got["projected_strong_date"] == dt.date(2025, 2, 2)


def test_empty_input_gives_empty_output_with_the_columns():
    empty = pd.DataFrame({"account_id": [], "week_start": [], "utilization_pct": []})
    result = account_trends(empty, AS_OF)
    assert result.empty
    assert list(result.columns) == OUTPUT_COLUMNS


def test_missing_column_raises():
    with pytest.raises(ValueError, match="utilization_pct"):
        account_trends(pd.DataFrame({"account_id": ["A"], "week_start": [W[0]]}), AS_OF)
    with pytest.raises(ValueError, match="week_start"):
        account_trends(pd.DataFrame({"account_id": ["A"], "utilization_pct": [1.0]}), AS_OF)



def test_accounts_are_independent_and_order_does_not_matter():
    # the result for an account is the same alone or mixed with others, in any row order
    rows = (
        line("A", [90 - 2 * k for k in range(8)])
        + line("B", [50.0, 55.0, 60.0, 65.0], W[4:])
        + [("C", W[0], 50.0), ("C", W[1], 52.0), ("C", W[3], 56.0)]
        + line("D", [60.0, 40.0], W[6:])
    )
    shuffled = frame(rows).sample(frac=1.0, random_state=7).reset_index(drop=True)
    together = account_trends(shuffled, AS_OF).set_index("account_id")
    assert list(together.index) == ["A", "B", "C", "D"]
    for account in "ABCD":
        alone = account_trends(frame([r for r in rows if r[0] == account]), AS_OF).set_index("account_id")
        pd.testing.assert_series_equal(together.loc[account], alone.loc[account], check_names=False)


# --------------------------------------------------------------------------- trend_input_sql


def test_trend_input_sql_keeps_what_account_trends_reads():
    """The dbt model reads the weekly utilization through trend_input_sql (DuckDB). On a history
    with every kind of row the trend reads or ignores, the rows it keeps are the window's weeks
    and each account's latest week (worked by hand), and the trend of those rows equals the
    trend of the whole history."""
    duckdb = pytest.importorskip("duckdb")
    rows = (
        # IN: a year of history before the window, then the 8 window weeks
        [("IN", BEFORE_WINDOW - dt.timedelta(weeks=k), 10.0 + k) for k in range(40)]
        + line("IN", [50.0 + k for k in range(8)])
        # OLD: nothing in the window: only its latest week (the last before it) is read
        + [("OLD", BEFORE_WINDOW - dt.timedelta(weeks=k), 20.0 + k) for k in range(5)]
        # NULLS: its last week has no utilization, and a week after AS_OF: neither is read
        + line("NULLS", [30.0, 31.0, 32.0, None], W[4:])
        + [("NULLS", AFTER_AS_OF, 99.0)]
        # GONE: only weeks without a utilization: no row
        + [("GONE", W[7], None)]
    )
    history = frame(rows)
    con = duckdb.connect()
    con.register("weekly_history", history)
    kept = con.sql(trend_input_sql("weekly_history", AS_OF)).df()
    got = sorted((a, pd.Timestamp(w).date(), v) for a, w, v in kept.itertuples(index=False))
    expected = sorted(
        line("IN", [50.0 + k for k in range(8)])
        + [("OLD", BEFORE_WINDOW, 20.0)]
        + line("NULLS", [30.0, 31.0, 32.0], W[4:7])
    )
    assert got == expected

    assert_frame_equal = pd.testing.assert_frame_equal
    assert_frame_equal(account_trends(kept, AS_OF), account_trends(history, AS_OF))
    assert con.sql(trend_input_sql("weekly_history", None)).fetchall() == []
