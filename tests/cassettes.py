"""Replay recorded traffic (VCR cassettes kept in tests/recordings/) to huggingface_hub through httpx2.MockTransport.

Requests are matched on method + URL (path and query), never on the body: the SDK now serialises `model` first while
the recordings have `messages` first. Every request seen is kept, so tests can assert on URLs, headers and bodies.
Anything the replay cannot answer fails loudly with its URL instead of reaching the network.

Event streams are served as the recorded SSE text, one event at a time. A fake clock (`Replay.clock`) moves by
`Replay.step` seconds before each event of a stream, and by `Replay.response_step` when any response is handed over:
a test that gives the runner this clock knows exactly when every chunk arrived, so TTFT, latency and output speed can be
checked against the recording to the digit (and, with a response_step, a Hub lookup that slipped inside the timed
window would show as a step too many).
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import huggingface_hub
import yaml
from huggingface_hub import constants
from huggingface_hub.inference._providers import PROVIDERS

from playground import catalog
from playground.sdk import internals, urls
from playground.settings import LIVE_HUB_URL, LIVE_ROUTER_URL, Settings

CASSETTES = Path(__file__).resolve().parent / "recordings"
ROUTER_CHAT_URL = f"{LIVE_ROUTER_URL}/v1/chat/completions"
# Recorded headers that describe the recorded transfer, not the body we serve (stored decoded, in one piece).
_TRANSFER_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection"}
# What huggingface_hub 2.4.0 expects from /api/agent-harnesses (`_detect_agent.Registry`). A bare `[]` is NOT harmless:
# `detect_agent()` calls `.get` on it, so every later request that builds headers raises AttributeError.
EMPTY_AGENT_REGISTRY: dict[str, Any] = {"standardEnvVars": [], "harnesses": {}}

Handler = Callable[[httpx2.Request], httpx2.Response]


def _default_hooks() -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The event hooks the SDK's own factories install (the async response hook reads error bodies)."""
    return internals.default_event_hooks()


SYNC_HOOKS, ASYNC_HOOKS = _default_hooks()


class UnexpectedRequest(AssertionError):
    pass


class Clock:
    """A stand-in for the `time` module whose perf_counter moves only when the replay delivers a piece of a stream."""

    time = staticmethod(time.time)

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


def sse_pieces(text: str) -> list[str]:
    """The recorded SSE text cut before each `data:` line: one piece per event, blank lines kept (they join back exactly)."""
    return [piece for piece in re.split(r"(?<=\n)(?=data:)", text) if piece]


def sse_payloads(text: str) -> list[Any]:
    """The JSON of each `data:` line up to `[DONE]`, as a client reads them."""
    payloads = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("data:"):
            continue
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            break
        payloads.append(json.loads(data))
    return payloads


@dataclass(frozen=True)
class Recorded:
    method: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def is_stream(self) -> bool:
        return "text/event-stream" in self.headers.get("Content-Type", self.headers.get("content-type", ""))

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Seen:
    method: str
    url: str
    headers: httpx2.Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@cache
def load(name: str | Path) -> tuple[Recorded, ...]:
    """The interactions of one cassette, bodies as served (text recordings encoded back to UTF-8)."""
    path = Path(name) if Path(name).is_absolute() else CASSETTES / name
    if not path.is_file():
        raise FileNotFoundError(f"No cassette {path}: see tests/recordings/README.md for how to add one")
    recorded = []
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        request, response = interaction["request"], interaction["response"]
        body = response["body"].get("string") or b""
        headers = {k: v[0] if isinstance(v, list) else v for k, v in (response.get("headers") or {}).items()}
        recorded.append(
            Recorded(
                method=request["method"].upper(),
                url=request["uri"],
                status=int(response["status"]["code"]),
                headers={k: str(v) for k, v in headers.items() if k.lower() not in _TRANSFER_HEADERS},
                body=body.encode() if isinstance(body, str) else bytes(body),
            )
        )
    return tuple(recorded)


def cassette_name(test: str, provider: str, task: str = "conversational") -> str:
    return f"TestInferenceClient.{test}[{provider},{task}].yaml"


def recorded_model(recorded: Recorded) -> str:
    """The Hub model id of a recorded `GET /api/models/{id}` (with or without `?expand=`)."""
    return urlsplit(recorded.url).path.split("/api/models/", 1)[1]


