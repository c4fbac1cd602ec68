"""The simulator's settings: one JSON-serialisable dataclass, changed as a whole or in part."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAULT_KINDS = ("http", "hang", "malformed", "empty", "reset", "stream_error")
ROUTES = ("routed", "direct", "openai", "hub", "media")


@dataclass
class LatencyProfile:
    """How fast a provider answers; a field left as None is inherited from the level below.

    Levels, lowest first: the catalog's default for the provider and model, the override for the
    provider (`"groq"`), the override for the provider and model (`"groq:meta-llama/Llama-3.3-70B-Instruct"`).
    """

    ttft_s: float | None = None
    tokens_per_s: float | None = None
    jitter: float | None = None
    media_s: float | None = None  # seconds of work for one image; other media tasks weigh more or less
    headers_s: float | None = None  # a stream's response headers wait this long after the request (first byte)


@dataclass
class FaultSpec:
    """One injected failure. None in provider/model/route matches anything, except that a fault
    without a route never touches Hub or media requests (they must name `route="hub"`/`"media"`)."""

    kind: str = "http"
    provider: str | None = None
    model: str | None = None
    route: str | None = None
    status: int = 500
    message: str | None = None
    times: int | None = None
    after_chunks: int = 3
    estimated_time: float = 20.0
    above_concurrent: int | None = None  # fires only while the provider has more requests than this in flight
    retry_after: float | None = None  # the Retry-After header (seconds) of an HTTP fault

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"Unknown fault kind {self.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if self.route is not None and self.route not in ROUTES:
            raise ValueError(f"Unknown route {self.route!r}; expected one of {', '.join(ROUTES)}")


def rate_limit(above_concurrent: int, provider: str | None = None, retry_after: float = 1.0) -> FaultSpec:
    """A provider that starts answering 429 (with `Retry-After`) once more than `above_concurrent` requests are in flight."""
    return FaultSpec(kind="http", status=429, provider=provider, above_concurrent=above_concurrent, retry_after=retry_after,
                     message=f"Rate limit reached: at most {above_concurrent} concurrent requests")


DEMO_THROTTLE = ("groq", 20)  # demo mode: the simulated groq rate-limits above 20 concurrent requests (load tests show it)


@dataclass
class SimConfig:
    time_scale: float = 1.0
    seed: int = 0
    profiles: dict[str, LatencyProfile] = field(default_factory=dict)
    faults: list[FaultSpec] = field(default_factory=list)
    hub_page_size: int = 50
    max_records: int = 20_000
    # How providers treat tools and response_format, per `provider` or `provider:model` (see tooling.py).
    behaviours: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.profiles = {k: _merge_profile(None, v) for k, v in self.profiles.items()}
        self.faults = [f if isinstance(f, FaultSpec) else FaultSpec(**f) for f in self.faults]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SimConfig:
        return cls().updated(data)

    @classmethod
    def from_file(cls, path: str | Path) -> SimConfig:
        return cls.from_dict(json.loads(Path(path).read_text()))

    def updated(self, changes: dict[str, Any]) -> SimConfig:
        """A copy with `changes` applied: profiles are merged per key and per field, the rest replaced."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"Unknown config keys: {', '.join(sorted(unknown))}")
        values = {k: v for k, v in changes.items() if k not in ("profiles", "faults")}
        profiles = dict(self.profiles)
        for key, profile in (changes.get("profiles") or {}).items():
            profiles[key] = _merge_profile(profiles.get(key), profile)
        return dataclasses.replace(self, **values, profiles=profiles, faults=changes.get("faults", self.faults))


def _merge_profile(old: LatencyProfile | None, new: LatencyProfile | dict[str, Any]) -> LatencyProfile:
    fields = dataclasses.asdict(new) if isinstance(new, LatencyProfile) else dict(new)
    merged = dataclasses.asdict(old) if old else {}
    merged.update({k: v for k, v in fields.items() if v is not None})
    return LatencyProfile(**merged)
