"""Tools, structured output and the claims audit through the scriptable API (gradio_client against a launched app)."""

from __future__ import annotations

import json

import pytest
from gradio_client import Client

from tests.test_tools import KEY, MODEL
from tests.test_verdicts import CITY, WEATHER


@pytest.fixture(params=[True, False], ids=["stream", "whole"])
def stream(request):
    return request.param


def test_compare_api_carries_the_verdicts(launched_app, stream):
    launched_app.sim.configure(behaviours={"groq": {"tools": "calls"}, "cerebras": {"tools": "bad_json"}, "novita": {"tools": "prose"}})
    out = Client(launched_app.url, verbose=False).predict(
        task="conversational", model=MODEL, providers=["groq", "cerebras", "novita"], prompt="Weather in Paris?",
        input_file=None, api_key=KEY, provider_keys="", params_json=json.dumps({"tools": [WEATHER], "stream": stream}),
        runs=1, api_name="/compare",
    )
    results = {r["provider"]: r for r in out["results"]}
    assert all(r["ok"] for r in results.values()), results
    assert results["groq"]["tool_calls"][0]["matches_schema"] and results["groq"]["tool_calls"][0]["arguments_json"]["location"] == "Paris"
    assert results["cerebras"]["tool_calls"][0]["valid_json"] is False and results["cerebras"]["tool_calls"][0]["arguments_json"] is None
    assert results["novita"]["tool_calls"] == [] and results["novita"]["text"]
    assert out["params"]["tools"][0]["function"]["name"] == "get_weather"

    launched_app.sim.configure(behaviours={"groq": {"structured": "missing_field"}})
    out = Client(launched_app.url, verbose=False).predict(
        task="conversational", model=MODEL, providers=["groq"], prompt="A city", input_file=None, api_key=KEY, provider_keys="",
        params_json=json.dumps({"response_format": CITY, "stream": stream}), runs=1, api_name="/compare",
    )
    assert out["results"][0]["structured"] == {"valid_json": True, "matches_schema": False, "errors": ["'name' is a required property"]}


def test_audit_and_probe_through_the_api(launched_app):
    client = Client(launched_app.url, verbose=False)
    dry = client.predict(model=MODEL, providers="groq,novita", dry_run=True, api_name="/probe")
    assert set(dry) == {"estimate"} and "Worst case" in dry["estimate"]["message"]
    out = client.predict(model=MODEL, providers=["groq", "novita"], api_key=KEY, api_name="/probe")
    assert {r["provider"]: r["tools"]["observed"] for r in out["audit"]}["novita"] == "no"
    rows = {r["provider"]: r for r in client.predict(model=MODEL, api_name="/audit")}
    assert rows["groq"]["tools"]["observed"] == "yes" and rows["groq"]["supports_tools"] is True
