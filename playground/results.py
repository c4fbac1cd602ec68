"""What one call produced (Result), what one comparison produced (Comparison), and their tables."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

TABLE_COLUMNS = {
    "provider": "Provider",
    "run": "Run",
    "state": "State",
    "routing": "Routing",
    "ttft_s": "TTFT (s)",
    "latency_s": "Latency (s)",
    "output_tokens": "Output tokens",
    "tokens_per_s": "Output speed (tok/s)",
    "cost_usd": "Cost (USD)",
    "error_kind": "Error",
}


def output_speed(tokens: int | None, first_at: float | None, last_at: float | None) -> float | None:
    """Tokens after the first, divided by the time between the first and the last text chunk (Artificial Analysis)."""
    if not tokens or tokens < 2 or first_at is None or last_at is None or last_at <= first_at:
        return None
    return (tokens - 1) / (last_at - first_at)


def cost(input_tokens: int | None, output_tokens: int | None, pricing: dict[str, float] | None) -> float | None:
    """USD from usage × the router's per-million-token pricing; None when either is unknown (never guessed)."""
    if not pricing or input_tokens is None or output_tokens is None:
        return None
    if pricing.get("input") is None or pricing.get("output") is None:
        return None
    return (input_tokens * float(pricing["input"]) + output_tokens * float(pricing["output"])) / 1_000_000


@dataclass
class Result:
    provider: str
    model: str
    task: str
    run: int = 1
    routing: str = "routed"  # "routed" through Hugging Face, or "direct" with the provider's own key
    state: str = "waiting"  # waiting → running → streaming → done | error | cancelled
    ok: bool = False
    error: str | None = None
    error_kind: str | None = None
    fix: str | None = None
    answered_by: str | None = None
    latency_s: float | None = None
    ttft_s: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    tokens_estimated: bool = False
    tokens_per_s: float | None = None
    cost_usd: float | None = None
    text: str | None = None
    image: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    video: dict[str, Any] | None = None
    embedding: dict[str, Any] | None = None
    labels: list[dict[str, Any]] | None = None
    entities: list[dict[str, Any]] | None = None
    boxes: list[dict[str, Any]] | None = None
    file: str | None = None  # a local path to a media output, for the UI
    finish_reason: str | None = None
    started_at: float = field(default_factory=time.time)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "error", "cancelled")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("file")
        return data


@dataclass
class Comparison:
    task: str
    model: str
    params: dict[str, Any]
    prompt: str = ""
    results: list[Result] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    wall_s: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return all(r.finished for r in self.results)

    def table(self) -> pd.DataFrame:
        frame = pd.DataFrame([r.to_json() for r in self.results], columns=list(TABLE_COLUMNS))
        return frame.rename(columns=TABLE_COLUMNS)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "task": self.task,
            "model": self.model,
            "params": self.params,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "wall_s": self.wall_s,
            "warnings": self.warnings,
            "results": [r.to_json() for r in self.results],
        }
