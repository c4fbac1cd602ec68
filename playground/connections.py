"""Provider calls share one connection pool per event loop, and every byte they read carries the time it arrived.

Pool: the SDK's `AsyncInferenceClient` builds a fresh `httpx2.AsyncClient` per instance, and each one loads the CA
store: about 150 ms of CPU on a small machine, on the event loop, stalling every other stream's clock. Here each
call still gets its own `AsyncClient` (its own cookie jar, no auth), over a shared transport: only TCP/TLS
connections are pooled. Keys travel in the headers each call prepares for itself, and HTTP/1.1 keeps no
authentication state on a connection, so a connection reused by another user carries nothing of the last.

Clock: a token's time is when its bytes reached this machine, not when a busy event loop got round to parsing them.
Sockets are read as soon as data arrives (not only when a task asks for more), each read stamped with the kernel's
receive time (SO_TIMESTAMPNS) or, without it, the time of the read; the stamp travels with the bytes to the task that
parses them (`clock()`). TCP merges segments that wait in the receive queue and keeps the newest one's stamp, so when
the event loop is busy a thread of its own notes the stamp of the first unread bytes as they arrive (`sockets.py`),
until a stream's first text. A stamp is never earlier than the truth.

Each request's trip (`Exchange`, one per task) records when connecting began and ended (when this request opened its
connection), when its last bytes were handed to the kernel (the socket's send, stamped as it is entered: on loopback
the kernel delivers within the call, and returning may wait for the GIL), and when the answer's first bytes arrived.
Kernel transmit stamps (SO_TIMESTAMPING) are not used: they come back on the socket's error queue, which makes epoll
report the socket as failed to asyncio's selector until it is drained, once per write.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import time
import urllib.request
import weakref
from collections import deque
from collections.abc import AsyncIterable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore2
import httpx2
from huggingface_hub import set_async_client_factory, set_client_factory

from . import sockets
from .sdk import internals
from .sockets import Read, StampedSocket, watcher

# No cap on connections: a request waiting for a free one would wait inside its own figures. Idle connections are
# dropped before servers commonly drop them (uvicorn after 5 s): a request written as the server closes is lost.
LIMITS = httpx2.Limits(max_connections=None, max_keepalive_connections=256, keepalive_expiry=4.0)
HIGH_WATER = 1 << 20  # bytes read but not yet parsed, beyond which reading pauses
_arrival: ContextVar[Read | None] = ContextVar("arrival", default=None)


@dataclass
class Exchange:
    """One request's trip through the pool, as the task that sends it sees it (perf_counter() readings).

    `connect_*`: DNS, TCP and TLS, when this request opened its connection (None when it reused one).
    `sent_at`: the request's last bytes handed to the kernel (stamped as the socket's send is entered).
    `response_at`: the kernel's arrival stamp of the first bytes of the response."""

    connect_started: float | None = None
    connected: float | None = None
    sock: StampedSocket | None = None
    response_at: float | None = None
    response: httpx2.Response | None = None

    @property
    def connect_s(self) -> float:
        if self.connect_started is None or self.connected is None:
            return 0.0
        return self.connected - self.connect_started

    @property
    def sent_at(self) -> float | None:
        return self.sock.sent_at if self.sock is not None else None

    def first_text_read(self) -> None:
        """The watcher keeps the first unread bytes' stamp for the figures that start a stream (TTFB, TTFT); after
        the first text only the last bytes' arrival counts, which a read's own stamp gives (the newest segment's).
        Waking the watcher for every later segment would cost more CPU than the streams' parsing."""
        if self.sock is not None:
            watcher.forget(self.sock)


_exchange: ContextVar[Exchange | None] = ContextVar("exchange", default=None)


def body(response: httpx2.Response) -> AsyncIterable[bytes]:
    """A streamed response's bytes by the shortest way: without a content encoding, straight from the pool's stream
    (httpx's raw and decoded iterators add two async generators to every read); else decoded."""
    if response.headers.get("content-encoding", "identity") == "identity" and isinstance(response.stream, httpx2.AsyncByteStream):
        return response.stream
    return response.aiter_bytes()


