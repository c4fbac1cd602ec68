"""One sample per request, and the figures of a run computed from all of its samples.

Definitions (vLLM `benchmark_serving`, llmperf), over the counted samples of one provider (warm-up excluded):

- TTFT: request sent → first chunk carrying output. Over successful requests.
- ITL (inter-token latency): every gap between two consecutive text chunks of a request, pooled over all requests
  (vLLM), so a long answer weighs more than a short one.
- TPOT (time per output token): per request, (latency − TTFT) ÷ (output tokens − 1), for answers of 2+ tokens.
- E2E latency: request sent → last byte of the answer.
- Output tok/s per request: output tokens ÷ E2E latency (llmperf); total: all output tokens ÷ run duration.
- Duration: first scheduled send → last request finished. Achieved req/s: requests sent ÷ the sending window
  (first to last send, or the configured duration when longer), against the offered rate.
  Throughput req/s: successful requests ÷ duration. Goodput: successful requests meeting every SLO ÷ duration.
- Percentiles interpolate linearly between ranks (numpy's default, as `playground.stats`).
Merged samples (Ray workers) give exactly the figures of one process that made them all: nothing is averaged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..stats import percentile

PERCENTILES = (50, 90, 99)
TIMINGS = ("ttft_s", "itl_s", "tpot_s", "latency_s", "tokens_per_s")


@dataclass
class Sample:
    provider: str
    index: int  # order of scheduling within its provider (and worker)
    scheduled_s: float  # when it was due, seconds after the run started
    sent_s: float | None = None  # when it was sent (the runner's clock), seconds after the run started
    ok: bool = False
    error_kind: str | None = None
    status: str = "done"  # done | error | cancelled
    ttft_s: float | None = None
    latency_s: float | None = None  # a failure's: the time until its error came (figures use successes only)
    output_tokens: int | None = None
    input_tokens: int | None = None
    cost_usd: float | None = None
    retry_after_s: float | None = None
    gaps_s: list[float] = field(default_factory=list)  # between consecutive text chunks
    warmup: bool = False
    routing: str = "routed"
    worker: int = 0

    @property
    def finished_s(self) -> float | None:
        if self.sent_s is None or self.latency_s is None:
            return None
        return self.sent_s + self.latency_s

    @property
    def tpot_s(self) -> float | None:
        if self.latency_s is None or self.ttft_s is None or not self.output_tokens or self.output_tokens < 2:
            return None
        return (self.latency_s - self.ttft_s) / (self.output_tokens - 1)

    @property
    def tokens_per_s(self) -> float | None:
        if not self.output_tokens or not self.latency_s:
            return None
        return self.output_tokens / self.latency_s

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sample:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class SLO:
    ttft_s: float | None = None
    tpot_s: float | None = None
    latency_s: float | None = None

    def met(self, sample: Sample) -> bool:
        checks = ((self.ttft_s, sample.ttft_s), (self.tpot_s, sample.tpot_s), (self.latency_s, sample.latency_s))
        return sample.ok and all(limit is None or (value is not None and value <= limit) for limit, value in checks)


def spread(values: Sequence[float]) -> dict[str, float | None]:
    figures: dict[str, float | None] = {f"p{q}": percentile(values, q) for q in PERCENTILES}
    figures["mean"] = sum(values) / len(values) if values else None
    figures["max"] = max(values) if values else None
    return figures


def _timing_values(ok: Sequence[Sample], name: str) -> list[float]:
    if name == "itl_s":
        return [gap for s in ok for gap in s.gaps_s]
    values = (getattr(s, name) for s in ok)
    return [float(v) for v in values if v is not None]


def _duration(samples: Sequence[Sample]) -> float:
    ends = [s.finished_s or s.sent_s or s.scheduled_s for s in samples]
    starts = [s.scheduled_s for s in samples]
    return max(ends) - min(starts) if samples else 0.0


def achieved_rps(samples: Sequence[Sample], duration_s: float | None) -> float | None:
    """Requests sent per second: over the configured duration (or longer, when sends ran late), else from the
    first send to the last ((n − 1) gaps)."""
    sends = sorted(s.sent_s for s in samples if s.sent_s is not None)
    if duration_s:
        return len(sends) / max(duration_s, sends[-1] - sends[0]) if sends else None
    return (len(sends) - 1) / (sends[-1] - sends[0]) if len(sends) > 1 and sends[-1] > sends[0] else None


def provider_figures(samples: Sequence[Sample], slo: SLO = SLO(), offered_rps: float | None = None,
                     duration_s: float | None = None) -> dict[str, Any]:
    """The figures of one provider's counted samples."""
    ok = [s for s in samples if s.ok]
    duration = _duration(samples)
    sent = [s for s in samples if s.sent_s is not None]
    costs = [s.cost_usd for s in ok]
    tokens = [s.output_tokens for s in ok if s.output_tokens is not None]
    figures: dict[str, Any] = {
        "provider": samples[0].provider if samples else None,
        "requests": len(samples),
        "ok": len(ok),
        "errors": dict(Counter(s.error_kind or "unknown" for s in samples if not s.ok and s.status != "cancelled")),
        "cancelled": sum(s.status == "cancelled" for s in samples),
        "rate_limited": sum(s.error_kind == "rate_limit" for s in samples),
        "retry_after_s": spread([s.retry_after_s for s in samples if s.retry_after_s is not None]),
        "duration_s": duration,
        "offered_rps": offered_rps,
        "achieved_rps": achieved_rps(samples, duration_s),
        "throughput_rps": len(ok) / duration if duration else None,
        "goodput_rps": sum(slo.met(s) for s in samples) / duration if duration else None,
        "output_tokens": sum(tokens),
        "output_tokens_per_s": sum(tokens) / duration if duration and tokens else None,  # None: no tokens (one-shot)
        "cost_usd": float(sum(costs)) if costs and None not in costs else None,  # type: ignore[arg-type]
        "send_lag_s": spread([s.sent_s - s.scheduled_s for s in sent if s.sent_s is not None]),
    }
    for name in TIMINGS:
        figures[name] = spread(_timing_values(ok, name))
    return figures


def figures(samples: Iterable[Sample], slo: SLO = SLO(), offered_rps: float | None = None,
            duration_s: float | None = None) -> list[dict[str, Any]]:
    """Per provider (in order of first appearance), over the counted samples; warm-up ones count nowhere."""
    by_provider: dict[str, list[Sample]] = {}
    for sample in samples:
        if not sample.warmup:
            by_provider.setdefault(sample.provider, []).append(sample)
    return [provider_figures(group, slo, offered_rps, duration_s) for group in by_provider.values()]


def merge(*shards: Iterable[Sample]) -> list[Sample]:
    """Samples of several load generators as one run's: all of them, ordered by when they were due."""
    return sorted((s for shard in shards for s in shard), key=lambda s: (s.scheduled_s, s.worker, s.index))
