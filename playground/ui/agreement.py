"""The Agreement tab: how alike the answers are, and a diff of the two least alike."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..model import Comparison
from . import views
from .page import Page


def render(page: Page) -> None:
    with gr.Tab("Agreement"):
        gr.Markdown("How alike the answers are (1 = identical words). Use temperature 0 and a seed: differences then come from the providers, e.g. quantisation.")
        page.add(matrix=gr.Dataframe(interactive=False, label="Similarity"), diff=gr.HTML())


def show(comparison: Comparison) -> dict[str, Any]:
    matrix, diff = views.agreement_view(comparison)
    return {"matrix": matrix, "diff": diff}
