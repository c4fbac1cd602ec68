"""Tools and structured output through the runner, on every simulator behaviour, streamed and not."""

from __future__ import annotations

import asyncio
import json

import pytest

from playground import runner
from tests.test_verdicts import CITY, WEATHER

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
KEY = "hf_" + "t" * 34


def compare(app, providers, params, prompt="What is the weather in Paris?"):
    plan = app.plan(task="chat", model=MODEL, providers=providers, prompt=prompt, api_key=KEY, params_json=params)
    return {r.provider: r for r in asyncio.run(runner.run(plan)).results}


@pytest.fixture(params=[True, False], ids=["stream", "whole"])
def stream(request):
    return request.param


@pytest.mark.parametrize("provider", ["groq", "together", "hf-inference", "nscale", "cerebras", "fireworks-ai"])
def test_a_correct_call_is_assembled_judged_and_counts_as_the_first_token(sim_playground, stream, provider):
    sim_playground.sim.configure(behaviours={provider: {"tools": "calls"}})
    result = compare(sim_playground.playground, [provider], {"tools": [WEATHER], "stream": stream})[provider]
    assert result.ok and result.state == "done", result.error
    [call] = result.tool_calls
    assert call["name"] == "get_weather" and call["arguments_json"] == {"location": "Paris", "unit": "celsius"}
    assert call["valid_json"] and call["matches_schema"] and call["errors"] == [] and call["id"]
    assert json.loads(call["arguments"]) == call["arguments_json"]
    assert not (result.text or "").strip() and result.finish_reason == "tool_calls"
    assert result.output_tokens and result.latency_s is not None
    if stream:
        assert result.ttft_s is not None and 0 < result.ttft_s <= result.latency_s


def test_several_calls_in_one_answer(sim_playground, stream):
    sim_playground.sim.configure(behaviours={"groq": {"tools": "several"}})
    result = compare(sim_playground.playground, ["groq"], {"tools": [WEATHER], "stream": stream})["groq"]
    assert result.ok and [c["arguments_json"]["location"] for c in result.tool_calls] == ["Paris", "Tokyo"]
    assert all(c["matches_schema"] for c in result.tool_calls) and len({c["id"] for c in result.tool_calls}) == 2


def test_prose_instead_of_a_call_is_a_success_with_no_calls(sim_playground, stream):
    sim_playground.sim.configure(behaviours={"groq": {"tools": "prose"}})
    result = compare(sim_playground.playground, ["groq"], {"tools": [WEATHER], "tool_choice": "required", "stream": stream})["groq"]
    assert result.ok and result.tool_calls == [] and result.text.strip()


@pytest.mark.parametrize(("behaviour", "valid_json", "reason"), [("bad_json", False, "not valid JSON"), ("missing_field", True, "'location' is a required property")])
def test_broken_arguments_are_judged_invalid_with_the_reason(sim_playground, stream, behaviour, valid_json, reason):
    sim_playground.sim.configure(behaviours={"groq": {"tools": behaviour}})
    result = compare(sim_playground.playground, ["groq"], {"tools": [WEATHER], "stream": stream})["groq"]
    [call] = result.tool_calls
    assert result.ok and call["valid_json"] is valid_json and not call["matches_schema"] and reason in call["errors"][0]
    assert (call["arguments_json"] is None) is (not valid_json)


@pytest.mark.parametrize(
    ("provider", "status", "words"),
    [
        ("hf-inference", 422, "grammar is not supported"),
        ("nscale", 400, "--enable-auto-tool-choice"),
        ("together", 400, "not supported for JSON mode/function calling"),
        ("groq", 400, "tool calling is not supported"),
    ],
)
def test_a_provider_rejecting_tools_fails_alone_with_its_own_words(sim_playground, stream, provider, status, words):
    sim_playground.sim.configure(behaviours={provider: {"tools": "rejects"}, "cerebras": {"tools": "calls"}})
    results = compare(sim_playground.playground, [provider, "cerebras"], {"tools": [WEATHER], "stream": stream})
    rejected = results[provider]
    assert not rejected.ok and rejected.error_kind == "invalid_input" and f"HTTP {status}" in rejected.error and words in rejected.error
    assert results["cerebras"].ok and results["cerebras"].tool_calls[0]["matches_schema"]


def test_tool_choice_none_gets_text(sim_playground):
    sim_playground.sim.configure(behaviours={"groq": {"tools": "calls"}})
    result = compare(sim_playground.playground, ["groq"], {"tools": [WEATHER], "tool_choice": "none"})["groq"]
    assert result.ok and result.tool_calls == [] and result.text


