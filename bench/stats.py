"""Percentiles of the benchmark's timings, by the nearest-rank method (a p95 is a time some request took)."""

from __future__ import annotations

import math


def percentile(values: list[float], fraction: float) -> float:
    """Returns the nearest-rank percentile of ``values`` (seconds or anything); raises ValueError when empty."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def summary(seconds: list[float]) -> dict:
    """Returns p50 and p95 of timings given in seconds, in milliseconds (None when nothing was timed)."""
    if not seconds:
        return {"p50_ms": None, "p95_ms": None}
    return {"p50_ms": round(percentile(seconds, 0.50) * 1000, 2), "p95_ms": round(percentile(seconds, 0.95) * 1000, 2)}
