"""The page: each area renders itself (one module each), then each wires its events. No logic here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from ..kinds.common import media_dir
from ..service import Playground
from ..uploads import MAX_FILE_BYTES
from ..vault import Vault
from . import (
    agreement,
    api,
    bench,
    claims,
    compare,
    conversation,
    definitions,
    header,
    history,
    preferences,
    prompt,
    reproduce,
    results,
    setup,
    statistics,
)
from .page import Page

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def launch_options() -> dict[str, Any]:
    """What `launch()` needs besides host and port (Gradio 6 takes theme and CSS at launch)."""
    return {
        "css_paths": [ASSETS / "style.css"],
        "theme": gr.themes.Soft(),
        "footer_links": ["api", "gradio"],
        "allowed_paths": [str(media_dir())],
        "max_file_size": MAX_FILE_BYTES,  # Gradio refuses a bigger upload before it is stored
    }


def render(page: Page, playground: Playground, vault: Vault) -> None:
    preferences.render(page, vault)
    header.render(page, playground)
    with gr.Row(equal_height=False, elem_id="main-row"):
        with gr.Column(scale=2, min_width=300, elem_classes="setup"):
            setup.render(page)
        with gr.Column(scale=5, min_width=300):
            prompt.render(page)
            compare.render(page)
            conversation.render(page)
            with gr.Tabs():
                results.render(page)
                statistics.render(page)
                claims.render(page)
                agreement.render(page)
                history.render(page)
                with gr.Tab("Load test"):
                    bench.render(page, playground)
                reproduce.render(page)
                definitions.render()


def build(playground: Playground) -> gr.Blocks:
    page = Page()
    vault = Vault.of(playground.settings)  # a stable secret kept on the server: keys are sealed before browsers keep them
    with gr.Blocks(title="Inference Providers Playground") as demo:
        render(page, playground, vault)
        preferences.wire(page, demo, vault)
        setup.wire(page, demo, playground)
        header.wire(page, demo, playground)
        setup.wire_inputs(page, playground)
        prompt.wire(page, playground)
        running, stopping = compare.wire(page, playground, conversation.wire(page, playground))
        reproduce.wire(page)
        history.wire(page, playground, running, stopping)
        claims.wire(page, playground, running)
        api.register(playground)
    return demo
