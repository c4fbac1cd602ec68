"""Video: the provider's file, with duration and frame size where an MP4/MOV header says them; shown with a player."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import units
from . import media
from .common import Kind, file_url

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """{"format", "bytes", "duration_s", "width", "height"}; the last three parsed for MP4/MOV."""
    result.video = media.read(output, "video", result)


def show(result: Result) -> str:
    if not (result.file and result.video):
        return ""
    v = result.video
    duration = f'{v["duration_s"]:.1f} s · ' if v.get("duration_s") else ""
    return f'<video controls class="media" src="{file_url(result.file)}"></video><div class="caption">{duration}{v.get("format", "")} · {units.size(v.get("bytes"))}</div>'


KIND = Kind("video", summarise, show, 'open("output.mp4", "wb").write(output)\nprint("saved output.mp4")')
