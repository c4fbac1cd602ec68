"""The figures as text (the CLI's table and progress line) and as frames for the tab's tables and plots."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import units
from ..stats import percentile
from .metrics import Sample

TIMING_ROWS = (("TTFT ms", "ttft_s", 1000), ("ITL ms", "itl_s", 1000), ("TPOT ms", "tpot_s", 1000),
               ("Latency ms", "latency_s", 1000), ("Tok/s per req", "tokens_per_s", 1))
STATS = ("p50", "p90", "p99", "mean")


def significant(value: float | None, digits: int = 3) -> float | None:
    """`digits` significant figures, never fewer than the integer part: 1234.5 → 1234, 27.43 → 27.4, 3.421 → 3.42."""
    if value is None or value != value:
        return None
    if value == 0:
        return 0.0
    return round(float(value), max(0, digits - 1 - math.floor(math.log10(abs(value)))))


def progress_line(samples: Sequence[Sample], total: int | None) -> str:
    counted = [s for s in samples if not s.warmup]
    ok = [s.ttft_s for s in counted if s.ok and s.ttft_s is not None]
    failed = sum(not s.ok for s in counted)
    of = f"/{total}" if total else ""
    first = f", TTFT p50 {significant(_ms(percentile(ok, 50))):g} ms" if ok else ""
    return f"{len(counted)}{of} requests, {failed} failed{first}"


def timings_frame(figures: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per provider and timing (only timings some provider has: one-shot tasks have latency only)."""
    rows = []
    for label, name, scale in TIMING_ROWS:
        if all(f[name]["p50"] is None for f in figures):
            continue
        for f in figures:
            rows.append({"Provider": f["provider"], "Figure": label,
                         **{stat: significant(None if f[name][stat] is None else f[name][stat] * scale) for stat in STATS}})
    return pd.DataFrame(rows, columns=["Provider", "Figure", *STATS])


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _usd(value: float | None) -> str:
    return "—" if value is None else units.usd(value)


def _errors(kinds: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "none"


def totals_frame(figures: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per provider: counts, rates (req/s, 2 decimals), throughput, errors and 429s with their Retry-After."""
    rows = [{"Provider": f["provider"], "Requests": f["requests"], "Succeeded": f["ok"], "Errors": _errors(f["errors"]),
             "429s": f["rate_limited"], "Retry-After p50 (s)": significant(f["retry_after_s"]["p50"]),
             "Retry-After max (s)": significant(f["retry_after_s"]["max"]),
             "Offered req/s": _rate(f["offered_rps"]), "Achieved req/s": _rate(f["achieved_rps"]),
             "Throughput req/s": _rate(f["throughput_rps"]), "Goodput req/s": _rate(f["goodput_rps"]),
             "Output tok/s (total)": significant(f["output_tokens_per_s"]), "Cost": _usd(f["cost_usd"]),
             "Duration (s)": significant(f["duration_s"]), "Send lag p50 (ms)": significant(_ms(f["send_lag_s"]["p50"]))}
            for f in figures]
    return pd.DataFrame(rows)


def _ms(value: float | None) -> float | None:
    return None if value is None else value * 1000


def compare_frame(runs: Sequence[tuple[str, Sequence[dict[str, Any]]]]) -> pd.DataFrame:
    """Saved runs side by side, one row per run and provider: the headline figures, rounded as the tables above."""
    rows = []
    for run_id, figures in runs:
        for f in figures:
            ms = {label: significant(_ms(f[name][stat])) for label, name, stat in (
                ("TTFT p50 ms", "ttft_s", "p50"), ("TTFT p99 ms", "ttft_s", "p99"), ("TPOT p50 ms", "tpot_s", "p50"),
                ("Latency p50 ms", "latency_s", "p50"), ("Latency p99 ms", "latency_s", "p99"))}
            rows.append({"Run": run_id, "Provider": f["provider"], "Requests": f["requests"], "Succeeded": f["ok"], **ms,
                         "Throughput req/s": _rate(f["throughput_rps"]), "Goodput req/s": _rate(f["goodput_rps"]),
                         "Output tok/s (total)": significant(f["output_tokens_per_s"])})
    return pd.DataFrame(rows)


ROUTER_FIGURES = (("TTFT p50", "ttft_s", "p50"), ("TTFT p90", "ttft_s", "p90"), ("Latency p50", "latency_s", "p50"),
                  ("Latency p90", "latency_s", "p90"))


def router_frame(figures: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """For each provider run both ways (`provider · routed`, `provider · direct`): routed, direct, and what the
    router adds (routed − direct), in ms."""
    by_lane = {f["provider"]: f for f in figures}
    rows = []
    for lane, routed in by_lane.items():
        provider = lane.removesuffix(" · routed")
        direct = by_lane.get(f"{provider} · direct")
        if lane == provider or direct is None:
            continue
        for label, name, stat in ROUTER_FIGURES:
            a, b = routed[name][stat], direct[name][stat]
            rows.append({"Provider": provider, "Figure": f"{label} ms", "Routed": significant(_ms(a)),
                         "Direct": significant(_ms(b)),
                         "Router adds": None if a is None or b is None else significant(_ms(a - b))})
    return pd.DataFrame(rows, columns=["Provider", "Figure", "Routed", "Direct", "Router adds"])


def _text(frame: pd.DataFrame) -> str:
    shown = frame.astype(object).map(lambda v: "—" if v is None or v != v else (f"{v:g}" if isinstance(v, float) else str(v)))
    return shown.to_string(index=False)


def table(figures: Sequence[dict[str, Any]]) -> str:
    """The CLI's figures: timings, then totals with one provider per column (a terminal is narrower than a page)."""
    totals = totals_frame(figures).set_index("Provider").T.reset_index(names="Figure")
    router = router_frame(figures)
    extra = "" if router.empty else "\n\nWhat the router adds (routed − direct):\n" + _text(router)
    return _text(timings_frame(figures)) + "\n\n" + _text(totals) + extra


def cdf_frame(samples: Sequence[Sample], metric: str) -> pd.DataFrame:
    """Empirical CDF of a per-request metric (ttft_s, latency_s), per provider: x, share of requests ≤ x."""
    rows: list[dict[str, Any]] = []
    for provider in dict.fromkeys(s.provider for s in samples):
        values = sorted(v for s in samples if s.provider == provider and s.ok and not s.warmup
                        for v in [getattr(s, metric)] if v is not None)
        rows.extend({"provider": provider, "seconds": v, "share": (i + 1) / len(values)} for i, v in enumerate(values))
    return pd.DataFrame(rows, columns=["provider", "seconds", "share"])


def outcome(sample: Sample) -> str:
    return "ok" if sample.ok else ("429" if sample.error_kind == "rate_limit" else (sample.error_kind or sample.status))


def over_time_frame(samples: Sequence[Sample]) -> pd.DataFrame:
    """Each request: when it was sent (s into the run), its latency (for a failure: the time until the error came),
    its outcome (ok, 429, or the error kind) and its series, `provider · outcome`, so throttling shows by colour."""
    rows = [{"provider": s.provider, "sent_s": s.sent_s, "latency_s": s.latency_s or 0.0, "outcome": outcome(s),
             "series": f"{s.provider} · {outcome(s)}"}
            for s in samples if s.sent_s is not None and not s.warmup]
    return pd.DataFrame(rows, columns=["provider", "sent_s", "latency_s", "outcome", "series"])
