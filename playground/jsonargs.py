"""JSON objects typed by people (parameters, provider keys): parsed once, with errors that say what would be right."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def json_object(raw: str | Mapping[str, Any] | None, name: str, example: str) -> dict[str, Any]:
    """`{}` for nothing, the object given as JSON text or a mapping, or a ValueError naming `name` and an example."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not valid JSON ({error.msg} at position {error.pos}); expected an object like {example}") from None
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a JSON object like {example}, got {type(value).__name__}")
    return dict(value)
