"""Replay proof: the simulator answers the recorded requests with bodies shaped like the recorded answers.

Shapes compare the keys at every level and the kind of every value (null, number, string, bool, object,
list); event streams compare the SSE framing and the opening, text and final events.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from playground.sim import served
from playground.sim.config import SimConfig
from playground.sim.server import Simulator
from tests.cassettes import CASSETTES

LIVE_ROUTER = "https://router.huggingface.co"
LIVE_HUB = "https://huggingface.co"

# provider -> a catalog model it serves for chat (the recorded models are not all in the catalog)
SERVED = {"cerebras": "meta-llama/Llama-3.3-70B-Instruct", "fireworks-ai": "meta-llama/Llama-3.3-70B-Instruct",
          "hf-inference": "meta-llama/Llama-3.1-8B-Instruct", "novita": "meta-llama/Llama-3.1-8B-Instruct",
          "together": "meta-llama/Llama-3.3-70B-Instruct", "sambanova": "meta-llama/Llama-3.1-8B-Instruct",
          "nebius": "meta-llama/Llama-3.3-70B-Instruct"}
# Providers the installed SDK no longer calls are compared through the router's OpenAI endpoint.
THROUGH_OPENAI_ENDPOINT = {"sambanova", "nebius"}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(time_scale=0.0)) as running:
        yield running


def recorded_post(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    interactions = yaml.safe_load((CASSETTES / name).read_text())["interactions"]
    post = next(i for i in interactions if i["request"]["method"] == "POST")
    return post["request"], post["response"]


def body_text(response: dict[str, Any]) -> str:
    body = response["body"]["string"]
    return body.decode() if isinstance(body, bytes) else body


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, (int, float)) else "string"


def events(text: str) -> list[str]:
    """SSE payloads; fails unless every event is one `data: ` line followed by a blank line."""
    blocks = text.split("\n\n")
    assert blocks[-1] == "", "the stream must end with a blank line"
    assert all(b.startswith("data: ") and "\n" not in b for b in blocks[:-1])
    return [b[len("data: "):] for b in blocks[:-1]]


def has_text(chunk: dict[str, Any]) -> bool:
    return any((c.get("delta") or {}).get("content") for c in chunk.get("choices", []))


def is_final(chunk: dict[str, Any]) -> bool:
    return any(c.get("finish_reason") for c in chunk.get("choices", []))


def stream_profile(text: str) -> dict[str, Any]:
    payloads = events(text)
    chunks = [json.loads(p) for p in payloads if p != "[DONE]"]
    texts = [c for c in chunks if has_text(c) and not is_final(c)]
    first_text = next(i for i, c in enumerate(chunks) if has_text(c))
    return {
        "done": payloads[-1] == "[DONE]",
        "opening": shape(chunks[0]) if first_text else None,
        "text": shape(texts[0]),
        "final": shape(next(c for c in chunks if is_final(c))),
    }


def replay(sim: Simulator, provider: str, request: dict[str, Any]) -> httpx.Response:
    """The recorded request, sent to the simulator for a model the catalog has on that provider."""
    body = json.loads(request["body"])
    model_id = SERVED[provider]
    if provider in THROUGH_OPENAI_ENDPOINT:
        url, body["model"] = f"{sim.router_url}/v1/chat/completions", f"{model_id}:{provider}"
    else:
        body["model"] = served.mapping(model_id, provider, "conversational")["providerId"]
        path = request["uri"].removeprefix(LIVE_ROUTER)
        if provider == "hf-inference":
            path = f"/hf-inference/models/{model_id}/v1/chat/completions"
        url = sim.router_url + path
    return httpx.post(url, json=body, headers={"Authorization": "Bearer hf_replay"})


@pytest.mark.parametrize("provider", sorted(SERVED))
def test_non_stream_chat_has_the_recorded_shape(sim: Simulator, provider: str) -> None:
    request, recorded = recorded_post(f"TestInferenceClient.test_chat_completion_no_stream[{provider},conversational].yaml")
    response = replay(sim, provider, request)
    assert response.status_code == recorded["status"]["code"] == 200
    assert response.headers["content-type"].startswith("application/json")
    assert shape(response.json()) == shape(json.loads(body_text(recorded)))


@pytest.mark.parametrize("provider", sorted(SERVED))
def test_stream_chat_has_the_recorded_framing_and_chunks(sim: Simulator, provider: str) -> None:
    request, recorded = recorded_post(f"TestInferenceClient.test_chat_completion_with_stream[{provider},conversational].yaml")
    response = replay(sim, provider, request)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    simulated, original = stream_profile(response.text), stream_profile(body_text(recorded))
    if provider in THROUGH_OPENAI_ENDPOINT:
        assert simulated["done"]  # the router's OpenAI endpoint always terminates the stream
        original["done"] = True
    assert simulated == original


@pytest.mark.parametrize("name", [
    "TestInferenceClient.test_chat_completion_no_stream[cerebras,conversational].yaml",
    "TestInferenceClient.test_chat_completion_no_stream[together,conversational].yaml",
    "TestInferenceClient.test_automatic_speech_recognition[fal-ai,automatic-speech-recognition].yaml",
    "TestInferenceClient.test_text_to_image_default[fal-ai,text-to-image].yaml",
])
def test_model_info_mapping_has_the_recorded_shape(sim: Simulator, name: str) -> None:
    interactions = yaml.safe_load((CASSETTES / name).read_text())["interactions"]
    recorded = next(i for i in interactions if "expand=inferenceProviderMapping" in i["request"]["uri"])
    original = json.loads(body_text(recorded["response"]))
    model_id = original["id"] if served.model(original["id"]) else "meta-llama/Llama-3.3-70B-Instruct"
    response = httpx.get(f"{sim.hub_url}/api/models/{model_id}", params={"expand": "inferenceProviderMapping"})
    simulated = response.json()
    assert set(simulated) == set(original) == {"_id", "id", "inferenceProviderMapping"}
    entry_shapes = {json.dumps(shape(e), sort_keys=True) for e in simulated["inferenceProviderMapping"].values()}
    assert entry_shapes == {json.dumps(shape(e), sort_keys=True) for e in original["inferenceProviderMapping"].values()}
    assert response.headers["content-type"].startswith("application/json")


def test_plain_model_info_has_the_recorded_top_level_fields(sim: Simulator) -> None:
    interactions = yaml.safe_load(
        (CASSETTES / "TestInferenceClient.test_chat_completion_no_stream[hf-inference,conversational].yaml").read_text()
    )["interactions"]
    original = json.loads(body_text(interactions[0]["response"]))
    simulated = httpx.get(f"{sim.hub_url}/api/models/{original['id']}").json()
    essential = {"_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes", "modelId",
                 "author", "sha", "lastModified", "gated", "disabled", "createdAt", "inference"}
    assert essential <= set(original) and essential <= set(simulated)
    assert {k: shape(simulated[k]) for k in essential - {"gated"}} == {k: shape(original[k]) for k in essential - {"gated"}}
    assert (simulated["pipeline_tag"], simulated["tags"][:4]) == (original["pipeline_tag"], original["tags"][:4])


HF_TASKS = ["text-classification", "token-classification", "summarization", "translation", "image-classification",
            "object-detection", "image-segmentation", "image-to-text", "automatic-speech-recognition",
            "audio-classification", "audio-to-audio", "visual-question-answering", "table-question-answering",
            "sentence-similarity", "text-to-image", "text-to-speech"]


def hf_inference_model(task: str) -> str:
    return next(m["id"] for m in served.MODELS for row in m["providers"]
                if row[0] == "hf-inference" and row[3] == task)


def recorded_hf_task(task: str) -> tuple[dict[str, Any], dict[str, Any]]:
    name = next(p.name for p in CASSETTES.glob(f"TestInferenceClient.test_*[[]hf-inference,{task}].yaml"))
    return recorded_post(name)


@pytest.mark.parametrize("task", HF_TASKS)
def test_hf_inference_tasks_have_the_recorded_shape(sim: Simulator, task: str) -> None:
    request, recorded = recorded_hf_task(task)
    model_id = hf_inference_model(task)
    suffix = f"/pipeline/{task}" if task in ("sentence-similarity", "feature-extraction") else ""
    headers = {k: v[0] for k, v in request["headers"].items() if k.lower() == "content-type"}
    body = request["body"]
    response = httpx.post(f"{sim.router_url}/hf-inference/models/{model_id}{suffix}",
                          content=body if isinstance(body, bytes) else (body or "").encode(),
                          headers={"Authorization": "Bearer hf_replay", **headers})
    assert response.status_code == recorded["status"]["code"] == 200
    recorded_type = (recorded["headers"].get("Content-Type") or recorded["headers"]["content-type"])[0]
    assert response.headers["content-type"].split("/")[0] == recorded_type.split("/")[0]
    if recorded_type.startswith("application/json"):
        assert shape(response.json()) == shape(json.loads(body_text(recorded)))


@pytest.mark.parametrize(("name", "path", "model"), [
    ("TestInferenceClient.test_text_to_image_default[fal-ai,text-to-image].yaml", "/fal-ai/fal-ai/flux/dev", None),
    ("TestInferenceClient.test_automatic_speech_recognition[fal-ai,automatic-speech-recognition].yaml",
     "/fal-ai/fal-ai/whisper", None),
    ("TestInferenceClient.test_text_to_image_default[replicate,text-to-image].yaml", "/replicate/v1/predictions", None),
    ("TestInferenceClient.test_text_to_image_default[together,text-to-image].yaml", "/together/v1/images/generations",
     None),
])
def test_generation_protocols_have_the_recorded_shape(sim: Simulator, name: str, path: str, model: str | None) -> None:
    request, recorded = recorded_post(name)
    response = httpx.post(sim.router_url + path, content=request["body"].encode(),
                          headers={"Authorization": "Bearer hf_replay", "Content-Type": "application/json",
                                   "Prefer": "wait"})
    assert response.status_code == recorded["status"]["code"]
    assert shape(response.json()) == shape(json.loads(body_text(recorded)))
