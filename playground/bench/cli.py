"""`python -m playground bench`: load-test providers from a shell, with every option the Benchmark tab has."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import catalog, settings
from ..planning import InvalidRequest
from ..sdk import urls
from ..service import Playground
from ..sim.config import DEMO_THROTTLE
from ..tasks import get_task
from . import sending
from .config import ARRIVALS, TASK_IDS, BenchConfig, InvalidBench
from .metrics import SLO, Sample
from .report import progress_line, table
from .store import BenchRun, BenchStore, export

EXAMPLES = """examples:
  # 32 users at once, 200 requests per provider, on the built-in simulator (no key, no cost)
  python -m playground bench --demo --model meta-llama/Llama-3.3-70B-Instruct --providers groq,together \\
      --concurrency 32 --requests 200

  # 5 requests/s with Poisson arrivals for 60 s, SLOs for goodput, stop past $0.50
  python -m playground bench --model meta-llama/Llama-3.3-70B-Instruct --providers cerebras \\
      --rate 5 --duration 60 --slo-ttft 1 --slo-tpot 0.05 --cost-ceiling 0.5

  # watch a provider start rate-limiting above 20 concurrent requests (simulator)
  python -m playground bench --demo --model meta-llama/Llama-3.3-70B-Instruct --providers groq \\
      --concurrency 32 --duration 20 --sim-throttle 20 --export throttled.parquet

keys: HF_TOKEN (or `hf auth login`) routes through Hugging Face; --direct PROVIDER uses $<PROVIDER>_API_KEY
(e.g. GROQ_API_KEY) to call that provider with its own key. Keys are never printed, saved or exported.
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m playground bench", formatter_class=argparse.RawDescriptionHelpFormatter,
                                description="Load-test one model on one or more inference providers and print "
                                            "TTFT, ITL, TPOT, latency (p50/p90/p99/mean), throughput, goodput and errors.",
                                epilog=EXAMPLES)
    what = p.add_argument_group("what to call")
    what.add_argument("--model", required=True, help="Hub model id, e.g. meta-llama/Llama-3.3-70B-Instruct")
    what.add_argument("--providers", required=True, help="comma-separated providers, e.g. groq,together")
    what.add_argument("--task", default="conversational",
                      help=f"a task that takes a prompt (default conversational = chat, streamed; the others are "
                           f"one-shot, measured by latency only): {', '.join(TASK_IDS)}")
    what.add_argument("--sequential", action="store_true", help="one provider after another (default: side by side)")
    what.add_argument("--direct", action="append", default=[], metavar="PROVIDER",
                      help="call PROVIDER with its own key from $<PROVIDER>_API_KEY (repeatable); with an HF token "
                           "too, PROVIDER runs both ways in one run, routed against direct, to show what the router adds")
    load = p.add_argument_group("load shape (one of --concurrency / --rate; one of --requests / --duration)")
    shape = load.add_mutually_exclusive_group()
    shape.add_argument("--concurrency", type=int, help="keep this many requests in flight per provider (default 8)")
    shape.add_argument("--rate", type=float, help="send this many requests per second per provider, whatever the answers do")
    load.add_argument("--arrivals", choices=ARRIVALS, default="poisson", help="with --rate: Poisson (default) or evenly spaced")
    count = load.add_mutually_exclusive_group()
    count.add_argument("--requests", type=int, help="counted requests per provider (default 100)")
    count.add_argument("--duration", type=float, metavar="SECONDS", help="send for this long instead")
    load.add_argument("--warmup", type=int, default=0, help="requests per provider sent first and not counted")
    prompts = p.add_argument_group("prompts")
    prompts.add_argument("--prompts", metavar="FILE.jsonl", help='one {"prompt": "..."} per line (default: synthetic)')
    prompts.add_argument("--dataset", metavar="ID", help="a Hub dataset id: prompts from its --dataset-column "
                         "(read through the Hub's dataset viewer, first 2,000 rows of its train split)")
    prompts.add_argument("--dataset-column", default="text", metavar="NAME", help="the dataset's text column (default text)")
    prompts.add_argument("--input-tokens", type=int, default=64, help="length of synthetic prompts, in tokens (default 64)")
    prompts.add_argument("--max-tokens", type=int, default=128, help="max_tokens of each answer (default 128)")
    prompts.add_argument("--temperature", type=float)
    prompts.add_argument("--seed", type=int, default=0, help="seeds the prompts and the arrival times")
    slo = p.add_argument_group("goodput: requests that meet every SLO given")
    slo.add_argument("--slo-ttft", type=float, metavar="SECONDS")
    slo.add_argument("--slo-tpot", type=float, metavar="SECONDS", help="time per output token, e.g. 0.05")
    slo.add_argument("--slo-latency", type=float, metavar="SECONDS")
    safety = p.add_argument_group("spend safety")
    safety.add_argument("--cost-ceiling", type=float, metavar="USD", help="stop before spending more than this")
    safety.add_argument("--max-error-rate", type=float, default=0.5,
                        help="stop when more than this share of requests fail (429s aside; default 0.5; 1 never stops)")
    safety.add_argument("--yes", action="store_true", help="do not ask to confirm the worst-case cost")
    out = p.add_argument_group("where it runs and what it keeps")
    out.add_argument("--demo", action="store_true", help="run on the built-in simulator (no network, no cost)")
    out.add_argument("--sim-throttle", type=int, metavar="N", help=f"simulator: every provider answers 429 above N concurrent requests (default: only "
                          f"{DEMO_THROTTLE[0]}, above {DEMO_THROTTLE[1]})")
    out.add_argument("--ray", metavar="auto|local|ADDRESS",
                     help="run the load generators as Ray actors (pip install ray): auto = a running cluster, else a "
                          "local one; local = always a new local one; or a cluster's address")
    out.add_argument("--ray-workers", type=int, default=2, help="Ray actors to split the load over (default 2)")
    out.add_argument("--export", action="append", default=[], metavar="FILE", help="write the run as .parquet or .json")
    out.add_argument("--no-save", action="store_true", help="do not keep the run in the playground's data folder")
    out.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    return p


