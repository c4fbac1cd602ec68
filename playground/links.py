"""Deep links: a comparison's setup as a URL query, and back. Everything read from a link is checked and bounded.

`?task=…&model=…&providers=a,b&prompt=…&system=…&max_tokens=…&temperature=…&top_p=…&seed=…&stream=0|1&runs=…
&warmup=0|1&params=<JSON>` (`params`: the JSON parameters of tasks other than chat). A value that does not fit
is dropped with a message naming it; the rest of the link still applies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .planning import MAX_RUNS
from .tasks import get_task

DEFAULT_TASK = "conversational"

MAX_TEXT = 20_000  # characters of prompt or system prompt a link may carry
# name: (type, lowest, highest) of the chat controls a link may set
NUMBERS: dict[str, tuple[type, float, float]] = {
    "max_tokens": (int, 1, 4096),
    "temperature": (float, 0, 2),
    "top_p": (float, 0, 1),
    "runs": (int, 1, MAX_RUNS),
}
FLAGS = ("stream", "warmup")


@dataclass
class Link:
    """What a link asks for: only the fields it set, already checked; `problems` names what was dropped."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        return self.values.get("task", DEFAULT_TASK)

    @property
    def model(self) -> str | None:
        return self.values.get("model")

    @property
    def providers(self) -> list[str] | None:  # None: the default choice
        return self.values.get("providers")

    @property
    def warning(self) -> str | None:
        """What in the link was not understood, in one sentence."""
        return "In the link: " + "; ".join(self.problems) + "." if self.problems else None


def _number(name: str, raw: str, link: Link) -> None:
    kind, low, high = NUMBERS[name]
    try:
        value = kind(raw)
    except ValueError:
        link.problems.append(f"{name}={raw[:20]!r} is not a number")
        return
    if not low <= value <= high:
        link.problems.append(f"{name} must be between {low:g} and {high:g}, got {raw[:20]}")
        return
    link.values[name] = value


def parse(query: Mapping[str, str]) -> Link:
    """The settings a link carries (task, model and providers are checked against the catalog by the caller)."""
    link = Link()
    if query.get("model", "").strip():
        link.values["model"] = query["model"].strip()[:200]
    task_id = query.get("task", "").strip() or DEFAULT_TASK
    try:
        link.values["task"] = get_task(task_id).id
    except ValueError:
        link.values["task"] = DEFAULT_TASK
        link.problems.append(f"unknown task {task_id[:60]!r}, showing chat")
    if query.get("providers", "").strip():
        link.values["providers"] = [p.strip() for p in query["providers"].split(",") if p.strip()][:32]
    for name in ("prompt", "system"):
        if name in query:
            text = query[name]
            if len(text) > MAX_TEXT:
                link.problems.append(f"the {name} in the link is longer than {MAX_TEXT} characters; cut there")
            link.values[name] = text[:MAX_TEXT]
    for name in NUMBERS:
        if query.get(name, "").strip():
            _number(name, query[name].strip(), link)
    for name in FLAGS:
        if name in query:
            link.values[name] = query[name].strip().lower() in ("1", "true", "yes", "on")
    if query.get("seed", "").strip():
        seed = query["seed"].strip()
        if seed.lstrip("-").isdigit():
            link.values["seed"] = seed
        else:
            link.problems.append(f"seed={seed[:20]!r} is not a whole number")
    if query.get("params", "").strip():
        try:
            params = json.loads(query["params"])
            if not isinstance(params, dict):
                raise ValueError
            link.values["params"] = json.dumps(params, indent=2)
        except ValueError:
            link.problems.append("params in the link is not a JSON object")
    return link


def query(values: Mapping[str, Any]) -> str:
    """The query string (with its leading "?") that `parse` reads back as `values`; empty fields are left out."""
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif isinstance(value, (list, tuple)):
            value = ",".join(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        pairs.append((name, str(value)))
    return "?" + urlencode(pairs)
