"""Reasoning models, images and who answered, end to end on the simulator (planning → runner → simulator)."""

from __future__ import annotations

import asyncio
import base64
import io

import pytest
from PIL import Image

from playground import runner

R1 = "deepseek-ai/DeepSeek-R1"
R1_PROVIDERS = ["together", "fireworks-ai", "novita", "sambanova"]  # thinking as <think> tags, reasoning_content, reasoning, tags


def run(app, **request):
    plan = app.plan(task="conversational", prompt="What is deep learning?", api_key="hf_" + "s" * 30, **request)
    return {r.provider: r for r in asyncio.run(runner.run(plan)).results}


def test_deepseek_r1_thinks_in_three_formats_and_each_is_read_alike(sim_playground):
    results = run(sim_playground.playground, model=R1, providers=R1_PROVIDERS)

    for provider, result in results.items():
        assert result.ok, (provider, result.error)
        assert result.reasoning and "deep learning" in result.reasoning, provider
        assert "<think>" not in result.text and "</think>" not in result.text and result.text.strip(), provider
        assert result.reasoning_tokens and not result.reasoning_estimated, provider
        assert result.output_tokens > result.reasoning_tokens, provider
        assert 0 <= result.ttft_s <= result.answer_ttft_s <= result.latency_s, provider
        assert result.reasoning_s is not None and result.reasoning_s >= 0, provider
    assert results["sambanova"].answered_by == "sambanova"  # through the router's OpenAI endpoint: its header


def test_deepseek_r1_whole_answers_keep_thinking_apart(sim_playground):
    results = run(sim_playground.playground, model=R1, providers=R1_PROVIDERS, params_json={"stream": False})

    for provider, result in results.items():
        assert result.ok and result.reasoning and "<think>" not in result.text, provider
        assert result.reasoning_tokens and not result.reasoning_estimated, provider


def test_a_policy_names_the_provider_that_answered_from_the_header(sim_playground, monkeypatch):
    monkeypatch.setattr(runner.Target, "answered_by", lambda self, result: "not read from the header")
    (result,) = run(sim_playground.playground, model="meta-llama/Llama-3.3-70B-Instruct", providers=[":fastest"]).values()

    assert result.ok, result.error
    assert result.answered_by in {"cerebras", "groq", "sambanova", "together", "fireworks-ai", "novita", "nscale", "deepinfra", "nebius", "hf-inference"}
    assert result.served_model == f"meta-llama/Llama-3.3-70B-Instruct:{result.answered_by}"
    (record,) = [r for r in sim_playground.sim.records() if r["route"] == "openai"]
    assert record["provider"] == result.answered_by


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_simulator_refuses_an_image_for_a_text_only_model_with_a_clear_400(sim_playground):
    import httpx

    part = {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(png()).decode()}}
    messages = [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, part]}]
    url = sim_playground.sim.router_url + "/v1/chat/completions"
    headers = {"Authorization": "Bearer hf_" + "s" * 30}
    text_only = httpx.post(url, json={"model": "meta-llama/Llama-3.3-70B-Instruct:together", "messages": messages}, headers=headers)
    vision = httpx.post(url, json={"model": "google/gemma-3-27b-it:nebius", "messages": messages}, headers=headers)

    assert text_only.status_code == 400 and "does not support image inputs" in text_only.text
    assert vision.status_code == 200 and "8×6 png" in vision.json()["choices"][0]["message"]["content"]


GEMMA = "google/gemma-3-27b-it"


