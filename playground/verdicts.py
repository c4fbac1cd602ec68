"""Judge what a provider answered against what was asked: each tool call against its tool's `parameters` schema,
and a structured answer against the `response_format`.

Verdicts are plain JSON: `tool_calls = [{id, name, arguments, arguments_json, valid_json, matches_schema, errors}]`
and `structured = {valid_json, matches_schema, errors}`. `errors` are the first few reasons, in words, with the
place in the JSON they refer to. Schemas are validated with `jsonschema` and an empty registry: a `$ref` can only
point inside the schema itself, never make the server fetch a URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import exceptions, validators
from referencing import Registry
from referencing.exceptions import Unresolvable

MAX_ERRORS = 3
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def _place(error: exceptions.ValidationError) -> str:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return f"at ${path}: " if path else ""


def schema_errors(value: Any, schema: Mapping[str, Any]) -> list[str]:
    """Why `value` does not fit `schema` (most relevant first, at most MAX_ERRORS); [] when it fits."""
    validator = validators.validator_for(schema)(schema, registry=Registry())
    try:
        found = sorted(validator.iter_errors(value), key=exceptions.relevance)
    except Unresolvable as error:
        return [f"the schema's $ref cannot be resolved ({error.ref})"]
    messages = [_place(error) + error.message for error in found[:MAX_ERRORS]]
    if len(found) > MAX_ERRORS:
        messages.append(f"and {len(found) - MAX_ERRORS} more")
    return messages


def _parse(text: str) -> tuple[Any, str | None]:
    """(value, None) when `text` is JSON, else (None, why not)."""
    if not text.strip():
        return None, "empty, not JSON"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        fenced = " (wrapped in a ``` fence)" if text.lstrip().startswith("```") else ""
        return None, f"not valid JSON{fenced}: {error.msg} at position {error.pos}"


def tool_schemas(tools: Iterable[Mapping[str, Any]] | None) -> dict[str, Mapping[str, Any]]:
    """Tool name → its `parameters` schema ({} when it takes anything)."""
    return {t["function"]["name"]: t["function"].get("parameters") or {} for t in tools or ()}


def judge_call(call: Mapping[str, str], schemas: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    arguments = call.get("arguments") or ""
    value, problem = _parse(arguments)
    verdict: dict[str, Any] = {"id": call.get("id") or "", "name": call.get("name") or "", "arguments": arguments,
                               "arguments_json": value, "valid_json": problem is None, "matches_schema": False}
    if problem:
        verdict["errors"] = [f"arguments are {problem}"]
    elif verdict["name"] not in schemas:
        offered = ", ".join(schemas) or "none"
        verdict["errors"] = [f"no tool named {verdict['name']!r} was offered (offered: {offered})"]
    else:
        verdict["errors"] = schema_errors(value, schemas[verdict["name"]])
        verdict["matches_schema"] = not verdict["errors"]
    return verdict


def judge_tool_calls(calls: Iterable[Mapping[str, str]], tools: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    schemas = tool_schemas(tools)
    return [judge_call(call, schemas) for call in calls]


def response_schema(response_format: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema a `json_schema` response format asks for; None for `json_object` (any JSON object will do)."""
    if response_format.get("type") != "json_schema":
        return None
    return (response_format.get("json_schema") or {}).get("schema") or {}


def judge_structured(text: str, response_format: Mapping[str, Any]) -> dict[str, Any]:
    """{valid_json, matches_schema, errors}: for `json_object`, matching means the answer is a JSON object."""
    value, problem = _parse(text)
    if problem:
        return {"valid_json": False, "matches_schema": False, "errors": [f"the answer is {problem}"]}
    schema = response_schema(response_format)
    if schema is None:
        errors = [] if isinstance(value, dict) else [f"expected a JSON object, got {_JSON_TYPES.get(type(value), 'null')}"]
    else:
        errors = schema_errors(value, schema)
    return {"valid_json": True, "matches_schema": not errors, "errors": errors}


def judge(text: str, calls: list[dict[str, str]], params: Mapping[str, Any]) -> tuple[list[dict[str, Any]] | None, dict[str, Any] | None]:
    """(tool_calls, structured) of one answer: tool_calls is [] when tools were offered and none was called, None
    when no tools were offered and none came; structured is None unless a response_format was asked for."""
    tools = params.get("tools")
    judged = judge_tool_calls(calls, tools) if (tools or calls) else None
    response_format = params.get("response_format")
    structured = judge_structured(text, response_format) if response_format and not calls else None
    return judged, structured
