"""Pure functions from results to what the UI shows: HTML panels, tables, chart data."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import replace

import gradio as gr
import pandas as pd

from .. import agreement, routing, snippets, units
from ..catalog import ProviderInfo
from ..kinds import registry as kinds
from ..model import STATE_LABELS, Comparison, Result
from ..tasks import CHAT, TASKS, Task
from . import threadviews, toolviews, waterfall


def toast(message: str) -> str:
    """Text for gr.Error / gr.Warning, which Gradio renders as HTML: anything from a URL or a visitor stays text."""
    return html.escape(message)

METRIC_HELP = {
    "TTFT": "Time to first token: from sending the request to the first chunk carrying output (thinking, answer or a tool call).",
    "Answer": "Time to first answer token: from sending the request to the first token of the answer proper, after any thinking.",
    "Latency": "End to end: from sending the request to the last byte of the answer.",
    "Speed": "Output speed: tokens after the first ÷ (last chunk time − first chunk time).",
    "Tokens": "Output tokens from the provider's usage; '~' marks a count estimated from the stream.",
    "Cost": "Usage × the router's price per million tokens; blank when the price is unknown.",
}


def _seconds(value: float | None) -> str:
    return "—" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def _tokens(result: Result) -> str:
    if result.output_tokens is None:
        return "—"
    return f"~{result.output_tokens}" if result.tokens_estimated else str(result.output_tokens)


def _metric(name: str, value: str) -> str:
    return f'<div class="metric" title="{html.escape(METRIC_HELP[name])}"><span>{name}</span><b>{value}</b></div>'


def provider_badges(info: ProviderInfo) -> str:
    """The checklist label of a provider: name, status and what the router advertises."""
    if info.is_policy:
        return routing.POLICIES[info.provider].label
    parts = [info.provider]
    if info.status != "live":
        parts.append(info.status)
    if info.via == "router":
        parts.append("via router")
    if info.first_token_latency_ms is not None:
        parts.append(f"{info.first_token_latency_ms:.0f} ms")
    if info.throughput is not None:
        parts.append(f"{info.throughput:.0f} tok/s")
    listed = info.pricing.get("output") if info.pricing else None
    if info.is_free:
        parts.append("free now" + (f" (listed ${float(listed):g}/M out)" if listed is not None else ""))
    elif listed is not None:
        parts.append(f"${float(listed):g}/M out")
    return " · ".join(parts)


def providers_frame(infos: Sequence[ProviderInfo]) -> pd.DataFrame:
    rows = [
        {
            "Provider": i.provider,
            "Status": i.status,
            "Callable": "yes" if i.callable and i.via == "sdk" else ("HF token only" if i.callable else "no"),
            "Advertised TTFT (ms)": i.first_token_latency_ms,
            "Advertised speed (tok/s)": None if i.throughput is None else round(i.throughput, 1),
            "Price in/out ($/M)": ("free now; listed " if i.is_free and i.pricing else "")
            + (f"{i.pricing.get('input', '?')} / {i.pricing.get('output', '?')}" if i.pricing else ("free now" if i.is_free else "unknown")),
            "Note": i.reason or "",
        }
        for i in infos
    ]
    return pd.DataFrame(rows, columns=["Provider", "Status", "Callable", "Advertised TTFT (ms)", "Advertised speed (tok/s)", "Price in/out ($/M)", "Note"])


def _card(result: Result, runs: int, axis_s: float = 0.0) -> str:
    state = result.state
    title = html.escape(result.provider) + (f" <small>run {result.run}/{runs}</small>" if runs > 1 else "")
    metrics = "".join(
        [
            _metric("TTFT", _seconds(result.ttft_s)),
            *([_metric("Answer", _seconds(result.answer_ttft_s))] if result.reasoning else []),
            _metric("Latency", _seconds(result.latency_s)),
            _metric("Speed", "—" if result.tokens_per_s is None else f"{result.tokens_per_s:.0f} tok/s"),
            _metric("Tokens", _tokens(result)),
            _metric("Cost", "—" if result.cost_usd is None else units.usd(result.cost_usd)),
        ]
        if TASKS.get(result.task, CHAT).streams
        else [_metric("Latency", _seconds(result.latency_s))]  # one-shot tasks have no first token or token counts
    )
    if result.error:
        body = (
            f'<div class="error"><b>{html.escape(result.error_kind or "error")}</b>: {html.escape(result.error)}'
            + (f'<div class="fix">{html.escape(result.fix)}</div>' if result.fix else "")
            + "</div>"
            + _output_html(result)  # what a stream had sent before it failed stays readable
        )
    else:
        body = _output_html(result)
    body = threadviews.thread_html(result) + body
    chosen = result.answered_by if result.answered_by and result.answered_by != result.provider else ""
    answered = f' <span class="badge">answered by {html.escape(chosen)}</span>' if chosen else ""
    if result.bill_to:
        answered += f' <span class="badge">billed to {html.escape(result.bill_to)}</span>'

    return (
        f'<div class="card state-{state}" data-provider="{html.escape(result.provider)}">'
        f'<div class="card-head"><span class="name">{title}</span>'
        f'<span class="badge routing-{result.routing}">{result.routing}</span>'
        f'<span class="badge state">{STATE_LABELS.get(state, state)}</span>{answered}</div>'
        f'<div class="metrics">{metrics}</div>{waterfall.html_of(result, axis_s)}{body}</div>'
    )


def panels_html(comparison: Comparison | None, runs: int | None = None) -> str:
    if comparison is None or not comparison.results:
        return '<div class="empty">Pick a model and providers, type a prompt, then press <b>Compare</b>. Each provider\'s answer streams into its own panel here.</div>'
    runs = runs or max(r.run for r in comparison.results)
    latest: dict[str, Result] = {}
    for result in comparison.results:
        if result.state != "waiting" or result.provider not in latest:
            latest[result.provider] = result
    axis_s = waterfall.span(latest.values())
    cards = "".join(_card(r, runs, axis_s) for r in latest.values())
    caption = f'<p class="waterfall-caption">{waterfall.caption(latest.values())}</p>' if axis_s else ""
    return f'<div class="cards">{cards}</div>{caption}'


TTFT_PHASE, REST_PHASE = "time to first token", "rest of the answer"
PROVIDER_LABEL_ANGLE = -40  # provider names under a chart's bars: slanted, they do not run into each other at 390 px
# Stable colours (the order of first appearance would decide them otherwise): TTFT in the theme's accent.
PHASE_COLOURS = {REST_PHASE: "#9db4d8", TTFT_PHASE: "#e8590c"}


def chart_frame(comparison: Comparison | None) -> pd.DataFrame:
    """Long format for a stacked bar: time to first token, then the rest of the answer, per provider (medians over runs)."""
    rows: list[dict[str, object]] = []
    if comparison is not None:
        frame = pd.DataFrame([r.to_json() for r in comparison.results if r.ok and r.latency_s is not None])
        if not frame.empty:
            medians = frame.groupby("provider", sort=False)[["ttft_s", "latency_s"]].median()
            for provider, row in medians.iterrows():
                ttft = 0.0 if pd.isna(row["ttft_s"]) else float(row["ttft_s"])
                # Vega stacks the phase that comes first in the data on top: the rest first puts TTFT at the bottom.
                rows.append({"provider": provider, "phase": REST_PHASE, "seconds": round(float(row["latency_s"]) - ttft, 4)})
                rows.append({"provider": provider, "phase": TTFT_PHASE, "seconds": round(ttft, 4)})
    return pd.DataFrame(rows, columns=["provider", "phase", "seconds"])


def status_line(comparison: Comparison | None) -> str:
    if comparison is None:
        return ""
    done = sum(r.finished for r in comparison.results)
    failed = sum(r.state == "error" for r in comparison.results)
    total = len(comparison.results)
    if comparison.finished:
        wall = f" in {comparison.wall_s:.2f} s" if comparison.wall_s else ""
        return f"Finished{wall}: {total - failed} of {total} calls succeeded" + (f", {failed} failed (see their panels)." if failed else ".")
    return f"Running: {done} of {total} calls finished…"


def stopped(comparison: Comparison) -> tuple[str, str]:
    """Panels and status after Stop: each provider's last finished run, or else what it had streamed so far."""
    ended = ("done", "error")
    kept = {r.provider for r in comparison.results if r.state in ended}
    shown = replace(
        comparison,
        results=[
            r if r.state in ended else replace(r, state="cancelled", error=None)
            for r in comparison.results
            if r.state in ended or (r.provider not in kept and (r.text or r.sent_at is not None or r.run <= 1))
        ],
    )
    finished = sum(r.state in ended for r in comparison.results)
    return panels_html(shown, max(r.run for r in comparison.results)), f"Stopped: {finished} of {len(comparison.results)} calls had finished; the others were cancelled."


