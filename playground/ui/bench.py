"""The Load test tab: lays out and wires only; the work is `playground.bench`.

A run needs the worst-case cost estimated for exactly these settings and confirmed; Stop ends it gracefully (what
finished is kept and saved). Limits here are tighter than the CLI's: a Space visitor is not a shell user.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import gradio as gr
import pandas as pd

from .. import visitors
from ..bench import sending
from ..bench.config import TASK_IDS, BenchConfig, InvalidBench
from ..bench.load import LoadRun
from ..bench.metrics import SLO, Sample
from ..bench.report import (
    cdf_frame,
    compare_frame,
    over_time_frame,
    progress_line,
    router_frame,
    timings_frame,
    totals_frame,
)
from ..bench.store import BenchRun, BenchStore
from ..planning import InvalidRequest
from ..service import Playground
from ..tasks import TASKS
from .page import Page

MAX_REQUESTS, MAX_CONCURRENCY, MAX_DURATION_S = 2000, 256, 600.0
REFRESH_S = 0.5
PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#8b5cf6", "#0891b2", "#db2777"]
RATE_LIMITED = ["#dc2626", "#7f1d1d", "#f87171", "#991b1b"]  # reds: a 429 stands out whatever the provider's colour
FAILED = ["#6b7280", "#374151", "#9ca3af"]
SETTINGS = ("task", "model", "providers", "shape", "concurrency", "rate", "arrivals", "requests", "duration", "warmup", "order",
            "max_tokens", "input_tokens", "prompts_file", "dataset", "dataset_column", "slo_ttft", "slo_tpot", "ceiling", "max_error_rate")
OUTPUTS = ("status", "timings", "totals", "router", "ttft_cdf", "latency_cdf", "over_time", "runs")
_running: dict[str, LoadRun] = {}  # session → its run, for Stop


def _config(values: Mapping[str, Any]) -> BenchConfig:
    v = values
    if v["requests"] > MAX_REQUESTS or v["concurrency"] > MAX_CONCURRENCY or v["duration"] > MAX_DURATION_S:
        raise InvalidBench(f"here a run is at most {MAX_REQUESTS} requests, {MAX_CONCURRENCY} concurrent and "
                           f"{MAX_DURATION_S:g} s; use `python -m playground bench` for more")
    return BenchConfig(
        task=v["task"], model=(v["model"] or "").strip(), providers=tuple(p.strip() for p in (v["providers"] or "").split(",") if p.strip()),
        shape=v["shape"], concurrency=int(v["concurrency"]), rate=float(v["rate"]), arrivals=v["arrivals"],
        requests=None if v["duration"] else int(v["requests"]), duration_s=float(v["duration"]) or None,
        warmup=int(v["warmup"]), order=v["order"], max_tokens=int(v["max_tokens"]), input_tokens=int(v["input_tokens"]),
        prompts_file=v["prompts_file"] or None, dataset=(v["dataset"] or "").strip() or None,
        dataset_column=(v["dataset_column"] or "").strip() or "text",
        slo=SLO(ttft_s=v["slo_ttft"] or None, tpot_s=(v["slo_tpot"] / 1000) if v["slo_tpot"] else None),
        cost_ceiling_usd=v["ceiling"] or None, max_error_rate=v["max_error_rate"] if 0 < v["max_error_rate"] < 1 else None)


def estimate(playground: Playground, keys: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[str, str | None]:
    """The worst-case cost of exactly these settings; the settings (as JSON) are what Start will accept."""
    try:
        config = _config(values)
        prompts = sending.load_prompts(config, playground.settings.datasets_url)
        lanes = sending.build_lanes(playground, config, prompts, **keys)
    except (InvalidBench, InvalidRequest) as error:
        raise gr.Error(str(error)) from None
    worst = sending.worst_case(lanes, config, prompts).describe(config.cost_ceiling_usd)
    return f"{worst} Tick the box to confirm, then Start.", json.dumps(config.to_json(), sort_keys=True)


def series_colours(providers: tuple[str, ...], over_time: pd.DataFrame) -> dict[str, str]:
    """`provider · ok` in the provider's colour, `provider · 429` in a red, other failures in a grey."""
    colours = {}
    for (provider, outcome), _ in over_time.groupby(["provider", "outcome"], sort=False):
        number = providers.index(provider) if provider in providers else 0
        family = PALETTE if outcome == "ok" else RATE_LIMITED if outcome == "429" else FAILED
        colours[f"{provider} · {outcome}"] = family[number % len(family)]
    return colours


