"""The Definitions tab: what each figure means."""

from __future__ import annotations

import gradio as gr

from . import views


def render() -> None:
    with gr.Tab("Definitions"):
        gr.Markdown("\n".join(f"- **{k}**: {v}" for k, v in views.METRIC_HELP.items()))
