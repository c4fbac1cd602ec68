"""The Compare and Stop buttons, the status line and the live panels: running a comparison."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import gradio as gr

from .. import links, rerun, snippets, visitors
from ..conversation import Conversation
from ..model import CompareRequest, Comparison
from ..planning import InvalidRequest, chat_params
from ..service import Playground
from ..tasks import TASKS, get_task
from . import agreement, api, results, setup, statistics, threadviews, tools, views
from .page import Page
from .prompt import CHAT_ONLY

FORM = [
    "task", "model", "providers", "system", "prompt", "image", "audio", "labels", "context", "api_key", "bill_to",
    "max_tokens", "temperature", "top_p", "seed", "stream", "reasoning_effort", "params_json", "runs", "warmup", *setup.PROVIDER_KEYS,
    *tools.FORM, "thread_mode", "thread_lead",
]
CONVERSATION = ["conversation", "followup", "conversation_line", "thread_lead"]  # what a finished chat turn updates
SHOWN = ["panels", "status", "last", "table", "chart", "summary", "spread", "advertised", "matrix", "diff"]
# Gradio rebuilds every output a streaming tick leaves out (tens of ms per tick on the server, more in the
# browser): a tick names only what it changes, and what a finished comparison adds follows in a step of its own.
AT_THE_END = [c for c in [*SHOWN, "script"] if c not in ("panels", "status", "last")]


def render(page: Page) -> None:
    with gr.Row():
        page.add(
            compare=gr.Button("Compare", variant="primary", scale=3),
            stop=gr.Button("Stop", variant="stop", scale=1),
            copy_link=gr.Button("Copy link", scale=1),
        )
    page.add(
        link_box=gr.Textbox(label="Link to this comparison's setup (copied)", elem_classes="share-link", buttons=["copy"], max_lines=2, visible=False),
        status=gr.Markdown(elem_classes="status"),
        panels=gr.HTML(views.panels_html(None), elem_classes="panels"),
        last=gr.State(None),  # the Comparison on screen, for statistics, agreement and history
        ending=gr.State(),  # what a finished comparison adds, shown in a step of its own
    )


def request_of(form: Mapping[str, Any], oauth_token: str = "") -> CompareRequest:
    """The request the form describes. Chat takes its parameters from the sliders; every other task from the JSON box.
    Only the inputs the task reads are sent: a box hidden for this task may still hold another task's example or upload."""
    task_id = form["task"]
    reads = set(get_task(task_id).inputs) if task_id in TASKS else set()
    shown = {name: form[name] if name in reads else None for name in ("prompt", "system", "image", "audio", "labels")}
    params: Any = form["params_json"]
    if task_id in CHAT_ONLY:
        params = chat_params(form["max_tokens"], form["temperature"], form["top_p"], form["seed"], form["stream"]) | tools.params(form)
        if form.get("reasoning_effort") not in (None, "", "off"):
            params["reasoning_effort"] = form["reasoning_effort"]
    return CompareRequest(
        task=task_id,
        model=form["model"],
        providers=form["providers"],
        prompt=shown["prompt"] or "",
        system=shown["system"] or "",
        input_file=shown["image"] or shown["audio"],
        labels=shown["labels"] or "",
        context=(form["context"] if reads & {"context", "sentences"} else "") or "",
        api_key=form["api_key"],
        bill_to=form["bill_to"] or "",
        provider_keys={name: form[key] for name, key in zip(setup.KEYED_PROVIDERS, setup.PROVIDER_KEYS)},
        oauth_token=oauth_token,
        params_json=params,
        runs=int(form["runs"] or 1),
        warmup=bool(form["warmup"]),
        conversation_json=form.get("conversation_json"),
    )


def finished(playground: Playground, comparison: Comparison) -> dict[str, Any]:
    """Everything a finished (or saved) comparison shows besides its panels."""
    return {
        "last": comparison,
        **results.show(comparison),
        **statistics.show(playground, comparison),
        **agreement.show(comparison),
    }


