"""Images in chat snippets: a snippet reads each image from its file instead of holding megabytes of base64."""

from __future__ import annotations

import json
import shlex
from typing import Any

IMAGE_MARK = "@@image-{}@@"
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def marked_images(args: tuple[Any, ...], file_name: str) -> tuple[tuple[Any, ...], tuple[tuple[str, str], ...]]:
    """Chat messages with each image's data URI replaced by a mark, and (file, MIME type) of each: a snippet reads
    the file (the one attached to this message is `file_name`; earlier ones are image-1.png, …) instead of holding
    megabytes of base64."""
    if not args or not isinstance(args[0], list):
        return args, ()
    images: list[tuple[str, str]] = []
    messages = []
    for message in args[0]:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            parts = []
            for part in content:
                url = str((part.get("image_url") or {}).get("url", "")) if part.get("type") == "image_url" else ""
                if url.startswith("data:"):
                    mime = url[5 : url.find(";")]
                    images.append((f"image-{len(images) + 1}.{_EXTENSIONS.get(mime, 'png')}", mime))
                    part = {"type": "image_url", "image_url": {"url": IMAGE_MARK.format(len(images) - 1)}}
                parts.append(part)
            message = {**message, "content": parts}
        messages.append(message)
    if images and file_name:
        images[-1] = (file_name, images[-1][1])  # the newest image is the one uploaded with this message
    return (messages, *args[1:]), tuple(images)


_IMAGE_CODE = {  # language → (what it needs first, the expression of one image's data URI)
    "python": ("import base64\n", '"data:{mime};base64," + base64.b64encode(open({file}, "rb").read()).decode()'),
    "openai": ("import base64\n", '"data:{mime};base64," + base64.b64encode(open({file}, "rb").read()).decode()'),
    "javascript": ('import { readFileSync } from "node:fs";\n', '"data:{mime};base64," + readFileSync({file}).toString("base64")'),
    "curl": ("", '"data:{mime};base64,\'"$(base64 -w0 {bare})"\'"'),
}


def with_images(code: str | None, images: tuple[tuple[str, str], ...], language: str) -> str | None:
    """`code` reading each marked image (`images`: file, MIME type) from its file."""
    if code is None or not images:
        return code
    first, expression = _IMAGE_CODE[language]
    for index, (file, mime) in enumerate(images):
        code = code.replace(json.dumps(IMAGE_MARK.format(index)), expression.format(mime=mime, file=json.dumps(file), bare=shlex.quote(file)))
    return first + code
