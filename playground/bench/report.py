"""The figures as text (the CLI's table and progress line) and as frames for the tab's tables and plots."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..stats import percentile
from .metrics import Sample

ROWS = (("TTFT (s)", "ttft_s", 1), ("ITL (ms)", "itl_s", 1000), ("TPOT (ms)", "tpot_s", 1000),
        ("E2E latency (s)", "latency_s", 1), ("Output tok/s per request", "tokens_per_s", 1))


def _number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def progress_line(samples: Sequence[Sample], total: int | None) -> str:
    counted = [s for s in samples if not s.warmup]
    ok = [s.ttft_s for s in counted if s.ok and s.ttft_s is not None]
    failed = sum(not s.ok for s in counted)
    of = f"/{total}" if total else ""
    return f"{len(counted)}{of} requests, {failed} failed, TTFT p50 {_number(percentile(ok, 50))} s"


def summary_frame(figures: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per figure and statistic, one column per provider."""
    rows: list[dict[str, Any]] = []
    for label, name, scale in ROWS:
        for stat in ("p50", "p90", "p99", "mean"):
            rows.append({"figure": f"{label} {stat}",
                         **{f["provider"]: _scaled(f[name][stat], scale) for f in figures}})
    for label, name in (("requests", "requests"), ("succeeded", "ok"), ("offered req/s", "offered_rps"),
                        ("achieved req/s", "achieved_rps"), ("throughput req/s", "throughput_rps"),
                        ("goodput req/s", "goodput_rps"), ("output tok/s total", "output_tokens_per_s"),
                        ("429s", "rate_limited"), ("cost (USD)", "cost_usd"), ("duration (s)", "duration_s")):
        rows.append({"figure": label, **{f["provider"]: f[name] for f in figures}})
    rows.append({"figure": "Retry-After p50 (s)", **{f["provider"]: f["retry_after_s"]["p50"] for f in figures}})
    rows.append({"figure": "errors", **{f["provider"]: _errors(f["errors"]) for f in figures}})
    return pd.DataFrame(rows)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def _errors(kinds: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "none"


def shown_frame(figures: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The summary as text: three decimals, — for unknown."""
    frame = summary_frame(figures).astype(object)
    return frame.map(lambda v: "—" if v is None or v != v else (f"{v:.3f}" if isinstance(v, float) else str(v)))


def table(figures: Sequence[dict[str, Any]]) -> str:
    return shown_frame(figures).to_string(index=False)


def cdf_frame(samples: Sequence[Sample], metric: str) -> pd.DataFrame:
    """Empirical CDF of a per-request metric (ttft_s, latency_s), per provider: x, share of requests ≤ x."""
    rows: list[dict[str, Any]] = []
    for provider in dict.fromkeys(s.provider for s in samples):
        values = sorted(v for s in samples if s.provider == provider and s.ok and not s.warmup
                        for v in [getattr(s, metric)] if v is not None)
        rows.extend({"provider": provider, "seconds": v, "share": (i + 1) / len(values)} for i, v in enumerate(values))
    return pd.DataFrame(rows, columns=["provider", "seconds", "share"])


def over_time_frame(samples: Sequence[Sample]) -> pd.DataFrame:
    """Each request: when it was sent (s into the run), its latency (0 for a failure without one), and whether it was
    rate-limited or failed."""
    rows = [{"provider": s.provider, "sent_s": s.sent_s, "latency_s": s.latency_s or 0.0,
             "outcome": "ok" if s.ok else ("429" if s.error_kind == "rate_limit" else (s.error_kind or s.status))}
            for s in samples if s.sent_s is not None and not s.warmup]
    return pd.DataFrame(rows, columns=["provider", "sent_s", "latency_s", "outcome"])
