"""The Load test tab: lays out and wires only; the work is `playground.bench`.

A run needs the worst-case cost estimated for exactly these settings and confirmed; Stop ends it gracefully (what
finished is kept and saved). Limits here are tighter than the CLI's: a Space visitor is not a shell user.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import gradio as gr
import pandas as pd

from ..bench import sending
from ..bench.config import BenchConfig, InvalidBench
from ..bench.load import LoadRun
from ..bench.metrics import SLO, Sample
from ..bench.report import cdf_frame, over_time_frame, progress_line, shown_frame
from ..bench.store import BenchRun, BenchStore, compare
from ..planning import InvalidRequest
from ..service import Playground

MAX_REQUESTS, MAX_CONCURRENCY, MAX_DURATION_S = 2000, 256, 600.0
REFRESH_S = 0.5
PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0891b2"]
OUTCOME_COLOURS = {"ok": "#10b981", "429": "#ef4444"}
_running: dict[str, LoadRun] = {}  # session → its run, for Stop


def _config(model: str, providers: str, shape: str, concurrency: float, rate: float, arrivals: str, requests: float,
            duration: float, warmup: float, order: str, max_tokens: float, input_tokens: float, prompts_file: str | None,
            slo_ttft: float, slo_tpot: float, ceiling: float, max_error_rate: float) -> BenchConfig:
    if requests > MAX_REQUESTS or concurrency > MAX_CONCURRENCY or duration > MAX_DURATION_S:
        raise InvalidBench(f"here a run is at most {MAX_REQUESTS} requests, {MAX_CONCURRENCY} concurrent and "
                           f"{MAX_DURATION_S:g} s; use `python -m playground bench` for more")
    return BenchConfig(
        model=(model or "").strip(), providers=tuple(p.strip() for p in (providers or "").split(",") if p.strip()),
        shape=shape, concurrency=int(concurrency), rate=float(rate), arrivals=arrivals,
        requests=None if duration else int(requests), duration_s=float(duration) or None, warmup=int(warmup),
        order=order, max_tokens=int(max_tokens), input_tokens=int(input_tokens), prompts_file=prompts_file or None,
        slo=SLO(ttft_s=slo_ttft or None, tpot_s=(slo_tpot / 1000) if slo_tpot else None),
        cost_ceiling_usd=ceiling or None, max_error_rate=max_error_rate if 0 < max_error_rate < 1 else None)


def estimate(playground: Playground, api_key: str, *settings: Any) -> tuple[str, str | None]:
    """The worst-case cost of exactly these settings; the settings (as JSON) are what Start will accept."""
    try:
        config = _config(*settings)
        prompts = sending.load_prompts(config)
        plan = sending.build_plan(playground, config, prompts, api_key=api_key)
    except (InvalidBench, InvalidRequest) as error:
        raise gr.Error(str(error)) from None
    worst = sending.worst_case(plan, config, prompts).describe(config.cost_ceiling_usd)
    return f"{worst} Tick the box to confirm, then Start.", json.dumps(config.to_json(), sort_keys=True)


def _view(samples: list[Sample], config: BenchConfig, total: int | None, state: str) -> dict[str, Any]:
    """Plots get their colour map with each update: the browser otherwise keeps the series of the first data it saw."""
    run = BenchRun(config, list(samples))
    colours = dict(zip(config.providers, PALETTE * 4))
    over_time = over_time_frame(samples)
    outcomes = {o: OUTCOME_COLOURS.get(o, "#6b7280") for o in over_time["outcome"].unique()}
    return {"status": f"{state} — {progress_line(samples, total)}", "summary": shown_frame(run.figures()),
            "ttft_cdf": gr.LinePlot(cdf_frame(samples, "ttft_s"), color_map=colours),
            "latency_cdf": gr.LinePlot(cdf_frame(samples, "latency_s"), color_map=colours),
            "over_time": gr.ScatterPlot(over_time, color_map=outcomes)}


async def start(playground: Playground, api_key: str, confirmed: bool, estimated: str | None, *settings: Any,
                request: gr.Request) -> AsyncIterator[dict[str, Any]]:
    try:
        config = _config(*settings)
    except InvalidBench as error:
        raise gr.Error(str(error)) from None
    if not confirmed or estimated != json.dumps(config.to_json(), sort_keys=True):
        raise gr.Error("Estimate the worst-case cost of these settings and tick the box to confirm it first.")
    prompts = sending.load_prompts(config)
    plan = sending.build_plan(playground, config, prompts, api_key=api_key)
    run = sending.new_run(plan, config, prompts)
    session = request.session_hash or ""
    _running[session] = run
    planned = config.planned_requests()
    total = None if planned is None else planned * len(config.providers)
    worker = asyncio.ensure_future(run.run())
    try:
        while not worker.done():
            yield _view(run.samples, config, total, "running")
            await asyncio.wait({worker}, timeout=REFRESH_S)
        samples = await worker
    finally:
        _running.pop(session, None)
        if not worker.done():
            run.stop()
            await asyncio.gather(worker, return_exceptions=True)
    saved = BenchRun(config, samples, run.stop_reason)
    BenchStore.of(playground.settings).save(saved, plan.secrets)
    ended = f"stopped early: {run.stop_reason}" if run.stop_reason else "done"
    yield {**_view(samples, config, total, ended), "runs": gr.update(choices=_choices(playground), value=saved.id)}


def stop(request: gr.Request) -> None:
    run = _running.get(request.session_hash or "")
    if run is not None:
        run.stop("stopped with the Stop button")


def _choices(playground: Playground) -> list[tuple[str, str]]:
    return [(f"{r['id']} · {r['model'].split('/')[-1]} · {r['providers']} · {r['load']}", r["id"])
            for r in BenchStore.of(playground.settings).list()]


def side_by_side(playground: Playground, first: str | None, second: str | None) -> pd.DataFrame:
    if not first or not second:
        raise gr.Error("Pick two saved runs.")
    store = BenchStore.of(playground.settings)
    return compare(store.load(first), store.load(second))


def export(playground: Playground, run_id: str | None, format: str) -> str:
    if not run_id:
        raise gr.Error("Pick a saved run.")
    return str(BenchStore.of(playground.settings).export(run_id, format))


def render(playground: Playground) -> None:
    """The tab's components and events; call inside a `gr.Tab`."""
    gr.Markdown("Many requests to one model on several providers: TTFT, inter-token latency (ITL), time per output "
                "token (TPOT) and end-to-end latency as p50/p90/p99/mean, throughput and goodput under your SLOs, "
                "errors and 429s. The same as `python -m playground bench`.")
    with gr.Row():
        model = gr.Textbox(label="Model", value="meta-llama/Llama-3.3-70B-Instruct", max_lines=1, scale=2)
        providers = gr.Textbox(label="Providers (comma-separated)", placeholder="groq, together", max_lines=1, scale=2)
        order = gr.Radio(["parallel", "sequential"], value="parallel", label="Providers run", scale=1)
    with gr.Row():
        shape = gr.Radio(["concurrency", "rate"], value="concurrency", label="Load shape")
        concurrency = gr.Number(8, label="Concurrent requests", precision=0, minimum=1, maximum=MAX_CONCURRENCY)
        rate = gr.Number(2.0, label="Request rate (req/s)", minimum=0.01)
        arrivals = gr.Radio(["poisson", "constant"], value="poisson", label="Arrivals (rate)")
    with gr.Row():
        requests = gr.Number(50, label="Requests per provider", precision=0, minimum=1, maximum=MAX_REQUESTS)
        duration = gr.Number(0, label="…or duration (s, 0 = use requests)", minimum=0, maximum=MAX_DURATION_S)
        warmup = gr.Number(0, label="Warm-up requests (not counted)", precision=0, minimum=0)
        max_tokens = gr.Number(128, label="max_tokens", precision=0, minimum=1)
        input_tokens = gr.Number(64, label="Synthetic prompt length (tokens)", precision=0, minimum=1)
    with gr.Row():
        prompts_file = gr.File(label="Prompts (JSONL, one {\"prompt\": …} per line; empty: synthetic)", file_types=[".jsonl"], type="filepath")
        slo_ttft = gr.Number(0, label="SLO: TTFT ≤ (s, 0 = none)", minimum=0)
        slo_tpot = gr.Number(0, label="SLO: TPOT ≤ (ms, 0 = none)", minimum=0)
        ceiling = gr.Number(0, label="Cost ceiling (USD, 0 = none)", minimum=0)
        max_error_rate = gr.Number(0.5, label="Stop above this error rate (429s aside)", minimum=0, maximum=1)
    api_key = gr.Textbox(label="HF token (empty: your local token)", type="password", max_lines=1)
    settings: list[Any] = [model, providers, shape, concurrency, rate, arrivals, requests, duration, warmup, order, max_tokens,
                input_tokens, prompts_file, slo_ttft, slo_tpot, ceiling, max_error_rate]
    estimated = gr.State(None)
    with gr.Row():
        check = gr.Button("Estimate worst-case cost", size="sm")
        confirmed = gr.Checkbox(label="I accept this worst-case cost", value=False)
        go = gr.Button("Start load test", variant="primary")
        halt = gr.Button("Stop", variant="stop")
    cost = gr.Markdown(elem_classes="estimate")
    status = gr.Markdown(elem_classes="status")
    summary = gr.Dataframe(interactive=False, wrap=True, label="Figures per provider")
    with gr.Row():
        ttft_cdf = gr.LinePlot(x="seconds", y="share", color="provider", title="TTFT: share of requests ≤ x", x_title="seconds")
        latency_cdf = gr.LinePlot(x="seconds", y="share", color="provider", title="Latency: share of requests ≤ x", x_title="seconds")
    over_time = gr.ScatterPlot(x="sent_s", y="latency_s", color="outcome", title="Latency over time (a 429 shows as its own colour)",
                               x_title="sent (s into the run)", y_title="latency (s)")
    with gr.Row():
        runs = gr.Dropdown(label="Saved run", choices=_choices(playground), scale=3)
        other = gr.Dropdown(label="…beside this one", choices=_choices(playground), scale=3)
        both = gr.Button("Side by side", size="sm")
        parquet = gr.Button("Export Parquet", size="sm")
        as_json = gr.Button("Export JSON", size="sm")
    side = gr.Dataframe(interactive=False, wrap=True, label="Two runs side by side")
    download = gr.File(label="Export", interactive=False)

    by_name = {"status": status, "summary": summary, "ttft_cdf": ttft_cdf, "latency_cdf": latency_cdf,
               "over_time": over_time, "runs": runs}

    async def started(request: gr.Request, key: str, ok: bool, state: str | None, *values: Any) -> AsyncIterator[dict[Any, Any]]:
        async for update in start(playground, key, ok, state, *values, request=request):
            yield {by_name[name]: value for name, value in update.items()}

    check.click(lambda key, *values: estimate(playground, key, *values), [api_key, *settings], [cost, estimated], api_visibility="private")
    for box in settings:
        box.change(lambda: False, None, confirmed, api_visibility="private")  # a changed setting needs a fresh confirmation
    go.click(started, [api_key, confirmed, estimated, *settings], list(by_name.values()), api_visibility="private")
    halt.click(stop, None, None, api_visibility="private")
    both.click(lambda a, b: side_by_side(playground, a, b), [runs, other], side, api_visibility="private")
    parquet.click(lambda i: export(playground, i, "parquet"), runs, download, api_visibility="private")
    as_json.click(lambda i: export(playground, i, "json"), runs, download, api_visibility="private")
    runs.focus(lambda: (gr.update(choices=_choices(playground)), gr.update(choices=_choices(playground))), None, [runs, other], api_visibility="private")
