"""Metrics computed from what a call produced: output speed, estimated tokens, cost."""

from __future__ import annotations

import math


def output_speed(tokens: int | None, first_at: float | None, last_at: float | None) -> float | None:
    """Tokens after the first, divided by the time between the first and the last text chunk (Artificial Analysis)."""
    if not tokens or tokens < 2 or first_at is None or last_at is None or last_at <= first_at:
        return None
    return (tokens - 1) / (last_at - first_at)


CHARS_PER_TOKEN = 4  # the usual rule for English text; the provider's usage gives the true count


def estimate_prompt_tokens(text: str) -> int:
    """Prompt tokens before sending, estimated as ceil(characters / 4)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_output_tokens(chunks: int, text: str) -> int:
    """Output tokens when the provider sends no usage: one per text chunk, unless the text is longer than that
    (providers that send several tokens per chunk)."""
    return max(chunks, estimate_prompt_tokens(text))


def cost(input_tokens: int | None, output_tokens: int | None, pricing: dict[str, float] | None) -> float | None:
    """USD from usage × the router's per-million-token pricing; None when either is unknown (never guessed)."""
    if not pricing or input_tokens is None or output_tokens is None:
        return None
    if pricing.get("input") is None or pricing.get("output") is None:
        return None
    return (input_tokens * float(pricing["input"]) + output_tokens * float(pricing["output"])) / 1_000_000
