"""A standalone Python script that reruns a whole comparison (every provider, N runs) and prints the table."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

from . import scratch
from .model import Plan
from .settings import Settings
from .snippetimages import with_images
from .snippets import Call, hub_params, py_input, py_lines, py_literal, python_demo

_SCRIPT = '''\
"""Rerun a comparison from the Inference Providers Playground and print the table.

{title}
Keys come from the environment: HF_TOKEN for routed calls, <PROVIDER>_API_KEY for direct ones.
TTFT: request sent -> first chunk with text; latency: request sent -> last byte (as the playground measures).
Needs: pip install huggingface_hub pandas
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor

{demo}import pandas as pd
from huggingface_hub import InferenceClient

RUNS = {runs}
WARMUP = {warmup}  # one uncounted run first
INPUTS = {inputs}  # a dict by provider when each continues its own conversation
PARAMETERS = {parameters}
# (provider as shown, provider for InferenceClient, model for the call, environment variable holding the key)
CALLS = {calls}


def call(shown, provider, model, key_variable):
    row = {{"provider": shown, "ok": False, "ttft_s": None, "latency_s": None, "text": None, "error": None}}
    inputs = INPUTS[shown] if isinstance(INPUTS, dict) else INPUTS
    try:
        client = InferenceClient(provider=provider, api_key=os.environ[key_variable])
        started = time.perf_counter()
{body}
        row["latency_s"] = time.perf_counter() - started
        row["ok"] = True
    except Exception as error:  # one provider's failure is one row; the others go on
        row["error"] = f"{{type(error).__name__}}: {{error}}"
    return row


rows = []
for run in range(0 if WARMUP else 1, RUNS + 1):
    with ThreadPoolExecutor(max_workers=len(CALLS)) as pool:  # every provider at once, as in the playground
        rows.extend({{"run": run, **row}} for row in pool.map(lambda c: call(*c), CALLS))

table = pd.DataFrame(rows)
table = table[table["run"] > 0]
pd.set_option("display.width", 200)
print(table.assign(text=table["text"].astype("string").str.slice(0, 60)).to_string(index=False))
print()
summary = table.groupby("provider", sort=False).agg(
    runs=("ok", "size"),
    errors=("ok", lambda ok: int((~ok.astype(bool)).sum())),
    ttft_median_s=("ttft_s", "median"),
    latency_median_s=("latency_s", "median"),
    latency_p90_s=("latency_s", lambda s: s.quantile(0.9)),  # linear interpolation, as the playground
)
print(summary.to_string())
'''

_STREAM_BODY = """\
parts = []
for chunk in client.chat_completion(*inputs, model=model, **PARAMETERS):
    if chunk.choices and chunk.choices[0].delta.content:
        if row["ttft_s"] is None:
            row["ttft_s"] = time.perf_counter() - started
        parts.append(chunk.choices[0].delta.content)
row["text"] = "".join(parts)"""
_COMPLETION_BODY = """\
completion = client.chat_completion(*inputs, model=model, **PARAMETERS)
row["text"] = completion.choices[0].message.content"""
_OUTPUT_BODY = """\
output = client.{method}(*inputs, model=model, **PARAMETERS)
row["text"] = output if isinstance(output, str) else f"<{{len(output)}} bytes>" if isinstance(output, bytes) else repr(output)[:200]"""


def comparison_script(plan: Plan, settings: Settings) -> str:
    """A standalone Python script that reruns every provider of the plan, N runs, and prints the table (pandas)."""
    calls = [Call.of(plan, target) for target in plan.targets]
    first = calls[0]
    if first.chat:
        body = _STREAM_BODY if first.stream else _COMPLETION_BODY
    else:
        body = _OUTPUT_BODY.format(method=plan.task.method)
    rows = [(c.provider, c.sdk_provider, c.sdk_model, c.key_variable) for c in calls]
    title = f"{plan.model} · {plan.task.label} · {len(calls)} provider(s) × {plan.runs} run(s)"
    script = _SCRIPT.format(
        title=title,
        demo=python_demo(calls, settings),
        runs=plan.runs,
        warmup=plan.warmup,
        inputs=_script_inputs(calls),
        parameters=py_literal(hub_params(first)),
        calls=f"[\n{py_lines([py_literal(row) for row in rows])}]",
        body=textwrap.indent(body, " " * 8),
    )
    return with_images(script, tuple(dict.fromkeys(i for c in calls for i in c.images)), "python") or script


def _script_inputs(calls: Sequence[Call]) -> str:
    """The SDK method's inputs: one list for every call, or, when they differ (each provider's own thread), by provider."""
    def listed(call: Call) -> str:
        return f"[\n{py_lines([py_input(a, call.file_name) for a in call.args])}]"

    if all(c.args == calls[0].args for c in calls):
        return listed(calls[0])
    return "{\n" + py_lines([f"{py_literal(c.provider)}: {listed(c)}" for c in calls]) + "}"


def write_script(plan: Plan, settings: Settings, directory: Path | str | None = None) -> Path:
    """The comparison script as a file for a download button (a new folder under the system temp folder by default)."""
    name = f"rerun_{re.sub(r'[^A-Za-z0-9]+', '_', plan.model).strip('_').lower()[:80]}.py"
    path = Path(directory) / name if directory else scratch.new_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(comparison_script(plan, settings))
    return path
