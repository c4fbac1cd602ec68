"""Routed calls (`/router/{provider}/...`, HF token) and direct calls (`/direct/{host}/...`, provider key).

The route is the same in both modes, as in the SDK. `protocols.ENDPOINTS` says which handler answers a
path and where the path or body names the provider-side model, which the catalog maps to a Hub model.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from . import faults, limits, protocols, served
from .answers import stable_hash
from .chat import ChatRequest, plan_chat
from .error_bodies import error_plan, provider_auth, router_auth, style_of
from .generation import Builder
from .handlers import respond
from .inputs import multipart_parts
from .providers import direct_hosts
from .records import credential
from .responses import Plan, PlannedResponse
from .sandbox_urls import FAL_QUEUE_HOST, LIVE_URL_HEADER
from .state import Call, request_record, sim_state
from .timing import first_token_at, speed_for


def inference_plan(request: Request, provider: str, route: str, model_id: str, provider_id: str,
                   stream: bool, build: Builder, key: str, response_model: str | None = None,
                   **details: Any) -> Plan:
    """The plan of an inference request once its model is known: health, faults, then the answer."""
    state, record = sim_state(request), request_record(request)
    record.provider, record.route, record.model, record.stream = provider, route, model_id, stream
    call = _call(request, provider, route, model_id, provider_id, key, response_model, **details)
    at = first_token_at(call.speed, call.rng) * 0.5
    chat = details.get("body")
    if isinstance(chat, ChatRequest) and (refusal := limits.over_context(
            model_id, provider, style_of(provider), chat.messages, chat.max_tokens)) is not None:
        return refusal
    if call.status == "error":
        return error_plan(style_of(provider), 503, f"{model_id} is currently unavailable on {provider}: "
                                                   "its latest health check failed.", at=at)
    fault = state.faults.take(provider, model_id, route, state.records.enter(record))
    if fault is not None:
        return faults.apply(fault, style_of(provider), model_id, stream, lambda empty: build(call, empty), at)
    plan = build(call, False)
    plan.headers_at = call.speed.scaled(call.speed.headers_s)  # a stream's status line waits this long
    return plan


def _call(request: Request, provider: str, route: str, model_id: str, provider_id: str, key: str,
          response_model: str | None = None, **details: Any) -> Call:
    state = sim_state(request)
    base = str(request.base_url).rstrip("/")
    return Call(provider=provider, route=route, model_id=model_id, provider_id=provider_id,
                status=served.mapping_status(model_id, provider) or "live",
                speed=speed_for(state.config, provider, model_id), rng=state.rng(provider, model_id, key),
                record=request_record(request), response_model=response_model or provider_id, base=base, root=client_root(request),
                state=state, **details)


def client_root(request: Request) -> str:
    """The URL prefix of the provider's API as the client called it: the live URL when the sandbox's
    hooks rewrote it (header `x-sim-live-url`), so that poll URLs built on it look live too."""
    url = request.headers.get(LIVE_URL_HEADER) or str(request.url)
    root = url.split("?", 1)[0].rstrip("/")
    rest = request.path_params.get("rest", "")
    return root[: len(root) - len(rest)].rstrip("/") if rest and root.endswith(rest) else root


async def routed(request: Request) -> PlannedResponse:
    provider = request.path_params["provider"]
    denied = router_auth(credential(request.headers))
    return await _serve(request, provider, "routed", denied)


async def direct(request: Request) -> PlannedResponse:
    provider = direct_hosts().get(request.path_params["host"])
    if provider is None:
        request_record(request).route = "direct"
        return respond(request, error_plan("openai", 404, f"Unknown host {request.path_params['host']}"))
    return await _serve(request, provider, "direct", provider_auth(provider, credential(request.headers)))


async def fal_poll(request: Request) -> PlannedResponse:
    """A fal queue poll on the simulator's root: what a client pointed at the simulator builds from the path of
    fal's `status_url` (the host it called, plus that path)."""
    routed_key = (credential(request.headers) or "").startswith("hf_")
    return await _serve(request, "fal-ai", "routed" if routed_key else "direct", None, rest=request.url.path.lstrip("/"))


