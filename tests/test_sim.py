"""The simulator's endpoints, exercised through huggingface_hub itself where the SDK has a method for them."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from huggingface_hub import AsyncInferenceClient, HfApi, InferenceClient
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from playground.sdk.urls import redirected
from playground.settings import Settings
from playground.sim import served
from playground.sim.answers import tokenize
from playground.sim.config import SimConfig
from playground.sim.providers import sdk_providers
from playground.sim.server import Simulator

LLAMA70 = "meta-llama/Llama-3.3-70B-Instruct"
LLAMA8 = "meta-llama/Llama-3.1-8B-Instruct"
QUESTION = [{"role": "user", "content": "What is deep learning?"}]
HF = {"Authorization": "Bearer hf_test"}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(time_scale=0.0)) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with no faults, no records and an instant simulator."""
    if "sim" not in request.fixturenames:
        yield
        return
    running: Simulator = request.getfixturevalue("sim")
    running.clear_faults()
    running.clear_records()
    yield
    running.clear_faults()
    running.configure(time_scale=0.0, profiles={}, hub_page_size=50)


@pytest.fixture
def sdk(sim: Simulator) -> Iterator[Simulator]:
    with redirected(Settings().with_simulator(sim.hub_url, sim.router_url, sim.direct_url)):
        yield sim


def chat_rows() -> list[tuple[str, str, str]]:
    """(model, provider, status) of every chat mapping the installed SDK can call."""
    callable_ = set(sdk_providers())
    return [(m["id"], row[0], row[2]) for m in served.MODELS for row in m["providers"]
            if row[3] == "conversational" and row[0] in callable_ and "thinking" not in row[4]]  # reasoning: test_chat_sim


# --- lifecycle -------------------------------------------------------------------------------------------------

def test_starts_and_names_its_urls() -> None:
    with Simulator(SimConfig(time_scale=0.0)) as sim:
        assert sim.base_url.startswith("http://127.0.0.1:")
        assert (sim.hub_url, sim.router_url, sim.direct_url) == (sim.base_url, sim.base_url + "/router",
                                                                   sim.base_url + "/direct")
        assert httpx.get(sim.base_url + "/_sim/health").json() == {"ok": True}


