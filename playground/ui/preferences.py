"""Settings (and, when asked, keys) remembered in the visitor's browser."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import preferences
from . import setup
from .page import Page

REMEMBERED = {"remember_keys": "remember"}  # stored name → component name, where they differ
KEPT = [*(REMEMBERED.get(n, n) for n in preferences.REMEMBERED), "api_key", *setup.PROVIDER_KEYS]


def render(page: Page) -> None:
    page.add(prefs=gr.BrowserState({}, storage_key="inference-playground-preferences"))


def save(*values: Any) -> dict[str, Any]:
    """The values of `KEPT`, in order, as stored in the browser."""
    n = len(preferences.REMEMBERED)
    settings = dict(zip(preferences.REMEMBERED, values[:n]))
    return preferences.to_store(settings, values[n], dict(zip(setup.KEYED_PROVIDERS, values[n + 1 :])))


def restore(saved: dict[str, Any] | None) -> dict[str, Any]:
    """Component name → value for what the browser remembered; what it did not is left as it is."""
    settings, hf_key, provider_keys = preferences.from_store(saved)
    update: dict[str, Any] = {REMEMBERED.get(name, name): value for name, value in settings.items()}
    if hf_key is not None:
        update["api_key"] = hf_key
        update.update({f"key:{name}": key for name, key in provider_keys.items()})
    return {name: update.get(name, gr.skip()) for name in KEPT}


def wire(page: Page, demo: gr.Blocks) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    kept = page.all(KEPT)
    demo.load(lambda saved: page.keyed(restore(saved)), [page.prefs], kept, **private)
    gr.on([c.change for c in kept], save, kept, page.prefs, **private)
