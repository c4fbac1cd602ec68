"""Each phase of a call's `timings` against a simulator with injected connect, first-byte and first-token delays.

The delays are lower bounds the measured phases must respect; the simulator's own records (the kernel's arrival
stamp of the request's last bytes, the moment it wrote the first text) bound them from the other side. Nothing here
reads a wall-clock window.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from playground import runner, sockets, workers

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
CONNECT_S, HEADERS_S, TTFT_S = 0.2, 0.15, 0.3


def test_phases_are_contiguous_and_start_at_the_send() -> None:
    t = runner.timings(called_at=10.0, sent_at=10.5, connect_s=0.25, response_at=10.7, first_at=11.0, done_at=12.5)
    assert t == pytest.approx({"queued_s": 0.25, "connect_s": 0.25, "ttfb_s": 0.2, "ttft_s": 0.5, "latency_s": 2.0})
    one_shot = runner.timings(called_at=1.0, sent_at=1.5, connect_s=None, response_at=None, first_at=None, done_at=4.0)
    assert one_shot == {"queued_s": 0.5, "connect_s": None, "ttfb_s": None, "ttft_s": None, "latency_s": 2.5}


def test_each_phase_against_injected_delays(sim_playground, monkeypatch):
    app, sim = sim_playground.playground, sim_playground.sim
    provider = next(p["provider"] for p in app.providers(MODEL, "conversational") if p["callable"] and p["provider"] != "sambanova")
    sim.configure(time_scale=1.0, profiles={provider: {"ttft_s": TTFT_S, "headers_s": HEADERS_S, "jitter": 0.0,
                                                       "tokens_per_s": 2000.0}})
    connected: list[float] = []
    real_connect = sockets.connect

    async def slow_connect(*args: Any) -> Any:
        await asyncio.sleep(CONNECT_S)
        sock = await real_connect(*args)
        connected.append(time.perf_counter())
        return sock

    monkeypatch.setattr(sockets, "connect", slow_connect)

    async def twice() -> list[Any]:
        plans = [app.plan(task="chat", model=MODEL, providers=[provider], prompt="hi", api_key="hf_" + c * 34) for c in "tu"]
        return [(await runner.run(plan)).results[0] for plan in plans]

    sim.clear_records()
    first, again = asyncio.run(twice())
    records = [r for r in sim.records() if r["route"] in ("routed", "direct", "openai")]
    assert len(connected) == 1 and len(records) == 2
    for result, record in zip((first, again), records):
        assert result.ok, result.error
        t = result.timings
        assert result.sent_at <= record["arrived_at"] <= record["first_text_at"] <= result.first_token_at
        assert t["ttfb_s"] >= HEADERS_S
        assert t["ttft_s"] >= TTFT_S
        assert t["ttft_s"] >= record["first_text_at"] - record["arrived_at"]
        assert t["ttfb_s"] <= t["ttft_s"] <= t["latency_s"]
        assert t["ttft_s"] == pytest.approx(result.ttft_s) and t["latency_s"] == pytest.approx(result.latency_s)
        assert t["queued_s"] + t["connect_s"] == pytest.approx(result.sent_at - result.called_at)
    assert first.timings["connect_s"] >= CONNECT_S
    assert first.sent_at >= connected[0]  # connecting is never inside TTFB or TTFT
    assert again.timings["connect_s"] == 0.0  # the connection was reused
    assert "timings" in first.to_json() and "called_at" not in first.to_json()


def test_one_shot_work_is_not_held_to_a_few_threads() -> None:
    width = 48  # more than asyncio.to_thread's default pool (cores + 4, at most 32)
    together = threading.Barrier(width, timeout=30)

    async def all_at_once() -> list[int]:
        return await asyncio.gather(*(workers.in_thread(together.wait) for _ in range(width)))

    assert sorted(asyncio.run(all_at_once())) == list(range(width))  # a smaller pool breaks the barrier
