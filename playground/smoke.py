"""`python -m playground.smoke`: the simulator's own small set of calls, made to the live services and to a fresh
simulator, printing where the answers differ in shape (keys, types, status). It is how drift between the simulator
and the live services gets seen. Without a token or without network it says so and exits 0.

Costs a few output tokens and one image on the account of the token it finds (HF_TOKEN or `hf auth login`).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from . import settings
from .settings import LIVE_HUB_URL, LIVE_ROUTER_URL

MESSAGES = [{"role": "user", "content": "Say hello in one word."}]


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    path: str  # "{hub}/…" or "{router}/…"
    body: dict[str, Any] | None = None


PROBES = [
    Probe("hub listing", "GET", "{hub}/api/models?inference_provider=together&pipeline_tag=text-generation&limit=3"),
    Probe("hub mapping", "GET", "{hub}/api/models/meta-llama/Llama-3.3-70B-Instruct?expand[]=inferenceProviderMapping"),
    Probe("chat, OpenAI-style provider", "POST", "{router}/together/v1/chat/completions",
          {"model": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "messages": MESSAGES, "max_tokens": 8}),
    Probe("chat, TGI (hf-inference)", "POST", "{router}/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions",
          {"model": "tgi", "messages": MESSAGES, "max_tokens": 8}),
    Probe("chat, router OpenAI endpoint", "POST", "{router}/v1/chat/completions",
          {"model": "meta-llama/Llama-3.3-70B-Instruct", "messages": MESSAGES, "max_tokens": 8}),
    Probe("image, fal-ai", "POST", "{router}/fal-ai/fal-ai/flux/schnell", {"prompt": "a red fox in the snow"}),
    Probe("router /v1/models", "GET", "{router}/v1/models"),
]


def shape(value: Any) -> Any:
    """The structure of a JSON value: types at the leaves, dict keys kept, lists as their first item's shape."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


def differences(live: Any, sim: Any, path: str = "$") -> list[str]:
    """Where two shapes differ, as `path: live … / simulator …` lines (keys only one side has, changed types)."""
    if isinstance(live, dict) and isinstance(sim, dict):
        found = [f"{path}.{key}: only live" for key in live.keys() - sim.keys()]
        found += [f"{path}.{key}: only in the simulator" for key in sim.keys() - live.keys()]
        for key in sorted(live.keys() & sim.keys()):
            found += differences(live[key], sim[key], f"{path}.{key}")
        return sorted(found)
    if isinstance(live, list) and isinstance(sim, list):
        return differences(live[0], sim[0], f"{path}[0]") if live and sim else []
    if live != sim and "NoneType" not in (live, sim):
        return [f"{path}: live {live} / simulator {sim}"]
    return []


def call(client: httpx.Client, probe: Probe, hub: str, router: str, token: str) -> tuple[int, Any]:
    url = probe.path.format(hub=hub, router=router)
    response = client.request(probe.method, url, json=probe.body, headers={"Authorization": f"Bearer {token}"})
    try:
        return response.status_code, shape(response.json())
    except ValueError:
        return response.status_code, response.headers.get("content-type", "")


def compare(live: tuple[str, str], sim: tuple[str, str], token: str,
            say: Callable[[str], None] = print) -> int:
    """Make every probe on both sides; the number of probes whose answers differ."""
    differing = 0
    with httpx.Client(timeout=60) as client:
        for probe in PROBES:
            live_status, live_shape = call(client, probe, *live, token)
            sim_status, sim_shape = call(client, probe, *sim, token)
            found = differences(live_shape, sim_shape)
            if live_status != sim_status:
                found.insert(0, f"status: live {live_status} / simulator {sim_status}")
            differing += bool(found)
            say(f"{'differs' if found else 'same   '}  {probe.name}")
            for line in found[:20]:
                say(f"           {line}")
    return differing


def online(host: str = "huggingface.co", timeout_s: float = 3.0) -> bool:
    try:
        socket.create_connection((host, 443), timeout=timeout_s).close()
    except OSError:
        return False
    return True


def main() -> int:
    token = settings.load().server_token
    if not token:
        print("smoke: no Hugging Face token (HF_TOKEN or `hf auth login`): nothing checked against the live services.")
        return 0
    if not online():
        print("smoke: huggingface.co is not reachable from here: nothing checked against the live services.")
        return 0
    from .sim.config import SimConfig
    from .sim.server import Simulator

    with Simulator(SimConfig(time_scale=0.0)) as sim:
        differing = compare((LIVE_HUB_URL, LIVE_ROUTER_URL), (sim.hub_url, sim.router_url), token)
    print(f"smoke: {differing} of {len(PROBES)} calls differ in shape from the simulator's answers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
