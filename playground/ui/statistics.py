"""The Statistics tab: per provider over the counted runs, each run as a dot, and measured next to advertised."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import stats
from ..model import Comparison
from ..service import Playground
from . import views
from .page import Page


def render(page: Page) -> None:
    with gr.Tab("Statistics"):
        page.add(
            summary=gr.Dataframe(interactive=False, wrap=True, label="Per provider over counted runs (median, p90, min, max)"),
            spread=gr.ScatterPlot(x="provider", y="latency_s", color="provider", y_title="latency (s), one dot per run",
                                  x_label_angle=views.PROVIDER_LABEL_ANGLE),
            advertised=gr.Dataframe(interactive=False, wrap=True, label="Measured medians next to what the router advertises"),
        )


def show(playground: Playground, comparison: Comparison) -> dict[str, Any]:
    meta = {p["provider"]: p for p in playground.providers(comparison.model, comparison.task)}
    return {
        "summary": views.statistics_frame(stats.summary_frame(comparison)),
        "spread": gr.ScatterPlot(value=stats.runs_frame(comparison), sort=list(dict.fromkeys(r.provider for r in comparison.results))),
        "advertised": views.advertised_view(stats.measured_vs_advertised(comparison, meta), comparison.task),
    }
