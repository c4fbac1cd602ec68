"""The fan-out's stream of updates: state changes at once, text growth throttled."""

from __future__ import annotations

import asyncio

from playground import runner
from playground.inputs import Inputs
from playground.model import Plan, Target
from playground.tasks import CHAT

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


def test_every_state_change_is_yielded_even_within_a_long_throttle(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    sim.configure(time_scale=0.5)  # answers stream for about a second: a loaded machine cannot skip "streaming"
    providers = [p["provider"] for p in app.providers(MODEL, "conversational") if p["callable"] and p["provider"] != "sambanova"][:3]
    plan = app.plan(task="chat", model=MODEL, providers=providers, prompt="hi", api_key="hf_" + "t" * 34)

    async def snapshots() -> list[dict[str, tuple[str, bool]]]:
        seen = []
        async for comparison in runner.stream(plan, throttle_s=3600):
            seen.append({r.provider: (r.state, bool(r.text)) for r in comparison.results})
        return seen

    seen = asyncio.run(snapshots())
    for provider in providers:
        states = [s[provider][0] for s in seen]
        assert "streaming" in states and states[-1] == "done"
        assert all(has_text for state, has_text in (s[provider] for s in seen) if state == "streaming")
    assert len(seen) <= 2 + 3 * len(providers)  # start, the state changes, the end: no text-only updates


def test_a_first_token_that_lands_while_the_consumer_is_busy_is_not_held_back(monkeypatch):
    arrived = asyncio.Event()

    async def one_call(target, plan, result, notify) -> None:
        result.state = "running"
        notify()
        await arrived.wait()
        result.state, result.text = "streaming", "Hello"
        notify()
        await asyncio.sleep(3600)

    monkeypatch.setattr(runner, "call", one_call)
    plan = Plan(task=CHAT, model="m", inputs=Inputs(prompt="hi"), params={}, targets=(Target("p", None, None),))

    async def updates() -> list[str]:
        stream = runner.stream(plan, throttle_s=3600)
        states = [(await anext(stream)).results[0].state, (await anext(stream)).results[0].state]
        arrived.set()  # the token arrives while this consumer is still busy with the last update
        await asyncio.sleep(0.01)
        states.append((await asyncio.wait_for(anext(stream), timeout=10)).results[0].state)
        await stream.aclose()
        return states

    assert asyncio.run(updates()) == ["waiting", "running", "streaming"]


def test_a_stopped_stream_saves_what_had_finished_before_the_stop_goes_on(sim_playground):
    """Stop is a cancellation of whoever consumes the stream: the service saves the finished call on that path."""
    app, sim = sim_playground.playground, sim_playground.sim
    model = "deepseek-ai/DeepSeek-V3"
    sim.configure(time_scale=1.0, profiles={f"together:{model}": {"ttft_s": 0.01, "tokens_per_s": 2000.0}, f"novita:{model}": {"ttft_s": 60.0}})
    plan = app.plan(task="chat", model=model, providers=["together", "novita"], prompt="stop me", api_key="hf_" + "t" * 34)

    async def consume(together_done: asyncio.Event) -> None:
        async for comparison in app.stream(plan, throttle_s=0.0):
            if comparison.results[0].state == "done":
                together_done.set()

    async def stop_after_together() -> None:
        together_done = asyncio.Event()
        consumer = asyncio.create_task(consume(together_done))
        await asyncio.wait_for(together_done.wait(), timeout=30)
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)

    asyncio.run(stop_after_together())
    saved = [row for row in app.history.list() if row["prompt"] == "stop me"]
    assert len(saved) == 1, saved  # saved before the cancelled task ended: nothing left running in the background
    results = {r.provider: r.state for r in app.history.load(saved[0]["id"]).results}
    assert results == {"together": "done", "novita": "cancelled"}
