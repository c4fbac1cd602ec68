"""The History tab: saved comparisons, shown again, deleted or exported, and the model's leaderboard."""

from __future__ import annotations

from typing import Any, Literal

import gradio as gr

from .. import outputs
from ..model import Comparison
from ..service import Playground
from . import compare, prompt, setup, views
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
            download=gr.File(label="Export", interactive=False, visible=False),  # shown once there is a file
            history_table=gr.Dataframe(value=views.history_frame([]), interactive=False, wrap=True),
            leaderboard=gr.Dataframe(interactive=False, wrap=True, label="Leaderboard of this model, from history", visible=False),
        )


def leaderboard_view(playground: Playground, model_id: str | None) -> gr.Dataframe:
    board = playground.history.leaderboard(model_id) if model_id else None
    if board is None or board.empty:
        return gr.Dataframe(visible=False)
    return gr.Dataframe(value=views.leaderboard_frame(board), visible=True)


def list_history(playground: Playground, model_id: str | None) -> dict[str, Any]:
    rows = playground.history.list()
    return {
        "history_table": views.history_frame(rows),
        "chosen": gr.Dropdown(choices=[(views.history_label(r), r["id"]) for r in rows], value=rows[0]["id"] if rows else None),
        "leaderboard": leaderboard_view(playground, model_id),
    }


def show_saved(playground: Playground, comparison_id: str | None, order: str, by: str) -> dict[str, Any]:
    """A saved comparison on screen, and the controls set as it was run, so Compare repeats it."""
    if not comparison_id:
        raise gr.Error("Choose a comparison in the list first.")
    saved = Comparison.from_json(playground.history.load(comparison_id))
    status = f"Saved comparison of {saved.model} ({saved.task})."
    controls = views.saved_controls(saved)
    wanted = list(dict.fromkeys(r.provider for r in saved.results))
    return {
        "panels": views.panels_html(saved), "status": status, **compare.finished(playground, saved),
        "task": saved.task, **prompt.show_inputs(saved.task, {"prompt": saved.prompt, **controls}), "model": gr.Dropdown(value=saved.model),
        **setup.provider_choices(playground, saved.task, saved.model, order, by, wanted),
        **{name: value for name, value in controls.items() if name in setup.LINKED},
    }


def export(playground: Playground, comparison_id: str | None, format_: Literal["csv", "json"], chosen_only: bool = False) -> gr.File:
    """One file for the person: the chosen comparison, or all of them."""
    if chosen_only and not comparison_id:
        raise gr.Error("Choose a comparison in the list first.", print_exception=False)
    ids = [comparison_id] if comparison_id and chosen_only else None
    # Into this process's media folder (removed at exit): Gradio serves its own copy of the file from then on.
    return gr.File(value=playground.history.export(ids, format_, directory=outputs.media_dir() / "exports"), visible=True)


def delete_saved(playground: Playground, comparison_id: str | None, model_id: str | None) -> dict[str, Any]:
    if comparison_id:
        playground.history.delete(comparison_id)
    return list_history(playground, model_id)


def wire(page: Page, playground: Playground, running: gr.events.Dependency, stopping: gr.events.Dependency) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    p = page
    listed = p.all(LISTED)

    def refresh(model_id: str | None) -> dict[Any, Any]:
        return p.keyed(list_history(playground, model_id))

    p.refresh_history.click(refresh, [p.model], listed, **private)
    running.then(refresh, [p.model], listed, **private)
    stopping.then(refresh, [p.model], listed, **private)
    restored = list(dict.fromkeys([*compare.SHOWN, *setup.OUTPUTS, *setup.LINKED]))
    p.reload.click(lambda *v: p.keyed(show_saved(playground, *v)), [p.chosen, p.preference, p.sort], p.all(restored), **private)
    p.delete.click(lambda i, m: p.keyed(delete_saved(playground, i, m)), [p.chosen, p.model], listed, **private)
    p.export_one.click(lambda i: export(playground, i, "csv", chosen_only=True), [p.chosen], p.download, **private)
    p.export_all_csv.click(lambda: export(playground, None, "csv"), None, p.download, **private)
    p.export_all_json.click(lambda: export(playground, None, "json"), None, p.download, **private)
