"""Segmentation: one mask per label, with the share of the image it covers; shown as one coloured overlay."""

from __future__ import annotations

import base64
import html
import io
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
        if mask.shape == overlay.shape[:2]:
            overlay[mask] = (*MASK_COLOURS[index % len(MASK_COLOURS)], 160)
        rows.append(
            {"label": str(get(item, "label")), "score": score(get(item, "score")), "width": mask.shape[1], "height": mask.shape[0], "coverage": float(mask.mean())}
        )
    if not rows or overlay is None:
        raise BadResponse("the provider answered with no masks")
    result.masks = sorted(rows, key=lambda row: row["coverage"], reverse=True)
    buffer = io.BytesIO()
    Image.fromarray(overlay, "RGBA").save(buffer, format="PNG")
    result.file = save(buffer.getvalue(), "png", result)
    result.summary = f"{len(rows)} masks: " + ", ".join(row["label"] for row in result.masks[:5])


def show(result: Result) -> str:
    if not (result.file and result.masks):
        return ""
    shares = ", ".join(f'{html.escape(str(m.get("label")))} ({float(m.get("coverage") or 0):.0%})' for m in result.masks)
    return f'<img class="media mask" src="{file_url(result.file)}" alt="segmentation masks"><div class="caption">{shares}</div>'


KIND = Kind("masks", summarise, show)