def _key(method: str, url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return method.upper(), f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def _builtin(request: httpx2.Request) -> httpx2.Response | None:
    """Calls the app or the SDK make on the side, for which nothing was recorded: harmless answers."""
    url = str(request.url).split("?")[0]
    if request.method == "GET" and url == f"{LIVE_HUB_URL}/api/agent-harnesses":
        return httpx2.Response(200, json=EMPTY_AGENT_REGISTRY)
    if request.method == "GET" and url == f"{LIVE_ROUTER_URL}/v1/models":
        return httpx2.Response(404, json={"error": "not recorded"})
    return None


@dataclass
class Replay:
    """Serves recorded (and injected) responses; records every request it sees."""

    step: float = 0.01  # seconds the clock moves before each piece of a stream
    response_step: float = 0.0  # seconds the clock moves when any response is handed over
    clock: Clock = field(default_factory=Clock)
    unmatched: list[str] = field(default_factory=list)
    routes: dict[tuple[str, str], list[Handler]] = field(default_factory=dict)
    served: dict[tuple[str, str], int] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def play(self, cassette: str | Path, *, only: Callable[[Recorded], bool] = lambda r: True) -> list[Recorded]:
        """Answer each recorded request with its recorded response (a request recorded several times gets them in order)."""
        recorded = [r for r in load(cassette) if only(r)]
        for item in recorded:
            self.serve(item.method, item.url, self.answer(item))
        return recorded

    def serve(self, method: str, url: str, answer: Handler) -> None:
        """Answer `method url` with `answer(request)`; several answers are served in turn, the last one repeats."""
        self.routes.setdefault(_key(method, url), []).append(answer)

    def alias(self, url: str, recorded: Recorded) -> None:
        """Answer `url` with a response recorded elsewhere (the router forwarding to a provider, a provider's own host)."""
        self.serve(recorded.method, url, self.answer(recorded))

    def answer(self, recorded: Recorded) -> Handler:
        def respond(request: httpx2.Request) -> httpx2.Response:
            if recorded.is_stream and recorded.status < 400:
                return httpx2.Response(recorded.status, headers=recorded.headers, content=self._deliver(recorded.text))
            return httpx2.Response(recorded.status, headers=recorded.headers, content=recorded.body)

        return respond

    async def _deliver(self, text: str) -> AsyncIterator[bytes]:
        for piece in sse_pieces(text):
            self.clock.now += self.step
            yield piece.encode()

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(Seen(request.method, str(request.url), request.headers.copy(), request.read()))
        key = _key(request.method, str(request.url))
        if handlers := self.routes.get(key):
            index = self.served.get(key, 0)
            self.served[key] = index + 1
            response = handlers[min(index, len(handlers) - 1)](request)
        elif (builtin := _builtin(request)) is None:
            # Raised here, and again when the replay ends: the app may turn it into an error row or swallow it.
            self.unmatched.append(f"{request.method} {request.url}")
            known = "\n  ".join(f"{m} {u}" for m, u in self.routes) or "(nothing)"
            raise UnexpectedRequest(f"No recording for {request.method} {request.url}\nRecorded:\n  {known}")
        else:
            response = builtin
        self.clock.now += self.response_step
        return response

    def to(self, url: str, method: str = "POST") -> list[Seen]:
        """Requests seen for this URL (its query ignored unless given)."""
        return [s for s in self.requests if s.method == method and url in (s.url, s.url.split("?")[0])]

    def sync_client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self.handle), event_hooks=SYNC_HOOKS, follow_redirects=True, timeout=None)

    def async_client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            transport=httpx2.MockTransport(self.handle), event_hooks=ASYNC_HOOKS, follow_redirects=True, timeout=None
        )


