"""Load tests (`python -m playground bench`) on the simulator in its own process, with realistic speeds.

    python benchmarks/loadtest.py [--part streams,rate,ray] [--streams 512] [--rate 50] [--duration 60]

- streams: N concurrent streams from one process (fixed concurrency N, N requests). Each request carries a key of its
  own, so the simulator's record of it is found: TTFT error = (sent + TTFT as the load test measured it) − the
  simulator's first write of text. Goal: p95 ≤ 10 ms, no failures.
- rate: Poisson arrivals at R requests/s for D s. Goal: achieved rate within 2% of offered; this process's CPU per
  request printed. Baseline: a naive open loop that sleeps one gap after each send (drift accumulates).
- ray: the same load from 2 local Ray actors and from one process: percentiles side by side (needs `ray`).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from dataclasses import replace
from typing import Any

from common import MODEL, PROFILES, first_texts, load, machine, point_sdk_at, sha256, sim_process, spread, user_key

from playground.bench import sending
from playground.bench.config import BenchConfig
from playground.bench.load import LoadRun
from playground.bench.metrics import Sample, figures
from playground.keys import Credential

PROVIDER = "together"
KEY = user_key("load", 0)


Seen = list[tuple[str, float | None, float | None, float]]  # key, first text (absolute), TTFT, when send was called


def keyed_send(plan: Any, seen: Seen) -> Any:
    """The runner's send, with a key per request (so the simulator's records tell requests apart)."""
    (target,) = plan.targets
    count = iter(range(10**9))

    async def send(provider: str, prompt: str, sample: Sample) -> None:
        called = time.perf_counter()
        key = user_key("stream", next(count))
        one = replace(plan, targets=(replace(target, credential=Credential(key, "typed")),))
        await sending.runner_send(sending.lanes_of(one))(provider, prompt, sample)
        first = sample.sent_s + sample.ttft_s if sample.sent_s is not None and sample.ttft_s is not None else None
        seen.append((key, first, sample.ttft_s, called))

    return send


def streams(sim: Any, playground: Any, count: int) -> None:
    config = BenchConfig(model=MODEL, providers=(PROVIDER,), concurrency=count, requests=count, max_tokens=64,
                         max_error_rate=None)
    prompts = sending.load_prompts(config, playground.settings.datasets_url)
    plan = sending.build_plan(playground, config, prompts, api_key=KEY)
    seen: Seen = []
    sim.clear_records()
    run = LoadRun(config, keyed_send(plan, seen), prompts)
    samples = asyncio.run(run.run())
    sent = first_texts(sim.records())
    matched = [(sent[(sha256(key), PROVIDER)], first, ttft, called) for key, first, ttft, called in seen
               if first is not None and ttft is not None and sent.get((sha256(key), PROVIDER), {}).get("arrived_at")]
    errors = [first - record["first_text_at"] for record, first, _, _ in matched]
    truth = [record["first_text_at"] - record["arrived_at"] for record, _, _, _ in matched]  # the simulator's TTFT
    durations = [ttft - true for (_, _, ttft, _), true in zip(matched, truth)]
    naive = [first - called - true for (_, first, _, called), true in zip(matched, truth)]
    failed = sum(not s.ok for s in samples)
    lateness = [r["lateness_s"] or 0.0 for r in sent.values()]
    print(f"{count} concurrent streams, one process ({load()})")
    print(f"  TTFT error vs the simulator's first write: {spread(errors).ms()}   goal p95 ≤ 10 ms")
    print(f"  TTFT as a duration − the simulator's (first write − kernel arrival): {spread(durations).ms()}")
    print(f"  naive baseline (TTFT from when the send was called, client setup and queueing included): "
          f"{spread(naive).ms()}")
    print(f"  failed: {failed}   matched to records: {len(errors)}/{count}   simulator lateness: {spread(lateness).ms()}")


def rate(sim: Any, playground: Any, offered: float, duration: float) -> None:
    config = BenchConfig(model=MODEL, providers=(PROVIDER,), shape="rate", rate=offered, requests=None,
                         duration_s=duration, max_tokens=32, max_error_rate=None)
    prompts = sending.load_prompts(config, playground.settings.datasets_url)
    lanes = sending.build_lanes(playground, config, prompts, api_key=KEY)
    cpu, wall = time.process_time(), time.perf_counter()
    samples, _ = asyncio.run(sending.run_local(lanes, config, prompts))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    (fig,) = figures(samples, offered_rps=offered, duration_s=duration)
    print(f"Poisson {offered:g} req/s for {duration:g} s ({load()})")
    print(f"  achieved {fig['achieved_rps']:.3f} req/s = {fig['achieved_rps'] / offered - 1:+.2%} of offered   goal ±2%")
    print(f"  send lag p50 {fig['send_lag_s']['p50'] * 1e3:.1f} ms p99 {fig['send_lag_s']['p99'] * 1e3:.1f} ms; "
          f"{fig['ok']}/{fig['requests']} ok; generator CPU {cpu / len(samples) * 1e3:.2f} ms per request "
          f"({cpu:.1f} s CPU over {wall:.1f} s)")
    naive = asyncio.run(naive_open_loop(offered, min(duration, 10.0)))
    print(f"  naive loop (sleep a gap after each send, no requests): {naive:.3f} req/s = {naive / offered - 1:+.2%}")


async def naive_open_loop(offered: float, duration: float) -> float:
    rng, sent, start = random.Random(0), 0, time.perf_counter()
    while time.perf_counter() - start < duration:
        await asyncio.sleep(rng.expovariate(offered))
        sent += 1
    return sent / (time.perf_counter() - start)


def ray_vs_one(sim: Any, playground: Any) -> None:
    from playground.bench.distributed import connect, run_on_ray

    config = BenchConfig(model=MODEL, providers=(PROVIDER,), shape="rate", rate=20.0, requests=300, max_tokens=32,
                         max_error_rate=None)
    prompts = sending.load_prompts(config, playground.settings.datasets_url)
    lanes = sending.build_lanes(playground, config, prompts, api_key=KEY)
    one, _ = asyncio.run(sending.run_local(lanes, config, prompts))
    print(f"Ray: {connect('local', 2)}")
    two, _ = run_on_ray(playground.settings, config, prompts, 2, {"api_key": KEY})
    print(f"Poisson 20 req/s, 300 requests: one process vs 2 Ray actors ({load()})")
    for name, samples in (("one process", one), ("2 Ray actors", two)):
        (fig,) = figures(samples, offered_rps=20.0)
        print(f"  {name:13} ok {fig['ok']:3}  TTFT p50/p90/p99 " + "/".join(f"{fig['ttft_s'][q] * 1e3:.0f}" for q in ("p50", "p90", "p99"))
              + " ms  latency p50/p90/p99 " + "/".join(f"{fig['latency_s'][q] * 1e3:.0f}" for q in ("p50", "p90", "p99"))
              + f" ms  achieved {fig['achieved_rps']:.2f} req/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", default="streams,rate,ray")
    parser.add_argument("--streams", type=int, default=512)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    print(machine())
    with sim_process(time_scale=1.0, profiles={PROVIDER: PROFILES[PROVIDER]}) as sim:
        playground = point_sdk_at(sim.base_url, sim.router_url, sim.direct_url)
        parts = args.part.split(",")
        if "streams" in parts:
            streams(sim, playground, args.streams)
        if "rate" in parts:
            rate(sim, playground, args.rate, args.duration)
        if "ray" in parts:
            ray_vs_one(sim, playground)


if __name__ == "__main__":
    main()
