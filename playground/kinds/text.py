"""Text: generated, summarised, translated or transcribed; shown as markdown that cannot run or fetch anything."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from ..errors import BadResponse
from .common import Kind, get

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result

_TEXT_FIELDS = ("generated_text", "summary_text", "translation_text", "text", "answer")

# Answers are markdown; raw HTML in them is shown as text, never run (html=False escapes it). A remote image is not
# loaded (a prompt-injected model could leak the conversation in its URL, fetched by every viewer on every tick):
# it becomes a link the person may click. Links open apart, telling the other site nothing.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
LINK_REL = "noopener noreferrer nofollow"


def _image_as_link(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    token = tokens[index]
    src, alt = str(token.attrGet("src") or ""), "".join(child.content for child in token.children or ()) or "image"
    return (f'<a class="remote-image" href="{html.escape(src)}" rel="{LINK_REL}" target="_blank">'
            f"[image not loaded: {html.escape(alt)} · {html.escape(src)}]</a>")


def _safe_link_open(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    tokens[index].attrSet("rel", LINK_REL)
    tokens[index].attrSet("target", "_blank")
    return renderer.renderToken(tokens, index, options, env)


_markdown.add_render_rule("image", _image_as_link)
_markdown.add_render_rule("link_open", _safe_link_open)


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """str, or any SDK output carrying its text (generated, summary, translation, transcription), or a list of them."""
    first = output[0] if isinstance(output, list) and output else output
    value = first if isinstance(first, str) else next((v for f in _TEXT_FIELDS if isinstance(v := get(first, f), str)), None)
    if value is None:
        raise BadResponse(f"expected text, got {type(output).__name__}")
    if not value.strip():
        raise BadResponse("the provider answered with an empty text")
    result.text = value
    result.summary = " ".join(value.split())[:120]


def markdown(text: str) -> str:
    return _markdown.render(text)


def show(result: Result) -> str:
    return f'<div class="answer">{markdown(result.text)}</div>' if result.text else ""


KIND = Kind("text", summarise, show)
