"""Sockets that know when their bytes arrived: every read stamped with the kernel's receive time, and a watcher
thread that notes the first unread bytes' stamp before TCP merges later segments into them.

asyncio's transports read with recv (plain TCP) or recv_into (TLS) and write with send; `StampedSocket` overrides
the three. The watcher (one thread for the process, woken by edge-triggered epoll) exists because a busy event loop
reads late, and the kernel then hands over several segments with only the newest one's stamp.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import select
import socket
import struct
import threading
import time
from asyncio import staggered
from collections.abc import Callable, Iterable
from typing import Any

from . import stamps

HAPPY_EYEBALLS_S = 0.25
Read = tuple[int, float, float]  # (number of the socket's read, when its first bytes arrived, when its last did)


class StampedSocket(socket.socket):
    """asyncio's transports read with recv (plain TCP) or recv_into (TLS); both note here when the bytes arrived."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stamps = threading.Lock()
        self.pending_at: float | None = None  # the first unread bytes' stamp, noted by the watcher
        self.read: Read = (0, 0.0, 0.0)
        self.sent_at: float | None = None  # when the latest send that wrote bytes was entered

    def send(self, data: Any, flags: int = 0) -> int:
        """asyncio's transports write with send (TLS too, through its SSL protocol). The stamp is read just before
        the call: on loopback the kernel delivers within the call, and returning may wait for the GIL."""
        at = time.perf_counter()
        sent = super().send(data, flags)
        if sent:
            self.sent_at = at
        return sent

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        with self.stamps:
            data, ancillary, _, _ = self.recvmsg(bufsize, stamps.ANCILLARY, flags)
            self._note_read(ancillary)
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer)
        with self.stamps:
            size, ancillary, _, _ = self.recvmsg_into([view[: nbytes or len(view)]], stamps.ANCILLARY, flags)
            self._note_read(ancillary)
        return size

    def _note_read(self, ancillary: list[tuple[int, int, bytes]]) -> None:
        last = stamps.received_at(ancillary)
        first = min(self.pending_at or last, last)
        self.pending_at = None
        self.read = (self.read[0] + 1, first, last)

    def note_arrival(self, peek: Callable[[int], float | None]) -> None:
        """From the watcher's thread: keep the stamp of the first bytes not read yet, before later ones merge in.
        A socket the event loop is reading right now is skipped: that read stamps its own bytes."""
        if self.pending_at is not None or not self.stamps.acquire(blocking=False):
            return
        try:
            if self.fileno() >= 0:
                self.pending_at = peek(self.fileno())
        finally:
            self.stamps.release()


class _IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


class _MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.POINTER(_IOVec)),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class _Peek:
    """recvmsg(MSG_PEEK) through libc without letting go of the GIL (ctypes.PyDLL): the socket module's own call
    releases it, and the watcher would then wait out the event loop's switch interval once per ready socket."""

    def __init__(self) -> None:
        self._recvmsg = ctypes.PyDLL(None).recvmsg
        self._recvmsg.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        self._recvmsg.restype = ctypes.c_ssize_t
        self._byte = ctypes.create_string_buffer(1)
        self._control = ctypes.create_string_buffer(stamps.ANCILLARY)
        self._iov = _IOVec(ctypes.cast(self._byte, ctypes.c_void_p), 1)
        self._msg = _MsgHdr(None, 0, ctypes.pointer(self._iov), 1, ctypes.cast(self._control, ctypes.c_void_p),
                            stamps.ANCILLARY, 0)

    def __call__(self, fd: int) -> float | None:
        """The kernel's receive time of the first unread bytes on `fd`, if any are waiting."""
        self._msg.controllen = stamps.ANCILLARY
        if self._recvmsg(fd, ctypes.byref(self._msg), socket.MSG_PEEK | socket.MSG_DONTWAIT) <= 0:
            return None
        if self._msg.controllen < stamps.ANCILLARY:
            return None
        _, level, kind = struct.unpack_from("Qii", self._control.raw)
        data = self._control.raw[struct.calcsize("Qii") : stamps.ANCILLARY]
        return stamps.received_at([(level, kind, data)])


class _Watcher:
    """One thread for the process, woken by the kernel when bytes reach a pooled socket (edge-triggered epoll).

    It needs the GIL only for a moment, which a busy event loop yields within the interpreter's switch interval."""

    def __init__(self) -> None:
        self._poller = select.epoll() if hasattr(select, "epoll") and stamps.SO_TIMESTAMPNS is not None else None
        self._sockets: dict[int, StampedSocket] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, sock: StampedSocket) -> None:
        if self._poller is None:
            return
        with self._lock:
            fd = sock.fileno()
            if self._sockets.get(fd) is sock:
                return
            self._sockets[fd] = sock
            try:
                self._poller.register(fd, select.EPOLLIN | select.EPOLLET)
            except FileExistsError:  # a closed socket's number, reused before it was forgotten
                self._poller.modify(fd, select.EPOLLIN | select.EPOLLET)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="playground-arrivals", daemon=True)
                self._thread.start()

    def forget(self, sock: StampedSocket) -> None:
        if self._poller is None:
            return
        with self._lock:
            fd = sock.fileno()
            if self._sockets.get(fd) is sock:
                del self._sockets[fd]
                with contextlib.suppress(OSError):
                    self._poller.unregister(fd)

    def _run(self) -> None:
        assert self._poller is not None
        peek = _Peek()
        while True:
            for fd, _ in self._poller.poll():
                sock = self._sockets.get(fd)
                if sock is not None:
                    sock.note_arrival(peek)


watcher = _Watcher()


async def connect(host: str, port: int, local_address: str | None, options: Iterable[Any]) -> StampedSocket:
    """Happy eyeballs over the host's addresses: the next one is tried if the last has not answered in 250 ms."""
    loop = asyncio.get_running_loop()
    try:  # an IP address needs no resolver thread
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except socket.gaierror:
        addresses = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    won = False

    async def attempt(family: int, kind: int, proto: int, address: Any) -> StampedSocket:
        nonlocal won
        sock = StampedSocket(family, kind, proto)
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            stamps.enable(sock)
            for option in options:
                sock.setsockopt(*option)
            if local_address:
                sock.bind((local_address, 0))
            await loop.sock_connect(sock, address)
            if won:
                raise OSError("another address answered first")
            won = True
            return sock
        except BaseException:
            sock.close()
            raise

    attempts = [functools.partial(attempt, f, k, p, a) for f, k, p, _, a in addresses]
    if len(attempts) == 1:
        return await attempts[0]()
    sock, _, failures = await staggered.staggered_race(attempts, HAPPY_EYEBALLS_S)
    if sock is None:
        raise next((f for f in failures if f is not None), OSError(f"no address for {host}"))
    return sock
