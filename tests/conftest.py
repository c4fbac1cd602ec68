"""Fixtures shared by every test module. Keep them small and generic."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

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
