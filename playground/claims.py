"""The claims audit: what the router advertises per provider (`supports_tools`, `supports_structured_output`,
`context_length`) against what was observed in comparisons (this one, history, or a probe).

An observation is conclusive when the provider answered (its calls or JSON are judged) or refused the parameter
(HTTP 4xx, `invalid_input` / `not_supported`); timeouts, auth and credit failures say nothing about the claim.
Observed is "yes" when every conclusive run passed, "no" when any failed, "not tried" without one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .catalog import ProviderInfo

Row = Mapping[str, Any]
REFUSALS = ("invalid_input", "not_supported")
ASPECTS = {"tools": "supports_tools", "structured": "supports_structured_output"}

# The probe: one tiny request per aspect, the same for every provider.
PROBE_TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "Current weather in a city",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}]
PROBE_FORMAT = {"type": "json_schema", "json_schema": {"name": "city", "schema": {
    "type": "object", "properties": {"name": {"type": "string"}, "country": {"type": "string"}}, "required": ["name", "country"]}}}
PROBES: dict[str, tuple[str, dict[str, Any]]] = {
    "tools": ("What is the weather in Paris? Use the tool.", {"tools": PROBE_TOOLS, "tool_choice": "auto"}),
    "structured": ("Name one city and its country.", {"response_format": PROBE_FORMAT}),
}
PROBE_MAX_TOKENS = 64


def probe_prompt(aspect: str) -> str:
    """All the text one probe request sends, for the cost estimate: the prompt and its tools or schema."""
    prompt, params = PROBES[aspect]
    return prompt + json.dumps(params)


def _tools_outcome(row: Row, params: Row) -> tuple[bool, str] | None:
    if not params.get("tools") or params.get("tool_choice") == "none":
        return None
    if not row.get("ok"):
        return (False, f"refused: {row.get('error')}") if row.get("error_kind") in REFUSALS else None
    calls = row.get("tool_calls") or []
    if not calls:
        return False, "answered in prose, no tool call"
    bad = next((c for c in calls if not (c.get("valid_json") and c.get("matches_schema"))), None)
    if bad is not None:
        return False, f"{bad.get('name')}: {(bad.get('errors') or ['invalid arguments'])[0]}"
    return True, f"called {', '.join(c.get('name', '') for c in calls)}"


def _structured_outcome(row: Row, params: Row) -> tuple[bool, str] | None:
    if not params.get("response_format") or params.get("tools"):
        return None
    if not row.get("ok"):
        return (False, f"refused: {row.get('error')}") if row.get("error_kind") in REFUSALS else None
    verdict = row.get("structured") or {}
    if verdict.get("matches_schema"):
        return True, "JSON that fits"
    return False, (verdict.get("errors") or ["did not fit"])[0]


OUTCOMES = {"tools": _tools_outcome, "structured": _structured_outcome}


def observations(comparisons: Iterable[Row]) -> dict[tuple[str, str], list[tuple[bool, str]]]:
    """(provider, aspect) → every conclusive outcome, oldest first, from saved or live comparisons (as JSON)."""
    found: dict[tuple[str, str], list[tuple[bool, str]]] = {}
    for comparison in comparisons:
        params = comparison.get("params") or {}
        for row in comparison.get("results") or ():
            if row.get("warmup"):
                continue
            for aspect, outcome in OUTCOMES.items():
                seen = outcome(row, params)
                if seen is not None:
                    found.setdefault((row["provider"], aspect), []).append(seen)
    return found


def _verdict(outcomes: Sequence[tuple[bool, str]]) -> dict[str, Any]:
    if not outcomes:
        return {"observed": "not tried", "passed": 0, "tried": 0, "why": None}
    failures = [why for passed, why in outcomes if not passed]
    return {"observed": "no" if failures else "yes", "passed": len(outcomes) - len(failures), "tried": len(outcomes),
            "why": failures[-1] if failures else outcomes[-1][1]}


def audit(infos: Iterable[ProviderInfo], comparisons: Iterable[Row]) -> list[dict[str, Any]]:
    """One row per provider: advertised claims beside observed verdicts (`tools`, `structured`)."""
    seen = observations(comparisons)
    rows = []
    for info in infos:
        if info.is_policy:
            continue
        row: dict[str, Any] = {"provider": info.provider, "context_length": info.context_length}
        for aspect, claim in ASPECTS.items():
            row[claim] = getattr(info, claim)
            row[aspect] = _verdict(seen.get((info.provider, aspect), []))
        row["holds"] = all(_holds(row[claim], row[aspect]["observed"]) for aspect, claim in ASPECTS.items())
        rows.append(row)
    return rows


def _holds(advertised: bool | None, observed: str) -> bool:
    """A claim fails only when observation contradicts it (advertised but failing)."""
    return not (advertised and observed == "no")
