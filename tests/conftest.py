"""Fixtures shared by every test module. Keep them small and generic."""

from __future__ import annotations

import os
import random
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cassettes import Replay, replaying


@pytest.fixture
def replay() -> Iterator[Replay]:
    """Recorded traffic served to huggingface_hub on the live URLs (see tests/cassettes.py); nothing reaches the network."""
    with replaying() as serving:
        yield serving


@pytest.fixture
def hf_key() -> str:
    """A fresh HF-shaped key, so a test can tell whether it leaked anywhere."""
    return "hf_" + "".join(random.choices(string.ascii_letters, k=30))


@pytest.fixture(scope="session")
def js_clients() -> Path:
    """The folder where scripts/npm-install.sh put the JavaScript clients (PLAYGROUND_JS_DIR, or its default cache).

    Skipped when node or the packages are missing, unless PLAYGROUND_REQUIRE_CLIENTS=1 (CI) makes that a failure."""
    folder = Path(os.environ.get("PLAYGROUND_JS_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "playground-js")
    missing = shutil.which("node") is None or not (folder / "node_modules" / "@huggingface" / "inference").is_dir()
    if missing and os.environ.get("PLAYGROUND_REQUIRE_CLIENTS") == "1":
        pytest.fail(f"node or the JavaScript clients are missing in {folder}: run scripts/npm-install.sh")
    if missing:
        pytest.skip(f"no JavaScript clients in {folder}: run scripts/npm-install.sh")
    return folder
