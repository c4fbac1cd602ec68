"""The data model: what a person asks for (CompareRequest), what the runner does (Plan of Targets), and what came
back (a Comparison of Results). Data and its serialisation only: no HTTP client, no UI."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .tasks import CHAT, TASKS
from .vectors import cosine_matrix, matrix_json

if TYPE_CHECKING:
    from .catalog import ProviderInfo
    from .inputs import Inputs
    from .keys import Credential
    from .tasks import Task

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
# How a call's state reads, on its panel and in the table alike.
STATE_LABELS = {
    "waiting": "waiting",
    "running": "sent, waiting for the first token",
    "streaming": "streaming",
    "done": "done",
    "error": "failed",
    "cancelled": "stopped",
}
STREAM_ONLY = ("ttft_s", "output_tokens", "tokens_estimated", "tokens_per_s", "cost_usd")  # no meaning for one-shot tasks
CHAT_ONLY = ("answer_ttft_s", "reasoning_tokens")  # thinking apart from the answer: chat models only


@dataclass(frozen=True)
class CompareRequest:
    """One comparison as asked for: the `/compare` keywords (their names are the API contract), plus what only the
    UI gives (the signed-in visitor's `oauth_token`). Validated and turned into a `Plan` by planning."""

    task: str
    model: str
    providers: str | Sequence[str] | None
    prompt: str = ""
    input_file: str | Path | None = None
    api_key: str = field(default="", repr=False)
    provider_keys: str | Mapping[str, str] | None = field(default=None, repr=False)
    params_json: str | Mapping[str, Any] | None = None
    runs: int = 1
    labels: str | Sequence[str] = ""
    context: str = ""
    warmup: bool = False
    system: str = ""
    bill_to: str = ""  # an organisation to bill routed calls to (X-HF-Bill-To)
    conversation_json: str | Sequence[Any] | Mapping[str, Any] | None = None  # chat: earlier turns (messages.parse)
    oauth_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Target:
    """One provider to call, with the credential this request gives it."""

    provider: str
    info: ProviderInfo | None
    credential: Credential | None = field(repr=False)
    problem: str | None = None  # why it cannot be called with this credential; becomes a not_supported row

    @property
    def via_router(self) -> bool:
        return self.info is not None and self.info.via == "router"

    @property
    def routing(self) -> str:
        if self.via_router or self.provider == "hf-inference" or (self.credential and self.credential.is_hf_token):
            return "routed"
        return "direct"

    def sdk_call(self, model: str) -> tuple[str, str]:
        """(provider, model) as the SDK should be asked: router-only providers go through the auto-router as `model:provider`."""
        if self.via_router and self.info is not None:
            return "auto", self.info.router_model(model)
        return self.provider, model

    def answered_by(self, result: Result) -> str:
        """The provider that answered when no header says: a policy's choice when the body names it (`id:provider`)."""
        served = result.served_model
        if self.info is not None and self.info.is_policy and served and ":" in served:
            return served.rsplit(":", 1)[1]
        return self.provider


@dataclass(frozen=True)
class Plan:
    task: Task
    model: str
    inputs: Inputs = field(repr=False)
    params: dict[str, Any]
    targets: tuple[Target, ...]
    runs: int = 1
    warmup: bool = False  # one extra, uncounted run first: connections and provider caches warm up
    timeout_s: float = 120.0
    secrets: tuple[str, ...] = field(default=(), repr=False)
    pricing: dict[str, dict[str, float] | None] = field(default_factory=dict)  # provider → router pricing, for cost
    bill_to: str | None = None  # an organisation to bill routed calls to (X-HF-Bill-To)
    turn: dict[str, Any] | None = None  # chat: the user's message as sent (its text, and an image part if attached)
    history: Mapping[str, tuple[dict[str, Any], ...]] = field(default_factory=dict, repr=False)  # provider → earlier turns

    def arguments(self, provider: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The SDK method's inputs for one provider; for chat: the system prompt, its earlier turns, the new message."""
        if self.turn is None:
            return self.task.arguments(self.inputs)
        system = [{"role": "system", "content": self.inputs.system}] if self.inputs.system.strip() else []
        return ([*system, *self.history.get(provider, ()), self.turn],), {}


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
    # The output, in the fields its kind uses (see kinds/): one line for tables, then the details.
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
    # Streamed text pieces not yet joined into `text`: joining on every chunk would make a long answer quadratic.
    text_parts: list[str] = field(default_factory=list, repr=False)
    reasoning_parts: list[str] = field(default_factory=list, repr=False)  # the same for streamed thinking
    chunk_times: list[float] | None = field(default=None, repr=False)  # set to [] to collect each text chunk's arrival
    retry_after_s: float | None = None  # a 429's Retry-After, in seconds
    thread: tuple[dict[str, Any], ...] | None = field(default=None, repr=False)  # chat: what was sent, less the system prompt

    @property
    def finished(self) -> bool:
        return self.state in ("done", "error", "cancelled")

    def flush_text(self) -> None:
        """Join the pieces streamed since the last flush onto `text` (work proportional to what arrived)."""
        if self.text_parts:
            self.text = (self.text or "") + "".join(self.text_parts)
            self.text_parts.clear()
        if self.reasoning_parts:
            joined = "".join(self.reasoning_parts)
            self.reasoning = self.reasoning + joined if self.reasoning else joined.lstrip() or None
            self.reasoning_parts.clear()

    def to_json(self) -> dict[str, Any]:
        self.flush_text()
        data = asdict(self)
        for private in ("file", "vector", "called_at", "sent_at", "first_token_at", "text_parts", "reasoning_parts",
                        "chunk_times", "thread"):
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
    # Chat: each provider's thread after this turn (earlier turns, this message, its answer when it gave one),
    # without the system prompt: what `/compare`'s conversation_json takes to continue.
    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return all(r.finished for r in self.results)

    def vectors(self) -> dict[str, list[float]]:
        """Each provider's embedding: its first successful run that is not a warm-up."""
        found: dict[str, list[float]] = {}
        for result in self.results:
            if result.ok and result.vector and not result.warmup:
                found.setdefault(result.provider, result.vector)
        return found

    def similarity(self) -> pd.DataFrame:
        """Cosine similarity between the providers' embeddings, provider × provider (empty for other tasks).

        Vectors of different lengths cannot be compared: their cell is NaN.
        """
        return cosine_matrix(self.vectors())

    def table(self) -> pd.DataFrame:
        """One row per call, for people: the warm-up named, states as on the panels, "estimated" only where it applies."""
        frame = pd.DataFrame([r.to_json() for r in self.results], columns=list(TABLE_COLUMNS))
        frame = frame.round({"ttft_s": 3, "answer_ttft_s": 3, "latency_s": 3, "tokens_per_s": 1, "cost_usd": 7})
        frame["run"] = ["warm-up (not counted)" if r.warmup else str(r.run) for r in self.results]
        frame["state"] = [STATE_LABELS.get(r.state, r.state) for r in self.results]
        frame["tokens_estimated"] = ["" if r.output_tokens is None else ("yes" if r.tokens_estimated else "no") for r in self.results]
        if self.task in TASKS and not TASKS[self.task].streams:
            frame = frame.drop(columns=list(STREAM_ONLY))
        if self.task in TASKS and self.task != CHAT.id:
            frame = frame.drop(columns=list(CHAT_ONLY))
        return frame.rename(columns=TABLE_COLUMNS)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comparison:
        """A saved comparison back as objects (media files are not kept, so outputs show as their descriptions)."""
        known = {f.name for f in fields(Result)}
        results = [Result(**{k: v for k, v in row.items() if k in known}) for row in data.get("results", [])]
        keep = {k: data[k] for k in ("id", "started_at", "finished_at", "wall_s", "warnings", "prompt", "threads") if k in data}
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
        if self.threads:
            data["threads"] = self.threads
        similarity = matrix_json(self.similarity()) if self.vectors() else None  # no DataFrame for most tasks
        if similarity:
            data["similarity"] = similarity
        return data
