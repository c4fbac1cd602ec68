"""TTFT measurement error: the TTFT the app reports, minus the simulator's own (first text written − request arrived).

    python benchmarks/ttft_accuracy.py [--rounds-1 4] [--rounds-32 3] [--baseline-rounds-32 1] [--no-gradio]

The simulator runs in its own process (its own GIL) with realistic speeds; every simulated user has a key of
its own, so the simulator's record of each stream is found by (key_sha256, provider). Its truth: `arrived_at`, the
kernel's receive stamp of the request's last bytes (SO_TIMESTAMPNS on the accepted socket), and `first_text_at`,
stamped just before it writes the first text. The error is a difference of durations, so no clock is shared; the
arrival-side error (first token as the app saw it − first text written) is printed too.

- app: `Playground.plan(...)` + `runner.run(plan)`, N comparisons at once on one event loop (the real path).
- gradio: the launched app (`app.py` via `logged_app.py`, another process, which logs each first token), N
  `gradio_client` users calling `/compare` at once.
- naive: a thread per provider call, a fresh `InferenceClient(...).chat_completion(stream=True)`, perf_counter around it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    MODEL,
    PARAMS,
    PROMPT,
    PROVIDERS,
    ROOT,
    SimProcess,
    Spread,
    first_texts,
    free_port,
    load,
    machine,
    point_sdk_at,
    python_env,
    realistic,
    sha256,
    sim_process,
    spread,
    stop,
    user_key,
    wait_http,
)

# (key, provider, the TTFT this side reports, perf_counter() of the first text as this side saw it)
Arrival = tuple[str, str, float | None, float | None]


@dataclass
class Figure:
    errors: Spread
    arrival: Spread
    lateness: Spread
    failed: int
    round_p95s: tuple[float, ...] = ()


def score(arrivals: Sequence[Arrival], records: Sequence[dict[str, Any]]) -> Figure:
    sent = first_texts(records)
    errors: list[float] = []
    arrival: list[float] = []
    lateness: list[float] = []
    failed = 0
    for key, provider, ttft, seen_at in arrivals:
        record = sent.get((sha256(key), provider))
        if record is None or ttft is None or seen_at is None or record.get("arrived_at") is None:
            failed += 1
            continue
        errors.append(ttft - (record["first_text_at"] - record["arrived_at"]))
        arrival.append(seen_at - record["first_text_at"])
        lateness.append(record["lateness_s"] or 0.0)
    return Figure(spread(errors), spread(arrival), spread(lateness), failed)


async def app_round(playground: Any, tag: str, users: int) -> list[Arrival]:
    from playground import runner

    async def one(index: int) -> list[Arrival]:
        key = user_key(tag, index)
        plan = playground.plan(task="conversational", model=MODEL, providers=list(PROVIDERS), prompt=PROMPT,
                               api_key=key, params_json=PARAMS)
        comparison = await runner.run(plan)
        return [(key, r.provider, r.ttft_s, r.first_token_at) for r in comparison.results]

    batches = await asyncio.gather(*(one(i) for i in range(users)))
    return [arrival for batch in batches for arrival in batch]


def naive_call(key: str, provider: str) -> tuple[float | None, float | None]:
    from huggingface_hub import InferenceClient

    first_at = None
    started = time.perf_counter()
    client = InferenceClient(provider=provider, api_key=key, timeout=60)  # type: ignore[arg-type]
    try:
        for chunk in client.chat_completion([{"role": "user", "content": PROMPT}], model=MODEL, stream=True,
                                            max_tokens=PARAMS["max_tokens"], temperature=PARAMS["temperature"]):
            if first_at is None and chunk.choices and chunk.choices[0].delta.content:
                first_at = time.perf_counter()
    except Exception as error:  # a failed call is counted, not fatal
        print(f"  naive {provider}: {type(error).__name__}: {error}", file=sys.stderr)
        return None, None
    return (None if first_at is None else first_at - started), first_at


def naive_round(tag: str, users: int) -> list[Arrival]:
    arrivals: list[Arrival] = []
    lock = threading.Lock()

    def work(key: str, provider: str) -> None:
        ttft, seen = naive_call(key, provider)
        with lock:
            arrivals.append((key, provider, ttft, seen))

    threads = [threading.Thread(target=work, args=(user_key(tag, i), p)) for i in range(users) for p in PROVIDERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return arrivals


def gradio_round(url: str, log: Path, tag: str, users: int) -> list[Arrival]:
    """`users` gradio_client users calling /compare at once; the app's process logs each first token (logged_app.py)."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(users)]
    start = threading.Barrier(users)
    keys = [user_key(tag, index) for index in range(users)]

    def work(index: int) -> None:
        start.wait()
        clients[index].predict(task="conversational", model=MODEL, providers=list(PROVIDERS), prompt=PROMPT,
                               api_key=keys[index], params_json=json.dumps(PARAMS), api_name="/compare")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    logged = {(e["key_sha256"], e["provider"]): e for e in map(json.loads, log.read_text().splitlines())}
    found = [logged.get((sha256(key), provider), {}) for key in keys for provider in PROVIDERS]
    return [(key, provider, entry.get("ttft_s"), entry.get("first_token_at"))
            for (key, provider), entry in zip(((k, p) for k in keys for p in PROVIDERS), found)]


