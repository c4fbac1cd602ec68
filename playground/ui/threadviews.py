"""How a conversation shows: each panel's thread (earlier turns collapsed, compact) above its newest answer, and the
line that says what the next message goes with. Pure functions: text in, escaped HTML and component updates out."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from ..conversation import Conversation
from ..messages import Message, images_in, text_of
from ..model import Result

EARLIER_CHARS = 400  # an earlier message, shortened: the newest answer is the one to read


def _said(message: Message, who: str, limit: int | None = None) -> str:
    text = text_of(message.get("content"))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    images = images_in(message.get("content"))
    attached = f' <small>[{images} image{"s" if images > 1 else ""}]</small>' if images else ""
    return f'<div class="msg {html.escape(str(message.get("role")))}"><b>{html.escape(who)}</b> {html.escape(text)}{attached}</div>'


def thread_html(result: Result) -> str:
    """A later turn's panel: what this provider was sent before (collapsed), then the message it answers."""
    thread = result.thread or ()
    if len(thread) < 2:
        return ""
    earlier, newest = thread[:-1], thread[-1]
    turns = sum(1 for m in earlier if m.get("role") == "user")
    names = {"user": "You", "assistant": "Answer"}  # a shared history's answers may be another provider's
    shown = "".join(_said(m, names.get(str(m.get("role")), str(m.get("role"))), EARLIER_CHARS) for m in earlier)
    return (f'<details class="thread"><summary>Earlier in this thread: {turns} turn{"s" if turns != 1 else ""}</summary>'
            f'{shown}</details>{_said(newest, "You")}')


def conversation_shown(conversation: Conversation | None, mode: str | None = "own", lead: str | None = None) -> dict[str, Any]:
    """The conversation bar for `conversation` (hidden when there is none)."""
    if conversation is None:
        return {"conversation": None, "followup": gr.Column(visible=False), "conversation_line": ""}
    providers = conversation.providers()
    lead = lead if lead in providers else (providers[0] if providers else None)
    line = (conversation.describe(mode or "own", lead) if conversation.turns
            else "**Conversation:** no turns yet. The message below starts it.")
    return {
        "conversation": conversation,
        "followup": gr.Column(visible=True),
        "conversation_line": line,
        "thread_lead": gr.Dropdown(choices=providers, value=lead, visible=mode == "shared"),
    }