class Redraw:
    """The browser takes a plot's series (its colour domain) from the data only when the colour map changes; new
    data alone keeps the old series, and a colour map that arrives before its data draws the old ones. So when the
    series change, this update and the next carry a changed (unused) colour-map entry, as does the last update."""

    def __init__(self) -> None:
        self.series: frozenset[str] = frozenset()
        self.pending = self.count = 0

    def key(self, series: set[str], last: bool = False) -> dict[str, str]:
        if series != self.series:
            self.series, self.pending = frozenset(series), 2
        if self.pending or last:
            self.count, self.pending = self.count + 1, max(0, self.pending - 1)
        return {f"redraw {self.count}": "#000000"}


def _view(samples: list[Sample], config: BenchConfig, total: int | None, state: str, redraw: Redraw,
          last: bool = False) -> dict[str, Any]:
    figures = BenchRun(config, list(samples)).figures()
    over_time = over_time_frame(samples)
    outcomes = series_colours(config.providers, over_time)
    extra = redraw.key(set(outcomes), last)
    colours = {**dict(zip(config.providers, PALETTE * 4)), **extra}
    router = router_frame(figures)
    return {"status": f"{state} — {progress_line(samples, total)}", "timings": timings_frame(figures),
            "totals": totals_frame(figures), "router": gr.Dataframe(router, visible=not router.empty),
            "ttft_cdf": gr.LinePlot(cdf_frame(samples, "ttft_s"), color_map=colours),
            "latency_cdf": gr.LinePlot(cdf_frame(samples, "latency_s"), color_map=colours),
            "over_time": gr.ScatterPlot(over_time, color_map={**outcomes, **extra})}


async def start(playground: Playground, keys: Mapping[str, Any], confirmed: bool, estimated: str | None,
                values: Mapping[str, Any], session: str, store: BenchStore | None) -> AsyncIterator[dict[str, Any]]:
    """`keys`: build_lanes's api_key, provider_keys and oauth_token; `store`: the visitor's saved runs (None: nothing is saved)."""
    try:
        config = _config(values)
    except InvalidBench as error:
        raise gr.Error(str(error)) from None
    if not confirmed or estimated != json.dumps(config.to_json(), sort_keys=True):
        raise gr.Error("Estimate the worst-case cost of these settings and tick the box to confirm it first.")
    try:
        prompts = sending.load_prompts(config, playground.settings.datasets_url)
        lanes = sending.build_lanes(playground, config, prompts, **keys)
    except (InvalidBench, InvalidRequest) as error:
        raise gr.Error(str(error)) from None
    run = sending.new_run(lanes, config, prompts)
    _running[session] = run
    planned = config.planned_requests()
    total = None if planned is None else planned * len(lanes)
    worker, redraw = asyncio.ensure_future(run.run()), Redraw()
    try:
        while not worker.done():
            yield _view(run.samples, config, total, "running", redraw)
            await asyncio.wait({worker}, timeout=REFRESH_S)
        samples = await worker
    finally:
        _running.pop(session, None)
        if not worker.done():
            run.stop()
            await asyncio.gather(worker, return_exceptions=True)
    saved = BenchRun(config, samples, run.stop_reason)
    ended = f"stopped early: {run.stop_reason}" if run.stop_reason else "done"
    if store is None:
        yield _view(samples, config, total, f"{ended} (not saved: sign in to keep runs)", redraw, last=True)
        return
    store.save(saved, sorted({secret for plan, _ in lanes.values() for secret in plan.secrets}))
    yield {**_view(samples, config, total, ended, redraw, last=True), "runs": gr.update(choices=_choices(store), value=saved.id)}


def stop(request: gr.Request) -> None:
    run = _running.get(request.session_hash or "")
    if run is not None:
        run.stop("stopped with the Stop button")


def shelf(playground: Playground, browser_id: str | None, profile: gr.OAuthProfile | None) -> BenchStore | None:
    """This visitor's saved runs, none other's (None: an anonymous visitor without a browser id, on a Space)."""
    owner = visitors.owner(playground.settings, profile, browser_id)
    return None if owner is None else BenchStore.of(playground.settings, owner)


def _choices(store: BenchStore | None) -> list[tuple[str, str]]:
    return [(f"{r['id']} · {r['model'].split('/')[-1]} · {r['providers']} · {r['load']}", r["id"])
            for r in (store.list() if store is not None else [])]


def _mine(store: BenchStore | None, run_id: str | None) -> BenchRun:
    if store is None or not run_id:
        raise gr.Error("Pick a saved run.")
    try:
        return store.load(run_id)
    except ValueError as error:
        raise gr.Error(str(error), print_exception=False) from None


