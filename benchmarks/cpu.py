"""The app's own CPU per 6-provider streamed comparison through `/compare`, 32 at once (goal ≤ 20 ms), and those
comparisons' wall time ÷ their slowest provider's latency (goal ≤ 1.5).

    python benchmarks/cpu.py [--users 32] [--rounds 3] [--profile FILE]

The launched app (`app.py` via `logged_app.py`, a process of its own) on the simulator (another process, realistic
speeds). CPU: the app process's user + system time (/proc/PID/stat) across a round of `--users` gradio_client
calls to `/compare` at once, ÷ the comparisons. Wall: each call's time as its client sees it ÷ the largest
`latency_s` in its results. Naive baseline, same run: a thread per provider call with a fresh
`InferenceClient(...).chat_completion(stream=True)`, this process's CPU ÷ the comparisons.
`--profile FILE`: py-spy samples the app during one more round (collapsed stacks to FILE) and the shares of
samples by where the leaf frame lives are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import (
    MODEL,
    PARAMS,
    PROMPT,
    PROVIDERS,
    load,
    machine,
    point_sdk_at,
    realistic,
    sim_process,
    spread,
    stop,
    user_key,
)
from ttft_accuracy import launched_app, naive_round

TICK_S = 1 / os.sysconf("SC_CLK_TCK")
AREAS = (("playground", "/playground/"), ("gradio", "/gradio/"), ("http", "/httpx2/"), ("http", "/httpcore2/"),
         ("http", "/h11/"), ("starlette/uvicorn", "/starlette/"), ("starlette/uvicorn", "/uvicorn/"),
         ("pydantic", "/pydantic"), ("asyncio", "/asyncio/"), ("json", "/json/"))


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S


def compare_round(clients: list[Any], tag: str) -> list[float]:
    """A call to /compare from each client at once; each one's wall time ÷ its slowest provider's latency."""
    users = len(clients)
    start = threading.Barrier(users)
    ratios: list[float] = []

    def work(index: int) -> None:
        start.wait()
        began = time.perf_counter()
        answer = clients[index].predict(task="conversational", model=MODEL, providers=list(PROVIDERS), prompt=PROMPT,
                                        api_key=user_key(tag, index), params_json=json.dumps(PARAMS), api_name="/compare")
        wall = time.perf_counter() - began
        if any(not r["ok"] for r in answer["results"]):
            raise RuntimeError(f"a provider failed: {[r['error'] for r in answer['results'] if not r['ok']]}")
        ratios.append(wall / max(r["latency_s"] for r in answer["results"]))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ratios


def shares(collapsed: Path) -> str:
    by_area: Counter[str] = Counter()
    by_leaf: Counter[str] = Counter()
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        leaf = stack.rsplit(";", 1)[-1]
        area = next((name for name, marker in AREAS if marker in leaf), "other")
        by_area[area] += int(count)
        by_leaf[leaf] += int(count)
    total = sum(by_area.values()) or 1
    lines = [f"  py-spy: {total} samples; by the leaf frame's package:"]
    lines += [f"    {area:<18} {n / total:6.1%}" for area, n in by_area.most_common()]
    lines += ["  top leaf frames:"] + [f"    {n / total:6.1%}  {leaf[:150]}" for leaf, n in by_leaf.most_common(15)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    print(f"App CPU per {len(PROVIDERS)}-provider streamed comparison through /compare, {args.users} at once\n"
          f"machine: {machine()}\n{load()}")
    with sim_process() as sim, tempfile.TemporaryDirectory() as scratch:
        realistic(sim)
        process, url = launched_app(sim, Path(scratch) / "first_tokens.jsonl")
        try:
            from gradio_client import Client

            clients = [Client(url, verbose=False) for _ in range(args.users)]
            compare_round(clients[:2], "cwarm")
            before = cpu_s(process.pid)
            ratios = compare_round(clients, "cnew")
            used = cpu_s(process.pid) - before
            print(f"  app    first call of each new client (gradio builds its session): CPU "
                  f"{used / args.users * 1e3:6.1f} ms per comparison; wall ÷ slowest p50 {spread(ratios).p50:.3f} "
                  f"max {spread(ratios).max:.3f}   [{load()}]")
            for number in range(args.rounds):
                before = cpu_s(process.pid)
                ratios = compare_round(clients, f"c{number}")
                used = cpu_s(process.pid) - before
                wall = spread(ratios)
                print(f"  app    round {number}: CPU {used / args.users * 1e3:6.1f} ms per comparison; wall ÷ slowest "
                      f"p50 {wall.p50:.3f} max {wall.max:.3f}   [{load()}]")
            if args.profile:
                spy = subprocess.Popen(["py-spy", "record", "--pid", str(process.pid), "--rate", "200", "--gil", "--full-filenames",
                                        "--format", "raw", "--output", str(args.profile)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1.0)
                compare_round(clients, "cprof")
                spy.send_signal(2)
                spy.wait(timeout=60)
                print(shares(args.profile))
        finally:
            stop(process)
        point_sdk_at(sim.base_url, sim.router_url, sim.direct_url)
        naive_round("cnwarm", 1)
        for number in range(args.rounds):
            before = time.process_time()
            began = time.perf_counter()
            naive_round(f"cn{number}", args.users)
            used = time.process_time() - before
            print(f"  naive  round {number}: CPU {used / args.users * 1e3:6.1f} ms per comparison; burst wall "
                  f"{time.perf_counter() - began:.2f} s   [{load()}]")
    print("goals: CPU ≤ 20 ms per comparison; wall ÷ slowest ≤ 1.5")


if __name__ == "__main__":
    main()
