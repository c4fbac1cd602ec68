"""Where the simulator used to differ from the recordings, checked against the recorded bodies and statuses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from playground.sim.config import SimConfig
from playground.sim.limits import MAX_BODY_BYTES
from playground.sim.server import Simulator
from tests.cassettes import load

TAPES = Path(__file__).with_name("recordings") / "tapes.json"
KEY = {"Authorization": "Bearer hf_" + "divergences"}
R1 = "deepseek-ai/DeepSeek-R1"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(time_scale=0.0)) as running:
        yield running


def tape(url: str) -> dict[str, Any]:
    return next(t["response"] for t in json.loads(TAPES.read_text()).values() if t["url"] == url)


def recorded_post(cassette: str) -> Any:
    return next(r for r in load(cassette) if r.method == "POST")


def chat(sim: Simulator, path: str, body: dict[str, Any], **options: Any) -> httpx.Response:
    return httpx.post(f"{sim.router_url}{path}", json=body, headers={**KEY, **options.pop("headers", {})}, **options)


def test_router_401_as_recorded(sim: Simulator) -> None:
    recorded = recorded_post("TestInferenceClient.test_chat_completion_unprocessable_entity.yaml")
    got = httpx.post(f"{sim.router_url}/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions",
                     json={"model": "x", "messages": []}, headers={"Authorization": "Bearer hf_invalid"})
    assert (got.status_code, got.json()) == (recorded.status, recorded.json())
    assert got.headers["www-authenticate"] == recorded.headers["WWW-Authenticate"]
    assert got.headers["x-error-message"] == recorded.headers["X-Error-Message"]
    assert got.headers["content-type"] == recorded.headers["Content-Type"]


def test_provider_headers_as_recorded(sim: Simulator) -> None:
    recorded = recorded_post("TestInferenceClient.test_chat_completion_no_stream[together,conversational].yaml")
    got = chat(sim, "/together/v1/chat/completions", {"model": R1, "messages": [{"role": "user", "content": "hi"}]})
    assert got.headers["content-type"] == recorded.headers["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]+;.+", got.headers["x-request-id"])
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]+;.+", recorded.headers["X-Request-Id"])
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert got.headers[name].isdigit() and recorded.headers[name].isdigit()


def test_replicate_prediction_as_recorded(sim: Simulator) -> None:
    recorded = recorded_post("TestInferenceClient.test_text_to_image_default[replicate,text-to-image].yaml").json()
    got = httpx.post(f"{sim.router_url}/replicate/v1/models/black-forest-labs/flux-dev/predictions",
                     json={"input": {"prompt": "a fox"}}, headers={**KEY, "Prefer": "wait"})
    body = got.json()
    assert got.status_code == 201 and set(body) == set(recorded)
    assert body["status"] == recorded["status"] == "processing" and body["output"]
    assert body["model"] == "black-forest-labs/flux-dev"
    assert re.fullmatch(r"[0-9a-f]{64}", body["version"]) and re.fullmatch(r"[0-9a-f]{64}", recorded["version"])
    assert set(body["urls"]) == set(recorded["urls"])
    assert body["urls"]["stream"].startswith("https://stream.replicate.com/v1/files/")


def test_fal_queue_is_a_host_not_a_task(sim: Simulator) -> None:
    recorded = recorded_post("TestInferenceClient.test_text_to_image_default[fal-ai,text-to-image].yaml").json()
    sync = chat(sim, "/fal-ai/fal-ai/flux/dev", {"prompt": "a fox"}).json()
    assert set(recorded) <= set(sync) and sync["images"][0]["url"]
    direct = httpx.post(f"{sim.direct_url}/queue.fal.run/fal-ai/flux/dev", json={"prompt": "a fox"},
                        headers={"Authorization": "Key fal-" + "key"}).json()
    routed = chat(sim, "/fal-ai/fal-ai/flux/dev?_subdomain=queue", {"prompt": "a fox"}).json()
    for queued in (direct, routed):
        assert {"request_id", "status", "response_url", "status_url"} <= set(queued)
        assert queued["response_url"] == f"https://queue.fal.run/fal-ai/flux/dev/requests/{queued['request_id']}"
    status = httpx.get(f"{sim.base_url}/fal-ai/flux/dev/requests/{routed['request_id']}/status", headers=KEY)
    assert status.json()["status"] == "COMPLETED"
    result = httpx.get(f"{sim.router_url}/fal-ai/fal-ai/flux/dev/requests/{routed['request_id']}", headers=KEY)
    assert result.json()["images"][0]["url"]


def test_routing_proxy_on_the_hub_domain_as_recorded(sim: Simulator) -> None:
    url = "https://huggingface.co/api/inference-proxy/hf-inference/models/deepset/roberta-base-squad2"
    recorded = tape(url)
    got = httpx.post(url.replace("https://huggingface.co", sim.hub_url), headers=KEY,
                     json={"inputs": {"question": "What is the capital of France?", "context": "The capital of France is Paris."}})
    assert got.status_code == recorded["status"] and set(got.json()) == set(json.loads(recorded["body"]))
    missing = "https://huggingface.co/api/inference-proxy/hf-inference/models/this-model-does-not-exist-123"
    got = httpx.post(missing.replace("https://huggingface.co", sim.hub_url), headers=KEY, json={"inputs": "[MASK] world!"})
    assert (got.status_code, got.json()) == (tape(missing)["status"], json.loads(tape(missing)["body"]))
    together = httpx.post(f"{sim.hub_url}/api/inference-proxy/together/v1/chat/completions", headers=KEY,
                          json={"model": R1, "messages": [{"role": "user", "content": "hi"}]})
    assert together.status_code == 200 and together.json()["model"] == R1


def test_a_body_over_the_limit_is_413_before_any_work(sim: Simulator) -> None:
    prompt = "a " * (MAX_BODY_BYTES // 2 + 10)
    got = chat(sim, "/together/v1/chat/completions", {"model": R1, "messages": [{"role": "user", "content": prompt}]},
               timeout=60)
    assert got.status_code == 413 and "too large" in got.json()["error"]["message"]


def test_a_prompt_over_the_context_is_400_in_the_providers_words(sim: Simulator) -> None:
    messages = [{"role": "user", "content": "word " * 170_000}]
    got = chat(sim, "/together/v1/chat/completions", {"model": R1, "messages": messages})
    assert got.status_code == 400
    assert re.match(r"This model's maximum context length is 163840 tokens\. However, you requested \d+ tokens",
                    got.json()["error"]["message"])
    recorded = json.loads(tape("https://huggingface.co/api/inference-proxy/hf-inference/models/meta-llama/Llama-3.2-3B")
                          ["body"].removeprefix("data: "))["error"]
    hf = chat(sim, "/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions",
              {"model": "tgi", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 10_000_000})
    pattern = r"Input validation error: `inputs` tokens \+ `max_new_tokens` must be <= \d+\. Given: \d+ `inputs` tokens and \d+ `max_new_tokens`"
    assert re.fullmatch(pattern, recorded) and re.fullmatch(pattern, hf.json()["error"])
    assert hf.status_code == 400


def test_form_bodies_and_missing_models_are_400(sim: Simulator) -> None:
    form = httpx.post(f"{sim.router_url}/together/v1/chat/completions", data={"model": R1}, headers=KEY)
    assert form.status_code == 400 and "Content-Type" in form.json()["error"]["message"]
    for path in ("/together/v1/chat/completions", "/v1/chat/completions"):
        got = chat(sim, path, {"messages": [{"role": "user", "content": "hi"}]})
        assert (got.status_code, got.json()["error"]["message"]) == (400, "you must provide a model parameter")


def test_deepseek_r1_is_served_as_in_the_launch_post(sim: Simulator) -> None:
    info = httpx.get(f"{sim.hub_url}/api/models/{R1}", params={"expand": "inferenceProviderMapping"}).json()
    assert info["inferenceProviderMapping"]["together"]["providerId"] == R1
