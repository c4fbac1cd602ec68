"""Images: the provider's own encoded file, decoded once to check it, shown with its size and a download link."""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from .. import units
from ..errors import BadResponse
from .common import Kind, file_url, save

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def _image_bytes(output: Any) -> bytes:
    """The provider's encoded file: the SDK opens images lazily from a BytesIO, which still holds the original bytes."""
    if isinstance(output, (bytes, bytearray, memoryview)):
        return bytes(output)
    if isinstance(output, Image.Image):
        buffer = getattr(output, "fp", None)
        if isinstance(buffer, io.BytesIO):
            return buffer.getvalue()
        encoded = io.BytesIO()
        output.save(encoded, format=output.format or "PNG")
        return encoded.getvalue()
    raise BadResponse(f"expected an image, got {type(output).__name__}")


def describe(data: bytes) -> dict[str, Any]:
    """{"width", "height", "format", "bytes", "mode"}; decodes every pixel so a truncated file is caught here."""
    if not data:
        raise BadResponse("the provider answered with an empty image")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            return {"width": picture.width, "height": picture.height, "format": (picture.format or "").lower(), "bytes": len(data), "mode": picture.mode}
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise BadResponse(f"the provider's image could not be decoded ({error})") from None


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    data = _image_bytes(output)
    result.image = describe(data)
    result.file = save(data, result.image["format"] or "png", result)
    result.summary = f"{result.image['width']}×{result.image['height']} {result.image['format']}, {units.size(len(data))}"


def show(result: Result) -> str:
    if not (result.file and result.image):
        return ""
    i, url = result.image, file_url(result.file)
    return (f'<img class="media" src="{url}" alt="{html.escape(result.provider)} output">'
            f'<div class="caption">{i.get("width")}×{i.get("height")} {i.get("format", "")} · {units.size(i.get("bytes"))} · <a href="{url}" download>download</a></div>')


KIND = Kind("image", summarise, show, 'output.save("output.png")\nprint("saved output.png", output.size)')
