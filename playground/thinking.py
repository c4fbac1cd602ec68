"""A reasoning model's thinking kept apart from its answer, whichever way the provider sends it.

Providers stream thinking three ways: `delta.reasoning_content` (DeepSeek's API, vLLM, SGLang), `delta.reasoning`
(OpenRouter-style, groq, the SDK's message type), or inside `content` as `<think>…</think>` before the answer
(servers that pass the raw tokens through). The tag may be split across chunks (`<th` then `ink>`), so content
that could still be the start of a tag is held back until the next piece settles it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

OPEN, CLOSE = "<think>", "</think>"
REASONING_FIELDS = ("reasoning_content", "reasoning")


def _held(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is the start of `tag` (it may be completed by the next chunk)."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


@dataclass
class Grew:
    thinking: bool = False
    answer: bool = False


@dataclass
class ThinkingSplitter:
    """Feed it every delta (or one whole message); it keeps `reasoning` and `text` apart."""

    reasoning_parts: list[str] = field(default_factory=list)
    answer_parts: list[str] = field(default_factory=list)
    _mode: str = "start"  # start (a <think> may open) → thinking (inside the tag) → answer
    _pending: str = ""
    _after_tag: bool = False  # the whitespace between </think> and the answer is not an answer token
    _taken: tuple[int, int] = (0, 0)  # how many reasoning and answer pieces take_new has handed out

    @property
    def reasoning(self) -> str:
        return "".join(self.reasoning_parts).strip()

    @property
    def text(self) -> str:
        return "".join(self.answer_parts)

    def take_new(self) -> tuple[list[str], list[str]]:
        """The (thinking, answer) pieces added since the last call: work proportional to what arrived, never a join."""
        thought, said = self._taken
        self._taken = (len(self.reasoning_parts), len(self.answer_parts))
        return self.reasoning_parts[thought:], self.answer_parts[said:]

    def add(self, delta: Mapping[str, Any]) -> Grew:
        grew = Grew()
        for name in REASONING_FIELDS:
            value = delta.get(name)
            if isinstance(value, str) and value:
                self.reasoning_parts.append(value)
                grew.thinking = True
        content = delta.get("content")
        if isinstance(content, str) and content:
            self._content(content, grew)
        return grew

    def finish(self) -> Grew:
        """The end of the answer: whatever was held back is what it looked like."""
        grew, rest, self._pending = Grew(), self._pending, ""
        if rest and self._mode == "thinking":
            self.reasoning_parts.append(rest)
            grew.thinking = True
        elif rest:
            self._answer(rest, grew)
        return grew

    def _content(self, content: str, grew: Grew) -> None:
        text, self._pending = self._pending + content, ""
        if self._mode == "start":
            opened = text.lstrip()
            if opened.startswith(OPEN):
                self._mode, text = "thinking", opened[len(OPEN):]
            elif OPEN.startswith(opened):
                self._pending = text
                return
            else:
                self._mode = "answer"
        if self._mode == "thinking":
            text = self._thinking(text, grew)
        if self._mode == "answer" and text:
            self._answer(text, grew)

    def _thinking(self, text: str, grew: Grew) -> str:
        """Take the thinking part of `text`; return what follows the closing tag ("" while thinking goes on)."""
        before, closed, after = text.partition(CLOSE)
        if not closed:
            held = _held(text, CLOSE)
            before, self._pending = text[: len(text) - held], text[len(text) - held :]
        if before:
            self.reasoning_parts.append(before)
            grew.thinking = True
        if closed:
            self._mode, self._after_tag = "answer", True
        return after

    def _answer(self, text: str, grew: Grew) -> None:
        if self._after_tag:
            text = text.lstrip()
            if not text:
                return
            self._after_tag = False
        self.answer_parts.append(text)
        grew.answer = True


def split_message(message: Mapping[str, Any] | None) -> tuple[str, str]:
    """(reasoning, answer) of a whole (non-streamed) message."""
    splitter = ThinkingSplitter()
    splitter.add(message or {})
    splitter.finish()
    return splitter.reasoning, splitter.text


def reasoning_tokens(usage: Mapping[str, Any] | None) -> int | None:
    """`usage.completion_tokens_details.reasoning_tokens` (OpenAI's place; also vLLM, DeepSeek), or the top-level
    `reasoning_tokens` some providers send; None when the provider does not say."""
    if not isinstance(usage, Mapping):
        return None
    details = usage.get("completion_tokens_details")
    value = details.get("reasoning_tokens") if isinstance(details, Mapping) else None
    value = usage.get("reasoning_tokens") if value is None else value
    return value if isinstance(value, int) and not isinstance(value, bool) else None