def _output_html(result: Result) -> str:
    """Whatever the task produced (kinds/: media with players and downloads, label bars, entities, embeddings, text),
    with the thinking and the tool-call verdicts before the text."""
    notes = [_thinking_html(result)] if result.reasoning else []
    return kinds.show(result, [*notes, toolviews.verdicts_html(result)])


def _thinking_html(result: Result) -> str:
    """The thinking, collapsed, with its length and how long it took; plain text (escaped), apart from the answer."""
    reasoning = result.reasoning or ""
    tokens = "" if result.reasoning_tokens is None else f" · {'~' if result.reasoning_estimated else ''}{result.reasoning_tokens} tokens"
    took = "" if result.reasoning_s is None else f" · {result.reasoning_s:.2f} s"
    return (f'<details class="thinking"><summary>Thinking{tokens}{took}</summary>'
            f'<div class="reasoning">{html.escape(reasoning)}</div></details>')


def agreement_view(comparison: Comparison) -> tuple[pd.DataFrame | None, str]:
    """The similarity matrix (texts, or embeddings by cosine), and a diff of the two least alike answers."""
    similarity = comparison.similarity()
    if len(similarity) >= 2:
        return similarity.round(4).reset_index(names="provider"), "<p>Cosine similarity between the providers' embeddings.</p>"
    answers = agreement.answers(comparison)
    if len(answers) < 2:
        return None, "<p>Agreement needs two or more successful text answers.</p>"
    matrix = agreement.text_matrix(answers)
    least = agreement.pairs(matrix).iloc[-1]
    if least["similarity"] >= 1.0:  # no pair differs: a diff of two equal answers would only repeat one
        return matrix.round(3).reset_index(names="provider"), f"<p><b>All {len(answers)} answers are the same, word for word.</b></p>"
    a, b = str(least["a"]), str(least["b"])
    title = f"<p><b>Least alike:</b> {html.escape(a)} vs {html.escape(b)}, word by word (struck out: only in {html.escape(a)}; highlighted: only in {html.escape(b)}).</p>"
    return matrix.round(3).reset_index(names="provider"), title + '<div class="diff">' + agreement.diff_html(answers[a], answers[b], a, b) + "</div>"


