"""Asynchronous generation jobs (fal queue, replicate, together video, wavespeed, zai): submitted, then polled."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .answers import stable_hash
from .store import Store


@dataclass
class Job:
    id: str
    provider: str
    model_id: str
    provider_id: str
    created_at: float  # perf_counter
    ready_at: float  # perf_counter
    extra: dict[str, Any] = field(default_factory=dict)  # what the polls answer with: output, URLs, input

    @property
    def done(self) -> bool:
        return time.perf_counter() >= self.ready_at

    @property
    def progress(self) -> float:
        span = max(self.ready_at - self.created_at, 1e-9)
        return min(1.0, (time.perf_counter() - self.created_at) / span)


class JobBook(Store[Job]):
    def __init__(self, capacity: int = 2048) -> None:
        super().__init__(capacity)

    def new_id(self, style: str) -> str:
        number = self.next_number()
        digest = stable_hash(style, number)
        if style == "uuid":
            hex_ = f"{digest:016x}{stable_hash(number, style):016x}"
            return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:32]}"
        alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
        bits = digest << 64 | stable_hash(number, style)
        return "".join(alphabet[(bits >> (5 * i)) % 32] for i in range(26))

    def add(self, job: Job) -> Job:
        return self.put(job.id, job)