async def run(
    playground: Playground, form: Mapping[str, Any], oauth_token: str = "", owner: str | None = "", alive: Any = None,
    conversation: Conversation | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """`owner`: whose history it goes to (visitors.owner); `alive`: False once the tab went away (then it stops).
    A chat turn that finishes continues `conversation` (a new one when None): see ui/conversation.py."""
    try:
        plan = playground.plan(request_of(form, oauth_token))
    except InvalidRequest as error:
        raise gr.Error(views.toast(str(error)), print_exception=False) from None
    yield {"snippet_state": snippets.for_plan(plan, playground.settings)}
    async for comparison in playground.stream(plan, alive=alive, owner=owner):  # saved there, even when stopped
        update: dict[str, Any] = {"panels": views.panels_html(comparison), "status": views.status_line(comparison), "last": comparison}
        if comparison.finished:  # the rest once, at the end, through `ending`: keeps each streaming tick cheap
            final = {**finished(playground, comparison), "script": str(rerun.write_script(plan, playground.settings))}
            update["ending"] = [final[c] for c in AT_THE_END]
            if plan.turn is not None and comparison.finished_at is not None:  # the last update: threads are set
                continued = (conversation or Conversation()).continued(form["prompt"], comparison, form.get("image"))
                update |= threadviews.conversation_shown(continued, form.get("thread_mode"), form.get("thread_lead"))
        yield update


STOPPED = ["panels", "status", *(c for c in AT_THE_END if c != "script")]


async def stop_view(playground: Playground, comparison: Comparison | None) -> dict[str, Any]:
    """After Stop cancels the run (the runner then marks what was cut short), show it as stopped, with the table,
    statistics and agreement of what had finished."""
    if comparison is None or comparison.finished_at is not None:  # nothing running (finished_at: it ended by itself)
        return {name: gr.skip() for name in STOPPED}
    for _ in range(40):  # wait for the cancellation to land, so no late streaming tick paints over this
        if comparison.finished:
            break
        await asyncio.sleep(0.05)
    await playground.saved(comparison)  # the history refreshed after this lists it
    shown, line = views.stopped(comparison)
    done = finished(playground, comparison)
    return {**{name: done[name] for name in STOPPED if name in done}, "panels": shown, "status": line}


def share_link(form: Mapping[str, Any]) -> gr.Textbox:
    """The setup on screen as a link's query (see links.py); the browser adds the page's own address."""
    controls = {name: form[name] for name in setup.LINKED}
    if form["task"] not in CHAT_ONLY:
        controls = {"runs": form["runs"], "warmup": form["warmup"], "params": views.compact_json(form["params_json"])}
    fields = {"task": form["task"], "model": form["model"], "providers": form["providers"], "prompt": form["prompt"], "system": form["system"]}
    return gr.Textbox(value=links.query({**fields, **controls}), visible=True)


def wire(page: Page, playground: Playground, turns: Sequence[gr.events.Dependency] = ()) -> tuple[gr.events.Dependency, gr.events.Dependency]:
    """Compare (button or Enter in the prompt), Stop (of a comparison or of a conversation's `turns`) and Copy link;
    returns the running and the stopping events, which others follow."""
    private: dict[str, Any] = {"api_visibility": "private"}
    p = page
    blocks = api.root_blocks()  # its queue says whether the visitor's tab is still there

    async def on_compare(
        browser_id: str | None, *values: Any, oauth: gr.OAuthToken | None = None, profile: gr.OAuthProfile | None = None,
        request: gr.Request = None,  # type: ignore[assignment]
    ) -> AsyncIterator[dict[Any, Any]]:
        owner = visitors.owner(playground.settings, profile, browser_id)
        alive = api.caller_alive(blocks, request)
        async for update in run(playground, dict(zip(FORM, values)), oauth.token if oauth else "", owner, alive):
            yield p.keyed(update)

    async def on_stop(comparison: Comparison | None) -> dict[Any, Any]:
        return p.keyed(await stop_view(playground, comparison))

    outputs = p.all(["panels", "status", "last", "snippet_state", "ending", *CONVERSATION])
    running = gr.on([p.compare.click, p.prompt.submit], on_compare, [p.visitor, *p.all(FORM)], outputs, **private)
    ending = p.all(AT_THE_END)
    running.then(lambda values: values or [gr.skip()] * len(ending), [p.ending], ending, **private)
    stopping = p.stop.click(None, None, None, cancels=[running, *turns], **private).then(on_stop, [p.last], p.all(STOPPED), **private)
    p.copy_link.click(lambda *values: share_link(dict(zip(FORM, values))), p.all(FORM), p.link_box, **private).then(
        None, [p.link_box], [p.link_box], js=views.ABSOLUTE_LINK_JS, **private
    )
    return running, stopping
