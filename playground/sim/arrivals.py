"""When each request's last bytes reached the simulator's machine: the kernel's receive stamp of every read.

The listening socket asks the kernel to stamp what arrives (SO_TIMESTAMPNS, inherited by accepted sockets), and
accepts sockets that keep the stamp of their latest read. A request's record takes the stamp of the read that
completed it (`RecordingMiddleware`), so a busy simulator loop never moves the moment a request arrived: it is the
truth a client's own clock is checked against (`benchmarks/ttft_accuracy.py`).
"""

from __future__ import annotations

import socket
import weakref
from typing import Any

from .. import stamps

_by_peer: weakref.WeakValueDictionary[Any, StampedConnection] = weakref.WeakValueDictionary()


class StampedConnection(socket.socket):
    """An accepted socket whose reads (asyncio's plain transports read with recv) note the kernel's stamp."""

    last_arrival: float | None = None

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data, ancillary, _, _ = self.recvmsg(bufsize, stamps.ANCILLARY, flags)
        if data:
            self.last_arrival = stamps.received_at(ancillary)
        return data


class StampingListener(socket.socket):
    def accept(self) -> tuple[socket.socket, Any]:
        fd, address = self._accept()  # type: ignore[attr-defined]
        conn = StampedConnection(self.family, self.type, self.proto, fileno=fd)
        if socket.getdefaulttimeout() is None and self.gettimeout():
            conn.setblocking(True)
        _by_peer[_peer(address)] = conn
        return conn, address


def _peer(address: Any) -> tuple[str, int]:
    return (str(address[0]), int(address[1]))


def listener(host: str, port: int) -> StampingListener:
    sock = StampingListener(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    stamps.enable(sock)
    sock.bind((host, port))
    return sock


def last_arrival(client: Any) -> float | None:
    """The kernel's stamp of the latest bytes read from the peer at `client` (ASGI scope["client"])."""
    if not client:
        return None
    conn = _by_peer.get(_peer(client))
    return conn.last_arrival if conn is not None else None