def side_by_side(store: BenchStore | None, first: str | None, second: str | None) -> gr.Dataframe:
    runs = [_mine(store, first), _mine(store, second)]
    return gr.Dataframe(compare_frame([(run.id, run.figures()) for run in runs]), visible=True)


def export(store: BenchStore | None, run_id: str | None, format: str) -> gr.File:
    run = _mine(store, run_id)
    assert store is not None
    return gr.File(str(store.export(run.id, format)), visible=True)


def _what_and_load(b: Page) -> None:
    with gr.Row():
        b.add(task=gr.Dropdown([(TASKS[i].label, i) for i in TASK_IDS], value="conversational", label="Task", scale=1),
              model=gr.Textbox(label="Model", value="meta-llama/Llama-3.3-70B-Instruct", max_lines=1, scale=2),
              providers=gr.Textbox(label="Providers (comma-separated)", placeholder="groq, together", max_lines=1, scale=2),
              order=gr.Radio(["parallel", "sequential"], value="parallel", label="Providers run", scale=1))
    with gr.Row():
        b.add(shape=gr.Radio(["concurrency", "rate"], value="concurrency", label="Load shape"),
              concurrency=gr.Number(8, label="Concurrent requests", precision=0, minimum=1, maximum=MAX_CONCURRENCY),
              rate=gr.Number(2.0, label="Request rate (req/s)", minimum=0.01),
              arrivals=gr.Radio(["poisson", "constant"], value="poisson", label="Arrivals (rate)"))
    with gr.Row():
        b.add(requests=gr.Number(50, label="Requests per provider", precision=0, minimum=1, maximum=MAX_REQUESTS),
              duration=gr.Number(0, label="…or duration (s, 0 = use requests)", minimum=0, maximum=MAX_DURATION_S),
              warmup=gr.Number(0, label="Warm-up requests (not counted)", precision=0, minimum=0),
              max_tokens=gr.Number(128, label="max_tokens", info="chat and text completion", precision=0, minimum=1),
              input_tokens=gr.Number(64, label="Synthetic prompt length (tokens)", precision=0, minimum=1))


def _prompts_and_limits(b: Page) -> None:
    with gr.Row():
        b.add(prompts_file=gr.File(label="Prompts (JSONL, one {\"prompt\": …} per line; empty: synthetic)",
                                   file_types=[".jsonl"], type="filepath"),
              dataset=gr.Textbox(label="…or a Hub dataset id", placeholder="fka/awesome-chatgpt-prompts", max_lines=1),
              dataset_column=gr.Textbox("text", label="Its text column", max_lines=1))
    with gr.Row():
        b.add(slo_ttft=gr.Number(0, label="SLO: TTFT ≤ (s, 0 = none)", minimum=0),
              slo_tpot=gr.Number(0, label="SLO: TPOT ≤ (ms, 0 = none)", minimum=0),
              ceiling=gr.Number(0, label="Cost ceiling (USD, 0 = none)", minimum=0),
              max_error_rate=gr.Number(0.5, label="Stop above this error rate (429s aside)", minimum=0, maximum=1))
    with gr.Row():
        b.add(api_key=gr.Textbox(label="HF token (empty: your local token)", type="password", max_lines=1),
              provider_keys=gr.Textbox(label="Provider keys, for direct calls", type="password", max_lines=1,
                                       placeholder='{"groq": "gsk_…"}',
                                       info="JSON; with an HF token too, each such provider runs routed and direct"))
    b.add(estimated=gr.State(None))
    with gr.Row():
        b.add(check=gr.Button("Estimate worst-case cost", size="sm"),
              confirmed=gr.Checkbox(label="I accept this worst-case cost", value=False),
              go=gr.Button("Start load test", variant="primary"), halt=gr.Button("Stop", variant="stop"))


