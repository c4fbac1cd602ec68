"""Per-provider statistics over the runs of a comparison, and a per-model leaderboard over many comparisons.

Which runs count: finished ones (`done` or `error`); warm-up runs and runs that never ended (cancelled, still
going) count nowhere. Timings, speeds and tokens are taken over successful runs only; the error rate over all
counted runs.

Percentiles use linear interpolation between the two closest ranks: numpy's default (`method="linear"`,
Hyndman & Fan type 7, also Excel's PERCENTILE.INC). With sorted values x[0..n-1], the q-th percentile sits at
rank h = (n - 1) * q / 100 and is x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]):
the p90 of [1, 2, 3, 4] is 3.7, the median of [1, 2, 3, 4] is 2.5.

Cost is the sum of the successful runs' `cost_usd`; when any of them is unknown (no pricing or no usage) the
total and the per-request cost are None: unknown is never counted as zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .model import Comparison, Result

PERCENTILE_METHOD = "linear"
METRICS = ("ttft_s", "answer_ttft_s", "latency_s", "tokens_per_s")
STATISTICS = ("median", "p90", "min", "max")
FINISHED = ("done", "error")

Row = Mapping[str, Any]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation (numpy's default), in plain Python: a handful of values
    per comparison cost numpy more in converting them than in sorting them."""
    if not values:
        return None
    ordered = sorted(float(v) for v in values)
    position = q / 100 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def describe(values: Sequence[float]) -> dict[str, float | None]:
    return {
        "median": percentile(values, 50),
        "p90": percentile(values, 90),
        "min": float(min(values)) if values else None,
        "max": float(max(values)) if values else None,
    }


def is_warmup(result: Result | Row) -> bool:
    if isinstance(result, Mapping):
        return bool(result.get("warmup", False))
    return bool(getattr(result, "warmup", False))


def counted(results: Iterable[Result | Row]) -> list[dict[str, Any]]:
    """The runs that count, as plain dicts (a live `Result` or a row loaded from history alike)."""
    rows = [dict(r) if isinstance(r, Mapping) else r.to_json() | {"warmup": is_warmup(r)} for r in results]
    return [r for r in rows if not is_warmup(r) and r.get("state") in FINISHED]


def _values(rows: Iterable[Row], name: str) -> list[float]:
    return [float(r[name]) for r in rows if r.get(name) is not None]


def _total_cost(ok: Sequence[Row]) -> float | None:
    costs = [r.get("cost_usd") for r in ok]
    if not costs or any(c is None for c in costs):
        return None
    return float(sum(c for c in costs if c is not None))


def provider_stats(rows: Sequence[Row]) -> dict[str, Any]:
    """Statistics of one provider's counted runs (all of the same provider and routing)."""
    ok = [r for r in rows if r.get("ok")]
    errors = len(rows) - len(ok)
    stats: dict[str, Any] = {
        "provider": rows[0]["provider"],
        "routing": rows[0].get("routing"),
        "runs": len(rows),
        "ok": len(ok),
        "errors": errors,
        "error_rate": errors / len(rows),
        "error_kinds": dict(Counter(r.get("error_kind") or "unknown" for r in rows if not r.get("ok"))),
        "answered_by": sorted({r["answered_by"] for r in ok if r.get("answered_by")}),
    }
    for metric in METRICS:
        for name, value in describe(_values(ok, metric)).items():
            stats[f"{metric}_{name}"] = value
    tokens = _values(ok, "output_tokens")
    stats["output_tokens_mean"] = sum(tokens) / len(tokens) if tokens else None
    stats["tokens_estimated"] = any(r.get("tokens_estimated") for r in ok)
    total = _total_cost(ok)
    stats["cost_total_usd"] = total
    stats["cost_per_request_usd"] = total / len(ok) if total is not None else None
    stats.update(verdict_rates(ok))
    return stats


def _rate(verdicts: Sequence[Row]) -> float | None:
    return sum(bool(v.get("matches_schema")) for v in verdicts) / len(verdicts) if verdicts else None


def verdict_rates(ok: Sequence[Row]) -> dict[str, Any]:
    """Tool-call validity (calls whose arguments are JSON that fits the tool's schema, over every call made) and
    schema match (structured answers that fit, over every answer judged); None when there was nothing to judge."""
    calls = [call for r in ok for call in r.get("tool_calls") or ()]
    answers = [r["structured"] for r in ok if r.get("structured")]
    return {"tool_calls": len(calls), "tool_call_valid_rate": _rate(calls),
            "structured_answers": len(answers), "schema_match_rate": _rate(answers)}


def _grouped(rows: Iterable[Row]) -> list[list[Row]]:
    """Rows grouped by (provider, routing), in order of first appearance."""
    groups: dict[tuple[str, Any], list[Row]] = {}
    for row in rows:
        groups.setdefault((row["provider"], row.get("routing")), []).append(row)
    return list(groups.values())