def test_an_image_attached_to_the_message_goes_to_a_vision_model_as_a_data_uri(sim_playground):
    from tests.apps import uploaded

    sim_playground.sim.clear_records()
    with uploaded(png(), "red.png") as path:
        plan = sim_playground.playground.plan(task="conversational", model=GEMMA, providers=["nebius", "deepinfra", "featherless-ai"],
                                              prompt="What colour is this?", input_file=path, api_key="hf_" + "s" * 30)
    (_, part) = plan.turn["content"]
    assert part["image_url"]["url"].startswith("data:image/png;base64,")
    assert base64.b64decode(part["image_url"]["url"].split(",", 1)[1]) == png()
    results = {r.provider: r for r in asyncio.run(runner.run(plan)).results}
    for provider in ("nebius", "deepinfra"):
        assert results[provider].ok and "8×6 png" in results[provider].text, results[provider].error
    text_only = results["featherless-ai"]  # serves this vision model text only: its own 400, the others unaffected
    assert not text_only.ok and text_only.error_kind == "invalid_input" and "does not support image inputs" in text_only.error
    sent = [r["messages"] for r in sim_playground.sim.records() if r.get("messages")]
    assert all(m[-1]["content"] == "What colour is this? [image]" for m in sent) and len(sent) == 3


def test_chat_refuses_an_image_it_cannot_send(sim_playground):
    from playground.planning import InvalidRequest
    from tests.apps import uploaded

    with uploaded(b"RIFF0000WAVEfmt ", "sound.wav") as path, pytest.raises(InvalidRequest, match="needs an image"):
        sim_playground.playground.plan(task="conversational", model=GEMMA, providers=["nebius"], prompt="hi", input_file=path,
                                       api_key="hf_" + "s" * 30)


def test_image_snippets_read_the_file_instead_of_holding_base64(sim_playground, tmp_path):
    import subprocess
    import sys

    from playground import snippets
    from tests.apps import uploaded

    with uploaded(png(), "red.png") as path:
        plan = sim_playground.playground.plan(task="conversational", model=GEMMA, providers=["nebius"], prompt="What colour is this?",
                                              input_file=path, api_key="hf_" + "s" * 30, params_json={"stream": False})
    code = snippets.for_plan(plan, sim_playground.playground.settings)["nebius"]
    assert all("base64," + base64.b64encode(png()).decode()[:20] not in c for c in code.values() if c)
    assert 'open("red.png", "rb")' in code["python"] and 'readFileSync("red.png")' in code["javascript"]
    (tmp_path / "red.png").write_bytes(png())
    done = subprocess.run([sys.executable, "-c", code["python"]], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "HF_TOKEN": "hf_" + "s" * 30})
    assert done.returncode == 0 and "8×6 png" in done.stdout, done.stderr[-1500:]
    shell = subprocess.run(["bash", "-c", code["curl"]], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           env={**__import__("os").environ, "HF_TOKEN": "hf_" + "s" * 30})
    assert "8×6 png" in shell.stdout, shell.stdout[-800:] + shell.stderr[-800:]


def test_reasoning_effort_arrives_and_the_simulator_thinks_less_at_low_and_more_at_high(sim_playground):
    thought = {}
    for effort in ("low", None, "high"):
        params = {"max_tokens": 2000, **({"reasoning_effort": effort} if effort else {})}
        results = run(sim_playground.playground, model=R1, providers=["together", "fireworks-ai"], params_json=params)
        assert all(r.ok for r in results.values()), [r.error for r in results.values()]
        thought[effort] = {p: r.reasoning_tokens for p, r in results.items()}
    for provider in ("together", "fireworks-ai"):
        assert thought["low"][provider] < thought[None][provider] < thought["high"][provider], thought


def test_reasoning_effort_is_checked_before_anything_is_sent(sim_playground):
    from playground.planning import InvalidRequest

    with pytest.raises(InvalidRequest, match="reasoning_effort must be one of low, medium, high"):
        run(sim_playground.playground, model=R1, providers=["together"], params_json={"reasoning_effort": "extreme"})


def test_reasoning_effort_goes_in_every_snippet(sim_playground):
    from playground import snippets

    plan = sim_playground.playground.plan(task="conversational", model=R1, providers=["together"], prompt="hi",
                                          api_key="hf_" + "s" * 30, params_json={"reasoning_effort": "low"})
    code = snippets.for_plan(plan, sim_playground.playground.settings)["together"]
    assert 'extra_body={"reasoning_effort": "low"}' in code["python"]  # huggingface_hub 2.4 has no such keyword
    assert 'reasoning_effort="low"' in code["openai"]
    assert '"reasoning_effort": "low"' in code["javascript"] and '"reasoning_effort": "low"' in code["curl"]