def config_of(args: argparse.Namespace) -> BenchConfig:
    rate_shape = args.rate is not None
    return BenchConfig(
        model=args.model, providers=tuple(p.strip() for p in args.providers.split(",") if p.strip()),
        task=get_task(args.task).id,
        shape="rate" if rate_shape else "concurrency", concurrency=8 if args.concurrency is None else args.concurrency,
        rate=args.rate if rate_shape else 1.0, arrivals=args.arrivals,
        requests=None if args.duration is not None else (100 if args.requests is None else args.requests), duration_s=args.duration,
        warmup=args.warmup, order="sequential" if args.sequential else "parallel", max_tokens=args.max_tokens,
        input_tokens=args.input_tokens, prompts_file=args.prompts, dataset=args.dataset,
        dataset_column=args.dataset_column, seed=args.seed,
        slo=SLO(args.slo_ttft, args.slo_tpot, args.slo_latency), cost_ceiling_usd=args.cost_ceiling,
        max_error_rate=None if args.max_error_rate >= 1 else args.max_error_rate, temperature=args.temperature)


@contextmanager
def playground_for(args: argparse.Namespace) -> Iterator[Playground]:
    config = settings.load()
    if not args.demo:
        urls.apply(config)
        yield Playground(config)
        return
    from ..sim.config import DEMO_THROTTLE, SimConfig, rate_limit
    from ..sim.server import Simulator

    faults = [rate_limit(DEMO_THROTTLE[1], DEMO_THROTTLE[0]) if args.sim_throttle is None else rate_limit(args.sim_throttle)]
    with Simulator(SimConfig(faults=faults)) as sim:
        config = config.with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        urls.apply(config)
        catalog.clear_caches()
        yield Playground(config)


def keys_of(args: argparse.Namespace) -> dict[str, Any]:
    direct = {name: os.environ.get(f"{name.upper().replace('-', '_')}_API_KEY", "") for name in args.direct}
    missing = [name for name, key in direct.items() if not key]
    if missing:
        raise InvalidBench(f"--direct {missing[0]} needs ${missing[0].upper().replace('-', '_')}_API_KEY")
    return {"provider_keys": direct or None, "api_key": "hf_demo_" + "key" * 8 if args.demo else ""}


def confirm(text: str, assume_yes: bool) -> bool:
    print(text, file=sys.stderr)
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        print("Not a terminal: pass --yes to start without confirming.", file=sys.stderr)
        return False
    return input("Start? [y/N] ").strip().lower() in ("y", "yes")


def execute(args: argparse.Namespace, playground: Playground) -> BenchRun | None:
    config = config_of(args)
    prompts = sending.load_prompts(config, playground.settings.datasets_url)
    keys = keys_of(args)
    lanes = sending.build_lanes(playground, config, prompts, **keys)
    if not confirm(sending.worst_case(lanes, config, prompts).describe(config.cost_ceiling_usd), args.yes):
        return None
    planned = config.planned_requests()
    total = None if planned is None else planned * len(lanes)
    if args.ray:
        from .distributed import connect, run_on_ray

        print(f"Ray: {connect(args.ray, args.ray_workers)}", file=sys.stderr)
        samples, reason = run_on_ray(playground.settings, config, prompts, args.ray_workers, keys,
                                     on_progress=lambda n: print(f"\r{n} requests", end="", file=sys.stderr))
        workers = args.ray_workers
    else:
        samples, reason = _local(lanes, config, prompts, total)
        workers = 1
    print(file=sys.stderr)
    return BenchRun(config, samples, reason, workers=workers)


def _local(lanes: sending.Lanes, config: BenchConfig, prompts: list[str], total: int | None) -> tuple[list[Sample], str | None]:
    """In this process; Ctrl-C stops the run and keeps what finished."""
    seen: list[Sample] = []
    shown = [0.0]

    def on_sample(sample: Sample) -> None:
        seen.append(sample)
        if time.monotonic() - shown[0] > 1.0:
            shown[0] = time.monotonic()
            print("\r" + progress_line(seen, total), end="", file=sys.stderr)

    async def go() -> tuple[list[Sample], str | None]:
        run = sending.new_run(lanes, config, prompts, on_sample=on_sample)
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, run.stop, "stopped with Ctrl-C")
        return await run.run(), run.stop_reason

    return asyncio.run(go())


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with playground_for(args) as playground:
            run = execute(args, playground)
            if run is None:
                return 1
            if not args.no_save:
                BenchStore.of(playground.settings).save(run)
    except (InvalidBench, InvalidRequest, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
        return 130
    print(json.dumps(run.figures(), indent=1) if args.json else table(run.figures()))
    if run.stop_reason:
        print(f"Stopped early: {run.stop_reason}.")
    for path in args.export:
        print(f"wrote {export(run, Path(path))}")
    if not args.no_save:
        print(f"saved as load test {run.id}")
    return 0
