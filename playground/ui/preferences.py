"""Settings (and, when asked, keys) remembered in the visitor's browser."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import preferences, visitors
from ..vault import Vault
from . import setup
from .page import Page

REMEMBERED = {"remember_keys": "remember"}  # stored name → component name, where they differ
KEPT = [*(REMEMBERED.get(n, n) for n in preferences.REMEMBERED), "api_key", *setup.PROVIDER_KEYS]


def render(page: Page, vault: Vault) -> None:
    """Gradio's BrowserState gets a stable secret (what it stores survives restarts); keys are sealed before it."""
    page.add(prefs=gr.BrowserState({}, storage_key="inference-playground-preferences", secret=vault.browser_secret))
    page.add(visitor=gr.BrowserState("", storage_key="inference-playground-visitor", secret=vault.browser_secret))  # whose history


def save(vault: Vault, *values: Any) -> dict[str, Any]:
    """The values of `KEPT`, in order, as stored in the browser (keys sealed by the server)."""
    n = len(preferences.REMEMBERED)
    settings = dict(zip(preferences.REMEMBERED, values[:n]))
    stored = preferences.to_store(settings, values[n], dict(zip(setup.KEYED_PROVIDERS, values[n + 1 :])))
    if "keys" in stored:
        stored["keys"] = vault.seal(stored["keys"])
    return stored


def restore(vault: Vault, saved: dict[str, Any] | None) -> dict[str, Any]:
    """Component name → value for what the browser remembered; what it did not is left as it is."""
    saved = dict(saved or {})
    saved["keys"] = vault.open(saved.get("keys"), {})  # unsealed, forged or from another server: no keys
    settings, hf_key, provider_keys = preferences.from_store(saved)
    update: dict[str, Any] = {REMEMBERED.get(name, name): value for name, value in settings.items()}
    if hf_key is not None:
        update["api_key"] = hf_key
        update.update({f"key:{name}": key for name, key in provider_keys.items()})
    return {name: update.get(name, gr.skip()) for name in KEPT}


def own_browser_id(browser_id: str | None) -> str:
    """The id this browser keeps for its history: created on its first visit, never chosen by the visitor."""
    return browser_id if browser_id and visitors.BROWSER_ID.fullmatch(browser_id) else visitors.new_browser_id()


def wire(page: Page, demo: gr.Blocks, vault: Vault) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    kept = page.all(KEPT)
    demo.load(lambda saved: page.keyed(restore(vault, saved)), [page.prefs], kept, **private)
    demo.load(own_browser_id, [page.visitor], [page.visitor], **private)
    gr.on([c.change for c in kept], lambda *values: save(vault, *values), kept, page.prefs, **private)
