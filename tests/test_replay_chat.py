"""Recorded chat traffic replayed through the app's real path: Playground.plan → runner.run, on the live URLs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from playground import runner
from playground.catalog import ProviderInfo
from playground.inputs import Inputs
from playground.keys import Credential
from playground.model import Plan, Result, Target
from playground.service import Playground
from playground.settings import Settings
from playground.tasks import get_task
from tests.cassettes import ChatRecording, Replay, load

CHAT_PROVIDERS = ("cerebras", "fireworks-ai", "hf-inference", "hyperbolic", "nebius", "novita", "sambanova", "together")
# Their own hosts, from provider_protocols.md (not from the SDK, so a changed SDK table shows up here).
DIRECT_HOSTS = {
    "cerebras": "https://api.cerebras.ai",
    "fireworks-ai": "https://api.fireworks.ai",
    "novita": "https://api.novita.ai",
    "together": "https://api.together.xyz",
}
PROMPT = "What is deep learning?"


def compare(recording: ChatRecording, **request: Any) -> dict[str, Result]:
    """Plan and run as the API does, on the recording's model; one result per provider."""
    request = {
        "task": "conversational",
        "model": recording.model,
        "providers": [recording.provider],
        "prompt": PROMPT,
        "params_json": {"stream": recording.stream, "max_tokens": 20},
    } | request
    comparison = asyncio.run(runner.run(Playground(Settings()).plan(**request)))
    return {result.provider: result for result in comparison.results}


def direct_url(recording: ChatRecording) -> str:
    """Where a provider key sends the recorded call: the same route on the provider's own host."""
    return recording.call.url.replace(f"https://router.huggingface.co/{recording.provider}", DIRECT_HOSTS[recording.provider])


def use_replay_clock(monkeypatch: pytest.MonkeyPatch, replay: Replay) -> None:
    """The runner reads time from the replay's clock, which moves a step per response and per delivered event."""
    replay.response_step = replay.step
    monkeypatch.setattr(runner, "time", replay.clock)


def test_the_recordings_cover_three_providers_the_sdk_no_longer_has() -> None:
    router_only = {p for p in CHAT_PROVIDERS if ChatRecording.find(p, stream=True).router_only}
    assert router_only == {"hyperbolic", "nebius", "sambanova"}


