"""The setup column: task, model, providers and keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gradio as gr
from huggingface_hub.inference._providers import PROVIDERS

from .. import catalog, links, tasks
from ..planning import InvalidRequest
from ..ranking import SORTS, offer, parse_preference, sort_providers
from ..service import Playground
from ..tasks import TASKS, get_task
from . import prompt, views
from .page import Page

KEYED_PROVIDERS = [name for name in sorted(PROVIDERS) if name != "hf-inference"]  # hf-inference takes the HF token
PROVIDER_KEYS = [f"key:{name}" for name in KEYED_PROVIDERS]
OUTPUTS = ["task", "model", "providers", "provider_table", *prompt.TASK_OUTPUTS]
LINKED = ["max_tokens", "temperature", "top_p", "seed", "stream", "runs", "warmup"]  # besides OUTPUTS, what a link sets
RESTORED = [*LINKED, "reasoning_effort"]  # what a saved comparison sets back (History → Show it)
PROVIDERS_INFO = "Ticked ones get the same request at once. Figures are the router's advertised time to first token, throughput and output price."


def render(page: Page) -> None:
    page.add(
        task=gr.Dropdown(choices=[(t.label, t.id) for t in TASKS.values()], value="conversational", label="Task"),
        search=gr.Textbox(label="Search models", placeholder="e.g. llama, qwen — press Enter", max_lines=1),
        model=gr.Dropdown(label="Model", allow_custom_value=True, filterable=True, info="Models that at least one provider serves for this task"),
        sort=gr.Radio(choices=list(SORTS), value="preference", label="Sort providers by"),
        preference=gr.Textbox(
            label="Your provider preference (comma-separated, Enter to apply)",
            placeholder="e.g. groq, cerebras, together — empty: the Hub's order",
            max_lines=1,
        ),
        providers=gr.CheckboxGroup(label="Providers", info=PROVIDERS_INFO),
    )
    with gr.Accordion("All providers of this model", open=False):
        page.add(provider_table=gr.Dataframe(interactive=False, wrap=True))
    with gr.Accordion("Keys (optional)", open=False):
        gr.Markdown(
            "An **HF token** (`hf_…`) routes calls through Hugging Face and bills your HF account. A provider's own key "
            "calls that provider **directly**. Keys are never logged or stored on the server."
        )
        page.add(
            api_key=gr.Textbox(label="HF token", type="password", placeholder="hf_… (empty: your local token)"),
            bill_to=gr.Textbox(label="Bill to organisation", max_lines=1, placeholder="optional: an HF organisation you belong to",
                               info="Routed calls are billed to this organisation (X-HF-Bill-To) instead of your account."),
            remember=gr.Checkbox(value=False, label="Remember my keys in this browser (sealed by the server first: unreadable from the browser's storage, but filled in for anyone using this browser profile here)"),
        )
        page.add(**{key: gr.Textbox(label=f"{name} key", type="password", max_lines=1) for key, name in zip(PROVIDER_KEYS, KEYED_PROVIDERS)})


def provider_choices(playground: Playground, task_id: str, model_id: str | None, order: str, by: str, wanted: list[str] | None) -> dict[str, Any]:
    """The providers of the chosen model, sorted; `wanted` keeps a ticked set."""
    if not model_id:
        return {"providers": gr.CheckboxGroup(choices=[], value=[]), "provider_table": None}
    try:
        infos = catalog.providers(playground.settings, model_id.strip(), get_task(task_id))
    except ValueError as error:  # an unknown or mistyped model: said once, and the page stays usable
        gr.Warning(views.toast(str(error)))
        return {"providers": gr.CheckboxGroup(choices=[], value=[], info=f"No provider serves {model_id.strip()[:200]} for this task."), "provider_table": None}
    ranked = sort_providers(infos, by or "preference", parse_preference(order))
    contenders, ticked = offer(ranked, task_id, wanted)
    choices = [(views.provider_badges(p), p.provider) for p in contenders]
    return {"providers": gr.CheckboxGroup(choices=choices, value=ticked, info=PROVIDERS_INFO), "provider_table": views.providers_frame(ranked)}


VISION_TAG = "image-text-to-text"  # chat models that also take an image with the message


def choose(playground: Playground, task_id: str, query: str, model_id: str | None, order: str, by: str, wanted: list[str] | None) -> dict[str, Any]:
    """Models for the task, then the providers of the chosen model (`model_id`, or the first found)."""
    try:
        tagged = playground.tagged_models(task_id, query)
    except InvalidRequest as error:
        raise gr.Error(views.toast(str(error))) from None
    found = list(tagged)
    model_id = model_id if model_id else (found[0] if found else None)
    info = views.models_info(found, query, get_task(task_id))
    choices = [(f"{m} · vision (image + text)" if tag == VISION_TAG else m, m) for m, tag in tagged.items()]
    return {"model": gr.Dropdown(choices=choices, value=model_id, info=info), **provider_choices(playground, task_id, model_id, order, by, wanted)}


def open_link(playground: Playground, query: Mapping[str, str]) -> dict[str, Any]:
    """The page as a deep link (see links.py) presets it; what does not fit is named once and left out."""
    link = links.parse(query)
    if link.warning:
        gr.Warning(views.toast(link.warning))
    return {
        "task": link.task,
        **prompt.show_inputs(link.task, link.values),
        **choose(playground, link.task, "", link.model, "", "preference", link.providers),
        **{name: value for name, value in link.values.items() if name in LINKED},
    }


def switch_task(playground: Playground, task_id: str, prompt_text: str, labels_text: str, context_text: str) -> dict[str, Any]:
    typed = {"prompt": prompt_text, "labels": labels_text, "context": context_text}
    return {**prompt.show_inputs(task_id, typed), **choose(playground, task_id, "", None, "", "preference", None)}


def offered_tasks(playground: Playground) -> gr.Dropdown:
    """Only the tasks some provider serves."""
    return gr.Dropdown(choices=[(t.label, t.id) for t in tasks.offered(catalog.served_tasks(playground.settings))])


def wire(page: Page, demo: gr.Blocks, playground: Playground) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}

    def on_load(request: gr.Request) -> dict[Any, Any]:
        return page.keyed(open_link(playground, dict(request.query_params) if request else {}))

    demo.load(on_load, None, page.all([*OUTPUTS, *LINKED]), **private)
    demo.load(lambda: offered_tasks(playground), None, page.task, **private)


def wire_inputs(page: Page, playground: Playground) -> None:
    """The setup's own events (after every area's load events, as they were registered first)."""
    private: dict[str, Any] = {"api_visibility": "private"}
    p = page
    p.task.input(lambda *v: p.keyed(switch_task(playground, *v)), [p.task, p.prompt, p.labels, p.context], p.all(OUTPUTS), **private)
    p.search.submit(
        lambda t, q, o, b: p.keyed(choose(playground, t, q, None, o, b, None)),
        [p.task, p.search, p.preference, p.sort],
        [p.model, p.providers, p.provider_table],
        **private,
    )
    p.model.input(
        lambda t, m, o, b: p.keyed(provider_choices(playground, t, m, o, b, None)),
        [p.task, p.model, p.preference, p.sort],
        [p.providers, p.provider_table],
        **private,
    )
    gr.on(
        [p.sort.input, p.preference.submit],
        lambda *v: p.keyed(provider_choices(playground, *v)),
        [p.task, p.model, p.preference, p.sort, p.providers],
        [p.providers, p.provider_table],
        **private,
    )
