"""The row-by-row comparison the engine tests rely on finds what it must (offline, fast)."""

from __future__ import annotations

from portability_compare import compare_marts, values_equal


def mart(rows, keys=("account_id", "date_day"), columns=("account_id", "date_day", "pct", "band", "flag")):
    return {"model": "m", "keys": list(keys), "columns": list(columns), "rows": [list(r) for r in rows]}


REFERENCE = mart([
    ("a1", "2025-01-01", 50.0, "at_risk", True),
    ("a1", "2025-01-02", 80.0, "strong", False),
    ("a2", "2025-01-01", None, None, None),
])


def test_equal_marts_within_tolerance_and_in_any_order():
    other = mart([
        ("a2", "2025-01-01", None, None, None),
        ("a1", "2025-01-02", 80.004, "strong", False),
        ("a1", "2025-01-01", 49.995, "at_risk", True),
    ])
    assert compare_marts(REFERENCE, other) == []


def test_columns_in_another_order_are_matched_by_name():
    other = mart(
        [(r[4], r[3], r[2], r[1], r[0]) for r in REFERENCE["rows"]],
        columns=("flag", "band", "pct", "date_day", "account_id"),
    )
    assert compare_marts(REFERENCE, other) == []


def test_a_number_off_by_more_than_the_tolerance_fails():
    other = mart([
        ("a1", "2025-01-01", 50.02, "at_risk", True),
        ("a1", "2025-01-02", 80.0, "strong", False),
        ("a2", "2025-01-01", None, None, None),
    ])
    problems = compare_marts(REFERENCE, other)
    assert any("pct: 50.0 != 50.02" in p for p in problems), problems


def test_missing_and_extra_keys_fail():
    other = mart([
        ("a1", "2025-01-01", 50.0, "at_risk", True),
        ("a1", "2025-01-03", 80.0, "strong", False),
        ("a2", "2025-01-01", None, None, None),
    ])
    problems = "\n".join(compare_marts(REFERENCE, other))
    assert "1 key(s) missing on this engine" in problems
    assert "1 key(s) not in the reference" in problems


def test_null_text_bool_and_type_differences_fail():
    other = mart([
        ("a1", "2025-01-01", 50.0, "None", 1),  # text 'None' is not null; 1 is not true
        ("a1", "2025-01-02 00:00:00", 80.0, "strong", False),  # a timestamp is not a date
        ("a2", "2025-01-01", 0.0, None, None),  # 0 is not null
    ])
    problems = "\n".join(compare_marts(REFERENCE, other))
    assert "band: 'at_risk' != 'None'" in problems
    assert "flag: True != 1" in problems
    assert "key(s) missing" in problems
    assert "pct: None != 0.0" in problems


def test_row_counts_and_columns_are_checked():
    other = mart(REFERENCE["rows"][:2], columns=("account_id", "date_day", "pct", "band", "flag"))
    assert any("2 rows, reference has 3" in p for p in compare_marts(REFERENCE, other))
    fewer = mart([r[:4] for r in REFERENCE["rows"]], columns=("account_id", "date_day", "pct", "band"))
    assert any("missing ['flag']" in p for p in compare_marts(REFERENCE, fewer))


def test_marts_without_a_key_are_compared_as_sorted_rows():
    reference = mart([("x", 1.0), ("y", 2.0)], keys=(), columns=("k", "v"))
    assert compare_marts(reference, mart([("y", 2.001), ("x", 1.0)], keys=(), columns=("k", "v"))) == []
    assert compare_marts(reference, mart([("y", 2.5), ("x", 1.0)], keys=(), columns=("k", "v")))


def test_values_equal():
    assert values_equal(None, None)
    assert not values_equal(None, 0)
    assert values_equal(1, 1.004)
    assert not values_equal(True, 1)
    assert values_equal("2025-01-01", "2025-01-01")
    assert not values_equal("1", 1)
