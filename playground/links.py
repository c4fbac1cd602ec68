"""Deep links: `?task=…&model=…&providers=a,b` open the app preset."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .tasks import get_task

DEFAULT_TASK = "conversational"


@dataclass(frozen=True)
class Link:
    task: str
    model: str | None = None
    providers: list[str] | None = None  # None: the default choice
    warning: str | None = None  # what in the link was not understood


def parse(query: Mapping[str, str]) -> Link:
    task_id, warning = query.get("task") or DEFAULT_TASK, None
    try:
        task_id = get_task(task_id).id
    except ValueError:
        task_id, warning = DEFAULT_TASK, f"Unknown task {task_id!r} in the link; showing chat."
    wanted = [p for p in query.get("providers", "").split(",") if p.strip()] or None
    return Link(task=task_id, model=query.get("model"), providers=wanted, warning=warning)
