"""How a simulated provider treats `tools` and `response_format`: what it calls, what JSON it writes, or how it refuses.

Tool behaviours (`TOOL_BEHAVIOURS`): `calls` (one correct call), `several` (two calls in one answer), `prose`
(ignores the tools, answers in text), `bad_json` (arguments cut short: not JSON), `missing_field` (valid JSON
without a required field), `rejects` (400, or TGI's 422). Format behaviours (`FORMAT_BEHAVIOURS`): `fits`,
`missing_field`, `prose`, `rejects`. Each provider has a default (`traits.TOOLING`); `SimConfig.behaviours`
overrides it per `provider` or `provider:model`, e.g. `{"groq": {"tools": "bad_json", "structured": "fits"}}`.

The refusals are the bodies these servers send: vLLM's `BadRequestError` object, TGI's validation error, Together's
`constraints_model`, and OpenAI-style `invalid_request_error`s naming the parameter. (No recording of them is in
tests/recordings: they are written after the servers' sources and published error messages.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import traits
from .error_bodies import error_plan, style_of
from .responses import Plan, json_plan
from .state import Call

TOOL_BEHAVIOURS = ("calls", "several", "prose", "bad_json", "missing_field", "rejects")
FORMAT_BEHAVIOURS = ("fits", "missing_field", "prose", "rejects")
PLACES = ("Paris", "Tokyo", "Lima", "Oslo")


@dataclass(frozen=True)
class ToolCallPlan:
    """What a provider answers instead of text: (name, arguments as sent) per call."""

    calls: list[tuple[str, str]]


def behaviour(call: Call, aspect: str) -> str:
    """The provider's behaviour for `aspect` ("tools" or "structured"): config override, else the catalog's default."""
    overrides = call.state.config.behaviours if call.state is not None else {}
    for key in (f"{call.provider}:{call.model_id}", call.provider):
        if aspect in overrides.get(key, {}):
            return overrides[key][aspect]
    return traits.tooling(call.provider)[aspect]


def example(schema: Any, places: tuple[str, ...] = PLACES, depth: int = 0) -> Any:
    """A value that fits a JSON Schema, written the way a model would fill it in."""
    if not isinstance(schema, dict) or depth > 8:
        return places[0]
    if schema.get("enum"):
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind == "object" or "properties" in schema:
        return {name: example(sub, places, depth + 1) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [example(schema.get("items") or {}, places, depth + 1)]
    values = {"integer": 21, "number": 21.5, "boolean": True, "null": None}
    return values.get(kind, places[0]) if kind in values else places[0]


def _without_required(value: Any, schema: dict[str, Any]) -> Any:
    required = [name for name in schema.get("required") or () if isinstance(value, dict) and name in value]
    return {k: v for k, v in value.items() if k != required[0]} if required else {}


def _offered(request: Any) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = [t["function"] for t in request.tools if isinstance(t, dict) and isinstance(t.get("function"), dict)]
    choice = request.tool_choice
    if isinstance(choice, dict):
        named = (choice.get("function") or {}).get("name")
        tools = [t for t in tools if t.get("name") == named] or tools
    return tools


def tool_calls(call: Call, request: Any) -> Plan | ToolCallPlan | None:
    """A refusal, the calls to make, or None to answer in text (no tools, tool_choice "none", or `prose`)."""
    offered = _offered(request)
    if not offered or request.tool_choice == "none":
        return None
    kind = behaviour(call, "tools")
    if kind == "rejects":
        return refusal(call, "tools")
    if kind == "prose":
        return None
    first = offered[0]
    schema = first.get("parameters") or {}
    arguments = example(schema)
    if kind == "several":
        targets = offered[:2] if len(offered) > 1 else [first, first]
        return ToolCallPlan([(t["name"], json.dumps(example(t.get("parameters") or {}, PLACES[i:]))) for i, t in enumerate(targets)])
    if kind == "missing_field":
        return ToolCallPlan([(first["name"], json.dumps(_without_required(arguments, schema)))])
    text = json.dumps(arguments)
    return ToolCallPlan([(first["name"], text[: max(1, len(text) - 2)] if kind == "bad_json" else text)])


def format_schema(response_format: Any) -> dict[str, Any] | None:
    """The schema in any of the shapes the SDK rewrites it to (json_schema.schema, schema, value); {} for json_object."""
    if not isinstance(response_format, dict) or response_format.get("type") not in ("json_object", "json_schema", "json"):
        return None
    nested = response_format.get("json_schema")
    schema = (nested or {}).get("schema") if isinstance(nested, dict) else None
    schema = schema or response_format.get("schema") or response_format.get("value")
    return schema if isinstance(schema, dict) else {}


def structured_text(call: Call, request: Any) -> Plan | str | None:
    """A refusal, the JSON text to answer with, or None to answer in prose."""
    schema = format_schema(request.response_format)
    if schema is None:
        return None
    kind = behaviour(call, "structured")
    if kind == "rejects":
        return refusal(call, "response_format")
    if kind == "prose":
        return None
    value = example(schema) if schema else {"answer": PLACES[0]}
    if kind == "missing_field":
        value = _without_required(value, schema)
    return json.dumps(value)


def refusal(call: Call, parameter: str) -> Plan:
    """The 400 (TGI: 422) a provider that cannot honour `parameter` sends, in that server's own words."""
    dialect = traits.of(call.provider)["dialect"]
    if dialect == "tgi":
        return error_plan("hf", 422, "Input validation error: grammar is not supported", error_type="validation")
    if dialect == "vllm":
        message = ('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'
                   if parameter == "tools" else "The provided JSON schema contains features not supported by xgrammar.")
        body: dict[str, Any] = {"object": "error", "message": message, "type": "BadRequestError", "param": None, "code": 400}
        return json_plan(body, status=400)
    if dialect == "together":
        body = {"id": f"{call.rng.getrandbits(64):016x}", "error": {
            "message": f"{call.provider_id} is not supported for JSON mode/function calling",
            "type": "invalid_request_error", "param": None, "code": "constraints_model"}}
        return json_plan(body, status=400)
    words = ("tool calling is not supported with this model" if parameter == "tools"
             else "`response_format.type` `json_schema` is not supported with this model")
    return error_plan(style_of(call.provider), 400, f"`{parameter}`: {words}", param=parameter)
