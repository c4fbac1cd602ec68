"""The request column: what is sent (prompt, files, labels, context), its parameters, and the cost estimate."""

from __future__ import annotations

import json
from typing import Any

import gradio as gr

from ..examples import DEFAULT_PROMPT, prefill
from ..planning import MAX_RUNS
from ..schemas import EFFORTS
from ..service import Playground
from ..tasks import get_task
from . import tools, views
from .page import Page

CHAT_ONLY = ("conversational",)
CHAT_IMAGE = {"label": "Image, sent with the message (vision models only)", "height": 140}  # optional there: kept small
TASK_OUTPUTS = ["system", "prompt", "image", "audio", "labels", "context", "chat_params", "params_json"]


def render(page: Page) -> None:
    page.add(
        system=gr.Textbox(label="System prompt (optional)", lines=1, max_lines=6),
        prompt=gr.Textbox(label="Prompt", value=DEFAULT_PROMPT, lines=3, max_lines=20),
    )
    with gr.Row():
        page.add(
            image=gr.Image(label="Image", type="filepath", visible=False),
            audio=gr.Audio(label="Audio", type="filepath", sources=["upload", "microphone"], visible=False),
        )
    page.add(
        labels=gr.Textbox(label="Candidate labels (comma-separated)", visible=False),
        context=gr.Textbox(label="Context", lines=3, visible=False),
    )
    with gr.Accordion("Parameters", open=False):
        with gr.Group(visible=True) as chat_params:
            with gr.Row():
                page.add(
                    max_tokens=gr.Slider(1, 4096, value=256, step=1, label="max_tokens"),
                    temperature=gr.Slider(0, 2, value=0.7, step=0.05, label="temperature"),
                    top_p=gr.Slider(0, 1, value=1.0, step=0.01, label="top_p"),
                )
            with gr.Row():
                page.add(
                    seed=gr.Textbox(value="", max_lines=1, label="seed (empty: none; set with temperature 0 to compare answers)"),
                    stream=gr.Checkbox(value=True, label="stream (needed for time to first token)"),
                    reasoning_effort=gr.Radio(choices=["off", *EFFORTS], value="off", label="reasoning_effort (reasoning models; off: not sent)"),
                )
            tools.render(page)
        page.add(chat_params=chat_params, params_json=gr.Code(label="Parameters (JSON)", language="json", visible=False))
        with gr.Row():
            page.add(
                runs=gr.Number(value=1, precision=0, minimum=1, maximum=MAX_RUNS, label="runs (each a full fan-out)"),
                warmup=gr.Checkbox(value=False, label="one uncounted warm-up run first"),
            )
    page.add(estimate=gr.Markdown(elem_classes="estimate"))


def show_inputs(task_id: str, typed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The inputs this task reads, labelled for it; what the person typed is kept, examples fill the blanks.
    `typed` may also set the system prompt and the JSON parameters (from a link or a saved comparison)."""
    chosen = get_task(task_id)
    kinds = chosen.inputs
    defaults = {k: v for k, v in chosen.defaults.items() if v is not None}
    typed = typed or {}
    filled = prefill(chosen, typed)
    sentences = "sentences" in kinds
    return {
        "system": gr.Textbox(visible="system" in kinds, **({"value": typed["system"]} if "system" in typed else {})),
        "prompt": gr.Textbox(visible="prompt" in kinds, label=chosen.prompt_label, value=filled["prompt"]),
        "image": gr.Image(visible="image" in kinds, **(CHAT_IMAGE if task_id in CHAT_ONLY else {"label": "Image", "height": None})),
        "audio": gr.Audio(visible="audio" in kinds),
        "labels": gr.Textbox(visible="labels" in kinds, value=filled["labels"]),
        "context": gr.Textbox(
            visible="context" in kinds or sentences,
            label="Sentences to compare (one per line)" if sentences else "Context",
            value=filled["context"],
        ),
        "chat_params": gr.Group(visible=task_id in CHAT_ONLY),
        "params_json": gr.Code(visible=task_id not in CHAT_ONLY, value=typed.get("params") or json.dumps(defaults, indent=2)),
    }


def cost_estimate(
    playground: Playground, task_id: str, model_id: str | None, chosen: list[str], n_tokens: float, n_runs: float, warm: bool, system_text: str, prompt_text: str
) -> str:
    if not model_id or not chosen:
        return ""
    if task_id not in CHAT_ONLY:
        return views.UNPRICED_TASK
    found = playground.cost_estimate(model_id, task_id, chosen, int(n_tokens), max(1, int(n_runs or 1)), system_text + prompt_text, warm)
    return "**Before you compare:** " + found.message() if found else ""


def wire(page: Page, playground: Playground) -> None:
    p = page
    gr.on(
        [p.providers.change, p.max_tokens.release, p.runs.change, p.warmup.change, p.prompt.blur],
        lambda *values: cost_estimate(playground, *values),
        [p.task, p.model, p.providers, p.max_tokens, p.runs, p.warmup, p.system, p.prompt],
        p.estimate,
        api_visibility="private",
    )
