"""The Gradio Blocks: layout and wiring only. Handlers call the Playground service and the pure views."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import gradio as gr
from huggingface_hub.inference._providers import PROVIDERS

from .. import catalog
from ..planning import InvalidRequest
from ..ranking import SORTS, sort_providers
from ..service import Playground
from ..tasks import TASKS, get_task
from . import api, views

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_PROMPT = "Explain in three sentences why the sky is blue."


def launch_options() -> dict[str, Any]:
    """What `launch()` needs besides host and port (Gradio 6 takes theme and CSS at launch)."""
    return {"css_paths": [ASSETS / "style.css"], "theme": gr.themes.Soft(), "footer_links": ["api", "gradio"]}


def mode_banner(playground: Playground) -> str:
    s = playground.settings
    if s.demo:
        return (
            '<div class="banner demo"><b>Demo mode:</b> the Hub, the router and the providers are the built-in '
            "<b>simulator</b>, running on this machine. Answers and timings are simulated; no credits are spent.</div>"
        )
    where = "on this Space: sign in with Hugging Face to call providers on your account" if s.on_space else "live"
    return f'<div class="banner live"><b>Live:</b> {where}. Routed calls (HF token) bill your Hugging Face account; direct calls bill the provider.</div>'


def build(playground: Playground) -> gr.Blocks:
    with gr.Blocks(title="Inference Providers Playground") as demo:
        gr.HTML(
            "<h1>Inference Providers Playground</h1><p class='lede'>Send one request to several inference providers "
            "at once and compare their answers, speed, tokens and cost, live.</p>" + mode_banner(playground)
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=320, elem_classes="setup"):
                task = gr.Dropdown(choices=[(t.label, t.id) for t in TASKS.values()], value="conversational", label="Task")
                search = gr.Textbox(label="Search models", placeholder="e.g. llama, qwen — press Enter", max_lines=1)
                model = gr.Dropdown(label="Model", allow_custom_value=True, filterable=True, info="Models that at least one provider serves for this task")
                sort = gr.Radio(choices=list(SORTS), value="preference", label="Sort providers by")
                preference = gr.Textbox(
                    label="Your provider preference (comma-separated)",
                    placeholder="e.g. groq, cerebras, together — empty: the Hub's order",
                    max_lines=1,
                )
                providers = gr.CheckboxGroup(label="Providers", info="Ticked providers get the same request at once")
                with gr.Accordion("All providers of this model", open=False):
                    provider_table = gr.Dataframe(interactive=False, wrap=True)
                with gr.Accordion("Keys (optional)", open=False):
                    gr.Markdown(
                        "An **HF token** (`hf_…`) routes calls through Hugging Face and bills your HF account. A provider's own key "
                        "calls that provider **directly**. Nothing typed here is stored or logged."
                    )
                    api_key = gr.Textbox(label="HF token", type="password", placeholder="hf_… (empty: your local token)")
                    provider_keys = {
                        name: gr.Textbox(label=f"{name} key", type="password", max_lines=1)
                        for name in sorted(PROVIDERS)
                        if name != "hf-inference"
                    }
            with gr.Column(scale=5, min_width=320):
                system = gr.Textbox(label="System prompt (optional)", lines=1, max_lines=6)
                prompt = gr.Textbox(label="Prompt", value=DEFAULT_PROMPT, lines=3, max_lines=20)
                with gr.Accordion("Parameters", open=False):
                    with gr.Row():
                        max_tokens = gr.Slider(1, 4096, value=256, step=1, label="max_tokens")
                        temperature = gr.Slider(0, 2, value=0.7, step=0.05, label="temperature")
                        top_p = gr.Slider(0, 1, value=1.0, step=0.01, label="top_p")
                    with gr.Row():
                        seed = gr.Number(value=None, precision=0, label="seed (empty: none)")
                        stream = gr.Checkbox(value=True, label="stream (needed for time to first token)")
                with gr.Row():
                    compare = gr.Button("Compare", variant="primary", scale=3)
                    stop = gr.Button("Stop", variant="stop", scale=1)
                status = gr.Markdown(elem_classes="status")
                panels = gr.HTML(views.panels_html(None), elem_classes="panels")
                with gr.Tabs():
                    with gr.Tab("Table"):
                        table = gr.Dataframe(interactive=False, wrap=True)
                    with gr.Tab("Latency chart"):
                        chart = gr.BarPlot(
                            x="provider", y="seconds", color="phase", y_title="seconds (median)",
                            caption="Bar height = end-to-end latency; the lower part is the time to first token.",
                        )
                    with gr.Tab("Definitions"):
                        gr.Markdown("\n".join(f"- **{k}**: {v}" for k, v in views.METRIC_HELP.items()))

        def load_models(task_id: str, query: str) -> dict[Any, Any]:
            try:
                found = playground.models(task_id, query)
            except InvalidRequest as error:
                raise gr.Error(str(error))
            return {model: gr.Dropdown(choices=found, value=found[0] if found else None)}

        def load_providers(model_id: str, task_id: str, order: str, by: str) -> dict[Any, Any]:
            if not model_id:
                return {providers: gr.CheckboxGroup(choices=[], value=[]), provider_table: None}
            try:
                infos = catalog.providers(playground.settings, model_id.strip(), get_task(task_id))
            except ValueError as error:
                raise gr.Error(str(error))
            ranked = sort_providers(infos, by, [p.strip() for p in (order or "").split(",") if p.strip()])
            callable_ = [p for p in ranked if p.callable]
            return {
                providers: gr.CheckboxGroup(
                    choices=[(views.provider_badges(p), p.provider) for p in callable_],
                    value=[p.provider for p in callable_ if p.status == "live"][:4],
                ),
                provider_table: views.providers_frame(ranked),
            }

        async def run_compare(*values: Any, oauth: gr.OAuthToken | None = None) -> AsyncIterator[dict[Any, Any]]:
            (task_id, model_id, chosen, system_text, prompt_text, token, n_tokens, temp, top, seed_value, do_stream, *keys) = values
            params = {"max_tokens": int(n_tokens), "temperature": float(temp), "top_p": float(top), "stream": bool(do_stream)}
            if seed_value not in (None, ""):
                params["seed"] = int(seed_value)
            try:
                plan = playground.plan(
                    task=task_id,
                    model=model_id,
                    providers=chosen,
                    prompt=prompt_text,
                    system=system_text,
                    api_key=token,
                    provider_keys=dict(zip(provider_keys, keys)),
                    oauth_token=oauth.token if oauth else "",
                    params_json=params,
                )
            except InvalidRequest as error:
                raise gr.Error(str(error), print_exception=False)
            async for comparison in playground.stream(plan):
                update = {panels: views.panels_html(comparison), status: views.status_line(comparison)}
                if comparison.finished:  # tables and charts once, at the end: keeps each streaming tick cheap
                    update.update({table: comparison.table(), chart: views.chart_frame(comparison)})
                yield update

        private = {"api_visibility": "private"}
        gr.on([demo.load, task.change], load_models, [task, search], [model], **private)
        search.submit(load_models, [task, search], [model], **private)
        gr.on([model.change, sort.change, preference.submit], load_providers, [model, task, preference, sort], [providers, provider_table], **private)
        inputs = [task, model, providers, system, prompt, api_key, max_tokens, temperature, top_p, seed, stream, *provider_keys.values()]
        running = gr.on([compare.click, prompt.submit], run_compare, inputs, [panels, status, table, chart], **private)
        stop.click(None, None, None, cancels=[running], **private)
        api.register(playground)
    return demo
