"""What the app remembers in a visitor's browser (never on the server): settings always, keys only when asked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REMEMBERED = ("preference", "max_tokens", "temperature", "top_p", "seed", "stream", "runs", "warmup", "remember_keys")


def to_store(settings: Mapping[str, Any], hf_key: str, provider_keys: Mapping[str, str]) -> dict[str, Any]:
    """What goes to the browser's storage: the settings, and the keys only when the person ticked "remember"."""
    saved = {name: settings[name] for name in REMEMBERED}
    if saved["remember_keys"]:
        saved["keys"] = {"hf": hf_key, **{name: key for name, key in provider_keys.items() if key}}
    return saved


def from_store(saved: Mapping[str, Any] | None) -> tuple[dict[str, Any], str | None, dict[str, str]]:
    """(settings, HF key or None, provider keys) back from the browser's storage."""
    saved = saved or {}
    settings = {name: saved[name] for name in REMEMBERED if name in saved}
    keys = saved.get("keys") or {}
    if not keys:
        return settings, None, {}
    return settings, keys.get("hf", ""), {name: key for name, key in keys.items() if name != "hf" and key}