def test_runs_from_the_command_line(tmp_path) -> None:
    config = tmp_path / "sim.json"
    config.write_text(json.dumps({"seed": 7, "profiles": {"groq": {"ttft_s": 0.5}}}))
    with Simulator() as probe:  # borrow a free port number
        port = int(probe.base_url.rsplit(":", 1)[1])
    process = subprocess.Popen([sys.executable, "-m", "playground.sim", "--port", str(port), "--config", str(config),
                                "--time-scale", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/_sim/config", timeout=1).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
        assert body["seed"] == 7 and body["time_scale"] == 0
        assert body["profiles"]["groq"]["ttft_s"] == 0.5 and body["profiles"]["groq"]["tokens_per_s"] is None
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- Hub -------------------------------------------------------------------------------------------------------

def test_list_models_by_provider_task_and_search(sdk: Simulator) -> None:
    api = HfApi(endpoint=sdk.hub_url)
    groq = [m.id for m in api.list_models(inference_provider="groq")]
    assert groq == [LLAMA70, LLAMA8, "openai/gpt-oss-120b"]
    several = {m.id for m in api.list_models(inference_provider=["cohere", "zai-org"])}
    assert several == {"CohereLabs/c4ai-command-a-03-2025", "zai-org/GLM-4.5", "zai-org/CogView4-6B"}
    joined = httpx.get(sdk.hub_url + "/api/models", params={"inference_provider": "cohere,zai-org"}).json()
    assert {m["id"] for m in joined} == several
    everything = {m.id for m in api.list_models(inference_provider="all")}
    assert everything == {m["id"] for m in served.MODELS}
    vision = [m.id for m in api.list_models(inference_provider="all", pipeline_tag="image-text-to-text")]
    assert vision == ["google/gemma-3-27b-it"]
    assert [m.id for m in api.list_models(search="LLAMA-3.1-8B-I")] == [LLAMA8]
    fal_images = [m.id for m in api.list_models(inference_provider="fal-ai", pipeline_tag="text-to-image")]
    assert fal_images[:2] == ["black-forest-labs/FLUX.1-dev", "black-forest-labs/FLUX.1-schnell"]
    assert len(list(api.list_models(limit=2))) == 2


def test_staging_mappings_are_not_listed_for_their_provider(sdk: Simulator) -> None:
    fireworks = {m.id for m in HfApi(endpoint=sdk.hub_url).list_models(inference_provider="fireworks-ai")}
    assert LLAMA70 in fireworks and LLAMA8 not in fireworks  # fireworks-ai serves Llama-3.1-8B in staging only


def test_list_models_expands_the_mapping_in_list_form(sdk: Simulator) -> None:
    models = list(HfApi(endpoint=sdk.hub_url).list_models(
        inference_provider="cerebras", expand=["inferenceProviderMapping", "pipeline_tag", "downloads"]))
    raw = httpx.get(sdk.hub_url + "/api/models", params=[("inference_provider", "cerebras"),
                                                           ("expand", "inferenceProviderMapping")]).json()
    assert set(raw[0]) == {"_id", "id", "inferenceProviderMapping"}
    assert set(raw[0]["inferenceProviderMapping"][0]) == {"provider", "providerId", "status", "task"}
    first = models[0]
    assert first.pipeline_tag == "text-generation" and first.downloads > 0
    cerebras = next(m for m in first.inference_provider_mapping if m.provider == "cerebras")
    assert (cerebras.provider_id, cerebras.status, cerebras.task) == ("llama-3.3-70b", "live", "conversational")


def test_list_models_follows_link_pagination(sdk: Simulator) -> None:
    sdk.configure(hub_page_size=2)
    page = httpx.get(sdk.hub_url + "/api/models", params={"inference_provider": "all"})
    assert 'rel="next"' in page.headers["link"] and len(page.json()) == 2
    ids = [m.id for m in HfApi(endpoint=sdk.hub_url).list_models(inference_provider="all")]
    assert ids == [m["id"] for m in served.MODELS]


def test_model_info_with_mapping_is_the_recorded_dict_form(sdk: Simulator) -> None:
    raw = httpx.get(f"{sdk.hub_url}/api/models/{LLAMA70}", params={"expand": "inferenceProviderMapping"}).json()
    assert set(raw) == {"_id", "id", "inferenceProviderMapping"}
    assert raw["inferenceProviderMapping"]["cerebras"] == {"providerId": "llama-3.3-70b", "status": "live",
                                                           "task": "conversational"}
    info = HfApi(endpoint=sdk.hub_url).model_info(LLAMA8, expand=["inferenceProviderMapping"])
    statuses = {m.provider: m.status for m in info.inference_provider_mapping}
    assert statuses["fireworks-ai"] == "staging" and statuses["sambanova"] == "live"


def test_model_info_without_expand_has_what_hf_inference_checks(sdk: Simulator) -> None:
    info = HfApi(endpoint=sdk.hub_url).model_info("google/gemma-3-27b-it")
    assert info.pipeline_tag == "image-text-to-text" and "conversational" in info.tags
    assert info.inference_provider_mapping is None


def test_unknown_and_renamed_models(sdk: Simulator) -> None:
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=sdk.hub_url).model_info("nobody/nothing")
    renamed = httpx.get(f"{sdk.hub_url}/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct")
    assert renamed.status_code == 307 and renamed.headers["location"] == f"/api/models/{LLAMA8}"
    assert HfApi(endpoint=sdk.hub_url).model_info("meta-llama/Meta-Llama-3.1-8B-Instruct").id == LLAMA8


def test_whoami_needs_a_valid_token(sdk: Simulator) -> None:
    api = HfApi(endpoint=sdk.hub_url)
    me = api.whoami(token="hf_demo")
    assert me["name"] == "demo-user" and me["auth"]["accessToken"]["role"] == "fineGrained"
    for token in ("hf_invalid", "sk-not-hf"):
        with pytest.raises(HfHubHTTPError) as error:
            api.whoami(token=token)
        assert error.value.response.status_code == 401
    assert httpx.get(sdk.hub_url + "/api/whoami-v2").status_code == 401


def test_agent_harnesses_and_tasks(sdk: Simulator) -> None:
    assert httpx.get(sdk.hub_url + "/api/agent-harnesses").json() == {"standardEnvVars": [], "harnesses": {}}
    tasks = httpx.get(sdk.hub_url + "/api/tasks").json()
    assert tasks["conversational"]["widgetModels"][0] == LLAMA70


# --- routed and direct chat ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("model", "provider", "status"), chat_rows())
def test_every_callable_chat_mapping_answers_through_the_sdk(sdk: Simulator, model: str, provider: str,
                                                             status: str) -> None:
    client = InferenceClient(provider=provider, api_key="hf_test")
    if status == "error":
        with pytest.raises(HfHubHTTPError) as error:
            client.chat_completion(QUESTION, model=model)
        assert error.value.response.status_code == 503
        return
    whole = client.chat_completion(QUESTION, model=model, max_tokens=40, seed=1)
    chunks = list(client.chat_completion(QUESTION, model=model, max_tokens=40, seed=1, stream=True,
                                         stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content and text.strip()
    assert whole.usage.completion_tokens == len(tokenize(text)) == chunks[-1].usage.completion_tokens == 40
    assert whole.choices[0].finish_reason == "length"
    assert chunks[-1].choices == []
    record = sdk.records()[-1]
    assert (record["provider"], record["route"], record["model"], record["stream"]) == (provider, "routed", model, True)


def test_answers_restate_the_prompt_and_name_the_model(sdk: Simulator) -> None:
    client = InferenceClient(provider="together", api_key="hf_test")
    answer = client.chat_completion([{"role": "user", "content": "Explain photosynthesis"}], model=LLAMA70,
                                    temperature=0).choices[0].message.content
    assert "photosynthesis" in answer.lower() and "Llama-3.3-70B-Instruct" in answer
    assert answer.count(" ") > 40 and answer.endswith((".", ")", "!"))


def test_answers_are_deterministic_and_differ_a_little_between_providers(sdk: Simulator) -> None:
    def answer(provider: str, **options: object) -> str:
        client = InferenceClient(provider=provider, api_key="hf_test")
        return client.chat_completion(QUESTION, model=LLAMA70, **options).choices[0].message.content

    assert answer("novita", seed=3) == answer("novita", seed=3)
    assert answer("novita", temperature=0) == answer("novita", temperature=0)
    reference = answer("hf-inference", temperature=0)
    others = {p: answer(p, temperature=0) for p in ("cerebras", "together", "novita", "fireworks-ai")}
    differing = [p for p, text in others.items() if text != reference]
    assert differing, "quantised providers should drift from the reference wording"
    for text in others.values():
        shared = set(text.split()) & set(reference.split())
        assert len(shared) > 0.7 * len(set(reference.split()))
    other_model = InferenceClient(provider="together", api_key="hf_test").chat_completion(
        QUESTION, model="Qwen/Qwen2.5-72B-Instruct", temperature=0).choices[0].message.content
    assert len(set(other_model.split()) & set(reference.split())) < 0.7 * len(set(reference.split()))


def test_direct_calls_use_the_provider_host_and_key(sdk: Simulator) -> None:
    answer = InferenceClient(provider="groq", api_key="gsk_direct_key").chat_completion(QUESTION, model=LLAMA70)
    assert answer.model == "llama-3.3-70b-versatile"
    record = sdk.records()[-1]
    assert record["path"] == "/direct/api.groq.com/openai/v1/chat/completions"
    assert record["route"] == "direct" and record["provider"] == "groq"


@pytest.mark.parametrize(("api_key", "status"), [("gsk_invalid", 401), ("sk-nocredit", 402)])
def test_direct_calls_reject_bad_keys(sdk: Simulator, api_key: str, status: int) -> None:
    with pytest.raises(HfHubHTTPError) as error:
        InferenceClient(provider="together", api_key=api_key).chat_completion(QUESTION, model=LLAMA70)
    assert error.value.response.status_code == status
    assert set(error.value.response.json()["error"]) >= {"message", "type", "code"}


@pytest.mark.parametrize("headers", [{}, HF, {"Authorization": "Basic abc"}])
def test_direct_call_without_a_provider_key_is_refused(sim: Simulator, headers: dict[str, str]) -> None:
    response = httpx.post(sim.direct_url + "/api.groq.com/openai/v1/chat/completions", headers=headers,
                          json={"model": "llama-3.3-70b-versatile", "messages": QUESTION})
    assert response.status_code == 401


@pytest.mark.parametrize(("token", "status"), [("hf_invalid_token", 401), ("hf_nocredit_here", 402)])
def test_routed_calls_check_the_hf_token(sdk: Simulator, token: str, status: int) -> None:
    with pytest.raises(HfHubHTTPError) as error:
        InferenceClient(provider="cerebras", api_key=token).chat_completion(QUESTION, model=LLAMA70)
    assert error.value.response.status_code == status
    if status == 402:
        assert "credits" in str(error.value) and "pay-as-you-go" in str(error.value)


def test_routed_call_without_token_is_refused(sim: Simulator) -> None:
    response = httpx.post(sim.router_url + "/cerebras/v1/chat/completions",
                          json={"model": "llama-3.3-70b", "messages": QUESTION})
    assert response.status_code == 401 and "error" in response.json()


def test_unknown_provider_model_and_bad_requests(sim: Simulator) -> None:
    url = sim.router_url + "/groq/openai/v1/chat/completions"
    unknown = httpx.post(url, headers=HF, json={"model": "no-such-model", "messages": QUESTION})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "model_not_found"
    assert httpx.post(url, headers=HF, json={"model": "llama-3.3-70b-versatile"}).status_code == 400
    assert httpx.post(url, headers=HF, content=b"{not json").status_code == 400
    tgi = httpx.post(sim.router_url + f"/hf-inference/models/{LLAMA8}/v1/chat/completions", headers=HF,
                     json={"model": LLAMA8, "messages": []})
    assert tgi.status_code == 422 and isinstance(tgi.json()["error"], str)


def test_async_client_streams(sdk: Simulator) -> None:
    async def main() -> list[str]:
        client = AsyncInferenceClient(provider="novita", api_key="hf_test")
        stream = await client.chat_completion(QUESTION, model=LLAMA8, stream=True, max_tokens=12)
        return [chunk.choices[0].delta.content or "" async for chunk in stream]

    assert len(tokenize("".join(asyncio.run(main())))) == 12


# --- the router's OpenAI-compatible API -------------------------------------------------------------------------

def ask_router(router: str, model: str, token: str = "hf_test") -> httpx.Response:
    return httpx.post(router + "/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                      json={"model": model, "messages": QUESTION})


@pytest.fixture
def router(sim: Simulator) -> str:
    return sim.router_url


@pytest.mark.parametrize(("model", "provider"), [
    (LLAMA70, "cerebras"),  # the Hub's first live provider
    (f"{LLAMA70}:preferred", "cerebras"),
    (f"{LLAMA70}:fastest", "cerebras"),
    (f"{LLAMA70}:cheapest", "nscale"),
    (f"{LLAMA8}:cheapest", "sambanova"),  # free promo
    (f"{LLAMA70}:sambanova", "sambanova"),  # not callable through the SDK, reachable here
    ("google/gemma-3-27b-it:nebius", "nebius"),
])
def test_openai_endpoint_policies(router: str, model: str, provider: str) -> None:
    response = ask_router(router, model)
    assert response.status_code == 200, response.text
    body = response.json()
    assert response.headers["x-inference-provider"] == provider
    assert body["model"] == f"{model.split(':')[0]}:{provider}"
    assert body["choices"][0]["message"]["content"]


def test_auto_provider_goes_through_the_openai_endpoint(sdk: Simulator) -> None:
    answer = InferenceClient(api_key="hf_test").chat_completion(QUESTION, model=f"{LLAMA8}:groq")
    assert answer.model == f"{LLAMA8}:groq"
    assert sdk.records()[-1]["route"] == "openai"


@pytest.mark.parametrize(("model", "token", "status"), [
    ("nobody/nothing", "hf_test", 404),
    (f"{LLAMA70}:no-such-provider", "hf_test", 400),
    (f"{LLAMA70}:groq", "hf_invalid", 401),
    (f"{LLAMA70}:groq", "hf_nocredit", 402),
])
def test_openai_endpoint_errors(router: str, model: str, token: str, status: int) -> None:
    response = ask_router(router, model, token=token)
    assert response.status_code == status and "error" in response.json()


def test_router_model_list_is_sparse_and_shaped_like_the_docs(router: str) -> None:
    body = httpx.get(router + "/v1/models").json()
    assert body["object"] == "list"
    first = body["data"][0]
    assert set(first) == {"id", "object", "created", "owned_by", "architecture", "providers"}
    entries = [e for m in body["data"] for e in m["providers"]]
    allowed = {"provider", "status", "context_length", "pricing", "is_free", "supports_tools",
               "supports_structured_output", "first_token_latency_ms", "throughput", "is_model_author"}
    assert all(set(e) <= allowed and {"provider", "status", "is_model_author"} <= set(e) for e in entries)
    assert any("pricing" not in e for e in entries) and any("throughput" not in e for e in entries)
    assert any(e.get("is_free") for e in entries) and any(set(e) == {"provider", "status", "is_model_author"}
                                                          for e in entries)
    assert {e["provider"] for e in entries} >= {"sambanova", "nebius", "cerebras", "groq"}
    one = httpx.get(router + f"/v1/models/{LLAMA70}").json()
    assert one["id"] == LLAMA70 and one["providers"][0]["provider"] == "cerebras"
    assert httpx.get(router + "/v1/models/nobody/nothing").status_code == 404


# --- control API ------------------------------------------------------------------------------------------------

def test_control_api_over_http(sim: Simulator) -> None:
    base = sim.base_url + "/_sim"
    updated = httpx.put(base + "/config", json={"time_scale": 0.5, "profiles": {"groq": {"ttft_s": 1.5}}}).json()
    assert updated["time_scale"] == 0.5 and updated["profiles"]["groq"]["ttft_s"] == 1.5
    assert sim.config.time_scale == 0.5
    assert httpx.put(base + "/config", json={"no_such_field": 1}).status_code == 400
    added = httpx.post(base + "/faults", json={"provider": "groq", "kind": "http", "status": 429, "times": 2}).json()
    assert added["faults"][0]["status"] == 429 and httpx.get(base + "/config").json()["faults"][0]["times"] == 2
    assert httpx.post(base + "/faults", json={"kind": "explode"}).status_code == 400
    assert httpx.delete(base + "/faults").json() == {"faults": []}
    httpx.get(sim.hub_url + "/api/models")
    assert [r["path"] for r in httpx.get(base + "/record").json()["records"]] == ["/api/models"]
    httpx.delete(base + "/record")
    assert sim.records() == []
