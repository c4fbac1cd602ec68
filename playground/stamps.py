"""The kernel's receive time of socket reads (SO_TIMESTAMPNS), as `time.perf_counter()` readings.

The kernel stamps every arriving segment with the wall clock; `perf_counter()` is CLOCK_MONOTONIC on Linux, the
clock every process on the machine shares (the app, the simulator, the benchmarks). The offset between the two only
moves when the wall clock is stepped or slewed, so it is re-read at most every `OFFSET_TTL_S`, not per read.
"""

from __future__ import annotations

import platform
import socket
import struct
import sys
import time

# SO_TIMESTAMPNS is 35 in the kernel's generic socket ABI (x86-64, arm64); other architectures read the clock.
SO_TIMESTAMPNS = 35 if sys.platform == "linux" and platform.machine() in ("x86_64", "aarch64") else None
ANCILLARY = socket.CMSG_SPACE(16)
OFFSET_TTL_S = 1.0
_offset = (float("-inf"), 0.0)  # (perf_counter() when read, time.time() − perf_counter())


def enable(sock: socket.socket) -> None:
    """Ask the kernel to stamp what `sock` receives (an accepted socket inherits it from its listening socket)."""
    if SO_TIMESTAMPNS is not None:
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)


def wall_minus_perf() -> float:
    """time.time() − perf_counter(), read where the two are closest: a preemption between two reads would
    otherwise shift every converted stamp by as much (seen as first tokens stamped before they were sent)."""
    global _offset
    now = time.perf_counter()
    if now - _offset[0] < OFFSET_TTL_S:
        return _offset[1]
    best_gap, offset = float("inf"), 0.0
    for _ in range(3):
        before = time.perf_counter()
        wall = time.time()
        after = time.perf_counter()
        if after - before < best_gap:
            best_gap, offset = after - before, wall - (before + after) / 2
    _offset = (now, offset)
    return offset


def received_at(ancillary: list[tuple[int, int, bytes]]) -> float:
    """perf_counter() when the kernel received the bytes a recvmsg returned with `ancillary`; now without a stamp."""
    now = time.perf_counter()
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            seconds, nanoseconds = struct.unpack("qq", data[:16])
            return min(now, seconds + nanoseconds / 1e9 - wall_minus_perf())
    return now
