"""One-shot tasks at load: 32 text-to-image comparisons × 4 providers at once, wall time ÷ the slowest call (goal ≤ 1.5).

    python benchmarks/one_shot.py [--users 32]

One-shot calls run in worker threads (the SDK's helpers poll and download synchronously). Wall time: from starting
the 32 comparisons (`Playground.plan` + `runner.run`, on one event loop as the served app runs them) to the last
result; ÷ the largest `latency_s` of all 128 calls. Beside it, in the same run: the same comparisons over a pool the
size of `asyncio.to_thread`'s default (min(32, cores + 4)), as the app ran them before, and the naive baseline (a
thread per call, a fresh `InferenceClient(...).text_to_image`, latency timed with perf_counter around it).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from common import load, machine, point_sdk_at, sim_process, user_key

MODEL = "black-forest-labs/FLUX.1-dev"
PROVIDERS = ("fal-ai", "replicate", "together", "hf-inference")
PROMPT = "A lighthouse on a cliff at dawn, watercolour"


async def app_burst(playground: Any, tag: str, users: int) -> tuple[float, float, int]:
    from playground import runner

    async def one(index: int) -> list[Any]:
        plan = playground.plan(task="text-to-image", model=MODEL, providers=list(PROVIDERS), prompt=PROMPT,
                               api_key=user_key(tag, index))
        return (await runner.run(plan)).results

    started = time.perf_counter()
    batches = await asyncio.gather(*(one(i) for i in range(users)))
    wall = time.perf_counter() - started
    results = [r for batch in batches for r in batch]
    return wall, max(r.latency_s or 0.0 for r in results), sum(not r.ok for r in results)


def naive_burst(tag: str, users: int) -> tuple[float, float, int]:
    from huggingface_hub import InferenceClient

    latencies: list[float] = []
    failed = []

    def call(key: str, provider: str) -> None:
        started = time.perf_counter()
        try:
            InferenceClient(provider=provider, api_key=key, timeout=120).text_to_image(PROMPT, model=MODEL)  # type: ignore[arg-type]
            latencies.append(time.perf_counter() - started)
        except Exception as error:  # counted, not fatal
            failed.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=call, args=(user_key(tag, i), p)) for i in range(users) for p in PROVIDERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, max(latencies, default=0.0), len(failed)


def row(name: str, figure: tuple[float, float, int]) -> str:
    wall, slowest, failed = figure
    lost = f"  failed {failed}" if failed else ""
    return f"  {name:<13} wall {wall:6.2f} s ÷ slowest {slowest:5.2f} s = {wall / slowest:5.2f}{lost}   [{load()}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=32)
    args = parser.parse_args()
    print(f"{args.users} text-to-image comparisons × {len(PROVIDERS)} providers at once: wall ÷ slowest call\n"
          f"machine: {machine()}\n{load()}")
    with sim_process(time_scale=1.0) as sim:
        playground = point_sdk_at(sim.base_url, sim.router_url, sim.direct_url)
        with asyncio.Runner() as loop:
            loop.run(app_burst(playground, "iwarm", 1))
            naive_burst("iwarm", 1)
            gc.freeze()
            print(row("app", loop.run(app_burst(playground, "iapp", args.users))))
            loop.get_loop().set_default_executor(ThreadPoolExecutor(min(32, (os.cpu_count() or 1) + 4)))
            print(row("default pool", loop.run(app_burst(playground, "ipool", args.users))))
        print(row("naive", naive_burst("inaive", args.users)))
    print("goal: ≤ 1.5")


if __name__ == "__main__":
    main()
