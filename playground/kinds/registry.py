"""The registry of output kinds. Each module of `kinds/` holds one kind: how a result of it is summarised (the Result fields it
fills, and `summary`, one line for the results table; `BadResponse` when the output is empty or unusable), how it is
shown on a result's card, and what a generated Python snippet does with it. Adding a kind is adding a module
and its entry here.

Media bytes are written to a per-process temp folder; `result.file` holds the path for the UI (players, image grid,
download), never the JSON.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from . import audio, boxes, embedding, entities, image, labels, masks, text, video
from .common import Kind

if TYPE_CHECKING:
    from ..model import Result

OutputKind = Literal["text", "image", "audio", "video", "embedding", "labels", "answer", "entities", "boxes", "masks"]

# In the order a card shows them; text comes last, after any notes (thinking, tool-call verdicts).
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (image.KIND, audio.KIND, video.KIND, masks.KIND, labels.KIND, labels.ANSWER, entities.KIND,
                 boxes.KIND, embedding.KIND, text.KIND)
}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown output kind {name!r}. Valid kinds: {', '.join(KINDS)}") from None


def show(result: Result, notes: Iterable[str] = ()) -> str:
    """Everything a result's card shows of its output, with `notes` just before the text."""
    parts = [kind.show(result) for kind in KINDS.values() if kind.show and kind is not text.KIND]
    parts += [*notes, text.show(result)]
    if not any(parts) and result.summary:
        parts.append(f'<div class="caption">{html.escape(result.summary)}</div>')
    return "".join(parts)

