"""Error bodies in each service's own style, and the credential checks that produce them."""

from __future__ import annotations

from typing import Any

from .responses import Plan, json_plan

ROUTER_MISSING_TOKEN = ("You must provide a Hugging Face token to use Inference Providers "
                        "(Authorization: Bearer hf_...). Create one at https://huggingface.co/settings/tokens.")
ROUTER_INVALID_TOKEN = "Invalid username or password."  # as recorded, with WWW-Authenticate
ROUTER_CHALLENGE = {"www-authenticate": 'Bearer realm="Authentication required", charset="UTF-8"'}
ROUTER_NO_CREDIT = ("You have exceeded your monthly included credits for Inference Providers. "
                    "Subscribe to PRO to get 20x more monthly included credits, or enable pay-as-you-go "
                    "billing at https://huggingface.co/settings/billing to keep using Inference Providers.")

MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Bad request: the request body could not be processed.", "invalid_request_error"),
    401: ("Invalid API Key", "invalid_request_error"),
    402: ("Your account has run out of credits. Add a payment method or top up to continue.", "insufficient_quota"),
    403: ("You do not have access to this model.", "permission_error"),
    404: ("The model does not exist or you do not have access to it.", "invalid_request_error"),
    408: ("Request timed out.", "timeout_error"),
    413: ("Request entity too large.", "invalid_request_error"),
    422: ("Input validation error: the request is not valid for this model.", "invalid_request_error"),
    429: ("Rate limit reached for requests. Please try again in 1s.", "rate_limit_error"),
    500: ("Internal server error.", "server_error"),
    502: ("Bad gateway: the upstream server returned an invalid response.", "server_error"),
    503: ("Service temporarily unavailable: the model is overloaded, please retry later.", "server_error"),
    504: ("Gateway timeout: the upstream server took too long to answer.", "server_error"),
}
CODES: dict[int, str] = {401: "invalid_api_key", 402: "insufficient_quota", 404: "model_not_found",
                         429: "rate_limit_exceeded"}

# hf-inference (and the router itself) answer `{"error": "..."}`; fal `{"detail": ...}`;
# replicate RFC 7807 problems; everyone else OpenAI's `{"error": {"message", "type", "code"}}`.
STYLE_BY_PROVIDER: dict[str, str] = {"hf-inference": "hf", "fal-ai": "fal", "replicate": "replicate"}


def style_of(provider: str | None) -> str:
    return STYLE_BY_PROVIDER.get(provider or "", "openai")


def error_body(style: str, status: int, message: str | None = None, **extra: Any) -> dict[str, Any]:
    text, kind = MESSAGES.get(status, (f"HTTP {status}", "server_error"))
    text = message or text
    if style == "hf":
        return {"error": text, **extra}
    if style == "fal":
        return {"detail": text, **extra}
    if style == "replicate":
        return {"title": kind.replace("_", " ").capitalize(), "detail": text, "status": status, **extra}
    return {"error": {"message": text, "type": kind, "param": None, "code": CODES.get(status), **extra}}


def error_plan(style: str, status: int, message: str | None = None, at: float = 0.0,
               headers: dict[str, str] | None = None, **extra: Any) -> Plan:
    if status == 429:
        headers = {"retry-after": "1", "x-ratelimit-remaining-requests": "0", **(headers or {})}
    plan = json_plan(error_body(style, status, message, **extra), status=status, at=at, headers=headers)
    if style == "hf":
        plan.headers.setdefault("x-error-message", error_body("hf", status, message)["error"])
    return plan


def loading_plan(model_id: str, estimated_time: float, at: float = 0.0) -> Plan:
    return error_plan("hf", 503, f"Model {model_id} is currently loading", at=at, estimated_time=estimated_time)


def router_auth(secret: str | None) -> Plan | None:
    """The router's answer to a request whose HF token is missing, invalid or out of credits."""
    if not secret:
        return error_plan("hf", 401, ROUTER_MISSING_TOKEN, headers=ROUTER_CHALLENGE)
    if not secret.startswith("hf_") or "invalid" in secret:
        return error_plan("hf", 401, ROUTER_INVALID_TOKEN, headers=ROUTER_CHALLENGE)
    if "nocredit" in secret:
        return error_plan("hf", 402, ROUTER_NO_CREDIT)
    return None


def provider_auth(provider: str, secret: str | None) -> Plan | None:
    """A provider's own answer to a direct call: it wants its own key, never an HF token."""
    style = style_of(provider)
    if not secret:
        return error_plan(style, 401, f"Missing API key for {provider}: pass it in the Authorization header.")
    if secret.startswith("hf_") or "invalid" in secret:
        return error_plan(style, 401)
    if "nocredit" in secret:
        return error_plan(style, 402)
    return None
