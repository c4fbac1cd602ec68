"""Latency profiles, records and load: the numbers benchmarks rely on."""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterator

import httpx
import pytest

from playground.sim import served
from playground.sim.answers import compose, tokenize
from playground.sim.config import LatencyProfile, SimConfig
from playground.sim.records import REQUEST_ID_HEADER
from playground.sim.server import Simulator
from playground.sim.timing import speed_for, token_times
from tests.test_sim import LLAMA8, LLAMA70, QUESTION

CHAT = "/router/groq/openai/v1/chat/completions"
STEADY = LatencyProfile(ttft_s=0.25, tokens_per_s=100.0, jitter=0.0)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimConfig(time_scale=1.0, profiles={"groq": STEADY})) as running:
        yield running


def stream_chat(base_url: str, key: str = "hf_timing", model: str = "llama-3.3-70b-versatile", path: str = CHAT,
                max_tokens: int = 30) -> tuple[float, float, float, str]:
    """(sent, first text, last byte) client-side perf_counter readings, and the request id."""
    body = {"model": model, "messages": QUESTION, "stream": True, "max_tokens": max_tokens}
    first = None
    with httpx.Client(timeout=30) as client:
        sent = time.perf_counter()
        with client.stream("POST", base_url + path, json=body, headers={"Authorization": f"Bearer {key}"}) as reply:
            for line in reply.iter_lines():
                if first is None and line.startswith("data: {") and json.loads(line[6:])["choices"] and \
                        json.loads(line[6:])["choices"][0]["delta"].get("content"):
                    first = time.perf_counter()
            return sent, first or 0.0, time.perf_counter(), reply.headers[REQUEST_ID_HEADER]


def test_the_schedule_is_the_profile() -> None:
    """What the simulator plans is exact: the first token after ttft_s, then one token every 1/tokens_per_s."""
    speed = speed_for(SimConfig(time_scale=1.0, profiles={"groq": STEADY}), "groq", LLAMA70)
    times = token_times(speed, 30, random.Random(0))
    assert times[0] == pytest.approx(0.25) and times[-1] == pytest.approx(0.25 + 29 / 100)
    half = speed_for(SimConfig(time_scale=0.5, profiles={"groq": STEADY}), "groq", LLAMA70)
    assert token_times(half, 30, random.Random(0)) == pytest.approx([t / 2 for t in times])


def test_no_text_leaves_before_its_time(sim: Simulator) -> None:
    """Causality, which no machine load can break: a client never sees text earlier than the schedule allows.
    How late the server is under load is a benchmark's question (benchmarks/sim_load.py), not a unit test's."""
    sent, first, last, request_id = stream_chat(sim.base_url)
    assert first - sent >= 0.25 and last - sent >= 0.25 + 29 / 100
    record = next(r for r in sim.records() if r["id"] == request_id)
    assert record["received_at"] <= record["first_text_at"] <= record["finished_at"]
    assert sent <= record["received_at"] and record["finished_at"] <= last  # one clock across client and server
    origin = record["arrived_at"]  # the kernel's stamp of the request's last bytes: the schedule counts from it
    assert sent <= origin <= record["first_text_at"]
    assert record["first_text_at"] - origin >= 0.25 and record["lateness_s"] >= 0


def test_time_scale_and_model_overrides(sim: Simulator) -> None:
    sim.configure(time_scale=0.5)
    assert speed_for(sim.config, "groq", LLAMA70).scaled(1.0) == 0.5
    sim.configure(time_scale=1.0, profiles={f"groq:{LLAMA8}": {"ttft_s": 0.05}})
    assert speed_for(sim.config, "groq", LLAMA8).ttft_s == 0.05
    assert speed_for(sim.config, "groq", LLAMA70).ttft_s == STEADY.ttft_s
    sent, first, _, _ = stream_chat(sim.base_url, model="llama-3.1-8b-instant")
    assert first - sent >= 0.05
    assert sim.config.profiles["groq"] == STEADY  # untouched by the partial update


def test_records_hash_the_key_and_never_keep_it(sim: Simulator) -> None:
    sim.configure(time_scale=0.0)
    key = "hf_secret_never_stored_1234"
    stream_chat(sim.base_url, key=key)
    httpx.post(sim.direct_url + "/api.groq.com/openai/v1/chat/completions", headers={"Authorization": "Bearer gsk_x"},
               json={"model": "llama-3.3-70b-versatile", "messages": QUESTION})
    routed, direct = sim.records()[-2:]
    assert routed["key_sha256"] == hashlib.sha256(key.encode()).hexdigest()
    assert direct["key_sha256"] == hashlib.sha256(b"gsk_x").hexdigest()
    assert key not in json.dumps(sim.records())
    assert set(routed) >= {"id", "method", "path", "provider", "route", "model", "stream", "key_sha256", "received_at",
                           "first_text_at", "finished_at", "status", "lateness_s"}
    assert (routed["route"], direct["route"], routed["status"], routed["model"]) == ("routed", "direct", 200, LLAMA70)


def test_repeats_vary_but_replay_identically_from_the_seed() -> None:
    def schedule() -> list[float]:
        config = SimConfig(time_scale=0.05, seed=11, profiles={"groq": {"ttft_s": 1.0, "jitter": 0.4}})
        with Simulator(config) as sim:
            for _ in range(3):
                stream_chat(sim.base_url, max_tokens=3)
            # the schedule counts from the request's arrival: the kernel's stamp of its last bytes
            return [r["first_text_at"] - r["lateness_s"] - (r["arrived_at"] or r["received_at"]) for r in sim.records()]

    first, second = schedule(), schedule()
    assert first == pytest.approx(second, abs=1e-9)
    assert len(set(first)) == 3


def test_a_default_demo_answer_takes_under_four_seconds() -> None:
    config = SimConfig()
    for found in served.MODELS:
        for provider, _, _status, task, _ in found["providers"]:
            if task != "conversational":
                continue
            speed = speed_for(config, provider, found["id"])
            answer = compose("What is deep learning and why does it matter?", found["id"], found["family"], provider,
                             drift=0.1, temperature=None, seed=None)
            total = speed.ttft_s + len(tokenize(answer)) / speed.tokens_per_s
            assert total < 4.0, (found["id"], provider, total)
    fast = speed_for(config, "cerebras", LLAMA70)
    assert fast.ttft_s < 0.3 and fast.tokens_per_s > 300
