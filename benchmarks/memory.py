"""Memory (RSS) after 1,000 comparisons ÷ after 10, 4 providers each, on an instant simulator (goal ≤ 1.1).

    python benchmarks/memory.py [--comparisons 1000]

Each way of calling runs in a fresh process of its own, so neither inherits the other's heap; the simulator
(time_scale=0: answers at once, 64 tokens) runs in another process, so its request records do not count. Every comparison
uses a new user's key, so anything kept per key would show.
- app: `Playground.plan(...)` + `runner.run(plan)` on one event loop, as the served app does.
- naive: a thread per provider call with a fresh `InferenceClient(...).chat_completion(stream=True)`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable

from common import MODEL, PARAMS, PROMPT, PROVIDERS, ROOT, machine, point_sdk_at, python_env, sim_process, user_key

FOUR = PROVIDERS[:4]
SHORT = {**PARAMS, "max_tokens": 64}  # what is kept per comparison does not depend on the answer's length


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def app_runner(playground: object) -> Callable[[int], None]:
    from playground import runner

    loop = asyncio.Runner()

    def compare(index: int) -> None:
        plan = playground.plan(task="conversational", model=MODEL, providers=list(FOUR), prompt=PROMPT,  # type: ignore[attr-defined]
                               api_key=user_key("mem", index), params_json=SHORT)
        comparison = loop.run(runner.run(plan))
        if not all(r.ok for r in comparison.results):
            raise RuntimeError([r.error for r in comparison.results if not r.ok])

    return compare


def naive_runner(_: object) -> Callable[[int], None]:
    from huggingface_hub import InferenceClient

    def call(provider: str, key: str) -> None:
        client = InferenceClient(provider=provider, api_key=key, timeout=60)  # type: ignore[arg-type]
        for _ in client.chat_completion([{"role": "user", "content": PROMPT}], model=MODEL, stream=True,
                                        max_tokens=SHORT["max_tokens"]):
            pass

    def compare(index: int) -> None:
        threads = [threading.Thread(target=call, args=(p, user_key("mem", index))) for p in FOUR]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    return compare


def measure(mode: str, base_url: str, comparisons: int) -> dict[str, float]:
    playground = point_sdk_at(base_url, f"{base_url}/router", f"{base_url}/direct")
    compare = {"app": app_runner, "naive": naive_runner}[mode](playground)
    for index in range(10):
        compare(index)
    gc.collect()
    after_10 = rss_mb()
    for index in range(10, comparisons):
        compare(index)
    gc.collect()
    return {"after_10": after_10, "after_n": rss_mb()}


def in_child(mode: str, base_url: str, comparisons: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--sim", base_url, "--comparisons", str(comparisons)],
                         cwd=ROOT, env=python_env(), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comparisons", type=int, default=1000)
    parser.add_argument("--child", choices=("app", "naive"), help=argparse.SUPPRESS)
    parser.add_argument("--sim", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.sim, args.comparisons)))
        return
    print(f"RSS after {args.comparisons} comparisons ÷ after 10, {len(FOUR)} providers each, instant simulator\n"
          f"machine: {machine()}")
    with sim_process(time_scale=0.0) as sim:
        for mode in ("app", "naive"):
            figures = in_child(mode, sim.base_url, args.comparisons)
            ratio = figures["after_n"] / figures["after_10"]
            print(f"  {mode:<6} {figures['after_10']:7.1f} MB → {figures['after_n']:7.1f} MB   ratio {ratio:.3f}")
    print("goal: ≤ 1.1")


if __name__ == "__main__":
    main()
