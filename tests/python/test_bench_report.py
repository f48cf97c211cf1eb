"""bench/run_bench.py's results README: each round's own ratio and share.

The table divides the best times of N rounds; a target met only by that best may be met
at the margin, so the README lists every round's figures as well. No benchmark runs here:
hand-made results stand in for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import run_bench  # noqa: E402


def _round(daily, handwritten, incremental_models, models):
    return {"daily_models_s": daily, "handwritten_s": handwritten,
            "incremental_models_s": incremental_models, "models_s": models}


def test_each_round_has_its_own_ratio_and_share():
    results = [
        {"scale": "M", "rounds": [_round(16.0, 10.0, 8.0, 32.0), _round(15.0, 12.0, 6.0, 30.0)]},
        {"scale": "L", "rounds": [_round(70.0, 50.0, 20.0, 100.0)]},  # one round: nothing to add
        {"scale": "S", "rounds": [_round(4.0, None, 3.0, 6.0), _round(3.0, 1.5, 3.0, 6.0)]},
    ]
    assert run_bench._round_lines(results) == [
        "- M, each round: ratio 1.60 / 1.25; incr. share 0.25 / 0.20.",
        "- S, each round: ratio n/a / 2.00; incr. share 0.50 / 0.50.",
        "",
    ]


def test_no_repeated_scale_adds_nothing():
    assert run_bench._round_lines([{"scale": "XS", "rounds": []}, {"scale": "S"}]) == []
