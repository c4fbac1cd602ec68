"""The load generator: when each request is sent, what stops a run, and the 429 back-off.

It only decides *when*; *how* a request is sent is `send` (the app's runner in `sending`, a fake in tests), and
*what time it is* is the `Clock` (perf_counter and asyncio.sleep, or a fake one in tests). Each request is its own
asyncio task, so one process keeps hundreds of streams in flight on the runner's shared connection pool.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .config import BenchConfig
from .metrics import Sample

Send = Callable[[str, str, Sample], Awaitable[None]]  # (provider, prompt, sample to fill; sent_s on the clock)
DEFAULT_BACKOFF_S = 1.0
MIN_FINISHED_FOR_ERROR_RATE = 20


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    def now(self) -> float:
        return time.perf_counter()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


@dataclass(frozen=True)
class Shard:
    """This generator's share of the load: worker `index` of `count` (Ray actors), one process is 0 of 1."""

    index: int = 0
    count: int = 1

    def split(self, total: int) -> int:
        return total // self.count + (1 if self.index < total % self.count else 0)


def arrival_times(config: BenchConfig, count: int | None, rng: random.Random, shard: Shard = Shard()) -> list[float]:
    """Send times (s after the start) of one provider's counted requests in this shard, for a request rate.

    Constant: every 1/rate s (shards interleave). Poisson: exponential gaps of mean 1/rate (vLLM) for a number of
    requests; for a duration, the arrival times of a Poisson process given exactly rate × duration of them in the
    window (uniform order statistics), so the offered rate is exact. Superposed shards of rate/k stay Poisson.
    """
    rate = config.rate / shard.count
    if config.duration_s is not None:
        count = shard.split(round(config.rate * config.duration_s))
        if config.arrivals == "poisson":
            return sorted(rng.uniform(0, config.duration_s) for _ in range(count))
    assert count is not None
    if config.arrivals == "constant":
        return [(i + shard.index / shard.count) / rate for i in range(count)]
    times, at = [], 0.0
    for _ in range(count):
        times.append(at)
        at += rng.expovariate(rate)
    return times


