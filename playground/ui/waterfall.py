"""A call's timings as a waterfall, as browser devtools show a request: one row per phase, bars on one time axis.

Phases follow each other from the moment the comparison started the call. Every figure after `connect` is
counted from the request's last bytes handed to the kernel, so queueing and connecting never enter them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from ..model import Result

CAPTION_START = "Timing of each call, on one time axis for all providers."
PHASE_NOTES = {  # what each bar means, said in the caption only when a panel shows it
    "Queued": ": from Compare to the request written (building it, waiting for a turn), less connecting.",
    "Connect": ": DNS, TCP and TLS; 0 when a connection was reused.",
    "Waiting": " (TTFB): from the request's last byte handed to the kernel to the response's first byte arriving.",
    "First token": ": on to the first text (TTFT = waiting + this).",
    "Answer": ": on to the last byte (latency = TTFT + this). Arrivals are the kernel's receive stamps.",
    "Request → result": ": from the request written to the whole result in hand (the SDK sends, polls and downloads in "
    "one call: this task has no first token to time).",
}


def caption(results: Iterable[Result]) -> str:
    """The caption under the panels: only the phases their waterfalls draw (one-shot tasks have no first token)."""
    shown = {name for r in results for name, _, _ in phases(r)}
    notes = " ".join(f"<b>{name}</b>{note}" for name, note in PHASE_NOTES.items() if name in shown)
    return f"{CAPTION_START} {notes}" if shown else ""


def phases(result: Result) -> list[tuple[str, float, float]]:
    """(phase, start, end) in seconds from the call's start; empty when the call has no timings yet."""
    t = result.timings
    if not t or t.get("latency_s") is None:
        return []
    sent = (t.get("queued_s") or 0.0) + (t.get("connect_s") or 0.0)
    rows = [("Queued", 0.0, t.get("queued_s") or 0.0)]
    if t.get("connect_s") is not None:
        rows.append(("Connect", t.get("queued_s") or 0.0, sent))
    marks = [("Waiting", t.get("ttfb_s")), ("First token", t.get("ttft_s")), ("Answer", t.get("latency_s"))]
    if all(at is None for _, at in marks[:2]):
        marks = [("Request → result", t["latency_s"])]  # one-shot tasks: the SDK polls and downloads in one call
    last = 0.0
    for name, at in marks:
        if at is not None:
            rows.append((name, sent + last, sent + at))
            last = at
    return rows


def span(results: Iterable[Result]) -> float:
    """The longest call, start to end: the axis every provider's waterfall shares."""
    return max((end for r in results for _, _, end in phases(r)), default=0.0)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def html_of(result: Result, axis_s: float) -> str:
    rows = phases(result)
    if not rows or axis_s <= 0:
        return ""
    lines = []
    for name, start, end in rows:
        left, width = 100 * start / axis_s, max(100 * (end - start) / axis_s, 0.4)
        slug = name.split()[0].lower()
        lines.append(
            f'<div class="wf-row"><span class="wf-name">{html.escape(name)}</span>'
            f'<span class="wf-track"><span class="wf-bar wf-{slug}" style="left:{left:.2f}%;width:{width:.2f}%"></span></span>'
            f'<span class="wf-value">{_ms(end - start)}</span></div>'
        )
    label = f"Timing of {html.escape(result.provider)}, one row per phase"
    return f'<div class="waterfall" role="group" aria-label="{label}">{"".join(lines)}</div>'
