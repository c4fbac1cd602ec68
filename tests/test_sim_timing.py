"""Latency profiles, records and load: the numbers benchmarks rely on."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from playground.sim import LatencyProfile, SimConfig, Simulator, catalog
from playground.sim.answers import compose, tokenize
from playground.sim.records import REQUEST_ID_HEADER
from playground.sim.timing import speed_for
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


def test_profile_sets_ttft_and_speed(sim: Simulator) -> None:
    sent, first, last, request_id = stream_chat(sim.base_url)
    # Lower bounds are exact (the schedule); upper bounds leave room for a busy machine.
    assert 0.25 <= first - sent < 0.45
    assert 0.25 + 29 / 100 <= last - sent < 0.25 + 29 / 100 + 0.2
    record = next(r for r in sim.records() if r["id"] == request_id)
    assert record["received_at"] <= record["first_text_at"] <= record["finished_at"]
    assert sent <= record["received_at"] and record["finished_at"] <= last  # one clock across client and server
    assert 0 <= record["lateness_s"] < 0.15


def test_time_scale_and_model_overrides(sim: Simulator) -> None:
    sim.configure(time_scale=0.5)
    sent, first, _, _ = stream_chat(sim.base_url)
    assert 0.125 <= first - sent < 0.3
    sim.configure(time_scale=1.0, profiles={f"groq:{LLAMA8}": {"ttft_s": 0.05}})
    sent, first, _, _ = stream_chat(sim.base_url, model="llama-3.1-8b-instant")
    assert 0.05 <= first - sent < 0.2
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
            return [r["first_text_at"] - r["lateness_s"] - r["received_at"] for r in sim.records()]

    first, second = schedule(), schedule()
    assert first == pytest.approx(second, abs=1e-9)
    assert len(set(first)) == 3


def test_a_default_demo_answer_takes_under_four_seconds() -> None:
    config = SimConfig()
    for found in catalog.MODELS:
        for provider, _, status, task, _ in found["providers"]:
            if task != "conversational":
                continue
            speed = speed_for(config, provider, found["id"])
            answer = compose("What is deep learning and why does it matter?", found["id"], found["family"], provider,
                             drift=0.1, temperature=None, seed=None)
            total = speed.ttft_s + len(tokenize(answer)) / speed.tokens_per_s
            assert total < 4.0, (found["id"], provider, total)
    fast = speed_for(config, "cerebras", LLAMA70)
    assert fast.ttft_s < 0.3 and fast.tokens_per_s > 300


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time a process used, and time it spent runnable but waiting for a CPU (other processes' load)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    waited = sum(int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[1])
                 for task in os.listdir(f"/proc/{pid}/task")) / 1e9
    return used, waited


async def _raw_stream(port: int, request: bytes) -> int:
    """One streamed chat over a bare socket (a light client, so the server is what gets measured)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    events = 0
    while data := await reader.read(65536):
        events += data.count(b"data: {")
    writer.close()
    return events


@pytest.mark.skipif(not os.path.exists("/proc/self/schedstat"), reason="reads CPU time from /proc")
def test_two_hundred_concurrent_streams_cost_the_server_little(tmp_path) -> None:
    """The server runs in its own process, as a benchmark would use it; its CPU time is what is judged,
    since wall-clock lateness also depends on whatever else this machine runs."""
    config = tmp_path / "load.json"
    config.write_text(json.dumps({"profiles": {"groq": {"ttft_s": 0.5, "tokens_per_s": 80, "jitter": 0.2}}}))
    with Simulator() as probe:
        port = int(probe.base_url.rsplit(":", 1)[1])
    server = subprocess.Popen([sys.executable, "-m", "playground.sim", "--port", str(port), "--config", str(config)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    body = json.dumps({"model": "llama-3.3-70b-versatile", "messages": QUESTION, "stream": True, "max_tokens": 80})
    request = (f"POST {CHAT} HTTP/1.1\r\nHost: sim\r\nAuthorization: Bearer hf_load\r\n"
               f"Content-Type: application/json\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n{body}")

    async def main() -> list[int]:
        return await asyncio.gather(*(_raw_stream(port, request.encode()) for _ in range(200)))

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/_sim/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
        used_before, waited_before = _cpu_seconds(server.pid)
        counts = asyncio.run(main())
        used, waited = _cpu_seconds(server.pid)
        cpu, starved = used - used_before, waited - waited_before
        records = httpx.get(f"http://127.0.0.1:{port}/_sim/record").json()["records"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert counts == [82] * 200  # 80 text chunks, the role chunk, the finish chunk
    late = sorted(r["lateness_s"] for r in records if r["path"] == CHAT)
    # About 0.8 s on this 2-core machine for 200 streams of 1.5 s: far from a whole core.
    assert cpu < 2.0
    # Lateness beyond the time the server sat waiting for a CPU busy with other processes is its own.
    assert len(late) == 200 and late[100] < 0.1 + starved, (late[100], starved)
