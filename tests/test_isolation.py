"""Two people comparing at once with different keys: each upstream request carries only its own person's key."""

from __future__ import annotations

import asyncio
import hashlib

from playground import runner

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


def _sha(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def test_two_users_at_once_never_share_keys(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    sim.configure(time_scale=0.05)
    alice, bob = "hf_" + "a" * 34, "hf_" + "b" * 34
    bob_groq = "gsk_bob_direct_key_123456"
    providers = [p["provider"] for p in app.providers(MODEL, "conversational") if p["callable"] and p["provider"] not in ("sambanova", "groq")][:3]
    assert "groq" in [p["provider"] for p in app.providers(MODEL, "conversational")]
    plan_a = app.plan(task="chat", model=MODEL, providers=providers, prompt="alice asks", api_key=alice)
    plan_b = app.plan(task="chat", model=MODEL, providers=[*providers, "groq"], prompt="bob asks", api_key=bob, provider_keys={"groq": bob_groq})

    async def both():
        return await asyncio.gather(runner.run(plan_a), runner.run(plan_b))

    first, second = asyncio.run(both())
    assert all(r.ok for r in first.results + second.results), [r.error for r in first.results + second.results]
    assert next(r for r in second.results if r.provider == "groq").routing == "direct"
    calls = [r for r in sim.records() if r["route"] in ("routed", "direct", "openai")]
    assert len(calls) == len(providers) * 2 + 1
    seen = [r["key_sha256"] for r in calls]
    assert seen.count(_sha(alice)) == len(providers)
    assert seen.count(_sha(bob)) == len(providers)
    assert set(seen) == {_sha(alice), _sha(bob), _sha(bob_groq)}
    direct = [r for r in calls if r["route"] == "direct"]
    assert [r["key_sha256"] for r in direct] == [_sha(bob_groq)]
