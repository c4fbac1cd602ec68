"""The Gradio Blocks: layout and wiring only. Handlers call the Playground service and the pure views."""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
from huggingface_hub.inference._providers import PROVIDERS

from .. import catalog, costs, outputs, snippets, stats, tasks
from ..planning import InvalidRequest
from ..ranking import SORTS, sort_providers
from ..results import TABLE_COLUMNS, Comparison
from ..service import Playground
from ..tasks import TASKS, get_task
from . import api, links, views

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_PROMPT = "Explain in three sentences why the sky is blue."
EXAMPLE_LABELS = "positive, negative, neutral"
EXAMPLE_CONTEXT = "My name is Sarah and I live in London, where I work for Hugging Face."
EXAMPLE_SENTENCES = "A dog lies on the rug.\nThe stock market fell today.\nA kitten naps on a carpet."
# Text the app put in a box itself: replaced when the task changes, unlike what a person typed.
EXAMPLES = {
    "prompt": {t.example for t in TASKS.values()} | {DEFAULT_PROMPT},
    "labels": {EXAMPLE_LABELS},
    "context": {EXAMPLE_CONTEXT, EXAMPLE_SENTENCES},
}
CHAT_ONLY = ("conversational",)
PROVIDERS_INFO = "Ticked ones get the same request at once. Figures are the router's advertised time to first token, throughput and output price."


def launch_options() -> dict[str, Any]:
    """What `launch()` needs besides host and port (Gradio 6 takes theme and CSS at launch)."""
    return {
        "css_paths": [ASSETS / "style.css"],
        "theme": gr.themes.Soft(),
        "footer_links": ["api", "gradio"],
        "allowed_paths": [str(outputs.media_dir())],
    }


def mode_banner(playground: Playground) -> str:
    s = playground.settings
    if s.demo:
        return (
            '<div class="banner demo"><b>Demo mode:</b> the Hub, the router and the providers are the built-in '
            "<b>simulator</b>, running on this machine. Answers and timings are simulated; no credits are spent.</div>"
        )
    where = "on this Space: sign in with Hugging Face to call providers on your account" if s.on_space else "calls go to the real providers"
    return f'<div class="banner live"><b>Live:</b> {where}. Routed calls (HF token) bill your Hugging Face account; direct calls bill the provider.</div>'


def _params(task_id: str, n_tokens: float, temp: float, top: float, seed_value: Any, do_stream: bool, params_text: str) -> dict[str, Any] | str:
    """Chat takes its parameters from the sliders; every other task from the JSON box."""
    if task_id not in CHAT_ONLY:
        return params_text
    params: dict[str, Any] = {"max_tokens": int(n_tokens), "temperature": float(temp), "top_p": float(top), "stream": bool(do_stream)}
    if str(seed_value or "").strip():
        try:
            params["seed"] = int(str(seed_value).strip())
        except ValueError:
            raise InvalidRequest(f"seed must be a whole number, got {seed_value!r}") from None
    return params


