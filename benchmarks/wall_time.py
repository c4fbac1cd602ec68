"""A comparison's wall time ÷ its slowest provider's latency, 6 providers, streaming (goal ≤ 1.05).

    python benchmarks/wall_time.py [--comparisons 8]

Wall time: from asking (`Playground.plan(...)`, then `runner.run(plan)`) to having every result. Latency: each
provider's own, as the app measures it (sent → last byte). 1.00 would mean the fan-out costs nothing beyond waiting
for the slowest provider. The simulator runs in its own process with realistic speeds.
Naive baseline: a thread per provider, a fresh `InferenceClient(...).chat_completion(stream=True)` each, latency
timed with perf_counter around each call, wall time from starting the threads to joining them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import threading
import time
from typing import Any

from common import MODEL, PARAMS, PROMPT, PROVIDERS, machine, point_sdk_at, realistic, sim_process, user_key


async def app_ratio(playground: Any, key: str) -> float:
    from playground import runner

    started = time.perf_counter()
    plan = playground.plan(task="conversational", model=MODEL, providers=list(PROVIDERS), prompt=PROMPT, api_key=key,
                           params_json=PARAMS)
    comparison = await runner.run(plan)
    wall = time.perf_counter() - started
    failed = [r.error for r in comparison.results if not r.ok]
    if failed:
        raise RuntimeError(f"a provider failed: {failed}")
    return wall / max(r.latency_s or 0.0 for r in comparison.results)


def naive_ratio(key: str) -> float:
    from huggingface_hub import InferenceClient

    latencies: list[float] = []

    def call(provider: str) -> None:
        started = time.perf_counter()
        client = InferenceClient(provider=provider, api_key=key, timeout=60)  # type: ignore[arg-type]
        for _ in client.chat_completion([{"role": "user", "content": PROMPT}], model=MODEL, stream=True,
                                        max_tokens=PARAMS["max_tokens"], temperature=PARAMS["temperature"]):
            pass
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=call, args=(p,)) for p in PROVIDERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if len(latencies) != len(PROVIDERS):
        raise RuntimeError("a naive call failed")
    return wall / max(latencies)


def summary(ratios: list[float]) -> str:
    return f"median {statistics.median(ratios):.3f}  max {max(ratios):.3f}  (n={len(ratios)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comparisons", type=int, default=6)
    args = parser.parse_args()
    print(f"Wall time ÷ slowest provider's latency, {len(PROVIDERS)} providers, streaming\nmachine: {machine()}")
    with sim_process() as sim:
        realistic(sim)
        playground = point_sdk_at(sim.base_url, sim.router_url, sim.direct_url)
        with asyncio.Runner() as loop:
            loop.run(app_ratio(playground, user_key("warm", 0)))
            naive_ratio(user_key("warm", 1))
            gc.freeze()  # as app.py does once started
            sim.clear_records()
            app = [loop.run(app_ratio(playground, user_key("wall", i))) for i in range(args.comparisons)]
        naive = [naive_ratio(user_key("naive", i)) for i in range(args.comparisons)]
        lateness = [r["lateness_s"] for r in sim.records() if r.get("lateness_s") is not None]
    print(f"  app    {summary(app)}")
    print(f"  naive  {summary(naive)}")
    print(f"  sim lateness p50 {statistics.median(lateness) * 1e3:.1f} ms  max {max(lateness) * 1e3:.1f} ms")
    print("goal: ≤ 1.05")


if __name__ == "__main__":
    main()
