"""Video: the provider's file, with duration and frame size where an MP4/MOV header says them; shown with a player."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import media
from .common import Kind

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """{"format", "bytes", "duration_s", "width", "height"}; the last three parsed for MP4/MOV."""
    result.video = media.read(output, "video", result)


def show(result: Result) -> str:
    return media.player("video", result, result.video, ' class="media"')


KIND = Kind("video", summarise, show, 'open("output.mp4", "wb").write(output)\nprint("saved output.mp4")')