class LoadRun:
    """One load test (or one shard of it): `await run()` returns every sample, warm-up ones marked."""

    def __init__(self, config: BenchConfig, send: Send, prompts: Sequence[str], clock: Clock | None = None,
                 on_sample: Callable[[Sample], None] | None = None, shard: Shard = Shard(),
                 worst_cost_usd: dict[str, float | None] | None = None, lanes: Sequence[str] | None = None) -> None:
        """`lanes`: what is called, by the names samples carry (default: the providers; see `sending.build_lanes`)."""
        self.config, self.send, self.prompts, self.shard = config, send, list(prompts), shard
        self.lanes = tuple(lanes or config.providers)
        self.clock = clock or RealClock()
        self.on_sample = on_sample or (lambda sample: None)
        self.worst_cost_usd = worst_cost_usd or {}  # lane → one request's worst case, for the ceiling
        self.samples: list[Sample] = []
        self.stop_reason: str | None = None
        self.stopped = asyncio.Event()
        self._in_flight: dict[str, set[asyncio.Task[None]]] = {p: set() for p in self.lanes}
        self._paused_until: dict[str, float] = {p: 0.0 for p in self.lanes}
        self._origin = 0.0
        self._spent = 0.0
        self._finished = self._failed = 0  # counted requests that ended, and those that failed (429s aside)

    def stop(self, reason: str = "stopped") -> None:
        if self.stop_reason is None:
            self.stop_reason = reason
        self.stopped.set()

    async def run(self) -> list[Sample]:
        self._origin = self.clock.now()
        try:
            if self.config.order == "parallel":
                await asyncio.gather(*(self._provider(p) for p in self.lanes))
            else:
                for provider in self.lanes:
                    await self._provider(provider)
        finally:
            for tasks in self._in_flight.values():
                for task in tasks:
                    task.cancel()
            await asyncio.gather(*(t for ts in self._in_flight.values() for t in ts), return_exceptions=True)
        return self.samples

    async def _provider(self, provider: str) -> None:
        warmup = self.shard.split(self.config.warmup)
        if warmup and not self.stopped.is_set():
            await self._closed_loop(provider, warmup, None, warmup=True)
        counted = self.config.requests if self.config.requests is None else self.shard.split(self.config.requests)
        if self.stopped.is_set():
            return
        if self.config.shape == "rate":
            rng = random.Random(f"{self.config.seed}:{provider}:{self.shard.index}")
            await self._open_loop(provider, arrival_times(self.config, counted, rng, self.shard))
        else:
            await self._closed_loop(provider, counted, self.config.duration_s, warmup=False)

    async def _closed_loop(self, provider: str, count: int | None, duration_s: float | None, warmup: bool) -> None:
        """`concurrency` users, each sending its next request when the last one ended, until `count` or the duration."""
        users = min(self.shard.split(self.config.concurrency) or 1, count or self.config.concurrency)
        start, numbers = self.clock.now(), iter(range(count if count is not None else 10**12))

        async def user() -> None:
            for number in numbers:
                if self.stopped.is_set() or (duration_s is not None and self.clock.now() - start >= duration_s):
                    return
                await self._wait_for_backoff(provider)
                task = self._launch(provider, number, self.clock.now() - self._origin, warmup)
                if task is None:
                    return
                await self._until_stopped({task})

        await asyncio.gather(*(user() for _ in range(users)))

    async def _open_loop(self, provider: str, times: list[float]) -> None:
        """Requests sent at their times whatever the answers do (a request rate); late only during a 429 back-off."""
        start = self.clock.now()
        for number, at in enumerate(times):
            wait = start + at - self.clock.now()
            if wait > 0:
                await self._wait(wait)
            await self._wait_for_backoff(provider)
            if self.stopped.is_set() or self._launch(provider, number, start + at - self._origin, False) is None:
                break
        while self._in_flight[provider] and not self.stopped.is_set():
            await self._until_stopped(set(self._in_flight[provider]))

    async def _until_stopped(self, waits: set[asyncio.Future[None]], cancel: bool = False) -> None:
        """Until the first of `waits` ends or the run is stopped (cancelling `waits` when `cancel`)."""
        stopper = asyncio.ensure_future(self.stopped.wait())
        await asyncio.wait(waits | {stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        for future in waits if cancel else ():
            future.cancel()

    async def _wait(self, seconds: float) -> None:
        if seconds > 0 and not self.stopped.is_set():
            await self._until_stopped({asyncio.ensure_future(self.clock.sleep(seconds))}, cancel=True)

    async def _wait_for_backoff(self, provider: str) -> None:
        await self._wait(self._paused_until[provider] - self.clock.now())

    def _launch(self, provider: str, number: int, scheduled_s: float, warmup: bool) -> asyncio.Task[None] | None:
        worst = self.worst_cost_usd.get(provider)
        if self.config.cost_ceiling_usd is not None and worst is not None:
            in_flight = sum(len(t) for t in self._in_flight.values())
            if self._spent + (in_flight + 1) * worst > self.config.cost_ceiling_usd:
                self.stop(f"cost ceiling of ${self.config.cost_ceiling_usd:g} reached")
                return None
        index = number * self.shard.count + self.shard.index
        sample = Sample(provider=provider, index=index, scheduled_s=scheduled_s, warmup=warmup, worker=self.shard.index)
        prompt = self.prompts[index % len(self.prompts)]
        task = asyncio.ensure_future(self._one(provider, prompt, sample))
        self._in_flight[provider].add(task)
        task.add_done_callback(self._in_flight[provider].discard)
        return task

    async def _one(self, provider: str, prompt: str, sample: Sample) -> None:
        try:
            await self.send(provider, prompt, sample)
        except asyncio.CancelledError:
            sample.ok, sample.status = False, "cancelled"
        if sample.sent_s is not None:
            sample.sent_s -= self._origin
        self.samples.append(sample)
        self._account(provider, sample)
        self.on_sample(sample)

    def _account(self, provider: str, sample: Sample) -> None:
        self._spent += sample.cost_usd or 0.0
        if sample.error_kind == "rate_limit":
            backoff = sample.retry_after_s if sample.retry_after_s is not None else DEFAULT_BACKOFF_S
            self._paused_until[provider] = max(self._paused_until[provider], self.clock.now() + backoff)
        if sample.warmup or sample.status == "cancelled":
            return
        self._finished += 1
        self._failed += not sample.ok and sample.error_kind != "rate_limit"
        threshold, rate = self.config.max_error_rate, self._failed / self._finished
        if threshold is not None and self._finished >= MIN_FINISHED_FOR_ERROR_RATE and rate > threshold:
            self.stop(f"error rate {rate:.0%} passed the threshold of {threshold:.0%}")
