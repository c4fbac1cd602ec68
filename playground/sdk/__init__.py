"""Everything that touches huggingface_hub's internals: where it sends requests (`urls`) and its private calls
(`internals`). The app, the simulator and the tests redirect the SDK through `apply` / `redirected` only."""

from __future__ import annotations

from .internals import clear_caches
from .urls import apply, helpers, redirected, rewrite

__all__ = ["apply", "clear_caches", "helpers", "redirected", "rewrite"]
