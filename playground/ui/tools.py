"""Chat's tools and structured-output editors: the same tools, tool_choice and response_format go to every provider."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import gradio as gr

from ..planning import InvalidRequest
from . import toolviews
from .page import Page

FORM = ["tools_on", "tools_json", "tool_choice", "format_kind", "schema_json"]
FORMATS = ("none", "json_object", "json_schema")


def render(page: Page) -> None:
    with gr.Accordion("Tools and structured output", open=False):
        page.add(
            tools_on=gr.Checkbox(value=False, label="send tools (each provider's calls are judged against the tools' parameter schemas)"),
            tools_json=gr.Code(value=json.dumps(toolviews.EXAMPLE_TOOLS, indent=2), language="json", label="tools (JSON list of functions)"),
            tool_choice=gr.Dropdown(choices=["auto", "required", "none"], value="auto", allow_custom_value=True,
                                    label="tool_choice (or type a tool's name to force it)"),
            format_kind=gr.Radio(choices=list(FORMATS), value="none", label="response_format"),
            schema_json=gr.Code(value=json.dumps(toolviews.EXAMPLE_SCHEMA, indent=2), language="json",
                                label="JSON Schema for json_schema (each answer is judged against it)"),
        )


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text or "")
    except json.JSONDecodeError as error:
        raise InvalidRequest(f"The {name} editor does not hold valid JSON ({error.msg}, line {error.lineno}, column {error.colno}).") from None


def params(form: Mapping[str, Any]) -> dict[str, Any]:
    """The chat parameters the editors add (planning checks them like any typed in the API)."""
    added: dict[str, Any] = {}
    if form["tools_on"]:
        added["tools"] = _json(form["tools_json"], "tools")
        choice = (form["tool_choice"] or "auto").strip()
        added["tool_choice"] = choice if choice in ("auto", "required", "none") else {"type": "function", "function": {"name": choice}}
    if form["format_kind"] == "json_object":
        added["response_format"] = {"type": "json_object"}
    elif form["format_kind"] == "json_schema":
        added["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": _json(form["schema_json"], "JSON Schema")}}
    return added
