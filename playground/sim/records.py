"""One record per request, for measurement benchmarks and key-isolation tests.

Timestamps come from `time.perf_counter()`, which on Linux reads CLOCK_MONOTONIC: the same clock
in every process on this machine, so a client's own `perf_counter()` readings compare directly
with `received_at`, `first_text_at` and `finished_at`. The raw credential is never stored, only
its SHA-256.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .arrivals import last_arrival

REQUEST_ID_HEADER = "x-sim-request-id"


@dataclass
class RequestRecord:
    id: str
    method: str
    path: str
    received_at: float
    arrived_at: float | None = None  # the kernel's receive stamp of the request's last bytes (arrivals.py)
    key_sha256: str | None = None
    provider: str | None = None
    route: str | None = None
    model: str | None = None
    stream: bool = False
    first_text_at: float | None = None
    finished_at: float | None = None
    status: int | None = None
    lateness_s: float | None = None
    fault: str | None = None
    completion_tokens: int | None = None
    messages: list[dict[str, Any]] | None = None  # a chat request's messages: role and text (images as [image])
    counted: bool = dataclasses.field(default=False, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("counted")
        return data


def credential(headers: dict[str, str] | Any) -> str | None:
    """The bearer token or fal-style `Key` credential of a request, if any."""
    value = headers.get("authorization", "")
    scheme, _, secret = value.partition(" ")
    if scheme.lower() in ("bearer", "key") and secret.strip():
        return secret.strip()
    return None


def key_hash(secret: str | None) -> str | None:
    return hashlib.sha256(secret.encode()).hexdigest() if secret else None


class RecordBook:
    def __init__(self, max_records: int) -> None:
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=max_records)
        self._ids = itertools.count(1)
        self._in_flight: Counter[str] = Counter()

    def enter(self, record: RequestRecord) -> int:
        """Count an inference request as in flight at its provider until it closes; the provider's count."""
        with self._lock:
            if record.provider and not record.counted:
                record.counted = True
                self._in_flight[record.provider] += 1
            return self._in_flight[record.provider or ""]

    def close(self, record: RequestRecord) -> None:
        with self._lock:
            if record.counted:
                record.counted = False
                self._in_flight[record.provider or ""] -= 1

    def open(self, method: str, path: str, secret: str | None) -> RequestRecord:
        record = RequestRecord(id=f"sim-{next(self._ids):06d}", method=method, path=path,
                               received_at=time.perf_counter(), key_sha256=key_hash(secret))
        with self._lock:
            self._records.append(record)
        return record

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.to_dict() for r in self._records]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


class RecordingMiddleware:
    """Opens a record for every request outside `/_sim`, tags the response with its id, closes it."""

    def __init__(self, app: ASGIApp, book: RecordBook) -> None:
        self.app = app
        self.book = book

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sim"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        record = self.book.open(scope["method"], scope["path"], credential(headers))
        record.arrived_at = last_arrival(scope.get("client"))
        scope.setdefault("state", {})["record"] = record

        async def stamped_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                record.arrived_at = last_arrival(scope.get("client")) or record.arrived_at
            return message

        async def tagged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER.encode(), record.id.encode())]
            elif not message.get("more_body", False):
                # Stamped before the last write: once a client has the whole answer, its record is complete.
                record.finished_at = time.perf_counter()
            await send(message)

        try:
            await self.app(scope, stamped_receive, tagged_send)
        finally:
            if record.finished_at is None:
                record.finished_at = time.perf_counter()
            self.book.close(record)
