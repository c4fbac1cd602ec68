"""The History tab: saved comparisons, shown again, deleted or exported, and the model's leaderboard."""

from __future__ import annotations

from typing import Any, Literal

import gradio as gr

from .. import visitors
from ..conversation import Conversation
from ..history import History
from ..service import Playground
from . import compare, prompt, setup, threadviews, views
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


def shelf(playground: Playground, browser_id: str | None, profile: gr.OAuthProfile | None) -> History | None:
    """This visitor's history, none other's (None: an anonymous visitor without a browser id, on a Space)."""
    owner = visitors.owner(playground.settings, profile, browser_id)
    return None if owner is None else playground.history_of(owner)


def leaderboard_view(mine: History | None, model_id: str | None) -> gr.Dataframe:
    board = mine.leaderboard(model_id) if mine is not None and model_id else None
    if board is None or board.empty:
        return gr.Dataframe(visible=False)
    return gr.Dataframe(value=views.leaderboard_frame(board), visible=True)


def list_history(mine: History | None, model_id: str | None) -> dict[str, Any]:
    rows = mine.list() if mine is not None else []
    return {
        "history_table": views.history_frame(rows),
        "chosen": gr.Dropdown(choices=[(views.history_label(r), r["id"]) for r in rows], value=rows[0]["id"] if rows else None),
        "leaderboard": leaderboard_view(mine, model_id),
    }


def show_saved(playground: Playground, mine: History | None, comparison_id: str | None, order: str, by: str) -> dict[str, Any]:
    """A saved comparison on screen, and the controls set as it was run, so Compare repeats it."""
    if not comparison_id or mine is None:
        raise gr.Error("Choose a comparison in the list first.")
    try:
        saved = mine.load(comparison_id)
    except KeyError:
        raise gr.Error("That comparison is not in your history.", print_exception=False) from None
    status = f"Saved comparison of {saved.model} ({saved.task})."
    controls = views.saved_controls(saved)
    wanted = list(dict.fromkeys(r.provider for r in saved.results))
    return {
        "panels": views.panels_html(saved), "status": status, **compare.finished(playground, saved),
        "task": saved.task, **prompt.show_inputs(saved.task, {"prompt": saved.prompt, **controls}), "model": gr.Dropdown(value=saved.model),
        **setup.provider_choices(playground, saved.task, saved.model, order, by, wanted),
        **{name: value for name, value in controls.items() if name in setup.RESTORED},
        **threadviews.conversation_shown(Conversation.reopened(saved)),  # Send goes on with it
    }


def delete_saved(mine: History | None, comparison_id: str | None, model_id: str | None) -> dict[str, Any]:
    if comparison_id and mine is not None:
        mine.delete(comparison_id)
    return list_history(mine, model_id)


def export(mine: History | None, comparison_id: str | None, format_: Literal["csv", "json"], chosen_only: bool = False) -> gr.File:
    """One file for the person: the chosen comparison, or all of them (in the app's scratch folder)."""
    if chosen_only and not comparison_id:
        raise gr.Error("Choose a comparison in the list first.", print_exception=False)
    if mine is None:
        raise gr.Error("Nothing to export: your history is empty.", print_exception=False)
    ids = [comparison_id] if comparison_id and chosen_only else None
    return gr.File(value=mine.export(ids, format_), visible=True)


def wire(page: Page, playground: Playground, running: gr.events.Dependency, stopping: gr.events.Dependency) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    p = page
    listed = p.all(LISTED)

    def refresh(model_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> dict[Any, Any]:
        return p.keyed(list_history(shelf(playground, browser_id, profile), model_id))

    def reload(comparison_id: str | None, order: str, by: str, browser_id: str | None, profile: gr.OAuthProfile | None) -> dict[Any, Any]:
        return p.keyed(show_saved(playground, shelf(playground, browser_id, profile), comparison_id, order, by))

    def remove(comparison_id: str | None, model_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> dict[Any, Any]:
        return p.keyed(delete_saved(shelf(playground, browser_id, profile), comparison_id, model_id))

    def export_chosen(comparison_id: str | None, browser_id: str | None, profile: gr.OAuthProfile | None) -> gr.File:
        return export(shelf(playground, browser_id, profile), comparison_id, "csv", chosen_only=True)

    def export_csv(browser_id: str | None, profile: gr.OAuthProfile | None) -> gr.File:
        return export(shelf(playground, browser_id, profile), None, "csv")

    def export_json(browser_id: str | None, profile: gr.OAuthProfile | None) -> gr.File:
        return export(shelf(playground, browser_id, profile), None, "json")

    p.refresh_history.click(refresh, [p.model, p.visitor], listed, **private)
    running.then(refresh, [p.model, p.visitor], listed, **private)
    stopping.then(refresh, [p.model, p.visitor], listed, **private)
    restored = list(dict.fromkeys([*compare.SHOWN, *setup.OUTPUTS, *setup.RESTORED, *compare.CONVERSATION]))
    p.reload.click(reload, [p.chosen, p.preference, p.sort, p.visitor], p.all(restored), **private)
    p.delete.click(remove, [p.chosen, p.model, p.visitor], listed, **private)
    p.export_one.click(export_chosen, [p.chosen, p.visitor], p.download, **private)
    p.export_all_csv.click(export_csv, [p.visitor], p.download, **private)
    p.export_all_json.click(export_json, [p.visitor], p.download, **private)
