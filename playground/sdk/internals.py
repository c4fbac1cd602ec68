"""Every use of huggingface_hub's private names (and of its HTTP stack's, httpx2/httpcore2), so that an SDK upgrade
is this file's work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpcore2
import httpx2
from httpcore2._utils import is_socket_readable
from huggingface_hub import AsyncInferenceClient
from huggingface_hub.inference._common import _parse_text_generation_error
from huggingface_hub.inference._providers import _common, get_provider_helper, hf_inference
from huggingface_hub.utils import _http


async def inner_post(client: AsyncInferenceClient, request: Any, *, stream: bool) -> Any:
    """Send a request the provider helper prepared (the SDK's public methods would prepare it again, inside the clock)."""
    return await client._inner_post(request, stream=stream)


def prepare_mapping(provider: str, task: str, model: str) -> None:
    """Look up (and cache) the provider mapping and hf-inference's task check; ValueError when there is none."""
    get_provider_helper(provider, task=task, model=model)._prepare_mapping_info(model)  # type: ignore[arg-type]


def provider_mapping(model: str) -> list[Any]:
    """The Hub's provider mapping of `model`, through the SDK's per-process cache."""
    return list(_common._fetch_inference_provider_mapping(model))


def text_generation_error(message: str, error_type: str | None) -> Exception:
    """The SDK's exception for an error event in a stream."""
    return _parse_text_generation_error(message, error_type)


def _clear_chain(fn: Any) -> None:
    """Clear an lru_cache and every cache it wraps (a caller may wrap the SDK's own cache in another)."""
    while fn is not None:
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()
        fn = getattr(fn, "__wrapped__", None)


def clear_caches() -> None:
    """The SDK's per-process caches: provider mappings, hf-inference's model task check and recommended models."""
    _clear_chain(_common._fetch_inference_provider_mapping)
    _clear_chain(hf_inference._check_supported_task)
    _clear_chain(hf_inference._fetch_recommended_models)


def client_factories() -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The installed (sync, async) HTTP client factories, to put back after a test swaps them."""
    return _http._GLOBAL_CLIENT_FACTORY, _http._GLOBAL_ASYNC_CLIENT_FACTORY


def close_session() -> None:
    """Drop the SDK's shared sync client, so the next request builds one from the current factory."""
    _http.close_session()


def default_event_hooks() -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The (sync, async) event hooks the SDK's own client factories install (the async response hook reads error
    bodies): a client of ours over another transport keeps them."""
    return ({"request": [_http.hf_request_event_hook]},
            {"request": [_http.async_hf_request_event_hook], "response": [_http.async_hf_response_event_hook]})


def set_pool(transport: httpx2.AsyncHTTPTransport, pool: httpcore2.AsyncConnectionPool) -> None:
    """Put `pool` under `transport` (httpx2 takes no network backend of its own)."""
    transport._pool = pool


def pool_of(transport: httpx2.AsyncHTTPTransport) -> httpcore2.AsyncConnectionPool:
    return transport._pool


def socket_readable(sock: Any) -> bool:
    """Whether an idle connection's socket has something to read (for a kept-alive one: the server closed it)."""
    return bool(is_socket_readable(sock))
