"""Helpers every HTTP handler of the simulator shares."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import faults
from .responses import Chunk, Plan, PlannedResponse
from .state import request_record, sim_state

Handler = Callable[[Request], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response | PlannedResponse]]


def respond(request: Request, plan: Plan) -> PlannedResponse:
    return PlannedResponse(plan, request_record(request), sim_state(request).shutdown)


async def json_body(request: Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def plan_of(response: Response) -> Plan:
    headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
    return Plan(status=response.status_code, chunks=[Chunk(0.0, bytes(response.body))],
                media_type=response.media_type or "application/json", headers=headers)


def faultable(route: str) -> Callable[[Handler], Endpoint]:
    """Records the request under `route` and lets faults aimed at that route (by name) hit it,
    matched on the provider and model the handler found."""

    def decorate(handler: Handler) -> Endpoint:
        @wraps(handler)
        async def endpoint(request: Request) -> Response | PlannedResponse:
            record = request_record(request)
            record.route = route
            record.model = request.path_params.get("repo_id")
            response = await handler(request)
            fault = sim_state(request).faults.take(record.provider, record.model, route)
            if fault is None:
                return response
            empty = JSONResponse([] if bytes(response.body).startswith(b"[") else {})
            return respond(request, faults.apply(fault, "hf", None, False,
                                                 lambda is_empty: plan_of(empty if is_empty else response), 0.0))

        return endpoint

    return decorate
