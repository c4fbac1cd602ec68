"""Routed calls (`/router/{provider}/...`, HF token) and direct calls (`/direct/{host}/...`, provider key).

The route is the same in both modes, as in the SDK; the operation is told by the path's suffix
and the Hub model by the body's provider-side `model` (hf-inference: by the path).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from . import catalog, faults
from .chat import ChatRequest, parse_chat, plan_chat
from .errors import error_plan, provider_auth, router_auth, style_of
from .providers import direct_hosts
from .records import credential
from .responses import Plan, PlannedResponse
from .state import Call, sim_state, request_record
from .timing import first_token_at, speed_for

Builder = Callable[[Call, bool], Plan]


def respond(request: Request, plan: Plan) -> PlannedResponse:
    return PlannedResponse(plan, request_record(request), sim_state(request).shutdown)


async def json_body(request: Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def inference_plan(request: Request, provider: str, route: str, model_id: str, provider_id: str,
                   stream: bool, build: Builder, key: str, response_model: str | None = None) -> Plan:
    """The plan of an inference request once its model is known: health, faults, then the answer."""
    state, record = sim_state(request), request_record(request)
    record.provider, record.route, record.model, record.stream = provider, route, model_id, stream
    speed = speed_for(state.config, provider, model_id)
    call = Call(provider=provider, route=route, model_id=model_id, provider_id=provider_id,
                status=(catalog.mapping_status(model_id, provider) or "live"), speed=speed,
                rng=state.rng(provider, model_id, key), record=record,
                response_model=response_model or provider_id)
    at = first_token_at(speed, call.rng) * 0.5
    if call.status == "error":
        return error_plan(style_of(provider), 503, f"{model_id} is currently unavailable on {provider}: "
                                                   "its latest health check failed.", at=at)
    fault = state.faults.take(provider, model_id, route)
    if fault is not None:
        return faults.apply(fault, style_of(provider), model_id, stream, lambda empty: build(call, empty), at)
    return build(call, False)


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


async def _serve(request: Request, provider: str, route: str, denied: Plan | None) -> PlannedResponse:
    record = request_record(request)
    record.provider, record.route = provider, route
    if denied is not None:
        return respond(request, denied)
    rest = request.path_params["rest"]
    style = style_of(provider)
    if not rest.endswith("chat/completions"):
        return respond(request, error_plan(style, 404, f"No route for /{rest} on {provider}"))
    body = await json_body(request)
    if body is None:
        return respond(request, error_plan(style, 400, "The request body is not valid JSON."))
    chat = parse_chat(body)
    if isinstance(chat, str):
        return respond(request, error_plan(style, 422 if style == "hf" else 400, chat))
    provider_id = _path_model(rest) if provider == "hf-inference" else str(body.get("model", ""))
    model_id = catalog.hub_id_for(provider, provider_id, "conversational")
    record.stream = chat.stream
    if model_id is None:
        record.model = provider_id
        return respond(request, error_plan(style, 404, f"The model `{provider_id}` does not exist on {provider}."))
    return respond(request, chat_plan(request, provider, route, model_id, provider_id, chat))


def chat_plan(request: Request, provider: str, route: str, model_id: str, provider_id: str, chat: ChatRequest,
              response_model: str | None = None) -> Plan:
    return inference_plan(request, provider, route, model_id, provider_id, chat.stream,
                          lambda call, empty: plan_chat(call, chat, empty), chat.prompt, response_model)


def _path_model(rest: str) -> str:
    """hf-inference names the model in the path: `models/{id}/v1/chat/completions`."""
    return rest.removeprefix("models/").removesuffix("/chat/completions").removesuffix("/v1")


ROUTES = [
    Route("/router/{provider}/{rest:path}", routed, methods=["POST"]),
    Route("/direct/{host}/{rest:path}", direct, methods=["POST"]),
]
