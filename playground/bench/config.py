"""What a load test is asked to do: one JSON-serialisable dataclass, checked as a whole, shared by the CLI and the tab."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..tasks import TASKS, Task
from .metrics import SLO

SHAPES = ("concurrency", "rate")
ARRIVALS = ("poisson", "constant")
ORDERS = ("parallel", "sequential")
MAX_REQUESTS = 100_000
MAX_CONCURRENCY = 4096
MAX_DURATION_S = 24 * 3600


def testable(task: Task) -> bool:
    """Load tests send prompts: a task qualifies when a prompt is all it needs (chat's system prompt is optional)."""
    return [kind for kind in task.inputs if kind not in task.optional] == ["prompt"]


TASK_IDS = tuple(task.id for task in TASKS.values() if testable(task))


class InvalidBench(ValueError):
    """The load test asked for is wrong: the message says what to fix."""


@dataclass(frozen=True)
class BenchConfig:
    model: str
    providers: tuple[str, ...]
    task: str = "conversational"
    shape: str = "concurrency"  # "concurrency": that many requests always in flight; "rate": requests per second
    concurrency: int = 8
    rate: float = 1.0
    arrivals: str = "poisson"
    requests: int | None = 100  # per provider; or None with duration_s
    duration_s: float | None = None
    warmup: int = 0  # per provider, sent first and not counted
    order: str = "parallel"  # providers side by side, or one after another
    max_tokens: int = 128
    input_tokens: int = 64  # synthetic prompts: about this many tokens each
    prompts_file: str | None = None  # JSONL, one {"prompt": …} (or "text") per line
    dataset: str | None = None  # a Hub dataset id: prompts from one of its text columns (dataset viewer API)
    dataset_column: str = "text"
    seed: int = 0
    slo: SLO = field(default_factory=SLO)
    cost_ceiling_usd: float | None = None
    max_error_rate: float | None = 0.5  # stop once more than this share of at least 20 finished requests failed
    temperature: float | None = None

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise InvalidBench(problem)

    def problem(self) -> str | None:
        checks = (
            (bool(self.model.strip()), "no model: give a Hub id like meta-llama/Llama-3.3-70B-Instruct"),
            (bool(self.providers), "no provider: name at least one"),
            (self.task in TASK_IDS, f"load tests send prompts, so the task must be one of {', '.join(TASK_IDS)}; "
                                    f"not {self.task!r}"),
            (self.shape in SHAPES, f"shape must be one of {', '.join(SHAPES)}, got {self.shape!r}"),
            (self.arrivals in ARRIVALS, f"arrivals must be one of {', '.join(ARRIVALS)}, got {self.arrivals!r}"),
            (self.order in ORDERS, f"order must be one of {', '.join(ORDERS)}, got {self.order!r}"),
            (not (self.prompts_file and self.dataset), "take prompts from a file or from a dataset, not both"),
            (1 <= self.concurrency <= MAX_CONCURRENCY, f"concurrency must be 1 to {MAX_CONCURRENCY}"),
            (math.isfinite(self.rate) and 0 < self.rate <= 10_000, "rate must be above 0 and at most 10000 requests/s"),
            ((self.requests is None) != (self.duration_s is None), "give either a number of requests or a duration, not both"),
            (self.requests is None or 1 <= self.requests <= MAX_REQUESTS, f"requests must be 1 to {MAX_REQUESTS:,}"),
            (self.duration_s is None or 0 < self.duration_s <= MAX_DURATION_S, "duration must be above 0 s and at most a day"),
            (0 <= self.warmup <= 1000, "warm-up must be 0 to 1000 requests"),
            (1 <= self.max_tokens <= 32_768, "max_tokens must be 1 to 32768"),
            (1 <= self.input_tokens <= 32_000, "input length must be 1 to 32000 tokens"),
            (self.cost_ceiling_usd is None or self.cost_ceiling_usd > 0, "the cost ceiling must be above 0 USD"),
            (self.max_error_rate is None or 0 < self.max_error_rate <= 1, "the error-rate threshold must be above 0 and at most 1"),
        )
        return next((message for ok, message in checks if not ok), None)

    @property
    def offered_rps(self) -> float | None:
        return self.rate if self.shape == "rate" else None

    def planned_requests(self) -> int | None:
        """Counted requests per provider, when known in advance (a duration at a fixed concurrency is not)."""
        if self.requests is not None:
            return self.requests
        if self.shape == "rate" and self.duration_s is not None:
            return max(1, round(self.rate * self.duration_s))
        return None

    @property
    def streams(self) -> bool:
        """Chat streams (TTFT, ITL, TPOT, tokens/s); every other task is one-shot: latency only."""
        return TASKS[self.task].streams

    def params(self) -> dict[str, Any]:
        """max_tokens and temperature where the task takes them (text generation calls it max_new_tokens)."""
        defaults = TASKS[self.task].defaults
        params: dict[str, Any] = {"stream": True} if self.streams else {}
        for name in ("max_tokens", "max_new_tokens"):
            if name in defaults:
                params[name] = self.max_tokens
        if self.temperature is not None and "temperature" in defaults:
            params["temperature"] = self.temperature
        return params

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["providers"] = list(self.providers)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BenchConfig:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["providers"] = tuple(values.get("providers") or ())
        values["slo"] = SLO(**(values.get("slo") or {}))
        return cls(**values)