def history_label(row: dict) -> str:
    return f'{row["time"]} · {row["model"]} · {", ".join(row["providers"])}'


def history_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"When": r["time"], "Task": TASKS[r["task"]].label if r["task"] in TASKS else r["task"], "Model": r["model"], "Providers": ", ".join(r["providers"]), "Prompt": r["prompt"], "id": r["id"]} for r in rows],
        columns=["When", "Task", "Model", "Providers", "Prompt", "id"],
    )


def signed_in(profile: gr.OAuthProfile | None) -> str:
    if profile is None:
        return "Not signed in: sign in to call providers on your own Hugging Face account."
    return f"Signed in as **{html.escape(profile.username)}**: routed calls bill your account."


def snippets_code(found: dict[str, dict[str, str | None]] | None, language: str) -> gr.Code:
    """Every provider's snippet in one language, one after another."""
    kind = snippets.LANGUAGES[language][1]
    if not found:
        return gr.Code(value="# Run a comparison first.", language=kind)
    comment = "//" if language == "javascript" else "#"
    blocks = [f"{comment} {provider}\n{codes.get(language) or f'{comment} not expressible in this language for this task'}" for provider, codes in found.items()]
    return gr.Code(value="\n\n".join(blocks), language=kind)


def _numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce")


def rounded(frame: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """Numeric columns rounded for reading; text columns as they are."""
    numeric = {c: _numbers(frame[c]) for c in frame.columns}
    return frame.assign(**{c: v.round(digits) for c, v in numeric.items() if v.notna().sum() == frame[c].notna().sum()})


def statistics_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The statistics table for people: times in ms, speeds in tok/s, rounded; the full precision stays in the API."""
    shown = pd.DataFrame({"Provider": frame["provider"], "Runs": frame["runs"], "Errors": frame["errors"]})
    shown["Error rate"] = _numbers(frame["error_rate"]).map(lambda v: None if pd.isna(v) else f"{v:.0%}")
    for metric, label in (("ttft_s", "TTFT ms"), ("latency_s", "Latency ms")):
        for name in ("median", "p90", "min", "max"):
            shown[f"{label} {name}"] = (_numbers(frame[f"{metric}_{name}"]) * 1000).round(0)
    shown["Speed median tok/s"] = _numbers(frame["tokens_per_s_median"]).round(1)
    shown["Tokens (mean)"] = _numbers(frame["output_tokens_mean"]).round(1)
    shown["Cost total"] = _numbers(frame["cost_total_usd"]).map(lambda v: "" if pd.isna(v) else units.usd(float(v)))
    for rate, count, label in (("tool_call_valid_rate", "tool_calls", "Valid tool calls"), ("schema_match_rate", "structured_answers", "Schema match")):
        if frame[count].fillna(0).astype(bool).any():
            shown[label] = ["—" if pd.isna(v) else f"{v:.0%} of {int(n)}" for v, n in zip(_numbers(frame[rate]), frame[count])]
    if frame["error_kinds"].astype(bool).any():
        shown["Error kinds"] = frame["error_kinds"]
    return shown


ADVERTISED_LABEL = "Measured medians next to what the router advertises (its latest probe)"


def advertised_view(frame: pd.DataFrame, task_id: str) -> gr.Dataframe:
    """Measured next to advertised, with the same headers and rounding as the statistics above it; other tasks say
    why the table is empty: the router advertises figures for chat models only."""
    if task_id != CHAT.id:
        label = f"Measured next to advertised: the router advertises time to first token and throughput for chat models only, not for {TASKS[task_id].label.lower()}."
        return gr.Dataframe(value=None, label=label)
    shown = pd.DataFrame({"Provider": frame["provider"]})
    for column, label in (("ttft_ms_measured", "TTFT ms median (measured)"), ("ttft_ms_advertised", "TTFT ms (advertised)")):
        shown[label] = _numbers(frame[column]).round(0)
    for column, label in (("tokens_per_s_measured", "Speed median tok/s (measured)"), ("tokens_per_s_advertised", "Speed tok/s (advertised)")):
        shown[label] = _numbers(frame[column]).round(1)
    return gr.Dataframe(value=shown, label=ADVERTISED_LABEL)


def leaderboard_frame(board: pd.DataFrame) -> pd.DataFrame:
    """The history leaderboard for people: the statistics table's columns, routing, how many comparisons, and when
    the last one ran (UTC), instead of an epoch."""
    shown = statistics_frame(board)
    shown.insert(1, "Routing", board["routing"])
    shown.insert(2, "Comparisons", board["comparisons"])
    last = pd.to_datetime(_numbers(board["last_run_at"]), unit="s", utc=True)
    shown["Last run (UTC)"] = last.dt.strftime("%Y-%m-%d %H:%M").fillna("")
    return shown


UNPRICED_TASK = (
    "**Before you compare:** cost unknown. The router publishes prices (per million tokens) for chat models only; "
    "other tasks are billed by each provider its own way (per image, per second of audio or video, per request), "
    "so no estimate or per-result cost is shown."
)
# After "Copy link": the query the server built, made absolute with the page's own address, and copied.
ABSOLUTE_LINK_JS = """(query) => {
  const link = location.origin + location.pathname + query;
  navigator.clipboard?.writeText(link).catch(() => {});
  return link;
}"""


def models_info(found: list[str], query: str, task: Task) -> str | None:
    """The model list's note: none when models were found; otherwise why, in the person's words."""
    if found:
        return None
    if query.strip():
        return f"No model matches “{query.strip()[:80]}” for {task.label.lower()}: try other words, or type a model id."
    return f"No model is served for {task.label.lower()} by any provider: try another task."


def compact_json(text: str | None) -> str:
    """JSON parameters on one line for a link; what does not parse is left out."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return ""
    return json.dumps(value, separators=(",", ":")) if value else ""


def saved_controls(saved: Comparison) -> dict[str, object]:
    """The controls that ran a saved comparison, by their names in a link (see links.py)."""
    params = dict(saved.params or {})
    runs = max((r.run for r in saved.results), default=1)
    controls: dict[str, object] = {"runs": max(1, runs), "warmup": any(r.warmup for r in saved.results)}
    if saved.task != CHAT.id:
        return controls | {"params": json.dumps(params, indent=2)}
    for name in ("max_tokens", "temperature", "top_p", "stream"):
        if params.get(name) is not None:
            controls[name] = params[name]
    controls["reasoning_effort"] = params.get("reasoning_effort") or "off"
    controls["seed"] = "" if params.get("seed") is None else str(params["seed"])
    return controls
