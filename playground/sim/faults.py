"""Injected failures: which request a fault hits, and what it does to the planned response."""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Callable

from .config import FaultSpec
from .error_bodies import error_plan, loading_plan
from .responses import Chunk, Plan

INFERENCE_ROUTES = ("routed", "direct", "openai")


class FaultBook:
    def __init__(self, specs: list[FaultSpec] | None = None) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._faults: dict[int, FaultSpec] = {}
        self.replace(specs or [])

    def add(self, spec: FaultSpec) -> int:
        with self._lock:
            fault_id = next(self._ids)
            self._faults[fault_id] = dataclasses.replace(spec)
            return fault_id

    def replace(self, specs: list[FaultSpec]) -> None:
        self.clear()
        for spec in specs:
            self.add(spec)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> dict[int, FaultSpec]:
        with self._lock:
            return {i: dataclasses.replace(f) for i, f in self._faults.items()}

    def take(self, provider: str | None, model: str | None, route: str, in_flight: int = 0) -> FaultSpec | None:
        """The first fault matching this request (`in_flight` counts it too), counting one occurrence against it."""
        with self._lock:
            for fault_id, fault in self._faults.items():
                if not _matches(fault, provider, model, route):
                    continue
                if fault.above_concurrent is not None and in_flight <= fault.above_concurrent:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._faults[fault_id]
                return dataclasses.replace(fault)
        return None


def _matches(fault: FaultSpec, provider: str | None, model: str | None, route: str) -> bool:
    if fault.route is None and route not in INFERENCE_ROUTES:
        return False
    return (fault.route in (None, route) and fault.provider in (None, provider)
            and fault.model in (None, model))


def apply(fault: FaultSpec, style: str, model: str | None, stream: bool, build: Callable[[bool], Plan],
          at: float) -> Plan:
    """The response a fault makes of a request; `build(empty)` plans the normal (or empty) answer."""
    if fault.kind == "hang":
        plan = Plan(status=200, chunks=[], hang=True)
    elif fault.kind == "empty":
        plan = build(True)
    elif fault.kind == "http" or (fault.kind == "stream_error" and not stream):
        if fault.status == 503 and style == "hf" and fault.message is None and model:
            plan = loading_plan(model, fault.estimated_time, at=at)
        else:
            headers = {"retry-after": f"{fault.retry_after:g}"} if fault.retry_after is not None else None
            plan = error_plan(style, fault.status if fault.kind == "http" else 500, fault.message, at=at, headers=headers)
    else:
        plan = _damage(fault, build(False))
    plan.fault = fault.kind
    return plan


def _damage(fault: FaultSpec, plan: Plan) -> Plan:
    if not plan.stream:
        body = b"".join(c.data for c in plan.chunks)
        last = plan.chunks[-1]
        plan.chunks = [Chunk(last.at, body[: max(1, len(body) // 2)], last.text)]
        plan.drop = fault.kind == "reset"
        return plan
    kept = _through_text_chunk(plan.chunks, fault.after_chunks)
    if fault.kind == "malformed":
        rest = plan.chunks[len(kept):]
        broken = Chunk(kept[-1].at if kept else 0.0, b'data: {"id":"chatcmpl-broken","choices":[{"delta":{"content":"\n\n', True)
        plan.chunks = [*kept, broken, *rest]
    elif fault.kind == "reset":
        plan.chunks, plan.drop = kept, True
    else:
        message = fault.message or "Request failed during generation: CUDA error: an illegal memory access was encountered"
        at = kept[-1].at if kept else 0.0
        plan.chunks = [*kept, Chunk(at, {"error": message, "error_type": "generation"}, event=True)]
    return plan


def _through_text_chunk(chunks: list[Chunk], count: int) -> list[Chunk]:
    """The chunks before the (`count` + 1)-th one carrying text."""
    seen = 0
    for index, chunk in enumerate(chunks):
        if chunk.text:
            if seen >= count:
                return chunks[:index]
            seen += 1
    return list(chunks)
