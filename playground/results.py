"""What one call produced (Result), what one comparison produced (Comparison), and their tables."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pandas as pd

from .outputs import similarity_json, similarity_matrix

TABLE_COLUMNS = {
    "provider": "Provider",
    "run": "Run",
    "state": "State",
    "routing": "Routing",
    "ttft_s": "TTFT (s)",
    "answer_ttft_s": "Answer TTFT (s)",
    "latency_s": "Latency (s)",
    "output_tokens": "Output tokens",
    "reasoning_tokens": "Thinking tokens",
    "tokens_estimated": "Tokens estimated",
    "tokens_per_s": "Output speed (tok/s)",
    "cost_usd": "Cost (USD)",
    "summary": "Output",
    "error_kind": "Error",
}


def output_speed(tokens: int | None, first_at: float | None, last_at: float | None) -> float | None:
    """Tokens after the first, divided by the time between the first and the last text chunk (Artificial Analysis)."""
    if not tokens or tokens < 2 or first_at is None or last_at is None or last_at <= first_at:
        return None
    return (tokens - 1) / (last_at - first_at)


def estimate_tokens(chunks: int, text: str) -> int:
    """Output tokens when the provider sends no usage: one per text chunk, unless the text is longer than that
    (providers that send several tokens per chunk); about 4 characters per token is the usual rule for English."""
    return max(chunks, math.ceil(len(text) / 4))


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
    warmup: bool = False  # run 0, not counted in statistics
    routing: str = "routed"  # "routed" through Hugging Face, or "direct" with the provider's own key
    state: str = "waiting"  # waiting → running → streaming → done | error | cancelled
    ok: bool = False
    error: str | None = None
    error_kind: str | None = None
    fix: str | None = None
    answered_by: str | None = None  # the provider that served it: the router's x-inference-provider, else the one asked
    served_model: str | None = None  # the model id the provider's answer names (its own id for the model)
    bill_to: str | None = None  # the organisation a routed call was billed to (X-HF-Bill-To)
    latency_s: float | None = None
    ttft_s: float | None = None  # first output of any kind: thinking, answer text or a tool-call delta
    answer_ttft_s: float | None = None  # first token of the answer proper (after any thinking)
    input_tokens: int | None = None
    output_tokens: int | None = None
    tokens_estimated: bool = False
    tokens_per_s: float | None = None
    cost_usd: float | None = None
    # The output, in the fields its kind uses (see outputs.py): one line for tables, then the details.
    summary: str | None = None
    text: str | None = None
    reasoning: str | None = None  # a reasoning model's thinking, apart from the answer in `text`
    reasoning_tokens: int | None = None
    reasoning_estimated: bool = False  # counted here: the provider's usage did not say
    reasoning_s: float | None = None  # how long it thought: first thinking token → first answer token
    image: dict[str, Any] | None = None  # width, height, format, bytes, mode
    audio: dict[str, Any] | None = None  # format, bytes, duration_s, sample_rate, channels
    video: dict[str, Any] | None = None  # format, bytes, duration_s, width, height
    embedding: dict[str, Any] | None = None  # dimensions, norm, preview, shape, pooled
    labels: list[dict[str, Any]] | None = None  # [{label, score}], best first
    entities: list[dict[str, Any]] | None = None  # [{entity_group, word, start, end, score}]
    boxes: list[dict[str, Any]] | None = None  # [{label, score, box: {xmin, ymin, xmax, ymax}}]
    masks: list[dict[str, Any]] | None = None  # [{label, score, width, height, coverage}]
    file: str | None = None  # a local path to a media output, for the UI; not in the JSON
    vector: list[float] | None = field(default=None, repr=False)  # the full embedding; not in the JSON
    # Chat with tools or a response_format: each call judged against its tool's schema; the answer against the format.
    tool_calls: list[dict[str, Any]] | None = None  # [{id, name, arguments, arguments_json, valid_json, matches_schema, errors}]
    structured: dict[str, Any] | None = None  # {valid_json, matches_schema, errors}
    finish_reason: str | None = None
    # Phases in seconds (runner.timings): queued_s, connect_s (None when not measured), ttfb_s, ttft_s, latency_s.
    timings: dict[str, float | None] | None = None
    started_at: float = field(default_factory=time.time)
    # perf_counter() readings (CLOCK_MONOTONIC: comparable with the simulator's records), for benchmarks only.
    called_at: float | None = field(default=None, repr=False)
    sent_at: float | None = field(default=None, repr=False)
    first_token_at: float | None = field(default=None, repr=False)
    chunk_times: list[float] | None = field(default=None, repr=False)  # set to [] to collect each text chunk's arrival
    retry_after_s: float | None = None  # a 429's Retry-After, in seconds

    @property
    def finished(self) -> bool:
        return self.state in ("done", "error", "cancelled")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for private in ("file", "vector", "called_at", "sent_at", "first_token_at", "chunk_times"):
            data.pop(private)
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

    def similarity(self) -> pd.DataFrame:
        """Cosine similarity between the providers' embeddings (empty for other tasks)."""
        return similarity_matrix(self.results)

    def table(self) -> pd.DataFrame:
        frame = pd.DataFrame([r.to_json() for r in self.results], columns=list(TABLE_COLUMNS))
        frame = frame.round({"ttft_s": 3, "answer_ttft_s": 3, "latency_s": 3, "tokens_per_s": 1, "cost_usd": 7})
        return frame.rename(columns=TABLE_COLUMNS)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comparison:
        """A saved comparison back as objects (media files are not kept, so outputs show as their descriptions)."""
        known = {f.name for f in fields(Result)}
        results = [Result(**{k: v for k, v in row.items() if k in known}) for row in data.get("results", [])]
        keep = {k: data[k] for k in ("id", "started_at", "finished_at", "wall_s", "warnings", "prompt") if k in data}
        return cls(task=data["task"], model=data["model"], params=data.get("params", {}), results=results, **keep)

    def to_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "task": self.task,
            "model": self.model,
            "params": self.params,
            "prompt": self.prompt,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "wall_s": self.wall_s,
            "warnings": self.warnings,
            "results": [r.to_json() for r in self.results],
        }
        similarity = similarity_json(self.results)
        if similarity:
            data["similarity"] = similarity
        return data