def exchange() -> Exchange:
    """A fresh record for the next request this task sends through the pool."""
    record = Exchange()
    _exchange.set(record)
    return record


def arrival() -> float | None:
    """perf_counter() when the bytes this task last read through the pool had all reached the machine."""
    read = _arrival.get()
    return read[2] if read else None


def clock(fallback: Callable[[], float]) -> Callable[[], float]:
    """When each line just read arrived: the first a read completes ends in its first bytes; a later one arrived by
    the read's last bytes. `fallback()` for bytes that came another way.

    Made once the response's headers are in: a line read together with them (headers first) counts as a later one.
    """
    current = _arrival.get()
    previous = current[0] if current else 0

    def arrived() -> float:
        nonlocal previous
        read = _arrival.get()
        if read is None:
            return fallback()
        number, first, last = read
        at, previous = (first if number != previous else last), number
        return at

    return arrived



class _Reader(asyncio.Protocol):
    """Takes bytes as they arrive, whether or not a task is waiting, each piece with its arrival time."""

    def __init__(self, sock: StampedSocket) -> None:
        self.sock = sock
        self.transport: asyncio.Transport | None = None
        self.pieces: deque[tuple[Read, bytes]] = deque()
        self.buffered = 0
        self.eof = False
        self.error: Exception | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._writable = True
        self._drained: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.pieces.append((self.sock.read, data))
        self.buffered += len(data)
        if self.buffered > HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> None:
        self.eof = True
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        watcher.forget(self.sock)  # before the transport closes the socket and its number can be reused
        self.eof = True
        self.error = exc
        self._writable = True
        self._wake()

    def pause_writing(self) -> None:
        self._writable = False

    def resume_writing(self) -> None:
        self._writable = True
        self._wake()

    @property
    def pending(self) -> bool:
        """Data, EOF or an error has come in: an idle keep-alive connection in this state is no longer usable."""
        return bool(self.pieces) or self.eof

    def _wake(self) -> None:
        for waiter in (self._waiter, self._drained):
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def read(self, max_bytes: int) -> bytes:
        while not self.pieces:
            if self.error is not None:
                raise self.error
            if self.eof:
                return b""
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        read, data = self.pieces.popleft()
        if len(data) > max_bytes:
            self.pieces.appendleft((read, data[max_bytes:]))
            data = data[:max_bytes]
        self.buffered -= len(data)
        if self.buffered <= HIGH_WATER // 2 and self.transport is not None and not self.transport.is_reading():
            self.transport.resume_reading()
        _arrival.set(read)
        record = _exchange.get()
        if record is not None and record.response_at is None and record.sock is self.sock:
            record.response_at = read[1]
        return data

    async def write(self, data: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            raise self.error or ConnectionResetError("the connection is closed")
        record = _exchange.get()
        if record is not None:
            record.sock = self.sock
        watcher.watch(self.sock)  # a new request on a kept connection: its first answer bytes matter again
        self.transport.write(data)
        while not self._writable:
            self._drained = asyncio.get_running_loop().create_future()
            await self._drained
        if self.error is not None:
            raise self.error


class _Stream(httpcore2.AsyncNetworkStream):
    def __init__(self, reader: _Reader) -> None:
        self._reader = reader

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._reader.pending:  # bytes already here: no timer to arm and cancel for every read of a busy stream
            return await self._reader.read(max_bytes)
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore2.ReadTimeout("timed out reading from the provider") from None
        except OSError as error:
            raise httpcore2.ReadError(str(error) or type(error).__name__) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                await self._reader.write(buffer)
        except TimeoutError:
            raise httpcore2.WriteTimeout("timed out writing to the provider") from None
        except OSError as error:
            raise httpcore2.WriteError(str(error) or type(error).__name__) from error

    async def aclose(self) -> None:
        if self._reader.transport is not None:
            self._reader.transport.close()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore2.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        assert self._reader.transport is not None
        try:
            async with asyncio.timeout(timeout):
                secured = await loop.start_tls(self._reader.transport, self._reader, ssl_context,
                                               server_hostname=server_hostname)
        except TimeoutError:
            self._reader.transport.close()
            raise httpcore2.ConnectTimeout("timed out in the TLS handshake") from None
        except (OSError, ssl.SSLError) as error:
            self._reader.transport.close()
            raise httpcore2.ConnectError(str(error)) from error
        self._reader.transport = secured
        record = _exchange.get()
        if record is not None and record.connect_started is not None:
            record.connected = time.perf_counter()
        return self

    def get_extra_info(self, info: str) -> Any:
        reader = self._reader
        if info == "is_readable":
            return reader.pending or internals.socket_readable(reader.sock)
        if info == "socket":
            return reader.sock
        if info == "ssl_object":
            return reader.transport.get_extra_info("ssl_object") if reader.transport else None
        if info in ("client_addr", "server_addr"):
            return reader.transport.get_extra_info("sockname" if info == "client_addr" else "peername") if reader.transport else None
        return None


class _Backend(httpcore2.AsyncNetworkBackend):
    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore2.AsyncNetworkStream:
        sock = None
        record = _exchange.get()
        if record is not None:
            record.connect_started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                sock = await sockets.connect(host, port, local_address, socket_options or ())
                _, reader = await asyncio.get_running_loop().create_connection(lambda: _Reader(sock), sock=sock)
                watcher.watch(sock)
                if record is not None:
                    record.connected = time.perf_counter()
        except TimeoutError:
            raise httpcore2.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except OSError as error:
            if sock is not None:
                sock.close()
            raise httpcore2.ConnectError(str(error)) from error
        return _Stream(reader)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore2.AsyncNetworkStream:
        return await httpcore2.AnyIOBackend().connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _Shared(httpx2.AsyncBaseTransport):
    """A pool that outlives the per-call clients: closing one of them must not close it."""

    def __init__(self) -> None:
        self.transport = httpx2.AsyncHTTPTransport(verify=ssl_context(), limits=LIMITS)
        # httpx2 takes no network backend; its pool is rebuilt here with the same settings and ours.
        internals.set_pool(self.transport, httpcore2.AsyncConnectionPool(
            ssl_context=ssl_context(), max_connections=LIMITS.max_connections,
            max_keepalive_connections=LIMITS.max_keepalive_connections, keepalive_expiry=LIMITS.keepalive_expiry,
            network_backend=_Backend()))

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.transport.handle_async_request(request)
        if (record := _exchange.get()) is not None:
            record.response = response  # the client returns this very object (after any redirects, the last)
        return response

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
        pool = _pools[loop] = _Shared()
    return pool


def client() -> httpx2.AsyncClient:
    """What the SDK's default async factory builds, over the shared pool."""
    return httpx2.AsyncClient(transport=shared_transport(), follow_redirects=True, timeout=None,
                              event_hooks=internals.default_event_hooks()[1])


def sync_client() -> httpx2.Client:
    """The SDK's default shared client (one-shot tasks poll and download through it) without httpx's cap of 100
    connections: 32 users × 4 image providers would otherwise wait for one inside their latency."""
    return httpx2.Client(event_hooks=internals.default_event_hooks()[0], follow_redirects=True, timeout=None,
                         limits=LIMITS, verify=ssl_context())


def install() -> None:
    """Make every `AsyncInferenceClient` use the shared pool, and the SDK's sync client uncapped. With a proxy
    configured the SDK's own clients stay, since a given transport makes httpx ignore the proxy environment."""
    if not set(urllib.request.getproxies()) - {"no"}:
        set_async_client_factory(client)
        set_client_factory(sync_client)
