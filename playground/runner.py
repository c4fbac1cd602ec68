"""Run one request on several providers at once and measure each, honestly.

Clocks (`timings`): a streamed call's TTFB, TTFT and latency start when the request's last bytes are handed to the
kernel (`connections.Exchange.sent_at`) and end at the kernel's arrival stamp of the response's first bytes, of the
first text, of the last bytes. Opening the connection is its own phase (`connect_s`, 0 when one was reused), and
everything the app does before the write (building the request in a worker thread, waiting for the event loop) is
`queued_s`. Each provider call is its own asyncio task (streams) or worker thread (one-shot tasks whose SDK helpers
poll synchronously, in a pool sized for waiting on the network); none steps another's stream.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from time import monotonic
from typing import Any

import httpx2
from huggingface_hub import AsyncInferenceClient, InferenceClient
from huggingface_hub.constants import HUGGINGFACE_HEADER_X_BILL_TO as BILL_TO_HEADER
from huggingface_hub.errors import InferenceTimeoutError
from huggingface_hub.inference._generated.types import ChatCompletionOutput
from huggingface_hub.inference._providers import get_provider_helper
from huggingface_hub.utils import get_session

from . import chatreading, connections, errors, sse, thinking, toolcalls, verdicts, workers
from .messages import threads_after
from .metrics import cost
from .model import Comparison, Plan, Result, Target
from .sdk import internals as sdk

Notify = Callable[[], None]
connections.install()
def timings(called_at: float | None, sent_at: float, connect_s: float | None, response_at: float | None,
            first_at: float | None, done_at: float) -> dict[str, float | None]:
    """A call's phases, in seconds: queued (call started → request written, less connecting), connect, then TTFB,
    TTFT and latency, each from the request sent."""
    def since_sent(at: float | None) -> float | None:
        return None if at is None else max(at - sent_at, 0.0)

    queued = sent_at - (sent_at if called_at is None else called_at) - (connect_s or 0.0)
    return {"queued_s": max(queued, 0.0), "connect_s": connect_s,
            "ttfb_s": since_sent(response_at), "ttft_s": since_sent(first_at), "latency_s": since_sent(done_at)}


def _chat_parameters(model: str, params: dict[str, Any], stream: bool) -> dict[str, Any]:
    parameters = {k: v for k, v in params.items() if k != "stream"}
    parameters.update(model=model, stream=stream)
    if stream:
        parameters["stream_options"] = {"include_usage": True}
    return parameters


def _served_by(target: Target, result: Result, response: httpx2.Response | None) -> None:
    """Who answered: the router names the provider it chose in `x-inference-provider`; the body names the model."""
    named = response.headers.get("x-inference-provider") if response is not None else None
    result.answered_by = named or target.answered_by(result)


async def _chat(target: Target, plan: Plan, result: Result, notify: Notify) -> None:
    provider, model = target.sdk_call(plan.model)
    stream = bool(plan.params.get("stream", True))
    (messages,), _ = plan.arguments(target.provider)
    result.thread = tuple(m for m in messages if m.get("role") != "system")
    helper = get_provider_helper(provider, task=plan.task.id, model=model)  # type: ignore[arg-type]
    bill_to = plan.bill_to if target.routing == "routed" else None
    request = await workers.in_thread(
        helper.prepare_request,
        inputs=messages,
        parameters=_chat_parameters(model, plan.params, stream),
        headers={BILL_TO_HEADER: bill_to} if bill_to else {},
        model=model,
        api_key=target.credential.key if target.credential else None,
    )
    result.bill_to = bill_to
    await connections.ready()
    async with AsyncInferenceClient(timeout=plan.timeout_s) as client:
        result.state = "running"
        notify()
        trip = connections.exchange()
        before = time.perf_counter()  # the send stamp when the pool is not ours (a proxy)
        reader = _chat_stream if stream else _chat_whole
        calls = await reader(client, request, trip, before, result, notify)
    _served_by(target, result, trip.response)
    result.tool_calls, result.structured = verdicts.judge(result.text or "", calls, plan.params)
    if not (result.text or "").strip() and not calls:  # an answer that is only tool calls is an answer
        raise errors.BadResponse("the provider answered with thinking only, no answer" if result.reasoning
                                 else "the provider answered with an empty text")


async def _chat_whole(client: AsyncInferenceClient, request: Any, trip: connections.Exchange, before: float,
                      result: Result, notify: Notify) -> list[dict[str, str]]:
    payload = await sdk.inner_post(client, request, stream=False)
    done_at = connections.arrival() or time.perf_counter()
    started = result.sent_at = trip.sent_at or before
    result.latency_s = done_at - started
    output = ChatCompletionOutput.parse_obj_as_instance(payload)
    if not output.choices:
        raise errors.BadResponse("the provider answered with no choices")
    body = json.loads(payload)
    message = ((body.get("choices") or [{}])[0] or {}).get("message") or {}
    splitter = thinking.ThinkingSplitter()
    splitter.add(message)
    splitter.finish()
    result.text = splitter.text
    result.finish_reason = output.choices[0].finish_reason
    result.served_model = output.model or None
    chatreading.take_usage(result, body.get("usage"))
    chatreading.keep_thinking(result, splitter, 1)
    result.timings = timings(result.called_at, started, trip.connect_s, trip.response_at, None, done_at)
    return toolcalls.from_message(output.choices[0].message)


async def _chat_stream(client: AsyncInferenceClient, request: Any, trip: connections.Exchange, before: float,
                       result: Result, notify: Notify) -> list[dict[str, str]]:
    marks, splitter, assembler = chatreading.Marks(), thinking.ThinkingSplitter(), toolcalls.ToolCallAssembler()
    lines = await sdk.inner_post(client, request, stream=True)
    body = sse.lines(connections.body(trip.response)) if trip.response is not None else sse.encoded(lines)
    started = result.sent_at = trip.sent_at or before
    response_at = trip.response_at or time.perf_counter()
    arrived = connections.clock(time.perf_counter)
    async for now, chunk in sse.chunks(body, arrived):
        chatreading.take_usage(result, chunk.get("usage"))
        result.served_model = result.served_model or chunk.get("model") or None
        for choice in chunk.get("choices") or ():
            if choice.get("finish_reason"):
                result.finish_reason = choice["finish_reason"]
            delta = choice.get("delta") if isinstance(choice.get("delta"), dict) else {}
            if chatreading.mark(marks, result, now, started, splitter.add(delta), assembler.add(sse.tool_deltas_of(choice))):
                if marks.chunks == 1:
                    trip.first_text_read()
                chatreading.take_pieces(result, splitter)  # joined when shown (Result.flush_text): constant work per chunk
                notify()
    done_at = arrived()
    chatreading.finish(result, splitter, marks, started, done_at)
    result.timings = timings(result.called_at, started, trip.connect_s, response_at, marks.first, done_at)
    return assembler.calls()


_worker = threading.local()


def _stop_at_deadline(request: httpx2.Request) -> None:
    """Request hook, run in the thread that sends: a one-shot call sends nothing after its deadline.

    The SDK's pollers (fal-ai's queue, wavespeed) loop until the job ends, so a job that never ends would keep its
    worker thread, and `asyncio.run` waits for that thread, forever. This ends it at its next poll instead.
    """
    deadline = getattr(_worker, "deadline", None)
    if deadline is not None and monotonic() > deadline:
        raise InferenceTimeoutError(f"stopped waiting for {request.url.host}: the comparison's timeout has passed")


def _look_up_mapping(provider: str, task: str, model: str) -> None:
    """The provider mapping (and hf-inference's task check), cached by the SDK: the timed call does not repeat it."""
    try:
        sdk.prepare_mapping(provider, task, model)
    except ValueError as error:  # no mapping for this task, or hf-inference serves the model for another task
        raise errors.NotSupported(str(error)) from None


async def _one_shot(target: Target, plan: Plan, result: Result, notify: Notify) -> None:
    """Tasks whose SDK helpers poll or download synchronously run in their own worker thread.

    The clock covers the SDK method only: the request, any polling and the download of the output. The provider
    mapping (and hf-inference's task check) is looked up just before, and decoding the output happens after.
    """
    provider, model = target.sdk_call(plan.model)
    args, kwargs = plan.task.arguments(plan.inputs)
    params = {k: v for k, v in plan.params.items() if v is not None and k != "stream"}
    client = InferenceClient(provider=provider, api_key=target.credential.key if target.credential else None, timeout=plan.timeout_s)  # type: ignore[arg-type]
    method = getattr(client, plan.task.method)
    result.state = "running"
    notify()

    def call() -> tuple[Any, float]:
        hooks = get_session().event_hooks["request"]  # the SDK polls and downloads through this shared client
        if _stop_at_deadline not in hooks:
            hooks.append(_stop_at_deadline)
        _worker.deadline = monotonic() + plan.timeout_s
        try:
            _look_up_mapping(provider, plan.task.id, model)
            started = result.sent_at = time.perf_counter()
            output = method(*args, model=model, **kwargs, **params)
            done_at = time.perf_counter()
            result.timings = timings(result.called_at, started, None, None, None, done_at)
            return output, done_at - started
        finally:
            _worker.deadline = None  # the executor reuses its threads

    output, result.latency_s = await workers.in_thread(call)
    plan.task.summarise(output, result, plan.inputs)


async def call(target: Target, plan: Plan, result: Result, notify: Notify) -> None:
    """Fill `result` from one provider call. Never raises, except to let a cancellation through."""
    result.called_at = time.perf_counter()
    try:
        if target.problem:
            raise errors.NotSupported(target.problem)
        async with asyncio.timeout(plan.timeout_s):
            if plan.task.streams:
                await _chat(target, plan, result, notify)
            else:
                await _one_shot(target, plan, result, notify)
        result.ok, result.state = True, "done"
        result.cost_usd = cost(result.input_tokens, result.output_tokens, plan.pricing.get(result.answered_by or target.answered_by(result)))
    except asyncio.CancelledError:
        result.state, result.error = "cancelled", "stopped before the answer ended"
        raise
    except Exception as error:  # every failure becomes this provider's row; the others go on
        failure = errors.classify(error, timeout_s=plan.timeout_s, secrets=plan.secrets)
        result.ok, result.state = False, "error"
        result.error, result.error_kind, result.fix = failure.message, failure.kind, failure.fix
        result.retry_after_s = errors.retry_after(error)
    finally:
        result.flush_text()
        notify()


def new_comparison(plan: Plan) -> Comparison:
    comparison = Comparison(task=plan.task.id, model=plan.model, params=dict(plan.params), prompt=plan.inputs.prompt)
    for run in range(0 if plan.warmup else 1, plan.runs + 1):
        for target in plan.targets:
            comparison.results.append(
                Result(provider=target.provider, model=plan.model, task=plan.task.id, run=run, routing=target.routing, warmup=run == 0)
            )
    return comparison


async def _first_of(worker: asyncio.Task[None], event: asyncio.Event, timeout: float | None = None) -> None:
    waiter = asyncio.create_task(event.wait())
    await asyncio.wait({worker, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()


async def _fan_out(plan: Plan, comparison: Comparison, notify: Notify) -> None:
    """Runs one after another, each a full fan-out over the targets."""
    started = time.perf_counter()
    width = len(plan.targets)
    for start in range(0, len(comparison.results), width):
        rows = comparison.results[start : start + width]
        await asyncio.gather(*(call(t, plan, r, notify) for t, r in zip(plan.targets, rows)))
    comparison.threads = threads_after(plan, comparison.results)
    comparison.wall_s = time.perf_counter() - started


Alive = Callable[[], bool]
WATCH_EVERY_S = 0.5


async def _stop_when_gone(worker: asyncio.Task[None], alive: Alive | None) -> None:
    """Cancel `worker` once its caller went away (a closed tab, a disconnected API client): nothing more is spent."""
    while alive is not None and not worker.done():
        await asyncio.wait({worker}, timeout=WATCH_EVERY_S)
        if not worker.done() and not alive():
            worker.cancel()


async def stream(plan: Plan, throttle_s: float = 0.1, alive: Alive | None = None) -> AsyncIterator[Comparison]:
    """Yield the comparison as it fills in, then once more when all are done.

    A call changing state (sent, first token, done, failed) is yielded at once; text growing is yielded at most every
    `throttle_s`, which keeps a browser redrawing every panel from falling behind. Runs go one after another, each a
    full fan-out. Cancelling the consumer (the Stop button) cancels every call.
    """
    comparison = new_comparison(plan)
    changed, milestone = asyncio.Event(), asyncio.Event()
    shown: list[str] = []

    def states() -> list[str]:
        return [r.state for r in comparison.results]

    def notify() -> None:
        changed.set()
        if states() != shown:
            milestone.set()

    worker = asyncio.create_task(_fan_out(plan, comparison, notify))
    watcher = asyncio.create_task(_stop_when_gone(worker, alive))  # runs even when nobody pulls this generator
    loop = asyncio.get_running_loop()
    try:
        while True:
            shown[:], since = states(), loop.time()  # as yielded: a change made while the consumer is busy counts
            milestone.clear()
            for result in comparison.results:
                result.flush_text()
            yield comparison
            await _first_of(worker, changed)
            left = since + throttle_s - loop.time()
            if not worker.done() and not milestone.is_set() and left > 0:
                await _first_of(worker, milestone, left)
            changed.clear()
            if worker.done():
                break
        await worker
        comparison.finished_at = time.time()
        yield comparison
    finally:
        watcher.cancel()
        if not worker.done():
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
            for result in comparison.results:
                if not result.finished:
                    result.state, result.error = "cancelled", "stopped before the answer ended"


async def run(plan: Plan, alive: Alive | None = None) -> Comparison:
    """The whole comparison, for scripts and the API: no one watches it fill in, so nothing wakes per chunk."""
    comparison = new_comparison(plan)
    worker = asyncio.create_task(_fan_out(plan, comparison, lambda: None))
    watcher = asyncio.create_task(_stop_when_gone(worker, alive))
    try:
        await worker
    finally:
        watcher.cancel()
    comparison.finished_at = time.time()
    return comparison
