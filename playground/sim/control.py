"""`/_sim/...`: the same controls as the Python API, for tests and benchmarks in another process."""

from __future__ import annotations

import dataclasses
import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .config import FaultSpec
from .state import SimState, sim_state


def _faults(state: SimState) -> list[dict[str, object]]:
    return [{"id": i, **dataclasses.asdict(f)} for i, f in state.faults.active().items()]


async def _read(request: Request) -> object:
    return json.loads(await request.body() or b"null")


async def get_config(request: Request) -> JSONResponse:
    return JSONResponse(sim_state(request).current_config().to_dict())


async def put_config(request: Request) -> JSONResponse:
    try:
        changes = await _read(request)
        if not isinstance(changes, dict):
            raise ValueError("expected a JSON object of config fields")
        config = sim_state(request).configure(changes)
    except (ValueError, TypeError) as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse(config.to_dict())


async def add_faults(request: Request) -> JSONResponse:
    state = sim_state(request)
    try:
        body = await _read(request)
        items = body if isinstance(body, list) else [body]
        if not all(isinstance(item, dict) for item in items):
            raise TypeError("a fault is a JSON object")
        specs = [FaultSpec(**item) for item in items if isinstance(item, dict)]
    except (ValueError, TypeError) as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    ids = [state.faults.add(spec) for spec in specs]
    return JSONResponse({"ids": ids, "faults": _faults(state)})


async def list_faults(request: Request) -> JSONResponse:
    return JSONResponse({"faults": _faults(sim_state(request))})


async def clear_faults(request: Request) -> JSONResponse:
    sim_state(request).faults.clear()
    return JSONResponse({"faults": []})


async def get_records(request: Request) -> JSONResponse:
    return JSONResponse({"records": sim_state(request).records.snapshot()})


async def clear_records(request: Request) -> JSONResponse:
    sim_state(request).records.clear()
    return JSONResponse({"records": []})


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


ROUTES = [
    Route("/_sim/config", get_config, methods=["GET"]),
    Route("/_sim/config", put_config, methods=["PUT"]),
    Route("/_sim/faults", list_faults, methods=["GET"]),
    Route("/_sim/faults", add_faults, methods=["POST"]),
    Route("/_sim/faults", clear_faults, methods=["DELETE"]),
    Route("/_sim/record", get_records, methods=["GET"]),
    Route("/_sim/record", clear_records, methods=["DELETE"]),
    Route("/_sim/health", health, methods=["GET"]),
]
