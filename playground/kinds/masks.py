"""Segmentation: one mask per label, with the share of the image it covers; shown as one coloured overlay."""

from __future__ import annotations

import base64
import html
import io
import re
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..errors import BadResponse
from .common import MASK_COLOURS, Kind, elements, file_url, get, save, score

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def _mask_image(value: Any) -> Image.Image:
    if isinstance(value, Image.Image):
        return value
    if isinstance(value, str):  # base64 PNG, as the wire carries it
        return Image.open(io.BytesIO(base64.b64decode(value)))
    raise BadResponse(f"expected a mask image, got {type(value).__name__}")


def _on_picture(overlay: np.ndarray, picture: bytes | None) -> bytes:
    """The masks as a PNG, laid over the input picture (scaled to it) when there is one, as detection draws its boxes."""
    layer = Image.fromarray(overlay, "RGBA")
    try:
        with Image.open(io.BytesIO(picture or b"")) as opened:
            layer = Image.alpha_composite(opened.convert("RGBA"), layer.resize(opened.size, Image.Resampling.NEAREST))
    except (UnidentifiedImageError, OSError):
        pass  # no picture, or not one PIL reads: the masks alone
    buffer = io.BytesIO()
    layer.save(buffer, format="PNG")
    return buffer.getvalue()


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """[{"label", "score", "width", "height", "coverage"}] (coverage: share of the image the mask covers), largest first;
    an overlay PNG (each mask in its own colour) goes to `result.file`."""
    rows: list[dict[str, Any]] = []
    overlay: np.ndarray | None = None
    for index, item in enumerate(elements(output)):
        try:
            mask = np.asarray(_mask_image(get(item, "mask")).convert("L")) > 127
        except (OSError, ValueError, UnidentifiedImageError) as error:
            raise BadResponse(f"a mask could not be decoded ({error})") from None
        if overlay is None:
            overlay = np.zeros((*mask.shape, 4), dtype=np.uint8)
        colour = MASK_COLOURS[index % len(MASK_COLOURS)]
        if mask.shape == overlay.shape[:2]:
            overlay[mask] = (*colour, 160)
        rows.append(
            {"label": str(get(item, "label")), "score": score(get(item, "score")), "width": mask.shape[1], "height": mask.shape[0],
             "coverage": float(mask.mean()), "colour": "#{:02x}{:02x}{:02x}".format(*colour)}
        )
    if not rows or overlay is None:
        raise BadResponse("the provider answered with no masks")
    result.masks = sorted(rows, key=lambda row: row["coverage"], reverse=True)
    result.file = save(_on_picture(overlay, inputs.file if inputs is not None else None), "png", result)
    result.summary = f"{len(rows)} masks: " + ", ".join(row["label"] for row in result.masks[:5])


def show(result: Result) -> str:
    if not (result.file and result.masks):
        return ""
    keys = "".join(f"<li>{_key(m)}</li>" for m in result.masks[:20])
    return f'<img class="media mask" src="{file_url(result.file)}" alt="{html.escape(result.provider)}: its masks over the image"><ul class="masks">{keys}</ul>'


COLOUR = re.compile(r"#[0-9a-f]{6}")


def _key(mask: dict) -> str:
    """One mask's colour, label and score, and how much of the image it covers (a saved colour is checked: it goes into a style)."""
    colour = str(mask.get("colour") or "")
    swatch = f'<i class="swatch" style="background:{colour}"></i>' if COLOUR.fullmatch(colour) else ""
    found = f' {float(mask["score"]):.0%}' if mask.get("score") is not None else ""
    return f'{swatch}<b>{html.escape(str(mask.get("label")))}</b>{found} <small>covers {float(mask.get("coverage") or 0):.0%} of the image</small>'


KIND = Kind("masks", summarise, show)
