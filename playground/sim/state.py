"""Everything a running simulator shares between its handlers and the Python API (any thread)."""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.requests import Request

from .answers import stable_hash
from .config import SimConfig
from .faults import FaultBook
from .jobs import JobBook
from .media import MediaBook
from .records import RecordBook, RequestRecord
from .timing import Speed


class SimState:
    def __init__(self, config: SimConfig) -> None:
        self._lock = threading.Lock()
        self._config = config
        self.faults = FaultBook(config.faults)
        self.records = RecordBook(config.max_records)
        self.jobs = JobBook()
        self.media = MediaBook()
        self._occurrences: Counter[tuple[str, ...]] = Counter()
        self.shutdown = asyncio.Event()

    @property
    def config(self) -> SimConfig:
        with self._lock:
            return self._config

    def configure(self, changes: dict[str, Any]) -> SimConfig:
        with self._lock:
            self._config = self._config.updated(changes)
            config = self._config
        if "faults" in changes:
            self.faults.replace(config.faults)
        return self.current_config()

    def current_config(self) -> SimConfig:
        """The config with the faults still active (counted down as they fire)."""
        return replace(self.config, faults=list(self.faults.active().values()))

    def rng(self, *key: str) -> random.Random:
        """A generator for one request: reproducible from the seed, different on each repeat of a request."""
        with self._lock:
            self._occurrences[key] += 1
            occurrence = self._occurrences[key]
        return random.Random(stable_hash(self._config.seed, occurrence, *key))


@dataclass
class Call:
    """One inference request once its provider and model are known."""

    provider: str
    route: str
    model_id: str
    provider_id: str
    status: str
    speed: Speed
    rng: random.Random
    record: RequestRecord
    response_model: str
    task: str = "conversational"
    body: Any = None  # the JSON body, or the raw bytes of a binary one
    base: str = ""  # the simulator's base URL as the client reached it
    root: str = ""  # the URL prefix of this provider's API as the client called it
    state: SimState | None = field(default=None, repr=False)
    params: dict[str, str] = field(default_factory=dict)  # what the route's path told (job id, task)


def sim_state(request: Request) -> SimState:
    return request.app.state.sim


def request_record(request: Request) -> RequestRecord:
    return request.scope["state"]["record"]
