"""The History tab: saved comparisons, shown again, deleted or exported, and the model's leaderboard."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..model import Comparison
from ..service import Playground
from . import compare, views
from .page import Page

LISTED = ["history_table", "chosen", "leaderboard"]


def render(page: Page) -> None:
    with gr.Tab("History"):
        with gr.Row():
            page.add(
                refresh_history=gr.Button("Refresh", size="sm"),
                chosen=gr.Dropdown(label="Comparison", choices=[], allow_custom_value=False, scale=3),
                reload=gr.Button("Show it", size="sm"),
                delete=gr.Button("Delete", size="sm", variant="stop"),
            )
        with gr.Row():
            page.add(
                export_one=gr.Button("Export it (CSV)", size="sm"),
                export_all_csv=gr.Button("Export all (CSV)", size="sm"),
                export_all_json=gr.Button("Export all (JSON)", size="sm"),
            )
        page.add(
            download=gr.File(label="Export", interactive=False),
            history_table=gr.Dataframe(value=views.history_frame([]), interactive=False, wrap=True),
            leaderboard=gr.Dataframe(interactive=False, wrap=True, label="Leaderboard of this model, from history", visible=False),
        )


def leaderboard_view(playground: Playground, model_id: str | None) -> gr.Dataframe:
    board = playground.history.leaderboard(model_id) if model_id else None
    if board is None or board.empty:
        return gr.Dataframe(visible=False)
    return gr.Dataframe(value=views.rounded(board, 3), visible=True)


def list_history(playground: Playground, model_id: str | None) -> dict[str, Any]:
    rows = playground.history.list()
    return {
        "history_table": views.history_frame(rows),
        "chosen": gr.Dropdown(choices=[(views.history_label(r), r["id"]) for r in rows], value=rows[0]["id"] if rows else None),
        "leaderboard": leaderboard_view(playground, model_id),
    }


def show_saved(playground: Playground, comparison_id: str | None) -> dict[str, Any]:
    if not comparison_id:
        raise gr.Error("Choose a comparison in the list first.")
    saved = Comparison.from_json(playground.history.load(comparison_id))
    status = f"Saved comparison of {saved.model} ({saved.task})."
    return {"panels": views.panels_html(saved), "status": status, **compare.finished(playground, saved)}


def delete_saved(playground: Playground, comparison_id: str | None, model_id: str | None) -> dict[str, Any]:
    if comparison_id:
        playground.history.delete(comparison_id)
    return list_history(playground, model_id)


def wire(page: Page, playground: Playground, running: gr.events.Dependency) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    p, history = page, playground.history
    listed = p.all(LISTED)

    def refresh(model_id: str | None) -> dict[Any, Any]:
        return p.keyed(list_history(playground, model_id))

    p.refresh_history.click(refresh, [p.model], listed, **private)
    running.then(refresh, [p.model], listed, **private)
    p.reload.click(lambda i: p.keyed(show_saved(playground, i)), [p.chosen], p.all(compare.SHOWN), **private)
    p.delete.click(lambda i, m: p.keyed(delete_saved(playground, i, m)), [p.chosen, p.model], listed, **private)
    p.export_one.click(lambda i: history.export([i] if i else None, "csv"), [p.chosen], p.download, **private)
    p.export_all_csv.click(lambda: history.export(None, "csv"), None, p.download, **private)
    p.export_all_json.click(lambda: history.export(None, "json"), None, p.download, **private)