def provider_rows(results: Iterable[Result | Row]) -> list[dict[str, Any]]:
    """One JSON-able dict of statistics per provider (and routing), in the order providers first appear."""
    return [provider_stats(group) for group in _grouped(counted(results))]


def frame(rows: Sequence[Row]) -> pd.DataFrame:
    """Statistics rows as a DataFrame; unknown values are NaN/None there, never 0."""
    data = [{**row, "error_kinds": _kinds_text(row["error_kinds"]), "answered_by": ", ".join(row["answered_by"])} for row in rows]
    return pd.DataFrame(data, columns=_COLUMNS)


def _kinds_text(kinds: Mapping[str, int]) -> str:
    return ", ".join(f"{kind} ×{count}" for kind, count in sorted(kinds.items()))


_COLUMNS = [
    "provider",
    "routing",
    "runs",
    "ok",
    "errors",
    "error_rate",
    "error_kinds",
    "answered_by",
    *(f"{metric}_{name}" for metric in METRICS for name in STATISTICS),
    "output_tokens_mean",
    "tokens_estimated",
    "cost_total_usd",
    "cost_per_request_usd",
    "tool_calls",
    "tool_call_valid_rate",
    "structured_answers",
    "schema_match_rate",
]


def summary_frame(comparison: Comparison | Row) -> pd.DataFrame:
    """One row per provider: counts, error rate, median/p90/min/max of TTFT, latency and speed, tokens, cost."""
    return frame(provider_rows(_results(comparison)))


def summary(comparison: Comparison | Row) -> dict[str, Any]:
    """The `/compare` response's `summary`: JSON-able, None for unknown values."""
    results = _results(comparison)
    return {
        "percentile_method": f"{PERCENTILE_METHOD} interpolation (numpy default, Hyndman & Fan type 7)",
        "timings_over": "successful runs; warm-up runs excluded",
        "warmup_runs_excluded": sum(1 for r in results if is_warmup(r)),
        "providers": provider_rows(results),
    }


def runs_frame(comparison: Comparison | Row) -> pd.DataFrame:
    """One row per counted successful run, for distribution plots (strip or box per provider)."""
    columns = ["provider", "routing", "run", *METRICS, "output_tokens", "cost_usd"]
    rows = [r for r in counted(_results(comparison)) if r.get("ok")]
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def medians_frame(comparison: Comparison | Row) -> pd.DataFrame:
    """Medians side by side in long form (provider, metric, median), for a grouped bar chart."""
    rows = provider_rows(_results(comparison))
    data = [{"provider": r["provider"], "metric": m, "median": r[f"{m}_median"]} for r in rows for m in METRICS]
    return pd.DataFrame(data, columns=["provider", "metric", "median"])


def measured_vs_advertised(comparison: Comparison | Row, advertised: Mapping[str, Row]) -> pd.DataFrame:
    """Measured medians next to the router's advertised `first_token_latency_ms` and `throughput`.

    `advertised` maps a provider to its `/providers` entry (`ProviderInfo.to_json()`); absent figures stay None.
    """
    data = []
    for row in provider_rows(_results(comparison)):
        info = advertised.get(row["provider"], {})
        ttft = row["ttft_s_median"]
        data.append(
            {
                "provider": row["provider"],
                "ttft_ms_measured": ttft * 1000 if ttft is not None else None,
                "ttft_ms_advertised": info.get("first_token_latency_ms"),
                "tokens_per_s_measured": row["tokens_per_s_median"],
                "tokens_per_s_advertised": info.get("throughput"),
            }
        )
    columns = ["provider", "ttft_ms_measured", "ttft_ms_advertised", "tokens_per_s_measured", "tokens_per_s_advertised"]
    return pd.DataFrame(data, columns=columns)


def leaderboard(comparisons: Iterable[Row], model: str | None = None) -> pd.DataFrame:
    """Per provider (and routing), all counted runs of many comparisons (as `Comparison.to_json()`) pooled.

    Pooling mixes prompts and parameters: it answers "how did this provider do here, over time", not a
    controlled benchmark. Sorted by median latency, fastest first, providers without a success last.
    """
    chosen = [c for c in comparisons if model is None or c.get("model") == model]
    seen: Counter[tuple[str, Any]] = Counter()
    last: dict[tuple[str, Any], float] = {}
    for comparison in chosen:
        for key in {(r["provider"], r.get("routing")) for r in counted(comparison.get("results", []))}:
            seen[key] += 1
            last[key] = max(last.get(key, 0.0), float(comparison.get("started_at") or 0.0))
    rows = provider_rows(r for c in chosen for r in c.get("results", []))
    board = frame(rows)
    keys = [(r["provider"], r["routing"]) for r in rows]
    board.insert(2, "comparisons", [seen[k] for k in keys])
    board["last_run_at"] = [last.get(k) for k in keys]
    return board.sort_values("latency_s_median", na_position="last", kind="stable").reset_index(drop=True)


def _results(comparison: Comparison | Row) -> list[Result | Row]:
    if isinstance(comparison, Comparison):
        return list(comparison.results)
    return list(comparison.get("results", []))
