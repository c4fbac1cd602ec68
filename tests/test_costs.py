"""Worst-case estimate before Compare: with pricing, free offers, and unknown pricing (never zero)."""

from __future__ import annotations

import json

import pytest

from playground import costs
from playground.metrics import estimate_prompt_tokens
from playground.units import usd

PROMPT = "x" * 401  # ceil(401 / 4) = 101 estimated input tokens
OFFERS = [
    {"provider": "together", "pricing": {"input": 2.0, "output": 4.0}},
    {"provider": "groq", "pricing": {"input": 1.0, "output": 1.0}, "is_free": True},
    {"provider": "featherless-ai"},
    {"provider": "novita", "pricing": {"input": 1.0}},
]


def test_prompt_tokens_are_characters_over_four():
    assert estimate_prompt_tokens("") == 0
    assert estimate_prompt_tokens("abcd") == 1
    assert estimate_prompt_tokens("abcde") == 2


def test_priced_provider_worst_case():
    estimate = costs.estimate(OFFERS[:1], max_tokens=1000, runs=5, prompt=PROMPT)
    together = estimate.providers[0]
    # (101 × $2 + 1000 × $4) / 1M per request, 5 requests
    assert together.usd == pytest.approx((101 * 2.0 + 1000 * 4.0) / 1e6 * 5)
    assert (together.status, together.requests, together.input_tokens) == ("priced", 5, 101)
    assert estimate.total_usd == pytest.approx(together.usd)


def test_warmup_run_is_billed_too():
    assert costs.estimate(OFFERS[:1], max_tokens=10, runs=2, prompt="", warmup=True).providers[0].requests == 3


def test_a_free_offer_counts_its_listed_price_so_the_worst_case_stays_an_upper_bound():
    estimate = costs.estimate(OFFERS[:2], max_tokens=1000, runs=2, prompt=PROMPT)
    groq = estimate.providers[1]
    assert (groq.status, groq.usd) == ("free", pytest.approx((101 * 1.0 + 1000 * 1.0) / 1e6 * 2))
    assert costs.estimate([{"provider": "x", "is_free": True}], max_tokens=10, runs=1, prompt="").providers[0].usd == 0.0
    assert costs.billed_pricing({"input": 1.0, "output": 1.0}, True) == {"input": 0.0, "output": 0.0}  # billed $0 on its panel
    assert costs.billed_pricing({"input": 1.0, "output": 2.0}, False) == {"input": 1.0, "output": 2.0}


def test_unknown_is_named_not_zero():
    estimate = costs.estimate(OFFERS, max_tokens=1000, runs=2, prompt=PROMPT)
    status = {p.provider: (p.status, p.usd) for p in estimate.providers}
    assert status["groq"][0] == "free"
    assert status["featherless-ai"] == ("unknown", None)
    assert status["novita"] == ("unknown", None)  # an output price is missing
    assert estimate.total_usd is None
    assert estimate.known_usd == pytest.approx((101 * 2.0 + 1000 * 4.0 + 101 + 1000) / 1e6 * 2)
    assert estimate.free == ["groq"] and estimate.unknown == ["featherless-ai", "novita"]
    message = estimate.message()
    assert message.startswith("Worst case at least $0.0106 (4 providers × 2 runs")
    assert "Free now (a promo: billed $0, counted at its listed price when it has one): groq." in message and "Unknown pricing, not included: featherless-ai, novita." in message


def test_without_max_tokens_the_worst_case_is_unknown():
    estimate = costs.estimate(OFFERS[:1], max_tokens=None, runs=1, prompt=PROMPT)
    assert estimate.total_usd is None
    assert "set max_tokens" in estimate.message()


def test_json_and_frame():
    estimate = costs.estimate(OFFERS, max_tokens=100, runs=1, prompt=PROMPT)
    data = estimate.to_json()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert list(estimate.frame()["provider"]) == ["together", "groq", "featherless-ai", "novita"]


def test_a_routing_policy_is_priced_at_the_dearest_provider():
    offer = costs.policy_offer(":cheapest", [OFFERS[0], OFFERS[1], {"provider": "b", "pricing": {"input": 3.0, "output": 1.0}}])
    assert offer.pricing == {"input": 3.0, "output": 4.0}
    assert costs.policy_offer(":fastest", OFFERS).pricing is None
    only_free = costs.policy_offer(":fastest", OFFERS[1:2])
    assert only_free.is_free and only_free.pricing == {"input": 1.0, "output": 1.0}
    assert not costs.policy_offer("auto", []).priced


def test_money_format():
    assert usd(0) == "$0.0000"
    assert usd(0.00842) == "$0.00842"  # three significant digits below a cent
    assert usd(12.345) == "$12.35"
    assert usd(0.00001) == "$0.00001"
    assert usd(0.0000609) == "$0.0000609"
