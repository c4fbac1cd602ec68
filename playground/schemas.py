"""`tools`, `tool_choice` and `response_format` as a person typed them: checked before anything is sent, with errors
that say what is wrong and where. The same tools and format then go to every provider."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import exceptions, validators

MAX_TOOLS = 32
MAX_CHARS = 20_000  # of one parameter's JSON: tools, or the response format
MAX_DEPTH = 32
TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
TOOL_CHOICES = ("auto", "none", "required")
TOOL_EXAMPLE = '[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", …}}}]'
FORMAT_EXAMPLE = '{"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object", …}}}'


def _local_refs_only(node: Any, where: str, depth: int = 0) -> None:
    """A `$ref` must point inside the schema (`#/…`): the server never fetches one."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{where} is nested more than {MAX_DEPTH} levels deep")
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    if isinstance(node, dict):
        for key in ("$ref", "$dynamicRef"):
            if key in node and not (isinstance(node[key], str) and node[key].startswith("#")):
                raise ValueError(f"{where} has {key} {node[key]!r}: only references inside the schema (#/…) are allowed")
    for child in children:
        _local_refs_only(child, where, depth + 1)


def check_schema(schema: Any, where: str) -> dict[str, Any]:
    if not isinstance(schema, dict):
        raise ValueError(f"{where} must be a JSON Schema object like {{\"type\": \"object\", \"properties\": {{…}}}}")
    _local_refs_only(schema, where)
    try:
        validators.validator_for(schema).check_schema(schema)
    except exceptions.SchemaError as error:
        raise ValueError(f"{where} is not a valid JSON Schema: {error.message}") from None
    return schema


def _size(value: Any, name: str) -> None:
    if len(json.dumps(value)) > MAX_CHARS:
        raise ValueError(f"{name} is longer than {MAX_CHARS:,} characters of JSON: shorten it")


def _tool(tool: Any, where: str) -> dict[str, Any]:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or tool.get("type", "function") != "function":
        raise ValueError(f"{where} must look like {TOOL_EXAMPLE[1:-1]}")
    name = function.get("name")
    if not isinstance(name, str) or not TOOL_NAME.fullmatch(name):
        raise ValueError(f"{where}.function.name must be 1 to 64 letters, digits, _ or -, got {name!r}")
    if "parameters" in function:
        check_schema(function["parameters"], f"{where}.function.parameters")
    return {**tool, "type": "function"}


def check_tools(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"tools must be a non-empty JSON list like {TOOL_EXAMPLE}")
    if len(value) > MAX_TOOLS:
        raise ValueError(f"tools has {len(value)} tools; at most {MAX_TOOLS} are sent")
    _size(value, "tools")
    tools = [_tool(tool, f"tools[{i}]") for i, tool in enumerate(value)]
    names = [t["function"]["name"] for t in tools]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"tools names {', '.join(twice)} more than once: each tool needs its own name")
    return tools


def check_tool_choice(value: Any) -> str | dict[str, Any]:
    if value in TOOL_CHOICES:
        return value
    function = value.get("function") if isinstance(value, dict) else None
    if isinstance(function, dict) and isinstance(function.get("name"), str) and value.get("type", "function") == "function":
        return {"type": "function", "function": {"name": function["name"]}}
    raise ValueError(f'tool_choice must be one of {", ".join(TOOL_CHOICES)} or {{"type": "function", "function": {{"name": …}}}}, got {value!r}')


def check_response_format(value: Any) -> dict[str, Any]:
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "json_object":
        return {"type": "json_object"}
    if kind != "json_schema":
        raise ValueError(f'response_format must be {{"type": "json_object"}} or {FORMAT_EXAMPLE}, got {value!r}')
    _size(value, "response_format")
    details = value.get("json_schema")
    if not isinstance(details, dict) or "schema" not in details:
        raise ValueError(f"response_format.json_schema must hold a name and a schema, like {FORMAT_EXAMPLE}")
    name = details.get("name", "answer")
    if not isinstance(name, str) or not TOOL_NAME.fullmatch(name):
        raise ValueError(f"response_format.json_schema.name must be 1 to 64 letters, digits, _ or -, got {name!r}")
    if not isinstance(details.get("strict", False), bool):
        raise ValueError("response_format.json_schema.strict must be true or false")
    check_schema(details["schema"], "response_format.json_schema.schema")
    return {"type": "json_schema", "json_schema": {**details, "name": name}}


EFFORTS = ("low", "medium", "high")


def check_reasoning_effort(value: Any) -> str:
    """How hard a reasoning model should think: one of EFFORTS (sent as the OpenAI-style `reasoning_effort`)."""
    if value not in EFFORTS:
        raise ValueError(f"reasoning_effort must be one of {', '.join(EFFORTS)} (or left out), got {str(value)[:40]!r}")
    return str(value)


CHECKS: dict[str, Callable[[Any], Any]] = {
    "reasoning_effort": check_reasoning_effort,
    "tools": check_tools,
    "tool_choice": check_tool_choice,
    "response_format": check_response_format,
}


def check_together(params: Mapping[str, Any]) -> None:
    """What only makes sense with the other parameters: a tool_choice needs tools, and a named one must be offered."""
    choice, tools = params.get("tool_choice"), params.get("tools")
    if choice is None:
        return
    if not tools:
        raise ValueError("tool_choice needs tools: add the tools the providers may call")
    if isinstance(choice, dict) and choice["function"]["name"] not in {t["function"]["name"] for t in tools}:
        raise ValueError(f"tool_choice names {choice['function']['name']!r}, which is not among the tools")