@pytest.mark.parametrize(
    ("behaviour", "verdict"),
    [
        ("fits", {"valid_json": True, "matches_schema": True, "errors": []}),
        ("missing_field", {"valid_json": True, "matches_schema": False, "errors": ["'name' is a required property"]}),
    ],
)
@pytest.mark.parametrize("provider", ["groq", "together", "fireworks-ai", "hf-inference"])  # the SDK rewrites the format for the last three
def test_structured_output_fits_or_misses_a_field(sim_playground, stream, behaviour, verdict, provider):
    sim_playground.sim.configure(behaviours={provider: {"structured": behaviour}})
    result = compare(sim_playground.playground, [provider], {"response_format": CITY, "stream": stream}, "Name a big city.")[provider]
    assert result.ok and result.structured == verdict and result.tool_calls is None


def test_structured_output_in_prose_or_rejected(sim_playground, stream):
    sim_playground.sim.configure(behaviours={"groq": {"structured": "prose"}, "nscale": {"structured": "rejects"}})
    results = compare(sim_playground.playground, ["groq", "nscale"], {"response_format": CITY, "stream": stream}, "Name a big city.")
    assert results["groq"].ok and not results["groq"].structured["valid_json"] and "not valid JSON" in results["groq"].structured["errors"][0]
    assert not results["nscale"].ok and "xgrammar" in results["nscale"].error and results["nscale"].structured is None


def test_json_object_mode(sim_playground, stream):
    sim_playground.sim.configure(behaviours={"groq": {"structured": "fits"}})
    result = compare(sim_playground.playground, ["groq"], {"response_format": {"type": "json_object"}, "stream": stream})["groq"]
    assert result.ok and result.structured == {"valid_json": True, "matches_schema": True, "errors": []}
    assert isinstance(json.loads(result.text), dict)


def test_the_catalog_defaults_give_a_mixed_demo(sim_playground):
    results = compare(sim_playground.playground, ["cerebras", "together", "sambanova", "novita", "nscale"], {"tools": [WEATHER]})
    assert results["cerebras"].tool_calls[0]["matches_schema"]
    assert len(results["together"].tool_calls) == 2
    assert not results["sambanova"].tool_calls[0]["valid_json"]
    assert results["novita"].ok and results["novita"].tool_calls == []
    assert results["nscale"].tool_calls[0]["valid_json"] and not results["nscale"].tool_calls[0]["matches_schema"]


def test_the_audit_sets_advertised_against_observed(sim_playground):
    app = sim_playground.playground
    before = {row["provider"]: row for row in app.audit(MODEL)}
    assert before["sambanova"]["supports_tools"] is True and before["sambanova"]["tools"]["observed"] == "not tried"
    assert before["groq"]["context_length"] == 131072 and before["groq"]["supports_structured_output"] is False
    estimate = app.probe_estimate(MODEL, ["groq", "sambanova", "novita", "nscale"])
    assert estimate.total_usd and estimate.total_usd > 0 and all(p.requests == 2 and p.max_output_tokens == 64 for p in estimate.providers)

    out = asyncio.run(app.probe(model=MODEL, providers=["groq", "sambanova", "novita", "nscale"], api_key=KEY))
    rows = {row["provider"]: row for row in out["audit"]}
    assert out["estimate"]["total_usd"] == estimate.total_usd and len(out["comparisons"]) == 2
    assert rows["groq"]["tools"] == {"observed": "yes", "passed": 1, "tried": 1, "why": "called get_weather"}
    assert rows["groq"]["structured"]["observed"] == "yes" and rows["groq"]["holds"]  # works without advertising it
    assert rows["sambanova"]["tools"]["observed"] == "no" and "not valid JSON" in rows["sambanova"]["tools"]["why"]
    assert not rows["sambanova"]["holds"]  # advertised, but its arguments are broken
    assert rows["novita"]["tools"]["why"] == "answered in prose, no tool call" and rows["novita"]["holds"]
    assert rows["nscale"]["structured"]["observed"] == "no" and "refused" in rows["nscale"]["structured"]["why"]
    assert rows["cerebras"]["tools"]["observed"] == "not tried"
    assert {row["provider"]: row for row in app.audit(MODEL)}["groq"]["tools"]["tried"] == 1  # kept in history


def test_statistics_count_valid_calls_and_schema_matches(sim_playground):
    from playground import stats

    sim_playground.sim.configure(behaviours={"groq": {"tools": "several"}, "sambanova": {"tools": "bad_json"}})
    plan = sim_playground.playground.plan(task="chat", model=MODEL, providers=["groq", "sambanova"], prompt="Weather?", api_key=KEY,
                                          params_json={"tools": [WEATHER]}, runs=2)
    rows = {r["provider"]: r for r in stats.summary(asyncio.run(runner.run(plan)))["providers"]}
    assert (rows["groq"]["tool_calls"], rows["groq"]["tool_call_valid_rate"]) == (4, 1.0)
    assert (rows["sambanova"]["tool_calls"], rows["sambanova"]["tool_call_valid_rate"]) == (2, 0.0)
    assert rows["groq"]["schema_match_rate"] is None

