"""The History tab: saved comparisons, shown again, deleted or exported, and the model's leaderboard."""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import visitors
from ..history import History
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


def shelf(playground: Playground, browser_id: str | None, profile: gr.OAuthProfile | None) -> History | None:
    """This visitor's history, none other's (None: an anonymous visitor without a browser id, on a Space)."""
    owner = visitors.owner(playground.settings, profile, browser_id)
    return None if owner is None else playground.history_of(owner)


def leaderboard_view(mine: History | None, model_id: str | None) -> gr.Dataframe:
    board = mine.leaderboard(model_id) if mine is not None and model_id else None
    if board is None or board.empty:
        return gr.Dataframe(visible=False)
    return gr.Dataframe(value=views.rounded(board, 3), visible=True)


def list_history(mine: History | None, model_id: str | None) -> dict[str, Any]:
    rows = mine.list() if mine is not None else []
    return {
        "history_table": views.history_frame(rows),
        "chosen": gr.Dropdown(choices=[(views.history_label(r), r["id"]) for r in rows], value=rows[0]["id"] if rows else None),
        "leaderboard": leaderboard_view(mine, model_id),
    }


def show_saved(playground: Playground, mine: History | None, comparison_id: str | None) -> dict[str, Any]:
    if not comparison_id or mine is None:
        raise gr.Error("Choose a comparison in the list first.")
    try:
        saved = Comparison.from_json(mine.load(comparison_id))
    except KeyError:
        raise gr.Error("That comparison is not in your history.", print_exception=False) from None
    status = f"Saved comparison of {saved.model} ({saved.task})."
    return {"panels": views.panels_html(saved), "status": status, **compare.finished(playground, saved)}


def delete_saved(mine: History | None, comparison_id: str | None, model_id: str | None) -> dict[str, Any]:
    if comparison_id and mine is not None:
        mine.delete(comparison_id)
    return list_history(mine, model_id)


def export(mine: History | None, ids: list[str] | None, format: str) -> str | None:
    if mine is None:
        raise gr.Error("Nothing to export: your history is empty.")
    return str(mine.export(ids, format))  # type: ignore[arg-type]


def wire(page: Page, playground: Playground, running: gr.events.Dependency) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    p = page
    listed = p.all(LISTED)

    def refresh(model_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> dict[Any, Any]:
        return p.keyed(list_history(shelf(playground, browser_id, profile), model_id))

    def reload(comparison_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> dict[Any, Any]:
        return p.keyed(show_saved(playground, shelf(playground, browser_id, profile), comparison_id))

    def remove(comparison_id: str | None, model_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> dict[Any, Any]:
        return p.keyed(delete_saved(shelf(playground, browser_id, profile), comparison_id, model_id))

    def export_chosen(comparison_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> str | None:
        return export(shelf(playground, browser_id, profile), [comparison_id], "csv") if comparison_id else None

    def export_csv(browser_id: str | None, profile: gr.OAuthProfile | None) -> str | None:
        return export(shelf(playground, browser_id, profile), None, "csv")

    def export_json(browser_id: str | None, profile: gr.OAuthProfile | None) -> str | None:
        return export(shelf(playground, browser_id, profile), None, "json")

    p.refresh_history.click(refresh, [p.model, p.visitor], listed, **private)
    running.then(refresh, [p.model, p.visitor], listed, **private)
    p.reload.click(reload, [p.chosen, p.visitor], p.all(compare.SHOWN), **private)
    p.delete.click(remove, [p.chosen, p.model, p.visitor], listed, **private)
    p.export_one.click(export_chosen, [p.chosen, p.visitor], p.download, **private)
    p.export_all_csv.click(export_csv, [p.visitor], p.download, **private)
    p.export_all_json.click(export_json, [p.visitor], p.download, **private)
