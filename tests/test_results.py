"""Output speed and cost against hand-computed values; the result rows the API returns."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import pytest

from playground import runner
from playground.metrics import cost, output_speed
from playground.model import TABLE_COLUMNS, Comparison, Result
from playground.service import Playground
from playground.settings import Settings
from tests.cassettes import ChatRecording, Replay


@pytest.mark.parametrize(
    ("tokens", "first", "last", "speed"),
    [
        (20, 1.0, 2.9, 10.0),  # 19 tokens after the first, in 1.9 s
        (2, 0.5, 0.75, 4.0),
        (101, 10.0, 12.0, 50.0),
    ],
)
def test_output_speed(tokens: int, first: float, last: float, speed: float) -> None:
    assert output_speed(tokens, first, last) == pytest.approx(speed)


@pytest.mark.parametrize(
    ("tokens", "first", "last"),
    [(None, 1.0, 2.0), (0, 1.0, 2.0), (1, 1.0, 2.0), (20, None, 2.0), (20, 1.0, None), (20, 2.0, 2.0), (20, 2.0, 1.0)],
)
def test_output_speed_unknown_rather_than_wrong(tokens: int | None, first: float | None, last: float | None) -> None:
    assert output_speed(tokens, first, last) is None


@pytest.mark.parametrize(
    ("input_tokens", "output_tokens", "pricing", "usd"),
    [
        (1_000, 500, {"input": 0.2, "output": 0.6}, 0.0005),  # 1000×0.2 + 500×0.6 = 500 µ$
        (46, 20, {"input": 0.85, "output": 1.2}, 0.0000631),  # 39.1 + 24 = 63.1 µ$
        (1_000_000, 0, {"input": 3, "output": 15}, 3.0),
        (10, 10, {"input": 0, "output": 0}, 0.0),  # a known price of zero is a cost of zero
    ],
)
def test_cost(input_tokens: int, output_tokens: int, pricing: dict[str, float], usd: float) -> None:
    assert cost(input_tokens, output_tokens, pricing) == pytest.approx(usd)


@pytest.mark.parametrize(
    ("input_tokens", "output_tokens", "pricing"),
    [
        (46, 20, None),
        (46, 20, {}),
        (46, 20, {"input": 0.85}),
        (46, 20, {"output": 1.2}),
        (46, 20, {"input": None, "output": 1.2}),
        (None, 20, {"input": 0.85, "output": 1.2}),
        (46, None, {"input": 0.85, "output": 1.2}),
    ],
)
def test_cost_is_blank_not_zero_when_anything_is_unknown(input_tokens: int | None, output_tokens: int | None, pricing: Any) -> None:
    assert cost(input_tokens, output_tokens, pricing) is None


def priced_router(model: str, **pricing: dict[str, float]) -> httpx2.Response:
    providers = [{"provider": name, "status": "live", "pricing": price} for name, price in pricing.items()]
    return httpx2.Response(200, json={"object": "list", "data": [{"id": model, "object": "model", "providers": providers}]})


def run_recorded(provider: str, replay: Replay, **pricing: dict[str, float]) -> Result:
    recording = ChatRecording.find(provider, stream=True)
    recording.install(replay)
    replay.serve("GET", "https://router.huggingface.co/v1/models", lambda r: priced_router(recording.model, **pricing))
    plan = Playground(Settings()).plan(
        task="conversational", model=recording.model, providers=[provider], prompt="What is deep learning?", api_key="hf_" + "x" * 34
    )
    (result,) = asyncio.run(runner.run(plan)).results
    return result


def test_a_run_costs_its_recorded_usage_at_the_routers_price(replay: Replay) -> None:
    result = run_recorded("cerebras", replay, cerebras={"input": 0.85, "output": 1.2})

    assert (result.input_tokens, result.output_tokens, result.tokens_estimated) == (46, 20, False)
    assert result.cost_usd == pytest.approx((46 * 0.85 + 20 * 1.2) / 1e6)


def test_a_run_without_a_price_has_no_cost(replay: Replay) -> None:
    result = run_recorded("cerebras", replay, together={"input": 0.88, "output": 0.88})

    assert result.ok and result.output_tokens == 20 and result.cost_usd is None


def test_estimated_tokens_are_never_priced(replay: Replay) -> None:
    result = run_recorded("nebius", replay, nebius={"input": 0.02, "output": 0.06})  # nebius sent no usage

    assert result.ok and result.tokens_estimated and result.cost_usd is None


API_FIELDS = {"provider", "ok", "error", "error_kind", "routing", "latency_s", "ttft_s", "output_tokens", "tokens_per_s", "cost_usd", "text", "image"}


def test_a_result_row_has_the_api_fields_and_no_local_path() -> None:
    row = Result(provider="together", model="m", task="conversational", file="/tmp/output.png").to_json()

    assert set(row) >= API_FIELDS
    assert "file" not in row


def test_a_comparison_is_finished_when_every_row_is() -> None:
    rows = [Result("a", "m", "conversational", state="done"), Result("b", "m", "conversational", state="streaming")]
    comparison = Comparison(task="conversational", model="m", params={}, results=rows)

    assert not comparison.finished
    rows[1].state = "error"
    assert comparison.finished
    assert [r["provider"] for r in comparison.to_json()["results"]] == ["a", "b"]


def test_the_table_has_one_labelled_row_per_result() -> None:
    rows = [Result("a", "m", "conversational", ok=True, latency_s=1.5), Result("b", "m", "conversational", error_kind="payment")]

    table = Comparison(task="conversational", model="m", params={}, results=rows).table()

    assert list(table.columns) == list(TABLE_COLUMNS.values())
    assert table["Provider"].tolist() == ["a", "b"] and table["Latency (s)"].tolist()[0] == 1.5
    assert table["Error"].tolist()[1] == "payment"


def test_estimated_tokens_count_chunks_or_four_characters_per_token() -> None:
    from playground.metrics import estimate_output_tokens

    assert estimate_output_tokens(10, "one two") == 10  # one token per chunk
    assert estimate_output_tokens(2, "x" * 81) == 21  # two chunks carrying ~21 tokens of text
    assert estimate_output_tokens(0, "") == 0


def test_the_table_names_the_warmup_reads_states_as_the_panels_and_marks_estimates_only_where_counted() -> None:
    rows = [
        Result("a", "m", "conversational", run=0, warmup=True, state="done", output_tokens=5, tokens_estimated=True),
        Result("a", "m", "conversational", run=1, state="error"),
        Result("b", "m", "text-to-image", run=1, state="done"),
    ]

    table = Comparison(task="conversational", model="m", params={}, results=rows).table()

    assert table["Run"].tolist() == ["warm-up (not counted)", "1", "1"]
    assert table["State"].tolist() == ["done", "failed", "done"]
    assert table["Tokens estimated"].tolist() == ["yes", "", ""]
    one_shot = Comparison(task="text-to-image", model="m", params={}, results=rows[2:]).table()
    assert "TTFT (s)" not in one_shot.columns and "Latency (s)" in one_shot.columns
