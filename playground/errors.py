"""Translate whatever a provider call raised into an error kind and one line a person understands.

This is the one boundary where exceptions become data: a provider's failure is a result row, never an exception
that ends the comparison.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass

import httpx2
from huggingface_hub.errors import HfHubHTTPError, InferenceTimeoutError, TextGenerationError, ValidationError

from .masking import scrub

ERROR_KINDS = (
    "auth",
    "payment",
    "rate_limit",
    "timeout",
    "unavailable",
    "bad_response",
    "not_supported",
    "invalid_input",
    "connection",
)

FIXES = {
    "auth": "Check the key: an HF token needs the 'Make calls to Inference Providers' permission; a provider key must be that provider's.",
    "payment": "Add credits or enable pay-as-you-go for this provider, or use another key.",
    "rate_limit": "Wait a moment and retry, or use fewer runs.",
    "timeout": "Raise PLAYGROUND_TIMEOUT_S or lower max_tokens.",
    "unavailable": "The provider is overloaded or the model is loading: retry in a minute.",
    "bad_response": "The provider answered, but not with a usable output: try again or report it to the provider.",
    "not_supported": "Pick another provider for this model, or another model.",
    "invalid_input": "Check the parameters and the input.",
    "connection": "Check the network, or whether the provider is down.",
}


class BadResponse(Exception):
    """The provider answered 2xx but the output is empty or unusable."""


class NotSupported(Exception):
    """The provider cannot serve this model or task with the installed SDK or the given key."""


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str

    @property
    def fix(self) -> str:
        return FIXES[self.kind]


def _status_kind(status: int, message: str) -> str:
    if status in (401, 403):
        return "auth"
    if status == 402:
        return "payment"
    if status == 429:
        return "rate_limit"
    if status in (404, 410):
        return "not_supported"
    if status in (408, 504) and "loading" not in message.lower():
        return "timeout"
    if status >= 500:
        return "unavailable"
    return "invalid_input"


_STATUS_WORDS = {
    "auth": "the key was refused",
    "payment": "credits exhausted or pay-as-you-go not enabled for this provider",
    "rate_limit": "rate limited",
    "not_supported": "the provider does not serve this model",
    "timeout": "the provider timed out",
    "unavailable": "the provider is unavailable",
    "invalid_input": "the provider rejected the request",
}


def _one_line(text: str, limit: int = 240) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _provider_words(error: HfHubHTTPError) -> str:
    """The provider's own explanation. The SDK reads `{"error": "…"}`; OpenAI-style `{"error": {"message": …}}`
    (it would show a dict's repr), `{"message": …}` and FastAPI's `{"detail": …}` are common among providers too."""
    try:
        body = error.response.json()
    except Exception:  # not JSON, or a stream whose body was not read
        body = None
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        detail = body.get("detail")
        if not inner and isinstance(detail, list):
            return "; ".join(
                f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg', '')}" if isinstance(d, dict) else str(d) for d in detail
            )
        if not inner and (body.get("message") or detail):
            return str(body.get("message") or detail)
    return error.server_message or ""


def _http_failure(error: HfHubHTTPError) -> Failure:
    status = error.response.status_code
    detail = _provider_words(error)
    kind = _status_kind(status, detail)
    message = f"HTTP {status}: {_STATUS_WORDS[kind]}"
    if detail:
        message += f" ({detail})"
    return Failure(kind, message)


def retry_after(error: BaseException) -> float | None:
    """A 429's `Retry-After` in seconds (the delta-seconds form; an HTTP date is read as unknown)."""
    if not isinstance(error, HfHubHTTPError) or error.response.status_code != 429:
        return None
    try:
        return max(0.0, float(error.response.headers.get("retry-after", "")))
    except ValueError:
        return None


def classify(error: BaseException, *, timeout_s: float | None = None, secrets: Iterable[str] = ()) -> Failure:
    """Map an exception from a provider call to (error_kind, one-line message), with every key masked."""
    if isinstance(error, HfHubHTTPError):
        failure = _http_failure(error)
    elif isinstance(error, (InferenceTimeoutError, asyncio.TimeoutError, TimeoutError, httpx2.TimeoutException)):
        after = f" after {timeout_s:g} s" if timeout_s else ""
        failure = Failure("timeout", f"no complete answer{after}" + (f" ({error})" if str(error) else ""))
    elif isinstance(error, ValidationError):  # TGI's error_type "validation" (a 422, or mid-stream): the request's fault
        failure = Failure("invalid_input", f"{_STATUS_WORDS['invalid_input']} ({error})")
    elif isinstance(error, TextGenerationError):
        failure = Failure("unavailable", f"the provider reported an error mid-answer ({error})")
    elif isinstance(error, (httpx2.RemoteProtocolError, httpx2.ReadError)):
        failure = Failure("connection", f"the connection was dropped before the answer ended ({error})")
    elif isinstance(error, (httpx2.TransportError, ConnectionError)):
        failure = Failure("connection", f"could not reach the provider ({error})")
    elif isinstance(error, NotSupported):
        failure = Failure("not_supported", str(error))
    elif isinstance(error, BadResponse):
        failure = Failure("bad_response", str(error))
    elif isinstance(error, (json.JSONDecodeError, KeyError, TypeError, AttributeError, IndexError)):
        failure = Failure("bad_response", f"malformed answer ({type(error).__name__}: {error})")
    elif isinstance(error, ValueError) and "not supported" in str(error).lower():
        failure = Failure("not_supported", str(error))
    elif isinstance(error, ValueError):
        failure = Failure("bad_response", f"unusable answer ({error})")
    else:
        failure = Failure("bad_response", f"{type(error).__name__}: {error}")
    return Failure(failure.kind, _one_line(scrub(failure.message, secrets)))  # mask first: a cut may split a key
