"""Provider ordering: the person's preference, the router's advertised latency and throughput, price, name."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .catalog import ProviderInfo, policies

SORTS = ("preference", "latency", "throughput", "price", "name")


def output_price(info: ProviderInfo) -> float | None:
    if info.is_free:
        return 0.0
    if info.pricing and info.pricing.get("output") is not None:
        return float(info.pricing["output"])
    return None


def _unknown_last(value: float | None) -> float:
    return math.inf if value is None else value


def sort_providers(
    providers: Sequence[ProviderInfo], sort: str = "preference", preference: Sequence[str] = ()
) -> list[ProviderInfo]:
    """Callable providers first, then by `sort`; unknown figures go last, ties keep the Hub's order."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort {sort!r}. Valid values: {', '.join(SORTS)}.")
    order = {name: i for i, name in enumerate(preference)}
    keys: dict[str, Callable[[ProviderInfo], object]] = {
        "preference": lambda p: (order.get(p.provider, len(order)), p.hub_rank),
        "latency": lambda p: (_unknown_last(p.first_token_latency_ms), p.hub_rank),
        "throughput": lambda p: (_unknown_last(-p.throughput if p.throughput is not None else None), p.hub_rank),
        "price": lambda p: (_unknown_last(output_price(p)), p.hub_rank),
        "name": lambda p: p.provider,
    }
    key = keys[sort]
    return sorted(providers, key=lambda p: (not p.callable, key(p)))


def parse_preference(text: str | None) -> list[str]:
    """"groq, cerebras" → ["groq", "cerebras"]."""
    return [p.strip() for p in (text or "").split(",") if p.strip()]


DEFAULT_TICKED = 4  # providers ticked for a new model: the first live ones


def offer(ranked: Sequence[ProviderInfo], task_id: str, wanted: Sequence[str] | None) -> tuple[list[ProviderInfo], list[str]]:
    """(what can be ticked, what is ticked): the callable providers, and for chat the router's policies too;
    `wanted` keeps a ticked set, otherwise the first live providers are ticked."""
    callable_ = [p for p in ranked if p.callable]
    contenders = callable_ + (policies() if task_id == "conversational" else [])
    names = [p.provider for p in contenders]
    ticked = [n for n in wanted if n in names] if wanted else [p.provider for p in callable_ if p.status == "live"][:DEFAULT_TICKED]
    return contenders, ticked
