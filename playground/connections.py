"""Provider calls share one connection pool per event loop; the pool holds connections, never credentials.

The SDK's `AsyncInferenceClient` builds a fresh `httpx2.AsyncClient` per instance, and each one loads the CA
store: about 150 ms of CPU on a small machine, on the event loop, stalling every other stream's clock. Here
each call still gets its own `AsyncClient` (its own cookie jar, no auth), but over a shared transport: only
TCP/TLS connections are pooled. Keys travel in the headers each call prepares for itself, and HTTP/1.1 keeps
no authentication state on a connection, so a connection reused by another user carries nothing of the last.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import urllib.request
import weakref

import httpx2
from huggingface_hub import set_async_client_factory
from huggingface_hub.utils._http import async_hf_request_event_hook, async_hf_response_event_hook

# No cap on connections: a request waiting for a free one would count that wait in its own TTFT.
LIMITS = httpx2.Limits(max_connections=None, max_keepalive_connections=256, keepalive_expiry=30.0)


class _Shared(httpx2.AsyncBaseTransport):
    """A pool that outlives the per-call clients: closing one of them must not close it."""

    def __init__(self, pool: httpx2.AsyncHTTPTransport) -> None:
        self.pool = pool

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return await self.pool.handle_async_request(request)

    async def aclose(self) -> None:
        pass


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Shared] = weakref.WeakKeyDictionary()


@functools.cache
def ssl_context() -> ssl.SSLContext:
    return httpx2.create_ssl_context()


async def ready() -> None:
    """Load the CA store in a worker thread, once, rather than on the event loop."""
    if ssl_context.cache_info().currsize == 0:
        await asyncio.to_thread(ssl_context)


def shared_transport() -> _Shared:
    loop = asyncio.get_running_loop()  # connections belong to the loop that opened them
    pool = _pools.get(loop)
    if pool is None:
        pool = _pools[loop] = _Shared(httpx2.AsyncHTTPTransport(verify=ssl_context(), limits=LIMITS))
    return pool


def client() -> httpx2.AsyncClient:
    """What the SDK's default async factory builds, over the shared pool."""
    return httpx2.AsyncClient(transport=shared_transport(), follow_redirects=True, timeout=None,
                              event_hooks={"request": [async_hf_request_event_hook],
                                           "response": [async_hf_response_event_hook]})


def install() -> None:
    """Make every `AsyncInferenceClient` use the shared pool. With a proxy configured the SDK's own clients stay,
    since a given transport makes httpx ignore the proxy environment."""
    if not set(urllib.request.getproxies()) - {"no"}:
        set_async_client_factory(client)
