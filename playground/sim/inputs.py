"""Reading what a request asks for: prompts, sizes, input images and audio, in each provider's fields."""

from __future__ import annotations

import base64
import binascii
import re
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .media import Media, clamp_side
from .state import Call

MEDIA_PATH = "/media/"


def decoded(value: Any) -> bytes | None:
    """Bytes from a data URL or bare base64; None for anything else (URLs outside the simulator)."""
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        return None
    if value.startswith("data:"):
        value = value.partition(",")[2]
    elif value.startswith(("http://", "https://")):
        return None
    try:
        return base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError):
        return None


def fetched(call: Call, value: Any) -> bytes | None:
    """An input file: inline, or one of the simulator's own media URLs (nothing is fetched from outside)."""
    if isinstance(value, str) and MEDIA_PATH in value and call.state is not None:
        media = call.state.media.get(value.rsplit(MEDIA_PATH, 1)[1].split("?")[0])
        return media.render() if media else None
    return decoded(value)


def first(body: Any, *keys: str) -> Any:
    """The first of `keys` present in a dict (searched in `input` and `parameters` too)."""
    if not isinstance(body, dict):
        return None
    for scope in (body, body.get("input"), body.get("parameters")):
        if isinstance(scope, dict):
            for key in keys:
                if scope.get(key) is not None:
                    return scope[key]
    return None


def prompt_of(body: Any) -> str:
    for key in ("prompt", "text", "input", "inputs"):
        value = first(body, key)
        if isinstance(value, str):
            return value
    return ""


def size_of(body: Any, default: tuple[int, int]) -> tuple[int, int]:
    size = first(body, "image_size", "size", "target_size")
    if isinstance(size, dict):
        return clamp_side(size.get("width"), default[0]), clamp_side(size.get("height"), default[1])
    if isinstance(size, str) and re.fullmatch(r"\d+[x*]\d+", size):
        width, height = re.split(r"[x*]", size)
        return clamp_side(int(width), default[0]), clamp_side(int(height), default[1])
    return clamp_side(first(body, "width"), default[0]), clamp_side(first(body, "height"), default[1])


def seed_of(body: Any, call: Call) -> int:
    seed = first(body, "seed")
    return seed if isinstance(seed, int) else call.rng.getrandbits(31)


def new_media(call: Call, kind: str, fmt: str, prompt: str, size: tuple[int, int] = (512, 512),
              source: bytes | None = None, seed: int = 0) -> Media:
    return Media(kind=kind, fmt=fmt, prompt=prompt, provider=call.provider, model=call.model_id, width=size[0],
                 height=size[1], seed=seed, source=source)


def publish(call: Call, media: Media) -> str:
    """Keep the media and give the URL a client downloads it from."""
    assert call.state is not None
    return f"{call.base}{MEDIA_PATH}{call.state.media.add(media)}"


def multipart_parts(body: bytes, content_type: str) -> dict[str, bytes]:
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    parts: dict[str, bytes] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name, payload = part.get_param("name", header="content-disposition"), part.get_payload(decode=True)
        parts[name if isinstance(name, str) else ""] = payload if isinstance(payload, bytes) else b""
    return parts