@dataclass(frozen=True)
class ChatRecording:
    """One recorded chat call (`test_chat_completion_{with_stream,no_stream}[provider]`) and what it says the answer was."""

    provider: str
    stream: bool
    model: str
    call: Recorded  # the provider call, as the router forwarded it
    hub: tuple[Recorded, ...]  # the Hub lookups the app makes first: provider mapping, hf-inference's task check

    @classmethod
    def find(cls, provider: str, stream: bool) -> ChatRecording:
        recorded = load(cassette_name("test_chat_completion_with_stream" if stream else "test_chat_completion_no_stream", provider))
        (call,) = [r for r in recorded if r.method == "POST"]
        hub = [r for r in recorded if r.method == "GET"]
        model = recorded_model(hub[0])
        if not any("expand=inferenceProviderMapping" in r.url for r in hub):
            hub.append(mapping_recording(model, provider))  # hf-inference cassettes hold only the plain task check
        return cls(provider, stream, model, call, tuple(hub))

    @property
    def router_only(self) -> bool:
        """Gone from the installed SDK: the app reaches it through the router's OpenAI-compatible endpoint."""
        return self.provider not in PROVIDERS

    @property
    def routed_url(self) -> str:
        return ROUTER_CHAT_URL if self.router_only else self.call.url

    def install(self, replay: Replay, url: str | None = None) -> None:
        """Serve the Hub lookups, and the recorded answer at `url` (default: where a routed call goes)."""
        for item in self.hub:
            replay.serve(item.method, item.url, replay.answer(item))
        replay.alias(url or self.routed_url, self.call)

    @property
    def chunks(self) -> list[Any]:
        return sse_payloads(self.call.text) if self.stream else []

    @property
    def text(self) -> str:
        if not self.stream:
            return self.call.json()["choices"][0]["message"]["content"]
        return "".join(d for c in self.chunks for d in _deltas(c))

    @property
    def usage_tokens(self) -> int | None:
        """completion_tokens of the last usage the provider sent, or None when it sent none."""
        usages = [c["usage"] for c in self.chunks if c.get("usage")] if self.stream else [self.call.json().get("usage")]
        return usages[-1]["completion_tokens"] if usages and usages[-1] else None

    @property
    def content_chunks(self) -> int:
        return sum(1 for c in self.chunks for _ in _deltas(c))

    def arrival(self, replay: Replay) -> tuple[float, float, float]:
        """How long after the request was sent (on the replay clock) the first and the last text chunk, and the end, arrive:
        the response is handed over after `response_step`, piece k of the stream `k × step` later."""
        pieces = sse_pieces(self.call.text)
        with_text = [i + 1 for i, piece in enumerate(pieces) if any(_deltas(p) for p in sse_payloads(piece))]
        end = next((i + 1 for i, piece in enumerate(pieces) if "[DONE]" in piece), len(pieces))
        return tuple(replay.response_step + k * replay.step for k in (with_text[0], with_text[-1], end))  # type: ignore[return-value]


def _deltas(chunk: dict[str, Any]) -> list[str]:
    return [c["delta"]["content"] for c in chunk.get("choices", []) if (c.get("delta") or {}).get("content")]


def mapping_recording(model: str, provider: str) -> Recorded:
    """A recorded `GET /api/models/{model}?expand=inferenceProviderMapping` that lists `provider`, from any cassette."""
    wanted = f"/api/models/{model}?expand=inferenceProviderMapping"
    for path in sorted(CASSETTES.glob("*.yaml")):
        if wanted not in path.read_text():  # cheap before parsing YAML
            continue
        for item in load(path):
            if (
                item.method == "GET"
                and item.url.endswith(wanted)
                and provider in item.json().get("inferenceProviderMapping", {})
            ):
                return item
    raise LookupError(f"no recorded provider mapping of {model} lists {provider}")


def _reset_sdk_state() -> None:
    internals.clear_caches()
    catalog.clear_caches()
    internals.close_session()


@contextmanager
def replaying(settings: Settings | None = None) -> Iterator[Replay]:
    """Install a Replay as huggingface_hub's sync and async HTTP clients, on the live URLs; restore everything after.

    The SDK caches the agent registry it fetches in HF_HOME for a day: during a replay that file goes to a temporary
    folder, so a test never writes the person's cache.
    """
    replay = Replay()
    original_sync, original_async = internals.client_factories()
    original_registry_path = constants.AGENT_HARNESSES_PATH
    urls.apply(settings or Settings())
    _reset_sdk_state()
    huggingface_hub.set_client_factory(replay.sync_client)
    huggingface_hub.set_async_client_factory(replay.async_client)
    with tempfile.TemporaryDirectory() as scratch:
        constants.AGENT_HARNESSES_PATH = str(Path(scratch) / ".agent_harnesses.json")
        try:
            yield replay
            if replay.unmatched:
                raise UnexpectedRequest("Requests with no recording: " + ", ".join(replay.unmatched))
        finally:
            constants.AGENT_HARNESSES_PATH = original_registry_path
            huggingface_hub.set_client_factory(original_sync)
            huggingface_hub.set_async_client_factory(original_async)
            _reset_sdk_state()
