"""The scriptable API through gradio_client against a launched app (on the simulator)."""

from __future__ import annotations

import json
import re

import pytest
from gradio_client import Client

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


@pytest.fixture(scope="module")
def client(launched_app):
    return Client(launched_app.url, verbose=False)


def test_models_lists_chat_models_and_searches(client):
    models = client.predict(task="conversational", search="", api_name="/models")
    assert MODEL in models and len(models) >= 6
    found = client.predict(task="conversational", search="llama", api_name="/models")
    assert found and all("llama" in m.lower() for m in found)


def test_providers_are_sorted_and_marked(client):
    rows = client.predict(model=MODEL, task="conversational", sort="name", api_name="/providers")
    names = [r["provider"] for r in rows]
    callable_names = [r["provider"] for r in rows if r["callable"]]
    assert callable_names == sorted(callable_names)
    assert {"provider", "provider_id", "status", "callable", "reason", "pricing", "first_token_latency_ms", "throughput"} <= set(rows[0])
    sambanova = next(r for r in rows if r["provider"] == "sambanova")
    assert sambanova["callable"] and "router" in sambanova["reason"]
    assert len(names) >= 4


def test_compare_returns_one_result_per_provider(client):
    providers = [r["provider"] for r in client.predict(model=MODEL, task="conversational", sort="preference", api_name="/providers") if r["callable"]][:4]
    out = client.predict(
        task="conversational",
        model=MODEL,
        providers=providers,
        prompt="Why is the sky blue?",
        input_file=None,
        api_key="",
        provider_keys="",
        params_json=json.dumps({"max_tokens": 64, "temperature": 0, "seed": 1}),
        runs=1,
        api_name="/compare",
    )
    results = out["results"]
    assert [r["provider"] for r in results] == providers
    for r in results:
        assert r["ok"], r
        assert r["text"] and r["routing"] == "routed"
        assert r["ttft_s"] is not None and 0 <= r["ttft_s"] <= r["latency_s"]
        assert r["output_tokens"] > 0
        for key in ("error", "error_kind", "tokens_per_s", "cost_usd", "image"):
            assert key in r


def test_compare_rejects_bad_input_with_a_clear_message_and_stays_up(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="not valid JSON"):
        client.predict(task="conversational", model=MODEL, providers=["together"], prompt="hi", params_json="{max_tokens", api_name="/compare")
    with pytest.raises(AppError, match="Unknown task"):
        client.predict(task="poetry", model=MODEL, providers=["together"], prompt="hi", api_name="/compare")
    with pytest.raises(AppError, match="not serve"):
        client.predict(task="conversational", model=MODEL, providers=["no-such-provider"], prompt="hi", api_name="/compare")
    assert MODEL in client.predict(task="conversational", search="", api_name="/models")


def test_compare_takes_an_image_file_for_an_image_task(client, tmp_path):
    from gradio_client import handle_file
    from PIL import Image

    picture = tmp_path / "cat.png"
    Image.new("RGB", (64, 48), (200, 120, 40)).save(picture)
    models = client.predict(task="image-classification", search="", api_name="/models")
    assert models, "the simulator should serve an image-classification model"
    providers = [r["provider"] for r in client.predict(model=models[0], task="image-classification", sort="name", api_name="/providers") if r["callable"]]
    out = client.predict(
        task="image-classification", model=models[0], providers=providers, input_file=handle_file(str(picture)), api_name="/compare"
    )
    for row in out["results"]:
        assert row["ok"], row
        assert row["labels"] and 0 <= row["labels"][0]["score"] <= 1


def test_compare_takes_labels_for_zero_shot(client):
    models = client.predict(task="zero-shot-classification", search="", api_name="/models")
    out = client.predict(
        task="zero-shot-classification", model=models[0], providers=["hf-inference"], prompt="I loved this film",
        labels="positive, negative", api_name="/compare",
    )
    row = out["results"][0]
    assert row["ok"], row
    assert {label["label"] for label in row["labels"]} == {"positive", "negative"}


def test_compare_continues_a_conversation_from_conversation_json_in_both_forms(client, launched_app):
    launched_app.sim.clear_records()
    providers = ["groq", "together"]
    ask = {"task": "conversational", "model": MODEL, "providers": providers, "params_json": json.dumps({"max_tokens": 300}), "api_name": "/compare"}
    first = client.predict(prompt="What is a neutron star?", **ask)
    threads = first["threads"]
    assert {p: [m["role"] for m in t] for p, t in threads.items()} == {p: ["user", "assistant"] for p in providers}
    own = client.predict(prompt="How dense is one?", conversation_json=json.dumps(threads), **ask)
    for result in own["results"]:
        assert result["ok"] and "Turn 2 of our conversation" in result["text"], result
        assert own["threads"][result["provider"]][1]["content"] == threads[result["provider"]][1]["content"]
    shared = client.predict(prompt="How dense is one?", conversation_json=json.dumps(threads["groq"]), **ask)
    sent = [r["messages"] for r in launched_app.sim.records() if r.get("messages")][-2:]
    assert all(m[1]["content"] == threads["groq"][1]["content"] for m in sent)
    assert all(r["ok"] for r in shared["results"])


@pytest.mark.parametrize(("history", "words"), [
    ('[{"role": "system", "content": "x"}]', "give the system prompt as `system`"),
    ('{"groq": []}', "no thread for together"),
    ('[{"role": "user", "content": "hi"}]', "must end with an assistant answer"),
    ("[1, 2", "not valid JSON"),
])
def test_compare_refuses_a_bad_conversation_json_naming_what_is_wrong(client, history, words):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=re.escape(words)):
        client.predict(task="conversational", model=MODEL, providers=["groq", "together"], prompt="hi",
                       conversation_json=history, api_name="/compare")


def test_compare_sends_an_image_with_a_chat_message_to_a_vision_model(client, tmp_path):
    from gradio_client import handle_file
    from PIL import Image

    picture = tmp_path / "sky.png"
    Image.new("RGB", (40, 30), (90, 150, 230)).save(picture)
    assert "google/gemma-3-27b-it" in client.predict(task="conversational", search="gemma", api_name="/models")
    out = client.predict(task="conversational", model="google/gemma-3-27b-it", providers=["nebius", "featherless-ai"],
                         prompt="What is in this picture?", input_file=handle_file(str(picture)), api_name="/compare")
    rows = {r["provider"]: r for r in out["results"]}
    assert rows["nebius"]["ok"] and "40×30 png" in rows["nebius"]["text"]
    assert rows["featherless-ai"]["error_kind"] == "invalid_input" and "does not support image inputs" in rows["featherless-ai"]["error"]
    assert out["threads"]["nebius"][0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
