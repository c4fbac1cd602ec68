"""What every output kind shares: the Kind entry, reading SDK output elements, and saving media files."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import scratch

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result

# Fills the result's output fields from what the SDK method returned; `inputs` for outputs named after them.
Summarise = Callable[[Any, "Result", "Inputs | None"], None]
MASK_COLOURS = ((230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60))


@dataclass(frozen=True)
class Kind:
    """One kind of output: how a result of it is summarised, shown, and printed by a generated Python snippet."""

    name: str
    summarise: Summarise  # the default for tasks of this kind; a task may name a variant (answers, fill_mask…)
    show: Callable[[Result], str] | None  # HTML for the result's card; None: shown through other kinds' fields
    snippet: str = "print(output)"  # Python lines that show `output`, what the SDK method returned


def get(item: Any, name: str) -> Any:
    """A field of an SDK output element: an attribute (dataclass) or a key (plain dict from JSON)."""
    value = getattr(item, name, None)
    if value is None and isinstance(item, Mapping):
        value = item.get(name)
    return value


def elements(output: Any) -> list[Any]:
    """The SDK returns a list of elements, sometimes one element, sometimes a list nested once."""
    if output is None:
        return []
    if isinstance(output, Mapping) or not isinstance(output, Sequence) or isinstance(output, (str, bytes)):
        return [output]
    items = list(output)
    if len(items) == 1 and isinstance(items[0], list):
        items = items[0]
    return items


def score(value: Any) -> float | None:
    return None if value is None else float(value)


def by_score(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: -1.0 if row["score"] is None else row["score"], reverse=True)


def media_dir() -> Path:
    """The folder for media outputs, in the app's one scratch folder (pruned, and removed when the process exits)."""
    return scratch.folder("media")


def save(data: bytes, extension: str, result: Result) -> str:
    """Write one output to the media folder; the name says which provider and run made it."""
    provider = re.sub(r"[^A-Za-z0-9_.-]+", "-", result.provider)
    path = media_dir() / f"{provider}-run{result.run}-{uuid.uuid4().hex[:8]}.{extension}"
    path.write_bytes(data)
    return str(path)


def file_url(path: str) -> str:
    """Where the page fetches a saved media file (Gradio serves the media folder)."""
    return "/gradio_api/file=" + quote(path)
