"""The conversation bar under the panels: the next message, whether each provider continues its own thread or all
continue one shared history, and Send, Retry, Edit and Clear. The turns live in `playground.conversation`; this
module only lays them out and wires them to `compare.run`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import gradio as gr

from .. import visitors
from ..conversation import MODES, Conversation
from ..service import Playground
from . import api, compare, threadviews, views
from .page import Page
from .prompt import CHAT_ONLY

SENDING = ["panels", "status", "last", "snippet_state", "ending", *compare.CONVERSATION, "next_message", "next_image"]
TAKEN_BACK = ["conversation", "followup", "conversation_line", "thread_lead", "next_message", "next_image", "panels", "status"]
TYPED = ["conversation", "next_message", "next_image"]
REOPENED = "The last turn was reopened from History: it can be continued with a new message, not retried or edited."


def render(page: Page) -> None:
    with gr.Column(visible=False, elem_id="followup") as followup:
        page.add(conversation_line=gr.Markdown(elem_classes="conversation-line"))
        with gr.Row():
            page.add(
                thread_mode=gr.Radio(choices=[(label, key) for key, label in MODES.items()], value="own", show_label=False, scale=3),
                thread_lead=gr.Dropdown(choices=[], label="Shared history: whose answers", visible=False, scale=1,
                                        info="Its answers go to everyone; if it failed the last turn, the first provider that answered."),
            )
        with gr.Row():
            page.add(
                next_message=gr.Textbox(label="Next message", lines=2, max_lines=12, placeholder="Write the next message, then Send", scale=3),
                next_image=gr.Image(label="Image with it (vision models)", type="filepath", height=140, scale=1),
            )
        with gr.Row():
            page.add(
                send=gr.Button("Send", variant="primary", scale=2),
                retry=gr.Button("Retry last turn", scale=1),
                edit=gr.Button("Edit last turn", scale=1),
                clear=gr.Button("Clear conversation", scale=1),
            )
    page.add(followup=followup, conversation=gr.State(None))


def next_form(form: Mapping[str, Any], conversation: Conversation | None, prompt: str, attachment: str | None = None) -> dict[str, Any]:
    """The comparison form for the next turn of `conversation`: its message and each provider's history."""
    if conversation is None:
        raise gr.Error("No conversation to continue: press Compare first.", print_exception=False)
    if form["task"] not in CHAT_ONLY:
        raise gr.Error("Conversations are for chat: pick the Chat task, or press Compare.", print_exception=False)
    if conversation.model and form["model"] != conversation.model:
        raise gr.Error(views.toast(f"This conversation is with {conversation.model}: pick it back to continue, or press Compare "
                                   f"to start a new one with {form['model']}."), print_exception=False)
    history = conversation.history(form["providers"] or [], form.get("thread_mode") or "own", form.get("thread_lead"))
    return {**form, "prompt": prompt, "image": attachment, "conversation_json": history}


def taken_back(conversation: Conversation | None, typed: str, image: str | None, form: Mapping[str, Any]) -> dict[str, Any]:
    """Edit: the last turn's message back in the box (the turn is dropped); refused while the box holds a draft."""
    if conversation is None or not conversation.turns:
        gr.Warning("No turn to edit.")
        return {}
    if conversation.reopened_only:
        gr.Warning(REOPENED)
        return {}
    if (typed or "").strip() or image:
        gr.Warning("The message box holds a message or image you have not sent: send it or clear it first, so it is not lost.")
        return {}
    before, last = conversation.without_last()
    assert last is not None
    shown = views.panels_html(before.last.comparison) if before.last else views.panels_html(None)
    return {
        **threadviews.conversation_shown(before, form.get("thread_mode"), form.get("thread_lead")),
        "next_message": last.prompt, "next_image": last.attachment, "panels": shown,
        "status": f"Turn {len(conversation.turns)} is back in the message box: change it and press Send.",
    }


def cleared() -> dict[str, Any]:
    return {**threadviews.conversation_shown(None), "panels": views.panels_html(None), "status": "Conversation cleared: Compare starts a new one."}


def wire(page: Page, playground: Playground) -> list[gr.events.Dependency]:
    """Send, Retry, Edit, Clear and the mode; returns the events that run a turn (Stop cancels them)."""
    p = page
    private: dict[str, Any] = {"api_visibility": "private"}
    blocks = api.root_blocks()

    async def turn(form: dict[str, Any], retry: bool, browser_id: str | None, oauth: gr.OAuthToken | None,
                   profile: gr.OAuthProfile | None, request: gr.Request | None) -> AsyncIterator[dict[Any, Any]]:
        conversation: Conversation | None = form.pop("conversation")
        typed, image = form.pop("next_message"), form.pop("next_image")
        if retry:
            if conversation is None or conversation.last is None:
                raise gr.Error("No turn to retry.", print_exception=False)
            if conversation.reopened_only:
                raise gr.Error(REOPENED, print_exception=False)
            conversation, last = conversation.without_last()
            assert last is not None
            prompt, attachment = last.prompt, last.attachment
        else:
            prompt, attachment = typed, image
        owner = visitors.owner(playground.settings, profile, browser_id)
        runs = compare.run(playground, next_form(form, conversation, prompt, attachment), oauth.token if oauth else "", owner,
                           api.caller_alive(blocks, request), conversation)
        async for update in runs:
            if "conversation" in update and not retry:
                update |= {"next_message": "", "next_image": None}  # sent, and kept in the conversation
            yield p.keyed(update)

    async def on_send(browser_id: str | None, *values: Any, oauth: gr.OAuthToken | None = None, profile: gr.OAuthProfile | None = None,
                      request: gr.Request = None) -> AsyncIterator[dict[Any, Any]]:  # type: ignore[assignment]
        async for update in turn(dict(zip([*TYPED, *compare.FORM], values)), False, browser_id, oauth, profile, request):
            yield update

    async def on_retry(browser_id: str | None, *values: Any, oauth: gr.OAuthToken | None = None, profile: gr.OAuthProfile | None = None,
                       request: gr.Request = None) -> AsyncIterator[dict[Any, Any]]:  # type: ignore[assignment]
        async for update in turn(dict(zip([*TYPED, *compare.FORM], values)), True, browser_id, oauth, profile, request):
            yield update

    inputs = [p.visitor, *p.all(TYPED), *p.all(compare.FORM)]
    sending = gr.on([p.send.click, p.next_message.submit], on_send, inputs, p.all(SENDING), **private)
    retrying = p.retry.click(on_retry, inputs, p.all(SENDING), **private)
    ending = p.all(compare.AT_THE_END)
    for event in (sending, retrying):
        event.then(lambda values: values or [gr.skip()] * len(ending), [p.ending], ending, **private)
    p.edit.click(lambda c, typed, image, mode, lead: p.keyed(taken_back(c, typed, image, {"thread_mode": mode, "thread_lead": lead})),
                 [*p.all(TYPED), p.thread_mode, p.thread_lead], p.all(TAKEN_BACK), show_progress="hidden", **private)
    p.clear.click(lambda: p.keyed(cleared()), None, p.all(TAKEN_BACK), show_progress="hidden", **private)
    gr.on([p.thread_mode.change, p.thread_lead.change],
          lambda c, mode, lead: p.keyed({k: v for k, v in threadviews.conversation_shown(c, mode, lead).items() if k != "conversation"} if c else {}),
          [p.conversation, p.thread_mode, p.thread_lead], p.all(["followup", "conversation_line", "thread_lead"]), show_progress="hidden", **private)
    return [sending, retrying]
