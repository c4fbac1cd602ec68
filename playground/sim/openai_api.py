"""The router's OpenAI-compatible API: `/v1/models` and `/v1/chat/completions` with provider policies.

`model` is `id`, `id:provider`, `id:fastest` (highest probed throughput), `id:cheapest` (lowest
output price; a free promo counts as 0) or `id:preferred` (the Hub's order, also the default).
The answer's `model` field is `id:provider` and the `x-inference-provider` header names the
provider, so a client can tell who answered. `/v1/models` reports the catalog's probe values, not
the live latency profiles, like the real router's periodic probes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import limits, served
from .answers import stable_hash
from .chat import parse_chat
from .error_bodies import error_plan, router_auth
from .handlers import json_body, respond
from .records import credential
from .responses import PlannedResponse
from .router import chat_plan
from .state import request_record
from .timing import default_profile

POLICIES = ("fastest", "cheapest", "preferred")


def _probe(model_id: str, provider: str) -> tuple[float, float]:
    """Latest probe of a provider: first-token latency (ms) and throughput, within 10% of its profile."""
    profile = default_profile(provider, model_id)
    assert profile.ttft_s is not None and profile.tokens_per_s is not None  # the default level sets every field
    noise = (stable_hash(model_id, provider) % 2001) / 10000 - 0.1
    return round(profile.ttft_s * 1000 * (1 + noise), 1), profile.tokens_per_s * (1 - noise)


def provider_entry(found: dict[str, Any], row: tuple[Any, ...]) -> dict[str, Any]:
    provider, _, status, _, meta = row
    entry: dict[str, Any] = {"provider": provider, "status": "error" if status == "error" else "live"}
    if not meta.get("bare"):
        entry["context_length"] = meta.get("context", found["context"])
        if "pricing" in meta:
            entry["pricing"] = {"input": meta["pricing"][0], "output": meta["pricing"][1]}
        if meta.get("free"):
            entry["is_free"] = True
        entry["supports_tools"] = bool(meta.get("tools"))
        entry["supports_structured_output"] = bool(meta.get("structured"))
        if meta.get("probe", True) and status == "live":
            entry["first_token_latency_ms"], entry["throughput"] = _probe(found["id"], provider)
    entry["is_model_author"] = bool(meta.get("author"))
    return entry


def model_entry(found: dict[str, Any]) -> dict[str, Any] | None:
    rows = [r for r in found["providers"] if r[3] == "conversational" and r[2] != "staging"]
    if not rows:
        return None
    vision = found["pipeline_tag"] == "image-text-to-text"
    created = datetime.fromisoformat(found["createdAt"].replace("Z", "+00:00"))
    return {
        "id": found["id"], "object": "model", "created": int(created.timestamp()),
        "owned_by": found["id"].split("/", 1)[0],
        "architecture": {"input_modalities": ["text", "image"] if vision else ["text"], "output_modalities": ["text"]},
        "providers": [provider_entry(found, row) for row in rows],
    }


async def list_models(request: Request) -> JSONResponse:
    data = [entry for m in served.MODELS if (entry := model_entry(m)) is not None]
    return JSONResponse({"object": "list", "data": data})


async def get_model(request: Request) -> JSONResponse:
    found = served.model(request.path_params["model_id"])
    entry = model_entry(found) if found else None
    if entry is None:
        return JSONResponse({"error": {"message": f"Model {request.path_params['model_id']} not found",
                                       "type": "invalid_request_error", "code": "model_not_found"}}, status_code=404)
    return JSONResponse(entry)


def choose_provider(model_id: str, selector: str | None) -> str | None:
    """The provider a policy or an explicit name selects, or None when nothing fits."""
    found = served.model(model_id)
    entry = model_entry(found) if found else None
    if entry is None:
        return None
    entries = entry["providers"]
    if selector not in (None, *POLICIES):
        mapped = served.mapping(model_id, selector, "conversational")
        return selector if mapped is not None else None
    live = [e for e in entries if e["status"] == "live"]
    if selector == "fastest":
        ranked = sorted((e for e in live if "throughput" in e), key=lambda e: -e["throughput"])
    elif selector == "cheapest":
        priced = [e for e in live if "pricing" in e or e.get("is_free")]
        ranked = sorted(priced, key=lambda e: 0.0 if e.get("is_free") else e["pricing"]["output"])
    else:
        ranked = live
    chosen = (ranked or live or [None])[0]
    return chosen["provider"] if chosen else None


def split_model(value: str) -> tuple[str, str | None]:
    model_id, sep, suffix = value.rpartition(":")
    return (model_id, suffix) if sep and suffix else (value, None)


async def chat_completions(request: Request) -> PlannedResponse:
    record = request_record(request)
    record.route = "openai"
    denied = router_auth(credential(request.headers))
    if denied is not None:
        return respond(request, denied)
    if (refusal := limits.refused(request, "openai")) is not None:
        return respond(request, refusal)
    body = await json_body(request)
    if body is None:
        return respond(request, error_plan("openai", 400, "The request body is not valid JSON."))
    if (refusal := limits.missing_model(body, "openai")) is not None:
        return respond(request, refusal)
    chat = parse_chat(body)
    if isinstance(chat, str):
        return respond(request, error_plan("openai", 400, chat))
    model_id, selector = split_model(str(body.get("model", "")))
    record.model, record.stream = model_id, chat.stream
    if served.model(model_id) is None:
        return respond(request, error_plan("openai", 404, f"The model `{model_id}` does not exist."))
    provider = choose_provider(model_id, selector)
    if provider is None:
        return respond(request, error_plan("openai", 400, f"No provider available for model `{model_id}`"
                                           + (f" with `{selector}`." if selector else ".")))
    mapped = served.mapping(model_id, provider, "conversational")
    if mapped is None:
        return respond(request, error_plan("openai", 400, f"`{provider}` does not serve `{model_id}` for chat."))
    provider_id = mapped["providerId"]
    plan = chat_plan(request, provider, "openai", model_id, provider_id, chat, f"{model_id}:{provider}")
    plan.headers["x-inference-provider"] = provider
    return respond(request, plan)


ROUTES = [
    Route("/router/v1/models", list_models, methods=["GET"]),
    Route("/router/v1/models/{model_id:path}", get_model, methods=["GET"]),
    Route("/router/v1/chat/completions", chat_completions, methods=["POST"]),
]