def build(playground: Playground) -> gr.Blocks:
    settings = playground.settings
    with gr.Blocks(title="Inference Providers Playground") as demo:
        last = gr.State(None)  # the Comparison on screen, for statistics, agreement and history
        snippet_state = gr.State(None)  # {provider: {language: code}} of the last comparison
        prefs = gr.BrowserState({}, storage_key="inference-playground-preferences")
        with gr.Row(elem_classes="top"):
            gr.HTML(
                "<h1>Inference Providers Playground</h1><p class='lede'>Send one request to several inference providers "
                "at once and compare their answers, speed, tokens and cost, live.</p>" + mode_banner(playground)
            )
            if settings.on_space:
                with gr.Column(scale=0, min_width=200):
                    gr.LoginButton()
                    signed_in = gr.Markdown()
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=2, min_width=300, elem_classes="setup"):
                task = gr.Dropdown(choices=[(t.label, t.id) for t in TASKS.values()], value="conversational", label="Task")
                search = gr.Textbox(label="Search models", placeholder="e.g. llama, qwen — press Enter", max_lines=1)
                model = gr.Dropdown(label="Model", allow_custom_value=True, filterable=True, info="Models that at least one provider serves for this task")
                sort = gr.Radio(choices=list(SORTS), value="preference", label="Sort providers by")
                preference = gr.Textbox(
                    label="Your provider preference (comma-separated, Enter to apply)",
                    placeholder="e.g. groq, cerebras, together — empty: the Hub's order",
                    max_lines=1,
                )
                providers = gr.CheckboxGroup(
                    label="Providers",
                    info=PROVIDERS_INFO,
                )
                with gr.Accordion("All providers of this model", open=False):
                    provider_table = gr.Dataframe(interactive=False, wrap=True)
                with gr.Accordion("Keys (optional)", open=False):
                    gr.Markdown(
                        "An **HF token** (`hf_…`) routes calls through Hugging Face and bills your HF account. A provider's own key "
                        "calls that provider **directly**. Keys are never logged or stored on the server."
                    )
                    api_key = gr.Textbox(label="HF token", type="password", placeholder="hf_… (empty: your local token)")
                    remember = gr.Checkbox(value=False, label="Remember my keys in this browser (kept encrypted in this browser only, never on the server)")
                    provider_keys = {
                        name: gr.Textbox(label=f"{name} key", type="password", max_lines=1)
                        for name in sorted(PROVIDERS)
                        if name != "hf-inference"
                    }
            with gr.Column(scale=5, min_width=300):
                system = gr.Textbox(label="System prompt (optional)", lines=1, max_lines=6)
                prompt = gr.Textbox(label="Prompt", value=DEFAULT_PROMPT, lines=3, max_lines=20)
                with gr.Row():
                    image = gr.Image(label="Image", type="filepath", visible=False)
                    audio = gr.Audio(label="Audio", type="filepath", sources=["upload", "microphone"], visible=False)
                labels = gr.Textbox(label="Candidate labels (comma-separated)", visible=False)
                context = gr.Textbox(label="Context", lines=3, visible=False)
                with gr.Accordion("Parameters", open=False):
                    with gr.Group(visible=True) as chat_params:
                        with gr.Row():
                            max_tokens = gr.Slider(1, 4096, value=256, step=1, label="max_tokens")
                            temperature = gr.Slider(0, 2, value=0.7, step=0.05, label="temperature")
                            top_p = gr.Slider(0, 1, value=1.0, step=0.01, label="top_p")
                        with gr.Row():
                            seed = gr.Textbox(value="", max_lines=1, label="seed (empty: none; set with temperature 0 to compare answers)")
                            stream = gr.Checkbox(value=True, label="stream (needed for time to first token)")
                    params_json = gr.Code(label="Parameters (JSON)", language="json", visible=False)
                    with gr.Row():
                        runs = gr.Number(value=1, precision=0, minimum=1, maximum=20, label="runs (each a full fan-out)")
                        warmup = gr.Checkbox(value=False, label="one uncounted warm-up run first")
                estimate = gr.Markdown(elem_classes="estimate")
                with gr.Row():
                    compare = gr.Button("Compare", variant="primary", scale=3)
                    stop = gr.Button("Stop", variant="stop", scale=1)
                    copy_link = gr.Button("Copy link", scale=1)
                link_box = gr.Textbox(label="Link to this comparison's setup (copied)", elem_classes="share-link", buttons=["copy"], max_lines=2, visible=False)
                status = gr.Markdown(elem_classes="status")
                panels = gr.HTML(views.panels_html(None), elem_classes="panels")
                with gr.Tabs():
                    with gr.Tab("Table"):
                        table = gr.Dataframe(value=pd.DataFrame(columns=list(TABLE_COLUMNS.values())), interactive=False, wrap=True)
                    with gr.Tab("Latency chart"):
                        chart = gr.BarPlot(
                            x="provider", y="seconds", color="phase", y_title="seconds (median)", color_map=views.PHASE_COLOURS,
                            caption="Bar height = end-to-end latency; the lower part is the time to first token.",
                        )
                    with gr.Tab("Statistics"):
                        summary = gr.Dataframe(interactive=False, wrap=True, label="Per provider over counted runs (median, p90, min, max)")
                        spread = gr.ScatterPlot(x="provider", y="latency_s", color="provider", y_title="latency (s), one dot per run")
                        advertised = gr.Dataframe(interactive=False, wrap=True, label="Measured medians next to what the router advertises")
                    with gr.Tab("Agreement"):
                        gr.Markdown("How alike the answers are (1 = identical words). Use temperature 0 and a seed: differences then come from the providers, e.g. quantisation.")
                        matrix = gr.Dataframe(interactive=False, label="Similarity")
                        diff = gr.HTML()
                    with gr.Tab("History"):
                        with gr.Row():
                            refresh_history = gr.Button("Refresh", size="sm")
                            chosen = gr.Dropdown(label="Comparison", choices=[], allow_custom_value=False, scale=3)
                            reload = gr.Button("Show it", size="sm")
                            delete = gr.Button("Delete", size="sm", variant="stop")
                        with gr.Row():
                            export_one = gr.Button("Export it (CSV)", size="sm")
                            export_all_csv = gr.Button("Export all (CSV)", size="sm")
                            export_all_json = gr.Button("Export all (JSON)", size="sm")
                        download = gr.File(label="Export", interactive=False, visible=False)  # shown once there is a file
                        history_table = gr.Dataframe(value=views.history_frame([]), interactive=False, wrap=True)
                        leaderboard = gr.Dataframe(interactive=False, wrap=True, label="Leaderboard of this model, from history", visible=False)
                    with gr.Tab("Reproduce"):
                        gr.Markdown("The same calls as code. Keys are read from environment variables (`HF_TOKEN`, `<PROVIDER>_API_KEY`), never written here.")
                        language = gr.Radio(choices=[(label, name) for name, (label, _) in snippets.LANGUAGES.items()], value="python", label="Language")
                        code = gr.Code(language="python", label="One snippet per provider", value="# Run a comparison first.")
                        script = gr.File(label="A Python script that reruns the whole comparison and prints the table", interactive=False)
                    with gr.Tab("Definitions"):
                        gr.Markdown("\n".join(f"- **{k}**: {v}" for k, v in views.METRIC_HELP.items()))

        provider_keys_list = list(provider_keys.values())

        def choose(task_id: str, query: str, model_id: str | None, order: str, by: str, wanted: list[str] | None) -> dict[Any, Any]:
            """Models for the task, then the providers of the chosen model, sorted; `wanted` keeps a ticked set."""
            try:
                found = playground.models(task_id, query)
            except InvalidRequest as error:
                raise gr.Error(str(error))
            model_id = model_id if model_id else (found[0] if found else None)
            update: dict[Any, Any] = {model: gr.Dropdown(choices=found, value=model_id, info=views.models_info(found, query, get_task(task_id)))}
            update.update(provider_choices(task_id, model_id, order, by, wanted))
            return update

        def provider_choices(task_id: str, model_id: str | None, order: str, by: str, wanted: list[str] | None) -> dict[Any, Any]:
            if not model_id:
                return {providers: gr.CheckboxGroup(choices=[], value=[]), provider_table: None}
            try:
                infos = catalog.providers(settings, model_id.strip(), get_task(task_id))
            except ValueError as error:  # an unknown or mistyped model: say so once, keep the page usable
                gr.Warning(html.escape(str(error)))
                return {providers: gr.CheckboxGroup(choices=[], value=[], info=f"No provider serves {model_id.strip()[:200]} for this task."), provider_table: None}
            ranked = sort_providers(infos, by or "preference", [p.strip() for p in (order or "").split(",") if p.strip()])
            callable_ = [p for p in ranked if p.callable]
            contenders = callable_ + (catalog.policies() if task_id == "conversational" else [])
            names = [p.provider for p in contenders]
            ticked = [n for n in (wanted or []) if n in names] if wanted else [p.provider for p in callable_ if p.status == "live"][:4]
            return {
                providers: gr.CheckboxGroup(choices=[(views.provider_badges(p), p.provider) for p in contenders], value=ticked, info=PROVIDERS_INFO),
                provider_table: views.providers_frame(ranked),
            }

        def show_inputs(task_id: str, typed: dict[str, Any] | None = None) -> dict[Any, Any]:
            """The inputs this task reads, labelled for it; what the person typed is kept, examples fill the blanks.
            `typed` may also set the system prompt and the JSON parameters (from a link or a saved comparison)."""
            chosen = get_task(task_id)
            kinds = chosen.inputs
            defaults = {k: v for k, v in chosen.defaults.items() if v is not None}
            typed = typed or {}

            def keep(name: str, example: str) -> str:
                value = typed.get(name) or ""
                return example if not value.strip() or value in EXAMPLES[name] else value

            sentences = "sentences" in kinds
            return {
                system: gr.Textbox(visible="system" in kinds, **({"value": typed["system"]} if "system" in typed else {})),
                prompt: gr.Textbox(visible="prompt" in kinds, label=chosen.prompt_label, value=keep("prompt", chosen.example)),
                image: gr.Image(visible="image" in kinds),
                audio: gr.Audio(visible="audio" in kinds),
                labels: gr.Textbox(visible="labels" in kinds, value=keep("labels", EXAMPLE_LABELS)),
                context: gr.Textbox(
                    visible="context" in kinds or sentences,
                    label="Sentences to compare (one per line)" if sentences else "Context",
                    value=keep("context", EXAMPLE_SENTENCES if sentences else EXAMPLE_CONTEXT),
                ),
                chat_params: gr.Group(visible=task_id in CHAT_ONLY),
                params_json: gr.Code(visible=task_id not in CHAT_ONLY, value=typed.get("params") or json.dumps(defaults, indent=2)),
            }

        def on_load(request: gr.Request) -> dict[Any, Any]:
            """Deep links (see links.py) open the app preset; what does not fit is named once and left out."""
            link = links.parse(dict(request.query_params) if request else {})
            task_id = link.values.get("task") or "conversational"
            try:
                task_id = get_task(task_id).id
            except ValueError:
                link.problems.insert(0, f"unknown task {task_id[:60]!r}, showing chat")
                task_id = "conversational"
            if link.problems:
                gr.Warning(html.escape("In the link: " + "; ".join(link.problems) + "."))
            return {
                task: task_id,
                **show_inputs(task_id, link.values),
                **choose(task_id, "", link.values.get("model"), "", "preference", link.values.get("providers")),
                **{linked[name]: value for name, value in link.values.items() if name in linked},
            }

        def cost_estimate(task_id: str, model_id: str | None, chosen_: list[str], n_tokens: float, n_runs: float, warm: bool, system_text: str, prompt_text: str) -> str:
            if not model_id or not chosen_:
                return ""
            if task_id not in CHAT_ONLY:
                return views.UNPRICED_TASK
            try:
                offers = [p for p in playground.providers(model_id, task_id) if p["provider"] in chosen_]
            except InvalidRequest:
                return ""
            found = costs.estimate(offers, max_tokens=int(n_tokens), runs=max(1, int(n_runs or 1)), prompt=system_text + prompt_text, warmup=warm)
            return "**Before you compare:** " + found.message()

        async def run_compare(*values: Any, oauth: gr.OAuthToken | None = None) -> AsyncIterator[dict[Any, Any]]:
            (task_id, model_id, chosen_, system_text, prompt_text, image_path, audio_path, labels_text, context_text,
             token, n_tokens, temp, top, seed_value, do_stream, params_text, n_runs, warm, *keys) = values
            try:
                plan = playground.plan(
                    task=task_id,
                    model=model_id,
                    providers=chosen_,
                    prompt=prompt_text,
                    system=system_text,
                    input_file=image_path or audio_path,
                    labels=labels_text or "",
                    context=context_text or "",
                    api_key=token,
                    provider_keys=dict(zip(provider_keys, keys)),
                    oauth_token=oauth.token if oauth else "",
                    params_json=_params(task_id, n_tokens, temp, top, seed_value, do_stream, params_text),
                    runs=int(n_runs or 1),
                    warmup=bool(warm),
                )
            except InvalidRequest as error:
                raise gr.Error(str(error), print_exception=False)
            yield {snippet_state: snippets.for_plan(plan, settings)}
            comparison = None
            try:
                async for comparison in playground.stream(plan):
                    update: dict[Any, Any] = {panels: views.panels_html(comparison), status: views.status_line(comparison), last: comparison}
                    if comparison.finished:  # the rest once, at the end, through `ending`: keeps each streaming tick cheap
                        playground.remember(comparison, plan)
                        final = {**finished(comparison), script: str(snippets.write_script(plan, settings))}
                        update[ending] = [final[c] for c in end_outputs]
                    yield update
            except (asyncio.CancelledError, GeneratorExit):  # Stop: what had finished is kept in history
                if comparison is not None and any(r.state in ("done", "error") for r in comparison.results):
                    playground.remember(comparison, plan)
                raise

        def finished(comparison: Comparison) -> dict[Any, Any]:
            matrix_frame, diff_html = views.agreement_view(comparison)
            meta = {p["provider"]: p for p in playground.providers(comparison.model, comparison.task)}
            order = list(dict.fromkeys(r.provider for r in comparison.results))
            return {
                last: comparison,
                table: comparison.table(),
                chart: gr.BarPlot(value=views.chart_frame(comparison), sort=order),  # providers in the panels' order, not A→Z
                summary: views.statistics_frame(stats.summary_frame(comparison)),
                spread: gr.ScatterPlot(value=stats.runs_frame(comparison), sort=order),
                advertised: views.advertised_view(stats.measured_vs_advertised(comparison, meta), comparison.task),
                matrix: matrix_frame,
                diff: diff_html,
            }

        def leaderboard_view(model_id: str | None) -> gr.Dataframe:
            board = playground.history.leaderboard(model_id) if model_id else None
            if board is None or board.empty:
                return gr.Dataframe(visible=False)
            return gr.Dataframe(value=views.leaderboard_frame(board), visible=True)

        def list_history(model_id: str | None) -> dict[Any, Any]:
            rows = playground.history.list()
            return {
                history_table: views.history_frame(rows),
                chosen: gr.Dropdown(choices=[(views.history_label(r), r["id"]) for r in rows], value=rows[0]["id"] if rows else None),
                leaderboard: leaderboard_view(model_id),
            }

        def show_saved(comparison_id: str | None, order: str, by: str) -> dict[Any, Any]:
            """A saved comparison on screen, and the controls set as it was run, so Compare repeats it."""
            if not comparison_id:
                raise gr.Error("Choose a comparison in the list first.")
            saved = Comparison.from_json(playground.history.load(comparison_id))
            wanted = list(dict.fromkeys(r.provider for r in saved.results))
            controls = views.saved_controls(saved)
            return {
                panels: views.panels_html(saved), status: f"Saved comparison of {saved.model} ({saved.task}).", **finished(saved),
                task: saved.task, **show_inputs(saved.task, {"prompt": saved.prompt, **controls}), model: gr.Dropdown(value=saved.model),
                **provider_choices(saved.task, saved.model, order, by, wanted),
                **{linked[name]: value for name, value in controls.items() if name in linked},
            }

        def share_link(task_id: str, model_id: str | None, chosen_: list[str], system_text: str, prompt_text: str, params_text: str, *values: Any) -> gr.Textbox:
            """This comparison's setup as a link (the page's address is added in the browser)."""
            controls = dict(zip(linked, values))
            if task_id not in CHAT_ONLY:
                controls = {"runs": controls["runs"], "warmup": controls["warmup"], "params": views.compact_json(params_text)}
            return gr.Textbox(value=links.query({"task": task_id, "model": model_id, "providers": chosen_, "prompt": prompt_text, "system": system_text, **controls}), visible=True)

        def delete_saved(comparison_id: str | None, model_id: str | None) -> dict[Any, Any]:
            if comparison_id:
                playground.history.delete(comparison_id)
            return list_history(model_id)

        # The controls a link can set, by their name in the link (see links.py).
        linked = {
            "max_tokens": max_tokens, "temperature": temperature, "top_p": top_p, "seed": seed, "stream": stream, "runs": runs, "warmup": warmup,
        }
        remembered = {
            "preference": preference, "max_tokens": max_tokens, "temperature": temperature, "top_p": top_p,
            "seed": seed, "stream": stream, "runs": runs, "warmup": warmup, "remember_keys": remember,
        }

        def save_prefs(*values: Any) -> dict[str, Any]:
            """Preferences go to this browser's storage; keys only when the person ticked "remember"."""
            n = len(remembered)
            saved = dict(zip(remembered, values[:n]))
            if saved["remember_keys"]:
                saved["keys"] = {"hf": values[n], **{name: key for name, key in zip(provider_keys, values[n + 1 :]) if key}}
            return saved

        def restore_prefs(saved: dict[str, Any] | None, request: gr.Request) -> dict[Any, Any]:
            saved = saved or {}
            in_link = links.parse(dict(request.query_params) if request else {}).values  # a link's own settings win
            update: dict[Any, Any] = {box: saved[name] for name, box in remembered.items() if name in saved and name not in in_link}
            keys = saved.get("keys") or {}
            if keys:
                update[api_key] = keys.get("hf", "")
                update.update({box: keys[name] for name, box in provider_keys.items() if keys.get(name)})
            return {box: update.get(box, gr.skip()) for box in kept}

        private = {"api_visibility": "private"}
        kept = [*remembered.values(), api_key, *provider_keys_list]
        demo.load(restore_prefs, [prefs], kept, **private)
        gr.on([c.change for c in kept], save_prefs, kept, prefs, **private)
        setup_outputs = [task, model, providers, provider_table, system, prompt, image, audio, labels, context, chat_params, params_json]
        demo.load(on_load, None, [*setup_outputs, *linked.values()], **private)
        demo.load(
            lambda: gr.Dropdown(choices=[(t.label, t.id) for t in tasks.offered(catalog.served_tasks(settings))]),
            None,
            task,
            **private,
        )
        if settings.on_space:
            demo.load(views.signed_in, None, signed_in, **private)
        def switch_task(task_id: str, prompt_text: str, labels_text: str, context_text: str) -> dict[Any, Any]:
            typed = {"prompt": prompt_text, "labels": labels_text, "context": context_text}
            return {**show_inputs(task_id, typed), **choose(task_id, "", None, "", "preference", None)}

        task.input(switch_task, [task, prompt, labels, context], setup_outputs, **private)
        search.submit(lambda t, q, o, b: choose(t, q, None, o, b, None), [task, search, preference, sort], [model, providers, provider_table], **private)
        model.input(lambda t, m, o, b: provider_choices(t, m, o, b, None), [task, model, preference, sort], [providers, provider_table], **private)
        gr.on([sort.input, preference.submit], provider_choices, [task, model, preference, sort, providers], [providers, provider_table], **private)
        gr.on(
            [providers.change, max_tokens.release, runs.change, warmup.change, prompt.blur],
            cost_estimate,
            [task, model, providers, max_tokens, runs, warmup, system, prompt],
            estimate,
            **private,
        )
        inputs = [task, model, providers, system, prompt, image, audio, labels, context, api_key,
                  max_tokens, temperature, top_p, seed, stream, params_json, runs, warmup, *provider_keys_list]
        result_outputs = [panels, status, last, table, chart, summary, spread, advertised, matrix, diff]
        # Gradio rebuilds every output a streaming tick leaves out (tens of ms per tick on the server, more in the
        # browser): a tick names only what it changes, and what a finished comparison adds follows in a step of its own.
        ending = gr.State()
        end_outputs = [c for c in [*result_outputs, script] if c not in (panels, status, last)]
        running = gr.on([compare.click, prompt.submit], run_compare, inputs, [panels, status, last, snippet_state, ending], **private)
        running.then(lambda values: values or [gr.skip()] * len(end_outputs), [ending], end_outputs, **private)

        async def stop_view(comparison: Comparison | None) -> dict[Any, Any]:
            """After Stop cancels the run (the runner then marks what was cut short), show it as stopped."""
            if comparison is None or comparison.finished_at is not None:  # nothing running (finished_at: it ended by itself)
                return {c: gr.skip() for c in [panels, status, *end_outputs[:-1]]}
            for _ in range(40):  # wait for the cancellation to land, so no late streaming tick paints over this
                if comparison.finished:
                    break
                await asyncio.sleep(0.05)
            shown, line = views.stopped(comparison)
            return {**{c: v for c, v in finished(comparison).items() if c is not last}, panels: shown, status: line}

        stopping = stop.click(None, None, None, cancels=[running], **private).then(stop_view, [last], [panels, status, *end_outputs[:-1]], **private)
        gr.on([language.change, snippet_state.change], views.snippets_code, [snippet_state, language], [code], **private)
        history_outputs = [history_table, chosen, leaderboard]
        stopping.then(list_history, [model], history_outputs, **private)
        refresh_history.click(list_history, [model], history_outputs, **private)
        running.then(list_history, [model], history_outputs, **private)
        reload.click(show_saved, [chosen, preference, sort], [*result_outputs, *setup_outputs, *linked.values()], **private)
        copy_link.click(share_link, [task, model, providers, system, prompt, params_json, *linked.values()], link_box, **private).then(
            None, [link_box], [link_box], js=views.ABSOLUTE_LINK_JS, **private
        )
        delete.click(delete_saved, [chosen, model], history_outputs, **private)
        def export(ids: list[str] | None, format_: str) -> gr.File:
            return gr.File(value=playground.history.export(ids, format_), visible=True)  # type: ignore[arg-type]

        def export_chosen(comparison_id: str | None) -> gr.File:
            if not comparison_id:
                raise gr.Error("Choose a comparison in the list first.", print_exception=False)
            return export([comparison_id], "csv")

        export_one.click(export_chosen, [chosen], download, **private)
        export_all_csv.click(lambda: export(None, "csv"), None, download, **private)
        export_all_json.click(lambda: export(None, "json"), None, download, **private)
        api.register(playground)
    return demo
