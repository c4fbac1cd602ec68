"""Named entities in text order; shown marked up, with their group."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from .common import Kind, elements, get, score

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """[{"entity_group", "word", "start", "end", "score"}] in text order; none found is a valid answer."""
    rows = [
        {
            "entity_group": get(item, "entity_group") or get(item, "entity"),
            "word": get(item, "word"),
            "start": get(item, "start"),
            "end": get(item, "end"),
            "score": score(get(item, "score")),
        }
        for item in elements(output)
    ]
    result.entities = sorted(rows, key=lambda row: (row["start"] is None, row["start"] or 0))
    result.summary = ", ".join(f"{row['word']} ({row['entity_group']})" for row in result.entities[:5]) or "no entities"


def _mark(entity: dict[str, Any]) -> str:
    group = entity.get("entity_group") or entity.get("entity")
    return (f'<mark title="{html.escape(str(entity.get("score")))}">{html.escape(str(entity.get("word")))} '
            f"<small>{html.escape(str(group))}</small></mark>")


def show(result: Result) -> str:
    return '<div class="entities">' + " ".join(map(_mark, result.entities)) + "</div>" if result.entities else ""


KIND = Kind("entities", summarise, show)
