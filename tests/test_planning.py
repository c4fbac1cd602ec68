"""A request becomes a Plan, or an InvalidRequest that says what is wrong and what would be right.

The Hub's answers are the recorded ones (the provider mapping of meta-llama/Llama-3.3-70B-Instruct); a request that is
wrong on its face is refused before anything is asked of the Hub.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from playground.model import Plan
from playground.planning import MAX_PROMPT_CHARS, MAX_RUNS, InvalidRequest
from playground.service import Playground
from playground.settings import Settings
from playground.tasks import TASKS
from tests.cassettes import ChatRecording, Replay

RECORDED = ChatRecording.find("cerebras", stream=True)
MODEL = RECORDED.model  # meta-llama/Llama-3.3-70B-Instruct
SERVING = list(RECORDED.hub[0].json()["inferenceProviderMapping"])
KEY = "hf_" + "k" * 34


def serve_hub(replay: Replay, model: str = MODEL, mapping: dict[str, Any] | None = None) -> None:
    """The recorded provider mapping, or a made-up one for `model`."""
    if mapping is None:
        RECORDED.install(replay)
        return
    body = {"_id": "0" * 24, "id": model, "inferenceProviderMapping": mapping}
    replay.serve("GET", f"https://huggingface.co/api/models/{model}?expand=inferenceProviderMapping", lambda r: httpx2.Response(200, json=body))


def plan(settings: Settings | None = None, **request: Any) -> Plan:
    request = {"task": "conversational", "model": MODEL, "providers": ["cerebras"], "prompt": "Hi", "api_key": KEY} | request
    return Playground(settings or Settings()).plan(**request)


def refusal(settings: Settings | None = None, **request: Any) -> str:
    with pytest.raises(InvalidRequest) as caught:
        plan(settings, **request)
    message = str(caught.value)
    assert message and "\n" not in message and KEY not in message
    return message


def hub_calls(replay: Replay) -> list[str]:
    return [s.url for s in replay.requests if "/api/models" in s.url]


def test_a_good_request_becomes_a_plan(replay: Replay) -> None:
    serve_hub(replay)

    made = plan(providers="cerebras, together", params_json='{"max_tokens": 64, "temperature": 0}', runs=3)

    assert [t.provider for t in made.targets] == ["cerebras", "together"]
    assert all(t.credential and t.credential.key == KEY and t.problem is None for t in made.targets)
    assert made.params == {"max_tokens": 64, "temperature": 0.0, "top_p": None, "seed": None, "stream": True,
                           "tools": None, "tool_choice": None, "response_format": None, "reasoning_effort": None}
    assert (made.model, made.runs, made.timeout_s, made.secrets) == (MODEL, 3, Settings().timeout_s, (KEY,))


@pytest.mark.parametrize("providers", ['["cerebras", "together", "cerebras"]', ["cerebras", " together ", "cerebras", ""]])
def test_providers_may_be_a_json_list_or_a_list_and_repeats_count_once(providers: Any, replay: Replay) -> None:
    serve_hub(replay)

    assert [t.provider for t in plan(providers=providers).targets] == ["cerebras", "together"]


@pytest.mark.parametrize("prompt", ["", "   \n\t"])
def test_empty_prompt(prompt: str, replay: Replay) -> None:
    assert refusal(prompt=prompt) == "The prompt is empty: type what to send to the providers."
    assert not hub_calls(replay)


def test_a_300000_character_prompt(replay: Replay) -> None:
    message = refusal(prompt="x" * 300_000)

    assert "300,000 characters" in message and f"at most {MAX_PROMPT_CHARS:,}" in message and "Shorten it" in message
    assert not hub_calls(replay)


def test_the_system_prompt_counts_towards_the_limit(replay: Replay) -> None:
    assert f"{MAX_PROMPT_CHARS + 1:,} characters" in refusal(prompt="x" * MAX_PROMPT_CHARS, system="y")


def test_no_model(replay: Replay) -> None:
    assert "No model chosen" in refusal(model="  ") and "meta-llama/Llama-3.3-70B-Instruct" in refusal(model="")


def test_unknown_model(replay: Replay) -> None:
    missing = "nobody/no-such-model"
    replay.serve(
        "GET",
        f"https://huggingface.co/api/models/{missing}?expand=inferenceProviderMapping",
        lambda r: httpx2.Response(404, json={"error": "Repository not found"}, headers={"X-Error-Code": "RepoNotFound"}),
    )

    message = refusal(model=missing)

    assert message == f"Model {missing!r} was not found on the Hub. Check the id (owner/name) or pick one from the list."


def test_a_model_no_provider_serves(replay: Replay) -> None:
    serve_hub(replay, "openai-community/gpt2", mapping={})

    message = refusal(model="openai-community/gpt2")

    assert message == "No provider serves openai-community/gpt2 for Chat. Pick another model or task."


@pytest.mark.parametrize("provider", ["groq", "not-a-provider"])
def test_a_provider_that_does_not_serve_the_model(provider: str, replay: Replay) -> None:
    serve_hub(replay)

    message = refusal(providers=["cerebras", provider])

    assert message.startswith(f"{provider} does not serve {MODEL} for Chat (routing policies also work: auto, :fastest, :cheapest, :preferred). Providers that do: ")
    assert message.endswith(", ".join(SERVING) + ".")


def test_several_providers_that_do_not_serve_the_model_are_named_together(replay: Replay) -> None:
    serve_hub(replay)

    assert refusal(providers="groq,openai").startswith(f"groq, openai do not serve {MODEL}")


@pytest.mark.parametrize("providers", [[], "", " , ", None, "[]"])
def test_no_provider_chosen(providers: Any, replay: Replay) -> None:
    assert refusal(providers=providers) == "No provider chosen: tick at least one provider to compare."
    assert not hub_calls(replay)


@pytest.mark.parametrize(
    ("providers", "words"),
    [('["cerebras", ', "providers is not a valid JSON list"), (["cerebras", 7], "providers must be names (strings), got 7")],
)
def test_malformed_provider_list(providers: Any, words: str, replay: Replay) -> None:
    assert words in refusal(providers=providers)


def test_a_provider_the_sdk_cannot_call_for_the_task(replay: Replay) -> None:
    serve_hub(replay, "org/completion-model", mapping={"cerebras": {"status": "live", "providerId": "cm", "task": "text-generation"}})

    message = refusal(task="text-generation", model="org/completion-model")

    assert message.startswith("cerebras cannot be called: cerebras does not offer text-generation in huggingface_hub")


@pytest.mark.parametrize(
    ("params_json", "words"),
    [
        ('{"max_tokens": 20', ["params_json is not valid JSON", 'expected an object like {"max_tokens": 256']),
        ("max_tokens=20", ["params_json is not valid JSON", "expected an object like"]),
        ("[20]", ['params_json must be a JSON object like {"max_tokens": 256, "temperature": 0}, got list']),
    ],
)
def test_malformed_params_json(params_json: str, words: list[str], replay: Replay) -> None:
    message = refusal(params_json=params_json)

    assert all(word in message for word in words)
    assert not hub_calls(replay)


def test_unknown_parameter_lists_the_valid_ones(replay: Replay) -> None:
    message = refusal(params_json={"max_token": 20})

    assert message == "Unknown parameter 'max_token' for Chat. Valid parameters: " + ", ".join(TASKS["conversational"].defaults) + "."


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"temperature": 5}, "temperature must be between 0 and 2, got 5"),
        ({"temperature": -0.1}, "temperature must be between 0 and 2, got -0.1"),
        ({"top_p": 1.5}, "top_p must be between 0 and 1, got 1.5"),
        ({"max_tokens": 0}, "max_tokens must be between 1 and 32768, got 0"),
        ({"max_tokens": 100_000}, "max_tokens must be between 1 and 32768, got 100000"),
        ({"seed": -1.0}, "seed must be between 0 and"),
        ({"max_tokens": "many"}, "max_tokens must be an integer, got 'many'"),
        ({"max_tokens": 2.5}, "max_tokens must be an integer, got 2.5"),
        ({"temperature": True}, "temperature must be a number, got True"),
        ({"stream": "yes"}, "stream must be true or false, got 'yes'"),
    ],
)
def test_out_of_range_or_mistyped_value(params: dict[str, Any], message: str, replay: Replay) -> None:
    assert refusal(params_json=params).startswith(message)


@pytest.mark.parametrize(
    ("params_json", "message"),
    [
        ('{"max_tokens": NaN}', "max_tokens must be an integer, got nan"),
        ('{"max_tokens": Infinity}', "max_tokens must be an integer, got inf"),
        ('{"temperature": NaN}', "temperature must be a number, got nan"),
        ('{"top_p": -Infinity}', "top_p must be a number, got -inf"),
    ],
)
def test_json_nan_and_infinity_are_refused_not_crashed_on(params_json: str, message: str, replay: Replay) -> None:
    assert refusal(params_json=params_json) == message


def test_null_resets_a_parameter_and_whole_floats_are_integers(replay: Replay) -> None:
    serve_hub(replay)

    made = plan(params_json='{"temperature": null, "max_tokens": 64.0, "seed": 7}')

    assert made.params["temperature"] is None
    assert made.params["max_tokens"] == 64 and isinstance(made.params["max_tokens"], int)


@pytest.mark.parametrize("provider_keys", ['{"groq": "gsk_', "groq=gsk_1"])
def test_malformed_provider_keys(provider_keys: str, replay: Replay) -> None:
    message = refusal(provider_keys=provider_keys)

    assert message.startswith("provider_keys is not valid JSON") and 'expected an object like {"groq": "gsk_…"}' in message
    assert not hub_calls(replay)


def test_unknown_task_lists_the_valid_ones(replay: Replay) -> None:
    message = refusal(task="summarise")

    assert message.startswith("Unknown task 'summarise'. Valid tasks: ")
    assert all(task in message for task in TASKS)


@pytest.mark.parametrize("runs", [0, MAX_RUNS + 1, True, "3", 1.5])
def test_runs_out_of_range(runs: Any, replay: Replay) -> None:
    assert refusal(runs=runs) == f"runs must be a whole number from 1 to {MAX_RUNS}, got {runs!r}"


def test_no_key_at_all(replay: Replay) -> None:
    serve_hub(replay)
    visitor_on_a_space = Settings(space_id="owner/playground", server_token="hf_" + "o" * 34)

    message = refusal(visitor_on_a_space, api_key="")

    assert message.startswith("No key to call providers with: paste an HF token (hf_…) or a provider's own key")


def test_a_missing_input_file(replay: Replay, tmp_path: Any) -> None:
    assert refusal(input_file=str(tmp_path / "nowhere.png")).startswith("input_file must be a file uploaded with this request")
