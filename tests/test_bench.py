"""Load tests: the figures from known samples, and the generator's timing, back-off and stops on a fake clock."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random

import pytest

from playground.bench.config import BenchConfig, InvalidBench
from playground.bench.load import LoadRun, Shard, arrival_times
from playground.bench.metrics import SLO, Sample, figures, merge

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


class FakeClock:
    """Virtual time: `sleep` waits for the clock to be advanced; `drive` advances it whenever every task is waiting."""

    def __init__(self) -> None:
        self.t = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.t + max(0.0, seconds), next(self._order), future))
        await future

    async def drive(self, work: asyncio.Future) -> None:
        while not work.done():
            for _ in range(50):  # let every task run until it waits on the clock
                await asyncio.sleep(0)
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)
            if self._sleepers and not work.done():
                at, _, future = heapq.heappop(self._sleepers)
                self.t = max(self.t, at)
                future.set_result(None)


class FakeProvider:
    """Answers after `ttft` then `tokens` chunks `gap` apart; above `limit` in flight, 429 with Retry-After."""

    def __init__(self, clock: FakeClock, ttft: float = 0.5, tokens: int = 11, gap: float = 0.05,
                 limit: int | None = None, retry_after: float = 5.0, fail: bool = False, cost: float = 0.01) -> None:
        self.clock, self.ttft, self.tokens, self.gap = clock, ttft, tokens, gap
        self.limit, self.retry_after, self.fail, self.cost = limit, retry_after, fail, cost
        self.in_flight = 0
        self.sent: list[float] = []

    async def __call__(self, provider: str, prompt: str, sample: Sample) -> None:
        sample.sent_s = self.clock.now()
        self.sent.append(sample.sent_s)
        self.in_flight += 1
        try:
            if self.limit is not None and self.in_flight > self.limit:
                sample.ok, sample.status, sample.error_kind, sample.retry_after_s = False, "error", "rate_limit", self.retry_after
                sample.latency_s = 0.0
                return
            await self.clock.sleep(self.ttft)
            if self.fail:
                sample.ok, sample.status, sample.error_kind, sample.latency_s = False, "error", "unavailable", self.ttft
                return
            sample.ttft_s = self.ttft
            for _ in range(self.tokens - 1):
                await self.clock.sleep(self.gap)
                sample.gaps_s.append(self.gap)
            sample.latency_s = self.clock.now() - sample.sent_s
            sample.ok, sample.output_tokens, sample.cost_usd = True, self.tokens, self.cost
        finally:
            self.in_flight -= 1


def run(config: BenchConfig, provider: FakeProvider, clock: FakeClock, **options) -> LoadRun:
    load = LoadRun(config, provider, ["hello"], clock=clock, **options)

    async def main() -> None:
        work = asyncio.ensure_future(load.run())
        await clock.drive(work)
        await work

    asyncio.run(main())
    return load


def config(**changes) -> BenchConfig:
    return BenchConfig(**{"model": MODEL, "providers": ("groq",), "max_error_rate": None, **changes})


def sample(provider: str = "groq", index: int = 0, **fields) -> Sample:
    return Sample(provider=provider, index=index, scheduled_s=fields.pop("scheduled_s", float(index)), **fields)


def test_figures_follow_vllm_definitions():
    samples = [
        sample(index=0, sent_s=0.0, ok=True, ttft_s=1.0, latency_s=2.0, output_tokens=11, gaps_s=[0.1] * 10),
        sample(index=1, sent_s=1.0, ok=True, ttft_s=2.0, latency_s=4.0, output_tokens=3, gaps_s=[1.0, 1.0]),
        sample(index=2, sent_s=2.0, ok=False, error_kind="rate_limit", retry_after_s=3.0, latency_s=0.1),
        sample(index=3, sent_s=3.0, ok=True, ttft_s=0.5, latency_s=1.0, output_tokens=1, warmup=True),
    ]
    (groq,) = figures(samples, SLO(ttft_s=1.5, tpot_s=0.5))
    assert groq["requests"] == 3 and groq["ok"] == 2  # the warm-up request counts nowhere
    assert groq["ttft_s"]["p50"] == pytest.approx(1.5) and groq["ttft_s"]["mean"] == pytest.approx(1.5)
    assert groq["tpot_s"]["p50"] == pytest.approx((0.1 + 1.0) / 2)  # (2-1)/10 and (4-2)/2
    assert groq["itl_s"]["p50"] == pytest.approx(0.1)  # pooled: ten gaps of 0.1 and two of 1.0
    assert groq["itl_s"]["mean"] == pytest.approx(3.0 / 12)
    assert groq["latency_s"]["p90"] == pytest.approx(2.0 + 0.9 * 2.0)
    assert groq["tokens_per_s"]["p50"] == pytest.approx((11 / 2 + 3 / 4) / 2)  # llmperf: tokens ÷ e2e latency
    assert groq["duration_s"] == pytest.approx(5.0)  # first due (0) → last finished (1 + 4)
    assert groq["throughput_rps"] == pytest.approx(2 / 5) and groq["goodput_rps"] == pytest.approx(1 / 5)
    assert groq["output_tokens_per_s"] == pytest.approx(14 / 5)
    assert groq["achieved_rps"] == pytest.approx(2 / 2)  # three sends over two seconds
    assert groq["errors"] == {"rate_limit": 1} and groq["rate_limited"] == 1 and groq["retry_after_s"]["p50"] == 3.0
    assert groq["cost_usd"] is None


def test_merged_shards_give_the_figures_of_all_samples_not_averages():
    rng = random.Random(1)
    made = [sample(index=i, sent_s=i * 0.1, scheduled_s=i * 0.1, ok=True, ttft_s=rng.expovariate(2), latency_s=3.0,
                   output_tokens=10, worker=i % 2) for i in range(101)]
    shard_a, shard_b = [s for s in made if s.worker == 0], [s for s in made if s.worker == 1]
    merged = merge(shard_b, shard_a)
    assert [s.index for s in merged] == list(range(101))
    assert figures(merged) == figures(made)
    averaged = (figures(shard_a)[0]["ttft_s"]["p99"] + figures(shard_b)[0]["ttft_s"]["p99"]) / 2
    assert figures(merged)[0]["ttft_s"]["p99"] != pytest.approx(averaged)


def test_constant_rate_sends_on_time_and_achieves_the_offered_rate():
    clock = FakeClock()
    provider = FakeProvider(clock)
    load = run(config(shape="rate", rate=10.0, arrivals="constant", requests=20), provider, clock)
    assert provider.sent == pytest.approx([i / 10 for i in range(20)])
    (groq,) = figures(load.samples, offered_rps=10.0)
    assert groq["achieved_rps"] == pytest.approx(10.0) and groq["offered_rps"] == 10.0
    assert groq["ttft_s"]["p99"] == pytest.approx(0.5) and groq["latency_s"]["p50"] == pytest.approx(1.0)
    assert groq["send_lag_s"]["p99"] == pytest.approx(0.0)


def test_poisson_over_a_duration_offers_exactly_rate_times_duration():
    times = arrival_times(config(shape="rate", rate=50.0, requests=None, duration_s=60.0), None, random.Random(0))
    assert len(times) == 3000 and times == sorted(times) and times[0] >= 0 and times[-1] <= 60
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert sum(gaps) / len(gaps) == pytest.approx(1 / 50, rel=0.05)
    halves = [arrival_times(config(shape="rate", rate=50.0, requests=None, duration_s=60.0), None, random.Random(i),
                            Shard(i, 2)) for i in range(2)]
    assert sum(map(len, halves)) == 3000


def test_fixed_concurrency_keeps_that_many_in_flight():
    clock = FakeClock()
    provider = FakeProvider(clock, ttft=0.5, tokens=11, gap=0.05)  # each request takes 1 s
    load = run(config(concurrency=3, requests=9), provider, clock)
    assert sorted(provider.sent) == pytest.approx([0, 0, 0, 1, 1, 1, 2, 2, 2])
    (groq,) = figures(load.samples)
    assert groq["duration_s"] == pytest.approx(3.0) and groq["throughput_rps"] == pytest.approx(3.0)


def test_warmup_is_sent_first_and_not_counted():
    clock = FakeClock()
    provider = FakeProvider(clock)
    load = run(config(concurrency=2, requests=4, warmup=2), provider, clock)
    assert [s.warmup for s in sorted(load.samples, key=lambda s: s.sent_s)] == [True, True, False, False, False, False]
    assert figures(load.samples)[0]["requests"] == 4


def test_a_429_pauses_sending_for_its_retry_after():
    clock = FakeClock()
    provider = FakeProvider(clock, limit=2, retry_after=5.0)
    load = run(config(shape="rate", rate=10.0, arrivals="constant", requests=30), provider, clock)
    throttled = [s for s in load.samples if s.error_kind == "rate_limit"]
    assert throttled, "three in flight at 10/s with 1 s answers must pass the limit of 2"
    first = min(s.sent_s for s in throttled)
    assert not [t for t in provider.sent if first < t < first + 5.0]
    (groq,) = figures(load.samples)
    assert groq["rate_limited"] == len(throttled) and groq["send_lag_s"]["p99"] > 4.0


def test_cost_ceiling_stops_before_it_could_be_passed():
    clock = FakeClock()
    provider = FakeProvider(clock, cost=0.01)
    load = run(config(concurrency=4, requests=100, cost_ceiling_usd=0.1), provider, clock,
               worst_cost_usd={"groq": 0.02})
    assert load.stop_reason and "cost ceiling" in load.stop_reason
    assert sum(s.cost_usd or 0 for s in load.samples) <= 0.1
    assert len(provider.sent) < 100


def test_error_rate_threshold_stops_the_run():
    clock = FakeClock()
    provider = FakeProvider(clock, fail=True)
    load = run(config(concurrency=2, requests=200, max_error_rate=0.5), provider, clock)
    assert load.stop_reason and "error rate" in load.stop_reason
    assert 20 <= len(provider.sent) <= 22


def test_stop_cancels_what_is_in_flight():
    clock = FakeClock()
    provider = FakeProvider(clock, ttft=100.0)
    load = LoadRun(config(concurrency=3, requests=10), provider, ["hi"], clock=clock)

    async def main() -> None:
        work = asyncio.ensure_future(load.run())
        for _ in range(20):
            await asyncio.sleep(0)
        load.stop()
        await work

    asyncio.run(main())
    assert load.stop_reason == "stopped" and len(provider.sent) == 3
    assert {s.status for s in load.samples} == {"cancelled"}


@pytest.mark.parametrize("changes, words", [
    ({"providers": ()}, "no provider"),
    ({"requests": 10, "duration_s": 5.0}, "either a number of requests or a duration"),
    ({"shape": "burst"}, "shape must be one of"),
    ({"rate": float("nan")}, "rate must be"),
    ({"concurrency": 0}, "concurrency must be"),
])
def test_a_wrong_load_test_says_what_to_fix(changes, words):
    with pytest.raises(InvalidBench, match=words):
        config(**changes)


def test_config_round_trips_through_json():
    made = config(shape="rate", rate=2.5, slo=SLO(ttft_s=1.0), cost_ceiling_usd=0.5)
    assert BenchConfig.from_json(made.to_json()) == made
