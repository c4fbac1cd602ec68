"""Provider ordering: each sort, unknown figures last, ties in the Hub's order, uncallable providers at the end."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from playground.catalog import ProviderInfo
from playground.ranking import SORTS, output_price, sort_providers
from playground.service import Playground
from playground.settings import Settings
from tests.cassettes import ChatRecording, Replay


def info(provider: str, rank: int, **figures: Any) -> ProviderInfo:
    return ProviderInfo(provider=provider, provider_id=provider, status="live", callable=figures.pop("callable", True), hub_rank=rank, **figures)


# In the Hub's order. Sparse like the router's /v1/models: any figure may be missing.
PROVIDERS = [
    info("novita", 0, first_token_latency_ms=1490, throughput=24.7, pricing={"input": 1.69, "output": 3.38}),
    info("featherless-ai", 1),
    info("together", 2, first_token_latency_ms=611, throughput=40.1, pricing={"input": 2.1, "output": 4.4}),
    info("fireworks-ai", 3, first_token_latency_ms=588.4, throughput=45.4),
    info("deepinfra", 4, first_token_latency_ms=525.8, throughput=34.6, pricing={"input": 1.74, "output": 3.48}),
    info("groq", 5, pricing={"input": 1.0}, is_free=True),
    info("cohere", 6, first_token_latency_ms=100, throughput=99.0, pricing={"input": 0.1, "output": 0.1}, callable=False),
    info("baseten", 7, first_token_latency_ms=611, throughput=40.1, pricing={"input": 2.1, "output": 4.4}),
]


def order(sort: str, preference: tuple[str, ...] = ()) -> list[str]:
    return [p.provider for p in sort_providers(PROVIDERS, sort, preference)]


def test_latency_fastest_first_unknown_last_ties_in_hub_order() -> None:
    assert order("latency") == ["deepinfra", "fireworks-ai", "together", "baseten", "novita", "featherless-ai", "groq", "cohere"]


def test_throughput_highest_first_unknown_last() -> None:
    assert order("throughput") == ["fireworks-ai", "together", "baseten", "deepinfra", "novita", "featherless-ai", "groq", "cohere"]


def test_price_cheapest_output_first_free_counts_as_zero_unknown_last() -> None:
    assert order("price") == ["groq", "novita", "deepinfra", "together", "baseten", "featherless-ai", "fireworks-ai", "cohere"]


def test_name_alphabetical_with_uncallable_last() -> None:
    assert order("name") == ["baseten", "deepinfra", "featherless-ai", "fireworks-ai", "groq", "novita", "together", "cohere"]


def test_preference_first_then_hub_order() -> None:
    assert order("preference", ("together", "groq", "not-listed")) == [
        "together",
        "groq",
        "novita",
        "featherless-ai",
        "fireworks-ai",
        "deepinfra",
        "baseten",
        "cohere",
    ]


def test_preference_without_a_preference_is_the_hub_order() -> None:
    assert order("preference") == [p.provider for p in PROVIDERS if p.callable] + ["cohere"]


def test_uncallable_goes_last_in_every_sort_even_with_the_best_figures() -> None:
    assert all(order(sort)[-1] == "cohere" for sort in SORTS)


def test_unknown_sort_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError) as caught:
        sort_providers(PROVIDERS, "cheapest")

    assert str(caught.value) == "Unknown sort 'cheapest'. Valid values: preference, latency, throughput, price, name."


@pytest.mark.parametrize(
    ("figures", "price"),
    [({"pricing": {"input": 1, "output": 2.5}}, 2.5), ({"is_free": True, "pricing": {"output": 9}}, 0.0), ({"pricing": {"input": 1}}, None), ({}, None)],
)
def test_output_price(figures: dict[str, Any], price: float | None) -> None:
    assert output_price(info("p", 0, **figures)) == price


# The same through the scriptable API, on the recorded provider mapping and a router model list in the documented shape.

RECORDED = ChatRecording.find("cerebras", stream=True)


def router_models(model: str) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {
                "id": model,
                "object": "model",
                "providers": [
                    {"provider": "together", "status": "live", "pricing": {"input": 0.88, "output": 0.88}, "first_token_latency_ms": 420, "throughput": 80.5},
                    {"provider": "cerebras", "status": "live", "pricing": {"input": 0.85, "output": 1.2}, "first_token_latency_ms": 180, "throughput": 2100.0},
                    {"provider": "novita", "status": "live", "is_model_author": False},
                    {"provider": "fireworks-ai", "status": "live", "context_length": 131072, "first_token_latency_ms": 300},
                ],
            }
        ],
    }


UNKNOWN_IN_HUB_ORDER = ["sambanova", "hf-inference", "nebius", "novita", "hyperbolic"]


@pytest.mark.parametrize(
    ("sort", "known"),
    [
        ("latency", ["cerebras", "fireworks-ai", "together"]),
        ("throughput", ["cerebras", "together"]),
        ("price", ["together", "cerebras"]),
    ],
)
def test_the_api_sorts_the_hubs_providers_by_the_routers_figures(sort: str, known: list[str], replay: Replay) -> None:
    RECORDED.install(replay)
    replay.serve("GET", "https://router.huggingface.co/v1/models", lambda r: httpx2.Response(200, json=router_models(RECORDED.model)))

    listed = Playground(Settings()).providers(RECORDED.model, "conversational", sort)

    unknown = [p for p in ["fireworks-ai", *UNKNOWN_IN_HUB_ORDER] if p not in known]
    assert [p["provider"] for p in listed] == known + unknown
    by_name = {p["provider"]: p for p in listed}
    assert by_name["cerebras"]["pricing"] == {"input": 0.85, "output": 1.2} and by_name["novita"]["pricing"] is None
    assert by_name["fireworks-ai"]["first_token_latency_ms"] == 300 and by_name["fireworks-ai"]["throughput"] is None
