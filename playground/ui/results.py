"""The Table and Latency chart tabs: every result as a row, and each provider's median latency as a bar."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from ..model import TABLE_COLUMNS, Comparison
from . import views
from .page import Page


def render(page: Page) -> None:
    with gr.Tab("Table"):
        page.add(table=gr.Dataframe(value=pd.DataFrame(columns=list(TABLE_COLUMNS.values())), interactive=False, wrap=True))
    with gr.Tab("Latency chart"):
        page.add(
            chart=gr.BarPlot(
                x="provider", y="seconds", color="phase", y_title="seconds (median)", color_map=views.PHASE_COLOURS,
                x_label_angle=views.PROVIDER_LABEL_ANGLE,
                caption="Bar height = end-to-end latency; the lower part is the time to first token.",
            )
        )


def show(comparison: Comparison) -> dict[str, Any]:
    order = list(dict.fromkeys(r.provider for r in comparison.results))  # the panels' order, not A→Z
    return {"table": comparison.table(), "chart": gr.BarPlot(value=views.chart_frame(comparison), sort=order)}
