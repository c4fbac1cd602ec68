"""Which files a visitor can make the playground read: only those uploaded to this app, and not too big.

A visitor's `input_file` is data, never a path: anything outside Gradio's upload folder, or (through the API) not
uploaded to this app, is refused with the same words whether it exists or not, so nothing is learnt about the server.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from gradio.utils import get_upload_folder

from .planning import InvalidRequest

MAX_FILE_BYTES = 20 * 1024 * 1024
REFUSED = (
    "input_file must be a file uploaded with this request (gradio_client.handle_file(path), or the upload box); "
    "the playground reads no other path."
)


def _inside(path: str, folder: str) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base and real != base


def read_upload(path: str | Path | None, uploaded: Collection[str] | None = None) -> tuple[bytes | None, str]:
    """(bytes, file name) of an uploaded file; `uploaded`, when given, is the set of paths uploaded to this app."""
    if not path:
        return None, ""
    path = str(path)
    allowed = _inside(path, get_upload_folder()) and (uploaded is None or path in uploaded)
    if not allowed or not os.path.isfile(path):
        raise InvalidRequest(REFUSED)
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise InvalidRequest(f"input_file is {size / 2**20:.1f} MB; the playground takes files up to {MAX_FILE_BYTES // 2**20} MB.")
    with open(path, "rb") as file:
        return file.read(), Path(path).name