def _figures(b: Page) -> None:
    b.add(cost=gr.Markdown(elem_classes="estimate"), status=gr.Markdown(elem_classes="status"),
          timings=gr.Dataframe(interactive=False, wrap=True, label="Timings per provider: TTFT, inter-token latency (ITL), time per output token (TPOT), end-to-end latency, output tokens/s per request"),
          totals=gr.Dataframe(interactive=False, wrap=True, label="Throughput, goodput and errors per provider"),
          router=gr.Dataframe(interactive=False, wrap=True, visible=False,
                              label="What the router adds: the same provider routed through Hugging Face against direct (ms)"))
    with gr.Row():
        b.add(ttft_cdf=gr.LinePlot(x="seconds", y="share", color="provider", title="TTFT: share of requests ≤ x", x_title="seconds"),
              latency_cdf=gr.LinePlot(x="seconds", y="share", color="provider", title="Latency: share of requests ≤ x", x_title="seconds"))
    b.add(over_time=gr.ScatterPlot(x="sent_s", y="latency_s", color="series", title="Latency over time (429s in red)",
                                   x_title="sent (s into the run)", y_title="latency, or time to the error (s)",
                                   color_title="provider · outcome", tooltip=["provider", "outcome", "sent_s", "latency_s"]))
    with gr.Row():
        b.add(runs=gr.Dropdown(label="Saved run", choices=[], scale=3),  # filled per visitor when focused
              other=gr.Dropdown(label="…beside this one", choices=[], scale=3),
              both=gr.Button("Side by side", size="sm"), parquet=gr.Button("Export Parquet", size="sm"),
              as_json=gr.Button("Export JSON", size="sm"))
    b.add(side=gr.Dataframe(interactive=False, wrap=True, label="Two runs side by side", visible=False),
          download=gr.File(label="Export", interactive=False, visible=False))  # both shown once there is something


def render(page: Page, playground: Playground) -> None:
    """The tab's components and events; call inside a `gr.Tab`. `page.visitor`: whose saved runs these are."""
    gr.Markdown("Many requests to one model on several providers: TTFT, inter-token latency (ITL), time per output "
                "token (TPOT) and end-to-end latency as p50/p90/p99/mean, throughput and goodput under your SLOs, "
                "errors and 429s. Chat streams; other tasks are one-shot, so only their latency is measured. "
                "The same as `python -m playground bench`.")
    b = Page()
    _what_and_load(b)
    _prompts_and_limits(b)
    _figures(b)
    b.add(visitor=page.visitor)
    wire(b, playground)


def wire(b: Page, playground: Playground) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    settings = set(b.all(SETTINGS))

    def named(values: Mapping[Any, Any]) -> dict[str, Any]:
        return {name: values[b.components[name]] for name in SETTINGS}

    def keys(values: Mapping[Any, Any], oauth: gr.OAuthToken | None) -> dict[str, Any]:
        return {"api_key": values[b.api_key] or "", "provider_keys": values[b.provider_keys] or None,
                "oauth_token": oauth.token if oauth else ""}

    def estimating(values: dict[Any, Any], oauth: gr.OAuthToken | None = None) -> tuple[str, str | None]:
        return estimate(playground, keys(values, oauth), named(values))

    async def started(values: dict[Any, Any], request: gr.Request, oauth: gr.OAuthToken | None = None,
                      profile: gr.OAuthProfile | None = None) -> AsyncIterator[dict[Any, Any]]:
        store = shelf(playground, values[b.visitor], profile)
        args = keys(values, oauth), values[b.confirmed], values[b.estimated], named(values)
        async for update in start(playground, *args, session=request.session_hash or "", store=store):
            yield b.keyed(update)

    def listed(browser_id: str | None, profile: gr.OAuthProfile | None = None) -> tuple[Any, Any]:
        choices = _choices(shelf(playground, browser_id, profile))
        return gr.update(choices=choices), gr.update(choices=choices)

    def compared(browser_id: str | None, x: str | None, y: str | None, profile: gr.OAuthProfile | None = None) -> Any:
        return side_by_side(shelf(playground, browser_id, profile), x, y)

    def exported(format: str) -> Any:
        def export_mine(browser_id: str | None, run_id: str | None, profile: gr.OAuthProfile | None = None) -> Any:
            return export(shelf(playground, browser_id, profile), run_id, format)
        return export_mine

    b.check.click(estimating, settings | {b.api_key, b.provider_keys}, [b.cost, b.estimated], **private)
    for box in settings:
        box.change(lambda: False, None, b.confirmed, **private)  # a changed setting needs a fresh confirmation
    b.go.click(started, settings | {b.api_key, b.provider_keys, b.confirmed, b.estimated, b.visitor}, b.all(OUTPUTS),
               **private)
    b.halt.click(stop, None, None, **private)
    b.both.click(compared, [b.visitor, b.runs, b.other], b.side, **private)
    b.parquet.click(exported("parquet"), [b.visitor, b.runs], b.download, **private)
    b.as_json.click(exported("json"), [b.visitor, b.runs], b.download, **private)
    b.runs.focus(listed, [b.visitor], [b.runs, b.other], **private)
    b.other.focus(listed, [b.visitor], [b.runs, b.other], **private)
