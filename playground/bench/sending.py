"""A load test on the app's own path: one validated Plan (model, providers, keys), each request sent by the runner.

So every sample is measured exactly as a comparison is (the runner's clock and connection pool), and failures are
classified as the app classifies them.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .. import runner, units
from ..model import Plan, Result, Target
from ..service import Playground
from . import prompts as prompt_source
from .config import BenchConfig, InvalidBench
from .load import LoadRun, Send, Shard
from .metrics import Sample

Lanes = dict[str, tuple[Plan, Target]]  # what a run calls, by the name its samples carry: the plan and the target


def _nothing() -> None:
    return None


def lanes_of(plan: Plan) -> Lanes:
    return {t.provider: (plan, t) for t in plan.targets}


def runner_send(lanes: Lanes) -> Send:
    async def send(lane: str, prompt: str, sample: Sample) -> None:
        plan, target = lanes[lane]
        provider = target.provider
        one = replace(plan, inputs=replace(plan.inputs, prompt=prompt), runs=1, warmup=False)
        result = Result(provider=provider, model=plan.model, task=plan.task.id, routing=target.routing, chunk_times=[])
        try:
            await runner.call(target, one, result, _nothing)
        finally:
            _fill(sample, result, time.perf_counter())

    return send


def _fill(sample: Sample, result: Result, ended_at: float) -> None:
    """A failure that never reached the send (an HTTP error raised before the body was read, e.g. a 429) is placed
    at the call's start and given its time to the error as latency, so it shows on the latency-over-time plot."""
    times = result.chunk_times or []
    sample.sent_s = result.sent_at if result.sent_at is not None else result.called_at
    sample.ok, sample.error_kind, sample.routing = result.ok, result.error_kind, result.routing
    sample.status = {"done": "done", "error": "error"}.get(result.state, "cancelled")
    sample.ttft_s, sample.latency_s = result.ttft_s, result.latency_s
    if sample.latency_s is None and sample.status == "error" and sample.sent_s is not None:
        sample.latency_s = ended_at - sample.sent_s
    sample.input_tokens, sample.output_tokens = result.input_tokens, result.output_tokens
    sample.cost_usd, sample.retry_after_s = result.cost_usd, result.retry_after_s
    sample.gaps_s = [b - a for a, b in itertools.pairwise(times)]


def load_prompts(config: BenchConfig, datasets_url: str = "") -> list[str]:
    """The run's prompts: the file's, the Hub dataset's column (read through the dataset viewer at `datasets_url`),
    or synthetic ones, enough for every request."""
    count = min((config.planned_requests() or 1000) + config.warmup, 10_000)
    try:
        if config.prompts_file:
            return prompt_source.from_jsonl(config.prompts_file)
        if config.dataset:
            return prompt_source.from_hub(datasets_url, config.dataset, config.dataset_column)
    except ValueError as error:
        raise InvalidBench(str(error)) from None
    return prompt_source.synthetic(count, config.input_tokens, config.seed)


def build_plan(playground: Playground, config: BenchConfig, prompts: list[str], api_key: str = "",
               provider_keys: str | Mapping[str, str] | None = None, oauth_token: str = "") -> Plan:
    """The app's own validation: the model exists, each provider serves it, a key for each."""
    plan = playground.plan(task=config.task, model=config.model, providers=list(config.providers), prompt=prompts[0],
                           api_key=api_key, provider_keys=provider_keys, oauth_token=oauth_token,
                           params_json=config.params())
    blocked = [t for t in plan.targets if t.problem]
    if blocked:
        raise InvalidBench(f"{blocked[0].provider} cannot be called: {blocked[0].problem}")
    return plan


def build_lanes(playground: Playground, config: BenchConfig, prompts: list[str], api_key: str = "",
                provider_keys: str | Mapping[str, str] | None = None, oauth_token: str = "") -> Lanes:
    """The plan as keyed; and a provider called directly with its own key while an HF token could route it too runs
    both ways, as `provider · direct` and `provider · routed`, so the run shows what the router adds."""
    plan = build_plan(playground, config, prompts, api_key, provider_keys, oauth_token)
    if not any(t.routing == "direct" for t in plan.targets):
        return lanes_of(plan)
    unkeyed = playground.plan(task=config.task, model=config.model, providers=list(config.providers), prompt=prompts[0],
                              api_key=api_key, oauth_token=oauth_token, params_json=config.params())
    routed = {t.provider: t for t in unkeyed.targets if not t.problem and t.routing == "routed"}
    lanes: Lanes = {}
    for target in plan.targets:
        if target.routing == "direct" and target.provider in routed:
            lanes[f"{target.provider} · direct"] = (plan, target)
            lanes[f"{target.provider} · routed"] = (unkeyed, routed[target.provider])
        else:
            lanes[target.provider] = (plan, target)
    return lanes


def request_worst_usd(lanes: Lanes, config: BenchConfig, prompts: list[str]) -> dict[str, float | None]:
    """One request's worst case per lane: the longest prompt and max_tokens at the router's price (None: unknown)."""
    tokens_in = prompt_source.input_tokens_of(prompts)
    worst: dict[str, float | None] = {}
    for lane, (plan, target) in lanes.items():
        price = plan.pricing.get(target.provider) if config.task == "conversational" else None  # the router prices chat only
        if not price or price.get("input") is None or price.get("output") is None:
            worst[lane] = None
        else:
            worst[lane] = (tokens_in * float(price["input"]) + config.max_tokens * float(price["output"])) / 1e6
    return worst


@dataclass(frozen=True)
class WorstCase:
    per_provider: dict[str, float | None]  # the whole run's worst case per provider; None when unknown
    requests: int | None  # per provider, warm-up included; None when a duration leaves it open

    @property
    def total_usd(self) -> float | None:
        values = list(self.per_provider.values())
        return None if not values or None in values else float(sum(values))  # type: ignore[arg-type]

    def describe(self, ceiling: float | None) -> str:
        if self.requests is None:
            bound = "unbounded: a duration at a fixed concurrency has no set number of requests"
        elif self.total_usd is None:
            unknown = [p for p, v in self.per_provider.items() if v is None]
            bound = f"unknown: no price for {', '.join(unknown)}"
        else:
            bound = f"{units.usd(self.total_usd)} ({self.requests:,} requests per provider at max_tokens)"
        stop = f"; the run stops before spending more than ${ceiling:g}" if ceiling else ""
        return f"Worst-case cost: {bound}{stop}."


def worst_case(lanes: Lanes, config: BenchConfig, prompts: list[str]) -> WorstCase:
    one = request_worst_usd(lanes, config, prompts)
    planned = config.planned_requests()
    count = None if planned is None else planned + config.warmup
    per = {p: (None if v is None or count is None else v * count) for p, v in one.items()}
    return WorstCase(per, count)


def new_run(lanes: Lanes, config: BenchConfig, prompts: list[str], on_sample: Callable[[Sample], None] | None = None,
            shard: Shard | None = None) -> LoadRun:
    return LoadRun(config, runner_send(lanes), prompts, on_sample=on_sample, shard=shard or Shard(),
                   worst_cost_usd=request_worst_usd(lanes, config, prompts), lanes=tuple(lanes))


async def run_local(lanes: Lanes, config: BenchConfig, prompts: list[str], **options: Any) -> tuple[list[Sample], str | None]:
    run = new_run(lanes, config, prompts, **options)
    try:
        samples = await run.run()
    except asyncio.CancelledError:
        run.stop()
        raise
    return samples, run.stop_reason
