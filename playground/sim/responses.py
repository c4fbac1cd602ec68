"""A response is planned first (status, headers, timed chunks), then written on schedule.

Every offset is counted from the request's arrival (`arrived_at`, the kernel's stamp of its last bytes; else
`received_at`), so a late wake-up never delays the
chunks after it. Chunks that have fallen due together are written in one send, which keeps the
server light when hundreds of streams run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from .answers import stable_hash
from .records import RequestRecord


class SimulatedReset(Exception):
    """Raised inside the app to make uvicorn drop the connection mid-response."""


class Deferred:
    """A payload made when it is about to be sent, in a worker thread (media encoding takes a while)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


@dataclass
class Chunk:
    """Bytes due `at` seconds after arrival; a JSON payload is encoded only when it is sent."""

    at: float
    payload: Any
    text: bool = False
    event: bool = False  # an SSE `data:` event rather than a bare body

    @property
    def data(self) -> bytes:
        payload = self.payload.make() if isinstance(self.payload, Deferred) else self.payload
        if isinstance(payload, bytes):
            return payload
        return sse(payload) if self.event else json_bytes(payload)


@dataclass
class Plan:
    status: int
    chunks: list[Chunk]
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    stream: bool = False
    drop: bool = False
    hang: bool = False
    fault: str | None = None
    completion_tokens: int | None = None
    headers_at: float = 0.0  # a stream's status and headers go out this long after arrival (then its events)


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
# After the first text, a stream wakes at most this often and sends all that fell due meanwhile
# (never early): fast providers send many tokens per packet anyway, and it keeps 200 streams cheap.
MIN_GAP_S = 0.025
# Waits longer than this also watch for the simulator stopping (short ones stay cheap).
LONG_WAIT_S = 0.5


def json_bytes(payload: Any) -> bytes:
    return _ENCODER.encode(payload).encode()


def sse(payload: Any) -> bytes:
    return b"data: " + (payload if isinstance(payload, bytes) else json_bytes(payload)) + b"\n\n"


def json_plan(payload: Any, status: int = 200, at: float = 0.0, text: bool = False,
              headers: dict[str, str] | None = None) -> Plan:
    return Plan(status=status, chunks=[Chunk(at, payload, text)], headers=dict(headers or {}))


def _materialise(chunks: list[Chunk]) -> None:
    for chunk in chunks:
        if isinstance(chunk.payload, Deferred):
            chunk.payload = chunk.payload.make()


RATE_LIMIT = 600  # requests per minute, as the recorded providers announce theirs


def live_headers(plan: Plan, record: RequestRecord) -> dict[str, str]:
    """What every recorded answer carries: the content type with its charset, a request id in the router's
    format, and for inference the provider's rate-limit budget (as recorded from together and replicate)."""
    media = plan.media_type + ("; charset=utf-8" if plan.media_type == "application/json" else "")
    digest = f"{stable_hash('request', record.id):016x}"
    headers = {"content-type": media, "x-request-id": f"Root=1-{digest[:8]}-{digest[8:]};{record.id}"}
    if record.route in ("routed", "direct", "openai"):
        remaining = RATE_LIMIT - 1 - int(digest, 16) % RATE_LIMIT
        headers.update({"x-ratelimit-limit": str(RATE_LIMIT), "x-ratelimit-remaining": str(remaining),
                        "x-ratelimit-reset": "1", "ratelimit-remaining": str(remaining), "ratelimit-reset": "1"})
    return headers


class PlannedResponse:
    """ASGI response that writes a Plan on schedule and fills in the request's record."""

    def __init__(self, plan: Plan, record: RequestRecord, shutdown: asyncio.Event) -> None:
        self.plan = plan
        self.record = record
        self.shutdown = shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan, record = self.plan, self.record
        record.fault = plan.fault
        record.completion_tokens = plan.completion_tokens
        if plan.hang:
            await self._until_gone(receive)
            record.status = 499
            if self.shutdown.is_set():
                raise SimulatedReset("simulator stopping")
            return
        if any(isinstance(c.payload, Deferred) for c in plan.chunks):
            await run_in_threadpool(_materialise, plan.chunks)
        headers = [(k.lower().encode(), str(v).encode()) for k, v in {**live_headers(plan, record), **plan.headers}.items()]
        if not plan.stream and not plan.drop:
            plan.chunks = [Chunk(c.at, c.data, c.text) for c in plan.chunks]
            headers.append((b"content-length", str(sum(len(c.payload) for c in plan.chunks)).encode()))
        gone = asyncio.Event()
        watcher = asyncio.ensure_future(self._watch(receive, gone)) if plan.stream else None
        try:
            finished = await self._write(send, headers, gone)
        finally:
            if watcher is not None:
                watcher.cancel()
        if not finished:
            record.status = 499
        elif plan.drop:
            raise SimulatedReset(f"simulated connection reset (request {record.id})")

    async def _write(self, send: Send, headers: list[tuple[bytes, bytes]], gone: asyncio.Event) -> bool:
        plan, record = self.plan, self.record
        t0 = record.arrived_at or record.received_at  # work starts once the whole request is in
        chunks = plan.chunks
        started = plan.stream  # a stream's status and headers go out at once, its events on schedule
        if started:
            if (delay := t0 + plan.headers_at - time.perf_counter()) > 0:
                await self._wait_unless_stopping(delay)
            await send({"type": "http.response.start", "status": plan.status, "headers": headers})
        i = 0
        woke = 0.0
        while i < len(chunks) or not started:
            if i < len(chunks):
                due = chunks[i].at if record.first_text_at is None else max(chunks[i].at, woke + MIN_GAP_S)
                delay = t0 + due - time.perf_counter()
                if delay > LONG_WAIT_S:
                    await self._wait_unless_stopping(delay)
                elif delay > 0:
                    await asyncio.sleep(delay)
            if self.shutdown.is_set():
                raise SimulatedReset("simulator stopping")
            if gone.is_set():
                return False
            now = woke = time.perf_counter() - t0
            j = i + 1
            while j < len(chunks) and chunks[j].at <= now:
                j += 1
            batch = chunks[i:j]
            if not started:
                await send({"type": "http.response.start", "status": plan.status, "headers": headers})
                started = True
            more = j < len(chunks) or plan.drop
            body = b"".join(c.data for c in batch)
            text = next((c for c in batch if c.text), None)
            if text is not None and record.first_text_at is None:
                # Stamped just before the write, so a client never sees text its record lacks.
                record.first_text_at = time.perf_counter()
                record.lateness_s = record.first_text_at - (t0 + text.at)
            await send({"type": "http.response.body", "body": body, "more_body": more})
            i = j
        return True

    async def _wait_unless_stopping(self, delay: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.shutdown.wait(), delay)

    async def _until_gone(self, receive: Receive) -> None:
        gone = asyncio.Event()
        watcher = asyncio.ensure_future(self._watch(receive, gone))
        stopping = asyncio.ensure_future(self.shutdown.wait())
        await asyncio.wait({watcher, stopping}, return_when=asyncio.FIRST_COMPLETED)
        watcher.cancel()
        stopping.cancel()

    @staticmethod
    async def _watch(receive: Receive, gone: asyncio.Event) -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                gone.set()
                return
