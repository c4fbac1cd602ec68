"""What every benchmark shares: the simulator in its own process, realistic provider speeds, percentiles, the machine.

Scripts run from the repo root as `python benchmarks/NAME.py`; this module puts the repo on `sys.path`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
PROMPT = "Write a detailed explanation of how transformers work in machine learning, with examples."
# Realistic speeds: time to first token 0.2–1 s, 50–300 tokens/s; the simulator's answers to PROMPT are ~180–200 tokens.
PROFILES: dict[str, dict[str, float]] = {
    "cerebras": {"ttft_s": 0.20, "tokens_per_s": 300.0, "jitter": 0.15},
    "groq": {"ttft_s": 0.25, "tokens_per_s": 250.0, "jitter": 0.15},
    "fireworks-ai": {"ttft_s": 0.40, "tokens_per_s": 150.0, "jitter": 0.15},
    "together": {"ttft_s": 0.50, "tokens_per_s": 100.0, "jitter": 0.15},
    "nscale": {"ttft_s": 0.75, "tokens_per_s": 70.0, "jitter": 0.15},
    "novita": {"ttft_s": 1.00, "tokens_per_s": 50.0, "jitter": 0.15},
}
PROVIDERS = tuple(PROFILES)
PARAMS = {"max_tokens": 250, "temperature": 0.7, "stream": True}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout_s: float = 60.0, process: subprocess.Popen[bytes] | None = None) -> float:
    """perf_counter() when `url` first answers 200."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process serving {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not answer within {timeout_s:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def python_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_DISABLE_TELEMETRY": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    env.update(extra)
    return env


@dataclass
class SimProcess:
    """`python -m playground.sim --port N` in its own process (its own GIL), driven through `/_sim/...`."""

    base_url: str
    process: subprocess.Popen[bytes]

    @property
    def router_url(self) -> str:
        return f"{self.base_url}/router"

    @property
    def direct_url(self) -> str:
        return f"{self.base_url}/direct"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method,
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def configure(self, **changes: Any) -> dict[str, Any]:
        return self._call("PUT", "/_sim/config", changes)

    def records(self) -> list[dict[str, Any]]:
        return self._call("GET", "/_sim/record")["records"]

    def clear_records(self) -> None:
        self._call("DELETE", "/_sim/record")


@contextlib.contextmanager
def sim_process(**config: Any) -> Iterator[SimProcess]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "playground.sim", "--port", str(port)], cwd=ROOT,
                               env=python_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sim = SimProcess(f"http://127.0.0.1:{port}", process)
        wait_http(f"{sim.base_url}/_sim/health", 30, process)
        if config:
            sim.configure(**config)
        yield sim
    finally:
        stop(process)


def realistic(sim: SimProcess) -> None:
    sim.configure(time_scale=1.0, profiles=PROFILES)


def point_sdk_at(hub_url: str, router_url: str, direct_url: str) -> Any:
    """The app's own redirection (`playground.sdk.urls.apply`), as `app.py` does it; returns a Playground."""
    from playground import catalog
    from playground.sdk import urls
    from playground.service import Playground
    from playground.settings import Settings

    settings = Settings(timeout_s=60.0).with_simulator(hub_url, router_url, direct_url)
    urls.apply(settings)
    catalog.clear_caches()
    return Playground(settings)


def user_key(tag: str, index: int) -> str:
    """Every simulated user gets a key of their own, so the simulator's records tell users apart."""
    return f"hf_bench{tag}user{index:04d}xxxxxxxxxxxxxxxx"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def first_texts(records: Sequence[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(key_sha256, provider) → the simulator's record of that streamed request."""
    return {(r["key_sha256"], r["provider"]): r for r in records
            if r.get("stream") and r.get("first_text_at") is not None and r.get("key_sha256")}


@dataclass(frozen=True)
class Spread:
    n: int
    p50: float
    p95: float
    max: float

    def us(self) -> str:
        return f"p50 {self.p50 * 1e6:7.0f} µs  p95 {self.p95 * 1e6:7.0f} µs  max {self.max * 1e6:7.0f} µs  (n={self.n})"

    def ms(self) -> str:
        return f"p50 {self.p50 * 1e3:7.1f} ms  p95 {self.p95 * 1e3:7.1f} ms  max {self.max * 1e3:7.1f} ms  (n={self.n})"


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, float("nan"), float("nan"), float("nan"))
    return Spread(len(values), statistics.median(values), quantile(values, 0.95), max(values))


def load() -> str:
    """The load average as this figure is taken: the machine is shared, and CPU-bound figures move with it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}"
