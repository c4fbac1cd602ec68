"""What a chat answer's chunks say, noted on its Result: usage, thinking, and when each kind of output arrived.

TTFT is the first output of any kind (thinking, answer text, a tool-call delta); answer TTFT the first answer token
or tool call; both from the same send stamp. Output speed counts every output token, thinking included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import thinking
from .metrics import estimate_output_tokens, output_speed
from .model import Result


def take_usage(result: Result, usage: Any) -> None:
    if isinstance(usage, dict):
        result.input_tokens, result.output_tokens = usage.get("prompt_tokens"), usage.get("completion_tokens")
        result.reasoning_tokens = thinking.reasoning_tokens(usage)


def keep_thinking(result: Result, splitter: thinking.ThinkingSplitter, chunks: int) -> None:
    """The thinking and its tokens: the provider's count when its usage has one, else counted and marked."""
    result.reasoning = splitter.reasoning or None
    if result.reasoning and result.reasoning_tokens is None:
        result.reasoning_tokens, result.reasoning_estimated = estimate_output_tokens(chunks, result.reasoning), True


def take_pieces(result: Result, splitter: thinking.ThinkingSplitter) -> None:
    """Queue what the splitter got since last time on the result; Result.flush_text joins it when shown."""
    thought, said = splitter.take_new()
    result.reasoning_parts.extend(thought)
    result.text_parts.extend(said)


@dataclass
class Marks:
    """When each kind of output first (and last) arrived."""

    first: float | None = None
    last: float | None = None
    thinking: float | None = None
    thinking_last: float | None = None
    answer: float | None = None
    chunks: int = 0
    thinking_chunks: int = 0


def mark(marks: Marks, result: Result, now: float, started: float, grew: thinking.Grew, tool_delta: bool) -> bool:
    """Note one chunk's output; True when it carried any."""
    if not (grew.thinking or grew.answer or tool_delta):
        return False
    if marks.first is None:
        marks.first = result.first_token_at = now
        result.ttft_s = now - started
        result.state = "streaming"
    if grew.thinking:
        marks.thinking = now if marks.thinking is None else marks.thinking
        marks.thinking_last, marks.thinking_chunks = now, marks.thinking_chunks + 1
    if (grew.answer or tool_delta) and marks.answer is None:
        marks.answer = now
        result.answer_ttft_s = now - started
    marks.last, marks.chunks = now, marks.chunks + 1
    if result.chunk_times is not None:
        result.chunk_times.append(now)
    return True


def finish(result: Result, splitter: thinking.ThinkingSplitter, marks: Marks, started: float, done_at: float) -> None:
    """At the end of the stream: what was held back, the thinking's length and duration, tokens and speed."""
    mark(marks, result, done_at, started, splitter.finish(), False)
    take_pieces(result, splitter)
    result.flush_text()
    result.latency_s = done_at - started
    keep_thinking(result, splitter, marks.thinking_chunks)
    if marks.thinking is not None:
        result.reasoning_s = (marks.answer or marks.thinking_last or marks.thinking) - marks.thinking
    if result.output_tokens is None and marks.chunks:
        text = (result.reasoning or "") + (result.text or "")
        result.output_tokens, result.tokens_estimated = estimate_output_tokens(marks.chunks, text), True
    result.tokens_per_s = output_speed(result.output_tokens, marks.first, marks.last)
