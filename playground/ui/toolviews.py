"""What the UI shows of tools and structured output: each call with its arguments and verdict, the structured
verdict with its reason, and the claims audit as a table. Everything from a provider is escaped."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..model import Result

# A ready example for the tools editor: one function, the schema each provider's call is judged against.
EXAMPLE_TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "Current weather in a city",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "City name, e.g. Paris"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}}]
EXAMPLE_SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}, "country": {"type": "string"},
                                                    "population": {"type": "integer"}}, "required": ["city", "country", "population"]}
AUDIT_COLUMNS = ["Provider", "Tools: advertised", "Tools: observed", "Structured: advertised", "Structured: observed", "Context length", "Claims hold"]


def _verdict(good: bool, words: str) -> str:
    mark, kind = ("✓", "good") if good else ("✗", "bad")
    return f'<span class="verdict {kind}">{mark} {html.escape(words)}</span>'


def _call_html(call: Mapping[str, Any]) -> str:
    arguments = call.get("arguments") or ""
    if call.get("valid_json"):
        arguments = json.dumps(call.get("arguments_json"), indent=2, ensure_ascii=False)
    if call.get("matches_schema"):
        verdict = _verdict(True, "valid JSON, fits the tool's schema")
    else:
        verdict = _verdict(False, "; ".join(call.get("errors") or ["does not fit"]))
    return (f'<div class="tool-call"><div><code class="tool-name">{html.escape(str(call.get("name") or "?"))}</code> {verdict}</div>'
            f'<pre class="tool-args">{html.escape(arguments) or "(no arguments)"}</pre></div>')


def tool_calls_html(result: Result) -> str:
    if result.tool_calls is None:
        return ""
    if not result.tool_calls:
        return '<div class="tool-calls"><span class="verdict none">No tool call: answered in prose</span></div>'
    count = len(result.tool_calls)
    head = f'<div class="caption">{count} tool call{"s" * (count != 1)}</div>'
    return '<div class="tool-calls">' + head + "".join(_call_html(c) for c in result.tool_calls) + "</div>"


def structured_html(result: Result) -> str:
    verdict = result.structured
    if not verdict:
        return ""
    if verdict.get("matches_schema"):
        shown = _verdict(True, "valid JSON, fits the schema")
    else:
        reason = "; ".join(verdict.get("errors") or [])
        shown = _verdict(False, ("valid JSON, but " if verdict.get("valid_json") else "invalid: ") + reason)
    return f'<div class="structured">Structured output: {shown}</div>'


def verdicts_html(result: Result) -> str:
    return tool_calls_html(result) + structured_html(result)


def _advertised(value: bool | None) -> str:
    return "not said" if value is None else ("yes" if value else "no")


def _observed(verdict: Mapping[str, Any]) -> str:
    if verdict["observed"] == "not tried":
        return "not tried"
    mark = "✓" if verdict["observed"] == "yes" else "✗"
    return f"{mark} {verdict['passed']}/{verdict['tried']} · {verdict['why']}"


def audit_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The claims audit for people: advertised against observed, one row per provider."""
    data = [
        [row["provider"], _advertised(row["supports_tools"]), _observed(row["tools"]),
         _advertised(row["supports_structured_output"]), _observed(row["structured"]),
         row["context_length"], "yes" if row["holds"] else "✗ no"]
        for row in rows
    ]
    return pd.DataFrame(data, columns=AUDIT_COLUMNS)
