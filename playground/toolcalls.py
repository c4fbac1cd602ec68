"""Tool calls as they arrive: streamed `tool_calls` deltas joined into whole calls, or read from a full message.

A streamed call comes in pieces: its first delta names `index`, `id` and `function.name`, later ones add pieces of
`function.arguments`. Providers differ: some send each call whole in one delta, some repeat the id in every delta,
some leave out `index` (then a new id starts a new call), and TGI sends `arguments` as an object, not a string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _text(arguments: Any) -> str:
    """The arguments as received: a string is kept as is; an object (TGI) is written back as JSON."""
    if arguments is None:
        return ""
    return arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)


@dataclass
class _Call:
    id: str = ""
    name: str = ""
    pieces: list[str] = field(default_factory=list)


@dataclass
class ToolCallAssembler:
    _calls: dict[Any, _Call] = field(default_factory=dict)
    _last: Any = None

    def add(self, deltas: Any) -> bool:
        """Take one chunk's `delta.tool_calls`; True when it carried any."""
        if not isinstance(deltas, list) or not deltas:
            return False
        for delta in deltas:
            if isinstance(delta, Mapping):
                self._take(delta)
        return True

    def _take(self, delta: Mapping[str, Any]) -> None:
        ident = delta.get("id") or ""
        key = delta.get("index")
        if key is None:  # no index: a new id starts a new call, anything else continues the last one
            current = self._calls.get(self._last)
            key = len(self._calls) if current is None or (ident and current.id and ident != current.id) else self._last
        call = self._calls.setdefault(key, _Call())
        self._last = key
        found = delta.get("function")
        function: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        call.id = call.id or ident
        call.name = call.name or (function.get("name") or "")
        if function.get("arguments") is not None:
            call.pieces.append(_text(function["arguments"]))

    def calls(self) -> list[dict[str, str]]:
        return [{"id": c.id, "name": c.name, "arguments": "".join(c.pieces)} for c in self._calls.values()]


def from_message(message: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The calls of a whole (non-streamed) answer's message."""
    found = (message or {}).get("tool_calls") or []
    calls = []
    for call in found if isinstance(found, list) else ():
        function = call.get("function") if isinstance(call, Mapping) else None
        if isinstance(function, Mapping):
            calls.append({"id": call.get("id") or "", "name": function.get("name") or "", "arguments": _text(function.get("arguments"))})
    return calls
