"""Object detection: labelled boxes in pixels, best first, drawn on the input image."""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from ..errors import BadResponse
from .common import MASK_COLOURS, Kind, by_score, elements, file_url, get, save, score

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def _box(value: Any) -> dict[str, int]:
    return {side: round(float(get(value, side))) for side in ("xmin", "ymin", "xmax", "ymax")}


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """[{"label", "score", "box": {xmin, ymin, xmax, ymax}}] in pixels, best first; none found is a valid answer."""
    try:
        rows = [{"label": str(get(item, "label")), "score": score(get(item, "score")), "box": _box(get(item, "box"))} for item in elements(output)]
    except (TypeError, ValueError) as error:
        raise BadResponse(f"malformed box ({error})") from None
    result.boxes = by_score(rows)
    result.summary = f"{len(rows)} objects" + (f": {', '.join(sorted({str(row['label']) for row in rows}))}" if rows else "")
    if inputs is not None and inputs.file:
        result.file = _draw(inputs.file, result.boxes, result)


def _draw(picture: bytes, found: list[dict[str, Any]], result: Result) -> str | None:
    """The input image with each box drawn in its own colour and labelled, as a PNG in the media folder."""
    try:
        with Image.open(io.BytesIO(picture)) as opened:
            canvas = opened.convert("RGB")
    except (UnidentifiedImageError, OSError):
        return None
    draw = ImageDraw.Draw(canvas)
    width = max(2, round(min(canvas.size) / 200))
    font = ImageFont.load_default(size=max(12, round(min(canvas.size) / 30)))
    for index, row in enumerate(found[:20]):
        colour, box = MASK_COLOURS[index % len(MASK_COLOURS)], row["box"]
        draw.rectangle((box["xmin"], box["ymin"], box["xmax"], box["ymax"]), outline=colour, width=width)
        caption = f"{row['label']} {row['score'] or 0:.2f}"
        _, _, right, bottom = draw.textbbox((box["xmin"] + 3, box["ymin"] + 1), caption, font=font)
        draw.rectangle((box["xmin"], box["ymin"], right + 3, bottom + 3), fill=colour)
        draw.text((box["xmin"] + 3, box["ymin"] + 1), caption, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return save(buffer.getvalue(), "png", result)


def _line(found: dict) -> str:
    box = found.get("box") or {}
    corners = f'({box.get("xmin")}, {box.get("ymin")}) to ({box.get("xmax")}, {box.get("ymax")})'
    return f'<b>{html.escape(str(found.get("label")))}</b> {float(found.get("score") or 0):.0%} <small>at {html.escape(corners)}</small>'


def show(result: Result) -> str:
    if result.boxes is None:
        return ""
    drawn = (f'<img class="media boxed" src="{file_url(result.file)}" '
             f'alt="{html.escape(result.provider)}: the boxes it found, drawn on the image">') if result.file else ""
    if not result.boxes:
        return drawn + '<div class="caption">No objects found.</div>'
    return drawn + "<ul class='boxes'>" + "".join(f"<li>{_line(b)}</li>" for b in result.boxes[:20]) + "</ul>"


KIND = Kind("boxes", summarise, show)
