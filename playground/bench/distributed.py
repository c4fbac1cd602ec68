"""The same load test from several machines: each Ray actor runs a shard of the load (its share of the concurrency,
rate and requests, see `load.Shard`) on its own event loop, and returns its raw samples; the driver merges them
(`metrics.merge`) so every percentile is taken over all samples, never averaged across workers.

Keys never travel as plain actor arguments (Ray keeps those in its control store, and its state API and dashboard
show what an actor was made with): the driver seals them with the server's secret (`vault`), the settings go
without the server's token and secret, and each actor opens the keys with the same secret, which it finds itself:
`PLAYGROUND_SECRET` in its own environment, or the `secret.key` file in the data folder (a local Ray's workers share
the driver's disk and environment; on a cluster, set `PLAYGROUND_SECRET` on every node). This protects against
whoever can read Ray's metadata, dashboard or logs without the secret; not against code running on the nodes with
the secret, which can open the keys as the actors do.

`ray` is an optional extra (requirements-dev.txt); the app never imports this module.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from .. import settings as environment
from ..settings import Settings
from ..vault import Vault
from .config import BenchConfig
from .load import Shard
from .metrics import Sample, merge

START_MARGIN_S = 1.0  # every worker starts at the same wall-clock second, this long after they are all ready
POLL_S = 0.5


def connect(address: str, workers: int) -> str:
    """`auto`: a running Ray cluster, else a local one with `workers` CPUs; `local`: always a new local one (never
    another program's); otherwise the cluster at `address`."""
    import ray

    import playground

    runtime_env = {"py_modules": [playground]}
    if address == "auto":
        try:
            ray.init(address="auto", runtime_env=runtime_env, log_to_driver=False)
            return "the running Ray cluster"
        except ConnectionError:
            ray.init(num_cpus=workers, runtime_env=runtime_env, include_dashboard=False, log_to_driver=False)
            return f"a local Ray with {workers} CPUs (no cluster was running)"
    if address == "local":
        ray.init(address="local", num_cpus=workers, runtime_env=runtime_env, include_dashboard=False, log_to_driver=False)
        return f"a new local Ray with {workers} CPUs"
    ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
    return f"the Ray cluster at {address}"


class LoadWorker:
    """One shard of a load test, in a Ray actor's process: builds the app's Plan there, runs, returns samples."""

    def __init__(self, settings: Settings, config: dict[str, Any], prompts: list[str], shard: tuple[int, int],
                 sealed_keys: str) -> None:
        from ..sdk import urls
        from ..service import Playground
        from . import sending

        settings = own_secret(settings)
        keys = Vault.of(settings).open(sealed_keys)
        if not isinstance(keys, dict):
            raise RuntimeError("this Ray worker cannot open the keys: give it the driver's PLAYGROUND_SECRET")
        urls.apply(settings)
        self.config = BenchConfig.from_json(config)
        lanes = sending.build_lanes(Playground(settings), self.config, prompts, **keys)
        self.run = sending.new_run(lanes, self.config, prompts, shard=Shard(*shard))

    async def start(self, at_wall: float) -> list[dict[str, Any]]:
        await asyncio.sleep(max(0.0, at_wall - time.time()))
        samples = await self.run.run()
        return [s.to_json() for s in samples]

    def progress(self) -> int:
        return len(self.run.samples)

    def stop_reason(self) -> str | None:
        return self.run.stop_reason

    def stop(self) -> None:
        self.run.stop()


def actor_arguments(settings: Settings, keys: Mapping[str, Any]) -> tuple[Settings, str]:
    """What an actor is made with: the settings without the server's token or secret, and the keys sealed (the
    local user's token among them when no key was given, as the driver would have used it)."""
    keys = dict(keys)
    if not keys.get("api_key") and not settings.on_space:
        keys["api_key"] = settings.server_token or ""
    return replace(settings, server_token=None, secret=""), Vault.of(settings).seal(keys)


def own_secret(settings: Settings) -> Settings:
    """In a worker: the server's secret from this process's environment (or, when unset, the data folder's file)."""
    return replace(settings, secret=environment.load().secret)


def shard_config(config: BenchConfig, workers: int) -> BenchConfig:
    """Each shard enforces its share of the cost ceiling, so together they stay under it."""
    if config.cost_ceiling_usd is None:
        return config
    return replace(config, cost_ceiling_usd=config.cost_ceiling_usd / workers)


def run_on_ray(settings: Settings, config: BenchConfig, prompts: list[str], workers: int, keys: Mapping[str, Any],
               on_progress: Callable[[int], None] | None = None,
               should_stop: Callable[[], bool] | None = None) -> tuple[list[Sample], str | None]:
    """Run `workers` actors (one CPU each) against the same start second; merged samples and the first stop reason."""
    import ray

    actor = ray.remote(num_cpus=1, max_concurrency=4)(LoadWorker)  # type: ignore[call-overload]
    share = shard_config(config, workers).to_json()
    bare, sealed = actor_arguments(settings, keys)
    actors = [actor.remote(bare, share, prompts, (i, workers), sealed) for i in range(workers)]
    ray.get([a.progress.remote() for a in actors])  # every actor built its plan (or raised the error it met)
    pending = [a.start.remote(time.time() + START_MARGIN_S) for a in actors]
    while True:
        done, _ = ray.wait(pending, num_returns=len(pending), timeout=POLL_S)
        if len(done) == len(pending):
            break
        if on_progress:
            on_progress(sum(ray.get([a.progress.remote() for a in actors])))
        if should_stop and should_stop():
            ray.get([a.stop.remote() for a in actors])
    shards = [[Sample.from_json(s) for s in result] for result in ray.get(pending)]
    reasons = [r for r in ray.get([a.stop_reason.remote() for a in actors]) if r]
    return merge(*shards), (reasons[0] if reasons else None)