async def _serve(request: Request, provider: str, route: str, denied: Plan | None,
                 rest: str | None = None) -> PlannedResponse:
    record = request_record(request)
    record.provider, record.route = provider, route
    if denied is not None:
        return respond(request, denied)
    rest = request.path_params["rest"] if rest is None else rest
    style = style_of(provider)
    found = protocols.find(provider, request.method, rest)
    if found is None:
        return respond(request, error_plan(style, 404, f"No route for {request.method} /{rest} on {provider}"))
    endpoint, params = found
    if endpoint.poll is not None:
        return respond(request, _poll(request, provider, route, endpoint, params))
    assert endpoint.build is not None  # an endpoint either polls or builds
    if (refusal := limits.refused(request, style)) is not None:
        return respond(request, refusal)
    body = await _body(request)
    if body is None:
        return respond(request, error_plan(style, 400, "The request body is not valid JSON."))
    if endpoint.model_from == "body" and (refusal := limits.missing_model(body, style)) is not None:
        return respond(request, refusal)
    provider_id = _provider_id(endpoint, params, body, request)
    located = _locate(provider, provider_id, endpoint, params)
    record.model = located[0] if located else provider_id
    if located is None:
        missing = "Not Found: Model not found" if style == "hf" else f"The model `{provider_id}` does not exist on {provider}."
        return respond(request, error_plan(style, 404, missing))  # hf-inference's words as recorded
    model_id, task = located
    parsed = endpoint.parse(body, task)
    if isinstance(parsed, str):
        return respond(request, error_plan(style, 422 if style == "hf" else 400, parsed))
    stream = bool(getattr(parsed, "stream", False))
    key = getattr(parsed, "prompt", None) or str(stable_hash(body if isinstance(body, bytes) else repr(body)))
    details = {"prefer": request.headers.get("prefer", ""), "content_type": request.headers.get("content-type", ""),
               "queue": "1" if _fal_queue(request) else ""}
    plan = inference_plan(request, provider, route, model_id, provider_id, stream, endpoint.build, key,
                          task=task, body=parsed, params=details)
    return respond(request, plan)


async def _body(request: Request) -> Any:
    """JSON as a dict; anything else (audio, images, multipart forms) as bytes; None for broken JSON."""
    raw = await request.body()
    if raw.strip() and raw[:1] not in (b"{", b"["):
        return raw
    try:
        return json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None


def _fal_queue(request: Request) -> bool:
    """fal's queue is a host (`queue.fal.run`; routed: `?_subdomain=queue`), not a property of the task."""
    return request.path_params.get("host") == FAL_QUEUE_HOST or request.query_params.get("_subdomain") == "queue"


def _provider_id(endpoint: protocols.Endpoint, params: dict[str, str], body: Any, request: Request) -> str:
    if endpoint.model_from == "path":
        model = params.get("model", "")
        return served.ALIASES.get(model, model)
    if endpoint.model_from == "version":
        return ":" + str(body.get("version", "")) if isinstance(body, dict) else ":"
    if isinstance(body, bytes):
        parts = multipart_parts(body, request.headers.get("content-type", ""))
        return parts.get("model", b"").decode(errors="replace")
    return str(body.get("model", "")) if isinstance(body, dict) else ""


def _locate(provider: str, provider_id: str, endpoint: protocols.Endpoint,
            params: dict[str, str]) -> tuple[str, str] | None:
    """(Hub model, task); hf-inference serves its models for the task the path names, or their own."""
    located = served.find(provider, provider_id, endpoint.tasks)
    if located and provider == "hf-inference" and params.get("task"):
        found = served.model(located[0]) or {}
        if params["task"] not in (located[1], found.get("pipeline_tag"), *found.get("tags", [])):
            return None
        return located[0], params["task"]
    return located


def _poll(request: Request, provider: str, route: str, endpoint: protocols.Endpoint,
          params: dict[str, str]) -> Plan:
    job = sim_state(request).jobs.get(params.get("job", ""))
    record = request_record(request)
    if job is None or job.provider != provider:
        return error_plan(style_of(provider), 404, f"Job {params.get('job')} not found")
    record.model = job.model_id
    assert endpoint.poll is not None
    return endpoint.poll(_call(request, provider, route, job.model_id, job.provider_id, job.id), job)


def chat_plan(request: Request, provider: str, route: str, model_id: str, provider_id: str, chat: ChatRequest,
              response_model: str | None = None) -> Plan:
    return inference_plan(request, provider, route, model_id, provider_id, chat.stream,
                          lambda call, empty: plan_chat(call, chat, empty), chat.prompt, response_model, body=chat)


ROUTES = [
    Route("/router/{provider}/{rest:path}", routed, methods=["POST", "GET"]),
    # The launch post's routing proxy on the Hub's own domain: the same service as the router's.
    Route("/api/inference-proxy/{provider}/{rest:path}", routed, methods=["POST", "GET"]),
    Route("/direct/{host}/{rest:path}", direct, methods=["POST", "GET"]),
    Route("/{model:path}/requests/{job}/status", fal_poll, methods=["GET"]),
    Route("/{model:path}/requests/{job}", fal_poll, methods=["GET"]),
]