def measure(sim: SimProcess, name: str, rounds: int, users: int, round_fn: Callable[[str, int], list[Arrival]]) -> Figure:
    arrivals: list[Arrival] = []
    records: list[dict[str, Any]] = []
    p95s = []
    for number in range(rounds):
        sim.clear_records()
        seen = round_fn(f"{name}{users}r{number}", users)
        sent = sim.records()
        p95s.append(score(seen, sent).errors.p95)
        arrivals += seen
        records += sent
    figure = score(arrivals, records)
    figure.round_p95s = tuple(p95s)
    return figure


def launched_app(sim: SimProcess, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = python_env(HF_ENDPOINT=sim.base_url, PLAYGROUND_ROUTER_URL=sim.router_url, PLAYGROUND_DIRECT_URL=sim.direct_url,
                     GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1", PLAYGROUND_TIMEOUT_S="60")
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("logged_app.py")), str(log)], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_http(url, 90, process)
    return process, url


def row(name: str, figure: Figure) -> str:
    failed = f"  failed {figure.failed}" if figure.failed else ""
    rounds = f"\n  {'':<8} p95 per round: {', '.join(f'{p * 1e3:.1f}' for p in figure.round_p95s)} ms" if len(figure.round_p95s) > 1 else ""
    return (f"  {name:<8} TTFT error {figure.errors.ms()}{rounds}\n  {'':<8} arrival-side {figure.arrival.ms()}\n"
            f"  {'':<8} sim lateness {figure.lateness.ms()}{failed}\n  {'':<8} {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds-1", type=int, default=4, help="sequential 1-user comparisons")
    parser.add_argument("--rounds-32", type=int, default=3, help="rounds of 32 users at once (the app in-process)")
    parser.add_argument("--baseline-rounds-32", type=int, default=1, help="rounds of 32 users at once, naive and gradio")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--no-gradio", action="store_true", help="skip the launched-app (gradio_client) figure")
    args = parser.parse_args()
    print(f"TTFT measurement error (the reported TTFT − the simulator's first text written − request arrived), "
          f"{len(PROVIDERS)} providers, streaming\nmachine: {machine()}\n{load()}")
    with sim_process() as sim:
        realistic(sim)
        playground = point_sdk_at(sim.base_url, sim.router_url, sim.direct_url)
        with asyncio.Runner() as loop:  # one event loop for every comparison, as in the served app
            app = lambda tag, users: loop.run(app_round(playground, tag, users))  # noqa: E731
            app("warm", 1)  # provider mappings, imports, first connections
            naive_round("warm", 1)
            gc.freeze()  # as app.py does once started
            for users, rounds, baseline in ((1, args.rounds_1, args.rounds_1),
                                            (args.users, args.rounds_32, args.baseline_rounds_32)):
                print(f"\n{users} user(s) × {len(PROVIDERS)} providers:")
                print(row("app", measure(sim, "app", rounds, users, app)))
                print(row("naive", measure(sim, "naive", baseline, users, naive_round)))
        if not args.no_gradio:
            with tempfile.TemporaryDirectory() as scratch:
                log = Path(scratch) / "first_tokens.jsonl"
                process, url = launched_app(sim, log)
                try:
                    gradio_round(url, log, "gwarm", 1)
                    for users, rounds in ((1, 2), (args.users, args.baseline_rounds_32)):
                        figure = measure(sim, "gradio", rounds, users, lambda tag, n: gradio_round(url, log, tag, n))
                        print(f"\nthe launched app, {users} gradio_client user(s) at once × {len(PROVIDERS)} providers:\n"
                              f"{row('gradio', figure)}")
                finally:
                    stop(process)
    print(f"\n{load()}\ngoals: worst ≤ 2 ms at 1×6, p95 ≤ 10 ms at 32×6")


if __name__ == "__main__":
    main()
