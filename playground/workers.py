"""Where blocking work runs: the SDK's one-shot task helpers (which poll a job queue and download synchronously),
history writes and audits. One pool per event loop, sized for waiting on the network rather than for the CPU."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

# One-shot calls mostly wait on the network (a job queue, a download): 32 users × 4 providers must not queue behind
# asyncio.to_thread's default pool (cores + 4 threads). Threads start only when needed.
IO_THREADS = 256
_sized: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
T = TypeVar("T")


async def in_thread(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`asyncio.to_thread` over a pool sized for I/O. It is the loop's default executor, so `asyncio.run` still
    waits for a worker that outlives its comparison (a poller stops at its next poll after the deadline)."""
    loop = asyncio.get_running_loop()
    if loop not in _sized:
        loop.set_default_executor(ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="playground-io"))
        _sized.add(loop)
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await loop.run_in_executor(None, call)
