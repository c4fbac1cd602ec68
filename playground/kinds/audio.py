"""Audio: speech and sound files, with duration and sample rate where the header says them; shown with a player."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import media
from .common import Kind

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """{"format", "bytes", "duration_s", "sample_rate", "channels"}; duration and rate parsed for WAV and FLAC."""
    result.audio = media.read(output, "audio", result)
    result.audio.setdefault("sample_rate", None)


def show(result: Result) -> str:
    return media.player("audio", result, result.audio)


KIND = Kind("audio", summarise, show, 'open("output.flac", "wb").write(output)\nprint("saved output.flac")')