@pytest.mark.parametrize("provider", CHAT_PROVIDERS)
def test_chat_completion_with_stream(provider: str, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = ChatRecording.find(provider, stream=True)
    recording.install(replay)
    use_replay_clock(monkeypatch, replay)
    key = "hf_" + "x" * 34

    result = compare(recording, api_key=key)[provider]

    assert result.ok, result.error
    assert (result.state, result.routing, result.error_kind) == ("done", "routed", None)
    assert result.text == recording.text and result.text
    if recording.usage_tokens is not None:
        assert (result.output_tokens, result.tokens_estimated) == (recording.usage_tokens, False)
    else:
        # estimated: one per text chunk, or ~4 characters per token when chunks carry several tokens
        expected = max(recording.content_chunks, -(-len(recording.text) // 4))
        assert (result.output_tokens, result.tokens_estimated) == (expected, True)
    first, last, end = recording.arrival(replay)
    assert result.ttft_s == pytest.approx(first)
    assert result.latency_s == pytest.approx(end)
    assert 0 < result.ttft_s <= result.latency_s
    assert result.tokens_per_s == pytest.approx((result.output_tokens - 1) / (last - first))
    (call,) = replay.to(recording.routed_url)
    assert call.authorization == f"Bearer {key}"
    body = call.json()
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert body["messages"][-1] == {"role": "user", "content": PROMPT}
    if recording.router_only:
        assert body["model"] == f"{recording.model}:{provider}"


@pytest.mark.parametrize("provider", CHAT_PROVIDERS)
def test_chat_completion_no_stream(provider: str, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = ChatRecording.find(provider, stream=False)
    recording.install(replay)
    use_replay_clock(monkeypatch, replay)

    result = compare(recording, api_key="hf_" + "x" * 34)[provider]

    assert result.ok, result.error
    assert (result.routing, result.text) == ("routed", recording.text)
    assert recording.usage_tokens is not None  # every non-stream recording carries usage
    assert (result.output_tokens, result.tokens_estimated) == (recording.usage_tokens, False)
    assert result.input_tokens == recording.call.json()["usage"]["prompt_tokens"]
    assert result.ttft_s is None and result.tokens_per_s is None  # one-shot: no first chunk, no speed
    assert result.latency_s == pytest.approx(replay.step)  # the answer alone: Hub lookups are outside the clock
    (call,) = replay.to(recording.routed_url)
    assert call.json()["stream"] is False and "stream_options" not in call.json()
    if recording.router_only:
        assert call.json()["model"] == f"{recording.model}:{provider}"


def test_hf_inference_checks_the_model_task_with_a_plain_model_info(replay: Replay) -> None:
    recording = ChatRecording.find("hf-inference", stream=True)
    recording.install(replay)

    assert compare(recording, api_key="hf_" + "x" * 34)["hf-inference"].ok
    plain = [s for s in replay.requests if s.method == "GET" and s.url.endswith(f"/api/models/{recording.model}")]
    assert len(plain) == 1


@pytest.mark.parametrize("provider", sorted(DIRECT_HOSTS))
def test_a_provider_key_calls_the_provider_host_directly(provider: str, replay: Replay) -> None:
    recording = ChatRecording.find(provider, stream=True)
    recording.install(replay, url=direct_url(recording))
    key = "sk-direct-" + provider + "-0123456789abcdef"

    result = compare(recording, provider_keys={provider: key})[provider]

    assert result.ok, result.error
    assert (result.routing, result.text) == ("direct", recording.text)
    (call,) = replay.to(direct_url(recording))
    assert call.authorization == f"Bearer {key}"
    assert not [s for s in replay.requests if s.method == "POST" and s.url.startswith("https://router.huggingface.co")]


def test_a_provider_key_beats_the_hf_token_for_its_provider_only(replay: Replay) -> None:
    cerebras, together = ChatRecording.find("cerebras", stream=True), ChatRecording.find("together", stream=True)
    cerebras.install(replay, url=direct_url(cerebras))
    replay.alias("https://router.huggingface.co/fireworks-ai/inference/v1/chat/completions", together.call)
    hf_token, cerebras_key = "hf_" + "t" * 34, "csk-" + "c" * 30

    results = compare(cerebras, providers=["cerebras", "fireworks-ai"], api_key=hf_token, provider_keys={"cerebras": cerebras_key})

    assert results["cerebras"].routing == "direct" and results["fireworks-ai"].routing == "routed"
    assert results["cerebras"].text == cerebras.text and results["fireworks-ai"].text == together.text
    assert replay.to(direct_url(cerebras))[0].authorization == f"Bearer {cerebras_key}"
    assert replay.to("https://router.huggingface.co/fireworks-ai/inference/v1/chat/completions")[0].authorization == f"Bearer {hf_token}"


def test_a_router_only_provider_given_only_its_own_key_is_a_not_supported_row(replay: Replay) -> None:
    cerebras = ChatRecording.find("cerebras", stream=True)
    cerebras.install(replay, url=direct_url(cerebras))

    results = compare(cerebras, providers=["cerebras", "sambanova"], provider_keys={"cerebras": "csk-" + "c" * 30, "sambanova": "sn-" + "s" * 30})

    assert (results["sambanova"].ok, results["sambanova"].error_kind) == (False, "not_supported")
    assert "HF token" in results["sambanova"].error
    assert results["cerebras"].ok and results["cerebras"].text == cerebras.text
    assert [s.url for s in replay.requests if s.method == "POST"] == [direct_url(cerebras)]


def hf_inference_plan(model: str, key: str, task: str = "conversational", **params: object) -> Plan:
    """A plan for hf-inference built by hand, for recordings that hold no provider mapping to plan from."""
    info = ProviderInfo(provider="hf-inference", provider_id=model, status="live", callable=True)
    return Plan(
        task=get_task(task),
        model=model,
        inputs=Inputs(prompt=PROMPT),
        params=dict(params),
        targets=(Target("hf-inference", info, Credential(key, "typed")),),
        timeout_s=10.0,
        secrets=(key,),
    )


def test_recorded_401_is_an_auth_error(replay: Replay, hf_key: str) -> None:
    replay.play("TestInferenceClient.test_chat_completion_unprocessable_entity.yaml")

    plan = hf_inference_plan("meta-llama/Meta-Llama-3-70B-Instruct", hf_key, stream=False, max_tokens=200)
    (result,) = asyncio.run(runner.run(plan)).results

    assert (result.ok, result.state, result.error_kind) == (False, "error", "auth")
    assert result.error.startswith("HTTP 401: the key was refused")
    assert "Invalid username or password." in result.error
    assert "\n" not in result.error and hf_key not in result.error


@pytest.mark.parametrize(
    "cassette",
    ["TestTextGenerationClientVCR.test_generate_validation_error.yaml", "test_async_generate_validation_error.yaml"],
)
def test_recorded_422_is_invalid_input(cassette: str, replay: Replay, hf_key: str) -> None:
    replay.play(cassette)
    model = load(cassette)[0].url.split("/api/models/")[1]

    plan = hf_inference_plan(model, hf_key, task="text-generation", max_new_tokens=10000)
    (result,) = asyncio.run(runner.run(plan)).results

    assert (result.ok, result.error_kind) == (False, "invalid_input")
    assert "Input validation error" in result.error and "\n" not in result.error
