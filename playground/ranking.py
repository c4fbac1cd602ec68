"""Provider ordering: the person's preference, the router's advertised latency and throughput, price, name."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .catalog import ProviderInfo

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
