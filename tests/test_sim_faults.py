"""Every injected fault, as a client of huggingface_hub sees it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import httpx2
import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.errors import GenerationError, HfHubHTTPError, InferenceTimeoutError

from playground.sdk.internals import clear_caches
from playground.sdk.urls import redirected
from playground.settings import Settings
from playground.sim.config import SimConfig
from playground.sim.server import Simulator
from tests.test_sim import LLAMA8, LLAMA70, QUESTION


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(time_scale=0.0)) as running, redirected(Settings().with_simulator(running.hub_url, running.router_url, running.direct_url)):
        yield running


@pytest.fixture(autouse=True)
def no_faults(sim: Simulator) -> Iterator[None]:
    sim.clear_faults()
    sim.clear_records()
    yield
    sim.clear_faults()


def ask(provider: str = "groq", model: str = LLAMA70, key: str = "hf_test", stream: bool = False,
        timeout: float | None = None) -> object:
    client = InferenceClient(provider=provider, api_key=key, timeout=timeout)
    answer = client.chat_completion(QUESTION, model=model, stream=stream, max_tokens=20)
    return list(answer) if stream else answer


def wait_for(condition: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 422, 429, 500, 502, 503, 504])
def test_http_fault_gives_that_status_with_a_provider_body(sim: Simulator, status: int) -> None:
    sim.add_fault(provider="groq", kind="http", status=status)
    with pytest.raises(HfHubHTTPError) as error:
        ask("groq")
    response = error.value.response
    assert response.status_code == status
    assert set(response.json()["error"]) >= {"message", "type", "code"}
    if status == 429:
        assert response.headers["retry-after"] == "1"
    assert sim.records()[-1]["fault"] == "http"


def test_hf_inference_503_says_the_model_is_loading(sim: Simulator) -> None:
    sim.add_fault(provider="hf-inference", kind="http", status=503)
    with pytest.raises(HfHubHTTPError) as error:
        ask("hf-inference", LLAMA8)
    body = error.value.response.json()
    assert "currently loading" in body["error"] and body["estimated_time"] > 0


def test_custom_message(sim: Simulator) -> None:
    sim.add_fault(provider="together", kind="http", status=400, message="Bad things happened")
    with pytest.raises(HfHubHTTPError, match="Bad things happened"):
        ask("together")


def test_hang_never_answers_and_the_client_times_out(sim: Simulator) -> None:
    sim.add_fault(provider="cerebras", kind="hang")
    started = time.perf_counter()
    with pytest.raises(InferenceTimeoutError):
        ask("cerebras", timeout=0.3)
    assert time.perf_counter() - started < 3
    wait_for(lambda: sim.records()[-1]["status"] == 499)


@pytest.mark.parametrize("stream", [False, True])
def test_malformed_body_fails_to_parse(sim: Simulator, stream: bool) -> None:
    sim.add_fault(provider="novita", kind="malformed")
    with pytest.raises(json.JSONDecodeError):
        ask("novita", LLAMA8, stream=stream)


def test_empty_answers(sim: Simulator) -> None:
    sim.add_fault(provider="fireworks-ai", kind="empty", times=2)
    assert ask("fireworks-ai").choices == []
    chunks = ask("fireworks-ai", stream=True)
    assert chunks and not "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_reset_drops_the_connection_mid_stream(sim: Simulator) -> None:
    sim.add_fault(provider="together", kind="reset", after_chunks=3)
    received: list[str] = []
    client = InferenceClient(provider="together", api_key="hf_test")
    with pytest.raises(httpx2.TransportError):
        for chunk in client.chat_completion(QUESTION, model=LLAMA70, stream=True, max_tokens=20):
            received.append(chunk.choices[0].delta.content or "")
    assert len([r for r in received if r]) == 3
    assert sim.records()[-1]["fault"] == "reset"


def test_reset_before_a_whole_body(sim: Simulator) -> None:
    sim.add_fault(provider="together", kind="reset")
    with pytest.raises(httpx2.TransportError):
        ask("together")


def test_stream_error_event_mid_stream(sim: Simulator) -> None:
    sim.add_fault(provider="hf-inference", kind="stream_error", after_chunks=2, message="CUDA out of memory")
    received: list[str] = []
    client = InferenceClient(provider="hf-inference", api_key="hf_test")
    with pytest.raises(GenerationError, match="CUDA out of memory"):
        for chunk in client.chat_completion(QUESTION, model=LLAMA8, stream=True, max_tokens=20):
            received.append(chunk.choices[0].delta.content or "")
    assert len(received) == 2


def test_stream_error_on_a_whole_answer_is_a_500(sim: Simulator) -> None:
    sim.add_fault(provider="groq", kind="stream_error")
    with pytest.raises(HfHubHTTPError) as error:
        ask("groq")
    assert error.value.response.status_code == 500


def test_times_limits_the_occurrences(sim: Simulator) -> None:
    sim.add_fault(provider="groq", kind="http", status=500, times=2)
    for _ in range(2):
        with pytest.raises(HfHubHTTPError):
            ask("groq")
    assert ask("groq").choices[0].message.content
    assert sim.config.faults == []


def test_faults_match_provider_model_and_route(sim: Simulator) -> None:
    sim.add_fault(provider="groq", model=LLAMA8, route="direct", kind="http", status=402)
    assert ask("groq", LLAMA8).choices  # routed: untouched
    assert ask("groq", LLAMA70, key="gsk_direct").choices  # another model: untouched
    with pytest.raises(HfHubHTTPError):
        ask("groq", LLAMA8, key="gsk_direct")


def test_faults_follow_the_provider_the_openai_endpoint_picked(sim: Simulator) -> None:
    sim.add_fault(provider="cerebras", kind="http", status=429)
    response = httpx.post(sim.router_url + "/v1/chat/completions", headers={"Authorization": "Bearer hf_test"},
                          json={"model": f"{LLAMA70}:fastest", "messages": QUESTION})
    assert response.status_code == 429 and response.headers["x-inference-provider"] == "cerebras"


def test_hub_faults_must_name_the_hub(sim: Simulator) -> None:
    sim.add_fault(kind="http", status=500)  # no route: inference only
    assert httpx.get(f"{sim.hub_url}/api/models/{LLAMA70}").status_code == 200
    sim.clear_faults()
    sim.add_fault(kind="http", status=500, route="hub", model=LLAMA70, times=1)
    clear_caches()
    with pytest.raises(HfHubHTTPError) as error:
        ask("groq")  # the SDK's mapping lookup fails first
    assert error.value.response.status_code == 500 and "/api/models/" in str(error.value.response.url)


def test_hub_faults_damage_hub_bodies(sim: Simulator) -> None:
    sim.add_fault(kind="empty", route="hub", times=1)
    assert httpx.get(sim.hub_url + "/api/models").json() == []
    sim.add_fault(kind="malformed", route="hub", times=1)
    with pytest.raises(json.JSONDecodeError):
        httpx.get(sim.hub_url + "/api/models").json()
