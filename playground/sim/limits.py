"""What providers refuse before any work: oversized bodies (413), form bodies where JSON is expected,
a missing `model` (400), and prompts longer than the model's context (400, in the provider's words)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from . import served
from .answers import count_prompt_tokens
from .error_bodies import error_plan
from .responses import Plan

MAX_BODY_BYTES = 20 * 1024 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "text/plain")


def refused(request: Request, style: str) -> Plan | None:
    """The answer to a request refused on its headers alone: too large, or not a body any provider parses."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        return error_plan(style, 413, f"Request body too large: {int(length)} bytes, the limit is {MAX_BODY_BYTES}.")
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if request.method == "POST" and content_type in FORM_TYPES:
        return error_plan(style, 400, f"Unsupported Content-Type {content_type!r}: send the body as application/json.")
    return None


def missing_model(body: Any, style: str) -> Plan | None:
    if isinstance(body, dict) and not body.get("model"):
        return error_plan(style, 400, "you must provide a model parameter")
    return None


def context_length(model_id: str, provider: str) -> int | None:
    found = served.model(model_id) or {}
    return served.router_meta(model_id, provider).get("context") or found.get("context") or None  # 0 = not known


def over_context(model_id: str, provider: str, style: str, messages: list[dict[str, Any]],
                 max_tokens: int | None) -> Plan | None:
    """vLLM's and TGI's wording (the latter as recorded from hf-inference), 400 either way."""
    limit = context_length(model_id, provider)
    prompt = count_prompt_tokens(messages)
    if limit is None or prompt + (max_tokens or 0) <= limit:
        return None
    if style == "hf":
        return error_plan("hf", 400, f"Input validation error: `inputs` tokens + `max_new_tokens` must be <= {limit}. "
                                     f"Given: {prompt} `inputs` tokens and {max_tokens or 0} `max_new_tokens`",
                          error_type="validation")
    return error_plan(style, 400, f"This model's maximum context length is {limit} tokens. However, you requested "
                                  f"{prompt + (max_tokens or 0)} tokens ({prompt} in the messages, {max_tokens or 0} in "
                                  "the completion). Please reduce the length of the messages or completion.")
