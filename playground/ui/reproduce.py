"""The Reproduce tab: the same calls as code, one snippet per provider, and a script that reruns them all."""

from __future__ import annotations

import gradio as gr

from .. import snippets
from . import views
from .page import Page


def render(page: Page) -> None:
    with gr.Tab("Reproduce"):
        gr.Markdown("The same calls as code. Keys are read from environment variables (`HF_TOKEN`, `<PROVIDER>_API_KEY`), never written here.")
        page.add(
            snippet_state=gr.State(None),  # {provider: {language: code}} of the last comparison
            language=gr.Radio(choices=[(label, name) for name, (label, _) in snippets.LANGUAGES.items()], value="python", label="Language"),
            code=gr.Code(language="python", label="One snippet per provider", value="# Run a comparison first."),
            script=gr.File(label="A Python script that reruns the whole comparison and prints the table", interactive=False),
        )


def wire(page: Page) -> None:
    p = page
    gr.on([p.language.change, p.snippet_state.change], views.snippets_code, [p.snippet_state, p.language], [p.code], api_visibility="private")
