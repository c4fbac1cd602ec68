"""The one folder where the app writes files to hand to a browser (media outputs, scripts, exports).

One folder per process under the system temp folder, `playground-<random>`, removed when the process exits;
files older than `KEEP_S` are removed whenever a new one is written, so a long-running Space does not fill its disk.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
import uuid
from functools import cache
from pathlib import Path

KEEP_S = 3600.0
PRUNE_EVERY_S = 60.0
_lock = threading.Lock()
_last_prune = [0.0]


@cache
def root() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="playground-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def prune(now: float | None = None, keep_s: float = KEEP_S) -> int:
    """Remove files (and emptied folders) older than `keep_s`; returns how many files went."""
    now = time.time() if now is None else now
    removed = 0
    with _lock:
        for path in sorted(root().rglob("*"), key=lambda p: len(p.parts), reverse=True):
            try:
                if path.is_file() and now - path.stat().st_mtime > keep_s:
                    path.unlink()
                    removed += 1
                elif path.is_dir() and path.parent != root() and not any(path.iterdir()):
                    path.rmdir()
            except OSError:  # another thread got there first
                continue
    return removed


def folder(name: str) -> Path:
    """A sub-folder of the scratch folder; old files in the whole tree are pruned (at most once a minute)."""
    if time.monotonic() - _last_prune[0] > PRUNE_EVERY_S:
        _last_prune[0] = time.monotonic()
        prune()
    path = root() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_path(name: str) -> Path:
    """A fresh path for a file called `name` (in its own folder, so the download keeps that name)."""
    own = folder("files") / uuid.uuid4().hex[:12]
    own.mkdir()
    return own / name
