"""Conversations end to end on the simulator: per-provider threads, one shared history, retry, edit and clear, and
`conversation_json`'s checks."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from playground import messages, runner
from playground.conversation import Conversation
from playground.planning import InvalidRequest

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
PROVIDERS = ["groq", "together", "cerebras"]
KEY = "hf_" + "c" * 30
PROMPTS = ["What is a black hole?", "How big can one get?", "Could one swallow the Earth?"]


def turn(app, prompt, history=None, providers=PROVIDERS, **extra):
    plan = app.plan(task="conversational", model=MODEL, providers=providers, prompt=prompt, api_key=KEY,
                    params_json={"temperature": 1.0, "seed": 7, "max_tokens": 400}, conversation_json=history, **extra)
    return asyncio.run(runner.run(plan))


def chat_records(sim):
    return {r["provider"]: r for r in sim.records() if r.get("messages")}


def test_three_turns_per_provider_each_provider_gets_its_own_earlier_answers(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    conversation = Conversation()
    for number, prompt in enumerate(PROMPTS, start=1):
        sim.clear_records()
        comparison = turn(app, prompt, conversation.history(PROVIDERS))
        conversation = conversation.continued(prompt, comparison)
        sent = chat_records(sim)
        assert set(sent) == set(PROVIDERS)
        for result in comparison.results:
            assert result.ok, (result.provider, result.error)
            got = sent[result.provider]["messages"]
            assert [m["role"] for m in got] == ["user", "assistant"] * (number - 1) + ["user"]
            assert got[-1]["content"] == prompt
            earlier = conversation.turns[:-1]
            # its own answers, turn by turn, and nobody else's
            assert [m["content"] for m in got[1::2]] == [t.comparison.threads[result.provider][-1]["content"] for t in earlier]
            if number > 1:
                assert f"Turn {number} of our conversation" in result.text
    first = {r.provider: r.text for r in conversation.turns[0].comparison.results}
    assert len(set(first.values())) == len(PROVIDERS), "the providers' first answers must differ for this test to prove anything"
    assert conversation.thread("groq")[1]["content"] == first["groq"] != first["together"]
    assert len(conversation.thread("together")) == 6


def test_shared_history_sends_the_lead_providers_answers_to_everyone(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    conversation = Conversation().continued(PROMPTS[0], turn(app, PROMPTS[0]))
    lead_answer = conversation.thread("together")[1]["content"]
    sim.clear_records()
    comparison = turn(app, PROMPTS[1], conversation.history(PROVIDERS, "shared", "together"))
    for provider, record in chat_records(sim).items():
        assert [m["content"] for m in record["messages"]] == [PROMPTS[0], lead_answer, PROMPTS[1]], provider
    assert all(r.ok for r in comparison.results)
    assert conversation.describe("shared", "together").count("together") == 1


def test_shared_history_falls_back_to_the_first_provider_that_answered(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    sim.configure(faults=[{"provider": "groq", "status": 500}])
    conversation = Conversation().continued(PROMPTS[0], turn(app, PROMPTS[0]))
    assert not conversation.answered("groq") and conversation.shared_source("groq") == "together"
    assert conversation.thread("groq") == []  # a failed turn is left out of its thread
    assert "groq did not answer" in conversation.describe("shared", "groq")


def test_retry_edit_and_clear(sim_playground):
    app = sim_playground.playground
    conversation = Conversation()
    for prompt in PROMPTS[:2]:
        conversation = conversation.continued(prompt, turn(app, prompt, conversation.history(PROVIDERS)))
    before, last = conversation.without_last()
    assert last is not None and last.prompt == PROMPTS[1] and len(before.turns) == 1
    retried = before.continued(last.prompt, turn(app, last.prompt, before.history(PROVIDERS)))  # retry: same message, same history
    assert [len(retried.thread(p)) for p in PROVIDERS] == [4, 4, 4]
    assert retried.thread("groq")[:2] == conversation.thread("groq")[:2]
    edited = before.continued("Could one swallow the Sun?", turn(app, "Could one swallow the Sun?", before.history(PROVIDERS)))
    assert edited.thread("cerebras")[2]["content"] == "Could one swallow the Sun?"
    cleared = Conversation()
    assert cleared.history(PROVIDERS) is None and cleared.without_last() == (cleared, None)


def test_results_carry_threads_to_continue_with_and_history_keeps_them(sim_playground):
    app = sim_playground.playground
    from playground.model import CompareRequest

    request = CompareRequest(task="conversational", model=MODEL, providers=PROVIDERS, prompt=PROMPTS[0], api_key=KEY)
    first = asyncio.run(app.compare(request))
    threads = first["threads"]
    assert set(threads) == set(PROVIDERS) and all(len(t) == 2 for t in threads.values())
    second = asyncio.run(app.compare(CompareRequest(task="conversational", model=MODEL, providers=PROVIDERS, prompt=PROMPTS[1],
                                                    api_key=KEY, conversation_json=json.dumps(threads))))
    assert all(r["ok"] for r in second["results"]) and all(len(t) == 4 for t in second["threads"].values())
    saved = app.history.load(second["id"])
    assert saved.threads == second["threads"]


def png() -> str:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 200)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_history_does_not_keep_images():
    thread = [{"role": "user", "content": [{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": {"url": png()}}]}]
    (kept,) = messages.without_images(thread)
    assert kept["content"][0]["text"] == "hi" and "image not kept in history: image/png" in kept["content"][1]["text"]


GOOD = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]


@pytest.mark.parametrize(("given", "words"), [
    ("[{", "not valid JSON"),
    ('"hi"', "must be a list of messages"),
    ([{"role": "system", "content": "Be brief"}], "give the system prompt as `system`"),
    ([{"role": "tool", "content": "x"}], "role must be 'user' or 'assistant', got 'tool'"),
    ([{"role": "assistant", "content": "x"}], "[0] should be a user message"),
    ([GOOD[0], GOOD[0]], "[1] should be a assistant message"),
    ([GOOD[0]], "must end with an assistant answer"),
    ([GOOD[0], {"role": "assistant", "content": ""}], "[1].content must be the answer's text"),
    ([{"role": "user", "content": 5}, GOOD[1]], "[0].content must be text, or a list"),
    ([{"role": "user", "content": "hi", "name": "x"}, GOOD[1]], "fields the playground does not send: name"),
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]}, GOOD[1]], "base64 data URI"),
    ([{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,!!"}}]}, GOOD[1]], "does not decode"),
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": png()}}]}, GOOD[1]], "has no text part"),
    ([{"role": "user", "content": [{"type": "audio"}]}, GOOD[1]], "content[0] must be"),
    (GOOD * 51, "a thread takes at most 100"),
    ([{"role": "user", "content": "x" * 200_001}, GOOD[1]], "a thread takes at most 200,000"),
    ({"groq": GOOD}, "no thread for together, cerebras"),
    ({p: GOOD for p in [*PROVIDERS, "novita"]}, "threads for novita, not in this comparison"),
    ({**{p: [] for p in PROVIDERS}, "groq": "x"}, "conversation_json['groq'] must be a list"),
    ("x" * 8_000_001, "at most 8,000,000"),
])
def test_conversation_json_errors_name_what_is_wrong(given, words):
    with pytest.raises(messages.BadConversation) as error:
        messages.parse(given, PROVIDERS)
    assert words in str(error.value)


def test_conversation_json_takes_both_forms():
    image = {"role": "user", "content": [{"type": "text", "text": "What is it?"}, {"type": "image_url", "image_url": {"url": png()}}]}
    shared = messages.parse(json.dumps([image, GOOD[1]]), PROVIDERS)
    assert set(shared) == set(PROVIDERS) and shared["groq"][0]["content"][1]["image_url"]["url"] == png()
    own = messages.parse({"groq": GOOD, "together": [], "cerebras": GOOD}, PROVIDERS)
    assert own["together"] == () and own["groq"][1]["content"] == "Hello!"
    assert messages.parse("", PROVIDERS) == {} and messages.parse("[]", PROVIDERS) == {}


def test_conversation_json_is_for_chat_only(sim_playground):
    with pytest.raises(InvalidRequest, match="conversation_json is for chat only"):
        sim_playground.playground.plan(task="text-to-image", model="black-forest-labs/FLUX.1-dev", providers=["fal-ai"],
                                       prompt="a cat", api_key=KEY, conversation_json=json.dumps(GOOD))


def test_a_saved_turn_reopens_as_a_conversation_to_go_on_with(sim_playground):
    app = sim_playground.playground
    conversation = Conversation()
    for prompt in PROMPTS[:2]:
        comparison = turn(app, prompt, conversation.history(PROVIDERS))
        conversation = conversation.continued(prompt, comparison)
        app.history.save(comparison)
    from playground.model import Comparison

    saved = app.history.load(comparison.id)
    reopened = Conversation.reopened(saved)
    assert reopened is not None and reopened.model == MODEL and "2 turns" in reopened.describe("own", None)
    assert reopened.history(PROVIDERS) == {p: conversation.thread(p) for p in PROVIDERS}
    assert Conversation.reopened(Comparison(task="text-to-image", model="m", params={})) is None
    assert reopened.reopened_only and reopened.without_last() == (reopened, None)  # what came before is in its threads only
    going_on = reopened.continued(PROMPTS[2], turn(app, PROMPTS[2], reopened.history(PROVIDERS)))
    assert "3 turns" in going_on.describe("own", None) and going_on.without_last()[0] == reopened
