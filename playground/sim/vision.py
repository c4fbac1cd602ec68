"""Images in chat: `image_url` content parts, accepted by vision-language models and refused by text-only ones."""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from PIL import Image, UnidentifiedImageError

from . import served


def image_urls(messages: list[dict[str, Any]]) -> list[str]:
    """The `image_url.url` of every image part in the request's messages."""
    found = []
    for message in messages:
        content = message.get("content")
        for part in content if isinstance(content, list) else ():
            if isinstance(part, dict) and part.get("type") == "image_url":
                url = part.get("image_url")
                found.append(str(url.get("url", "")) if isinstance(url, dict) else str(url or ""))
    return found


def count(content: Any) -> int:
    """How many image parts one message's content has."""
    return sum(1 for p in content if isinstance(p, dict) and p.get("type") == "image_url") if isinstance(content, list) else 0


def _describe(url: str) -> str | None:
    """"W×H FORMAT" of a data URI's image; None when it is not one that decodes."""
    if not url.startswith("data:image/") or ";base64," not in url:
        return None
    try:
        data = base64.b64decode(url.split(";base64,", 1)[1], validate=True)
        with Image.open(io.BytesIO(data)) as picture:
            return f"{picture.width}×{picture.height} {(picture.format or 'image').lower()}"
    except (binascii.Error, ValueError, UnidentifiedImageError, OSError):
        return None


def check(model_id: str, messages: list[dict[str, Any]], provider: str = "") -> tuple[str | None, list[str]]:
    """(why the request is refused, or None; what each image is) for the images a chat request carries. A provider
    may serve a vision-language model text only (`text_only` in its router meta), as some do."""
    urls = image_urls(messages)
    if not urls:
        return None, []
    found = served.model(model_id) or {}
    if found.get("pipeline_tag") != "image-text-to-text" or served.router_meta(model_id, provider).get("text_only"):
        return f"The model `{model_id}` does not support image inputs: it takes text only.", []
    described = [_describe(url) for url in urls]
    if None in described:
        return "Image inputs must be base64 data URIs of a PNG, JPEG, GIF or WebP image (`data:image/png;base64,…`).", []
    return None, [d for d in described if d]
