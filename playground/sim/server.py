"""The Starlette app and `Simulator`, which serves it with uvicorn in a daemon thread."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

import uvicorn
from starlette.applications import Starlette

from . import arrivals, control, datasets, downloads, hub, openai_api, router
from .config import FaultSpec, LatencyProfile, SimConfig
from .records import RecordingMiddleware
from .responses import SimulatedReset
from .state import SimState


class _QuietResets(logging.Filter):
    """uvicorn logs every exception of an app; a simulated reset is not one worth a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedReset))


def build_app(state: SimState) -> Starlette:
    # Order matters: `/router/v1/...` before `/router/{provider}/...`.
    app = Starlette(routes=[*control.ROUTES, *hub.ROUTES, *datasets.ROUTES, *downloads.ROUTES, *openai_api.ROUTES, *router.ROUTES])
    app.state.sim = state
    app.add_middleware(RecordingMiddleware, book=state.records)
    return app


logging.getLogger("uvicorn.error").addFilter(_QuietResets())


def serve_config(app: Starlette, **options: Any) -> uvicorn.Config:
    return uvicorn.Config(app, http="h11", loop="asyncio", lifespan="off", access_log=False, log_level="warning",
                          timeout_graceful_shutdown=1, backlog=4096, **options)


class Simulator:
    """A local Hub + router + providers. `start()` returns its base URL once it is serving."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.state = SimState(config or SimConfig())
        self.app = build_app(self.state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.base_url = ""

    @property
    def hub_url(self) -> str:
        return self.base_url

    @property
    def router_url(self) -> str:
        return f"{self.base_url}/router"

    @property
    def direct_url(self) -> str:
        return f"{self.base_url}/direct"

    @property
    def config(self) -> SimConfig:
        return self.state.current_config()

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self.base_url
        sock = arrivals.listener(host, port)
        bound_port = sock.getsockname()[1]
        self.state.shutdown = asyncio.Event()
        self._server = uvicorn.Server(serve_config(self.app))
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(sock, ready), name="playground-sim", daemon=True)
        self._thread.start()
        ready.wait(timeout=10)
        if not self._server.started:
            raise RuntimeError("the simulator did not start")
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{bound_port}"
        return self.base_url

    def _run(self, sock: socket.socket, ready: threading.Event) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            assert self._server is not None
            task = asyncio.ensure_future(self._server.serve(sockets=[sock]))
            while not self._server.started and not task.done():
                await asyncio.sleep(0.005)
            ready.set()
            await task

        try:
            asyncio.run(main())
        finally:
            ready.set()

    def stop(self) -> None:
        if self._server is None:
            return
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.state.shutdown.set)
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def configure(self, **changes: Any) -> SimConfig:
        """Partial update: `time_scale=0`, `profiles={"groq": {"ttft_s": 2}}`, `seed=...`, `faults=[...]`."""
        return self.state.configure(changes)

    def set_profile(self, key: str, **fields: float) -> SimConfig:
        return self.configure(profiles={key: LatencyProfile(**fields)})

    def add_fault(self, provider: str | None = None, kind: str = "http", status: int = 500, model: str | None = None,
                  route: str | None = None, times: int | None = None, **options: Any) -> int:
        return self.state.faults.add(FaultSpec(kind=kind, provider=provider, model=model, route=route, status=status,
                                               times=times, **options))

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def records(self) -> list[dict[str, Any]]:
        return self.state.records.snapshot()

    def clear_records(self) -> None:
        self.state.records.clear()
