"""Row-by-row comparison of one mart as built on two engines.

A mart export is the JSON written by scripts/portability/build_engine.py:
{"model", "keys", "columns", "rows"}. Rows are matched on the mart's key (its grain
test); without a key, both sides are sorted and compared in order. Keys must be equal,
numbers equal within `tolerance`, everything else (text, dates, booleans, nulls) equal.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

TOLERANCE = 0.01
MAX_REPORTED = 15


def load_mart(path: Path) -> dict:
    return json.loads(Path(path).read_text())


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def values_equal(expected, actual, tolerance: float = TOLERANCE) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if _is_number(expected) and _is_number(actual):
        if isinstance(expected, float) and math.isinf(expected) or isinstance(actual, float) and math.isinf(actual):
            return expected == actual
        return abs(float(expected) - float(actual)) <= tolerance
    return type(expected) is type(actual) and expected == actual


def _key_value(value):
    if isinstance(value, float):
        return ("n", round(value, 6))
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int):
        return ("n", float(value))
    return ("s" if value is not None else "0", value)


def _sort_key(row: list):
    """Sort rows without keys: text/dates as is, numbers rounded, nulls first."""
    return [(_key_value(v)[0], str(round(v, 2)) if isinstance(v, float) else str(v)) for v in row]


def compare_marts(expected: dict, actual: dict, tolerance: float = TOLERANCE) -> list[str]:
    """Differences of `actual` from `expected` (the reference engine), as messages."""
    name = expected["model"]
    problems: list[str] = []
    exp_cols, act_cols = expected["columns"], actual["columns"]
    missing = [c for c in exp_cols if c not in act_cols]
    extra = [c for c in act_cols if c not in exp_cols]
    if missing or extra:
        problems.append(f"{name}: columns differ: missing {missing}, extra {extra}")
    columns = [c for c in exp_cols if c in act_cols]
    exp_idx = [exp_cols.index(c) for c in columns]
    act_idx = [act_cols.index(c) for c in columns]
    exp_rows = [[row[i] for i in exp_idx] for row in expected["rows"]]
    act_rows = [[row[i] for i in act_idx] for row in actual["rows"]]
    if len(exp_rows) != len(act_rows):
        problems.append(f"{name}: {len(act_rows)} rows, reference has {len(exp_rows)}")

    keys = [k for k in (expected.get("keys") or []) if k in columns]
    differences: list[str] = []

    if keys:
        key_pos = [columns.index(k) for k in keys]

        def index(rows: list[list], side: str) -> dict:
            by_key: dict = {}
            for row in rows:
                key = tuple(_key_value(row[i]) for i in key_pos)
                if key in by_key:
                    problems.append(f"{name}: key {dict(zip(keys, [row[i] for i in key_pos]))} repeated on {side}")
                by_key[key] = row
            return by_key

        exp_by_key, act_by_key = index(exp_rows, "the reference"), index(act_rows, "this engine")
        only_exp = [k for k in exp_by_key if k not in act_by_key]
        only_act = [k for k in act_by_key if k not in exp_by_key]
        show = lambda k: dict(zip(keys, [part[1] for part in k]))  # noqa: E731
        if only_exp:
            differences.append(
                f"{len(only_exp)} key(s) missing on this engine, e.g. "
                + "; ".join(str(show(k)) for k in sorted(only_exp, key=str)[:3])
            )
        if only_act:
            differences.append(
                f"{len(only_act)} key(s) not in the reference, e.g. "
                + "; ".join(str(show(k)) for k in sorted(only_act, key=str)[:3])
            )
        pairs = [(k, exp_by_key[k], act_by_key[k]) for k in sorted(exp_by_key, key=str) if k in act_by_key]
    else:
        pairs = [
            (None, e, a)
            for e, a in zip(sorted(exp_rows, key=_sort_key), sorted(act_rows, key=_sort_key))
        ]

    differing_rows = 0
    for key, exp_row, act_row in pairs:
        cells = [
            f"{col}: {exp_row[i]!r} != {act_row[i]!r}"
            for i, col in enumerate(columns)
            if not values_equal(exp_row[i], act_row[i], tolerance)
        ]
        if cells:
            differing_rows += 1
            if differing_rows <= MAX_REPORTED:
                where = dict(zip(keys, [part[1] for part in key])) if key else "row"
                differences.append(f"{where}: " + ", ".join(cells))
    if differing_rows > MAX_REPORTED:
        differences.append(f"... {differing_rows - MAX_REPORTED} more differing rows")
    if differing_rows:
        differences.insert(0, f"{differing_rows} of {len(pairs)} matched rows differ (reference != this engine)")
    problems.extend(f"{name}: {d}" for d in differences)
    return problems
