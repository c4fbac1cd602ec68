"""The shared connection pool: reuse never mixes keys, stamps are never earlier than the bytes, TLS works."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpcore2
import pytest

from playground import connections, runner
from playground.sdk import internals

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


def _sha(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def test_reused_connections_carry_only_each_users_own_key(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    sim.configure(time_scale=0.02)
    providers = [p["provider"] for p in app.providers(MODEL, "conversational") if p["callable"] and p["provider"] != "sambanova"][:3]
    keys = ["hf_" + c * 34 for c in "abcd"]

    async def one_after_another() -> tuple[int, list[bool]]:
        oks = []
        for key in keys:
            comparison = await runner.run(app.plan(task="chat", model=MODEL, providers=providers, prompt="hi", api_key=key))
            oks += [r.ok for r in comparison.results]
        return len(internals.pool_of(connections.shared_transport().transport).connections), oks

    pooled, oks = asyncio.run(one_after_another())
    assert all(oks)
    assert pooled <= len(providers)  # the later users rode the first user's connections
    calls = [r for r in sim.records() if r["route"] in ("routed", "direct", "openai")]
    assert [r["key_sha256"] for r in calls] == [_sha(k) for k in keys for _ in providers]


def test_first_token_is_never_stamped_before_the_simulator_sent_it(sim_playground):
    app, sim = sim_playground.playground, sim_playground.sim
    sim.configure(time_scale=0.05)
    providers = [p["provider"] for p in app.providers(MODEL, "conversational") if p["callable"] and p["provider"] != "sambanova"][:3]
    key = "hf_" + "s" * 34
    comparison = asyncio.run(runner.run(app.plan(task="chat", model=MODEL, providers=providers, prompt="hi", api_key=key)))
    sent = {r["provider"]: r["first_text_at"] for r in sim.records() if r.get("first_text_at")}
    for result in comparison.results:
        assert result.ok, result.error
        assert result.sent_at < sent[result.provider] <= result.first_token_at
        assert result.ttft_s == pytest.approx(result.first_token_at - result.sent_at)
        assert 0 < result.ttft_s <= result.latency_s


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, ssl.SSLContext]]:
    """A one-shot HTTPS server on 127.0.0.1 with a fresh self-signed certificate, and a context that trusts it."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    body = b"data: one\n\ndata: two\n\n"

    def serve() -> None:
        raw, _ = listener.accept()
        with server_context.wrap_socket(raw, server_side=True) as conn:
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: "
                         + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], ssl.create_default_context(cafile=str(cert))
    listener.close()
    thread.join(timeout=5)


def test_tls_through_the_stamping_backend(tls_server):
    port, client_context = tls_server

    async def fetch() -> tuple[bytes, float | None]:
        async with httpcore2.AsyncConnectionPool(ssl_context=client_context, network_backend=connections._Backend()) as pool:
            response = await pool.request("GET", f"https://localhost:{port}/stream")
            return response.content, connections.arrival()

    content, arrived = asyncio.run(fetch())
    assert content == b"data: one\n\ndata: two\n\n"
    assert arrived is not None


def test_an_idle_connection_the_server_closed_reads_as_readable():
    listener = socket.create_server(("127.0.0.1", 0))

    async def check() -> tuple[bool, bool]:
        stream = await connections._Backend().connect_tcp("127.0.0.1", listener.getsockname()[1])
        peer, _ = await asyncio.get_running_loop().sock_accept(listener)
        before = stream.get_extra_info("is_readable")
        peer.close()
        for _ in range(100):
            if stream.get_extra_info("is_readable"):
                break
            await asyncio.sleep(0.01)
        after = stream.get_extra_info("is_readable")
        await stream.aclose()
        return before, after

    listener.setblocking(False)
    try:
        assert asyncio.run(check()) == (False, True)
    finally:
        listener.close()
