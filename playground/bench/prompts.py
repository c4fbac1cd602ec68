"""Prompts for a load test: lines of a JSONL file, or synthetic ones of a chosen length."""

from __future__ import annotations

import json
import random
from pathlib import Path

from ..metrics import CHARS_PER_TOKEN, estimate_prompt_tokens

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PROMPTS = 100_000
WORDS = ["the", "model", "answers", "every", "question", "about", "latency", "throughput", "tokens", "providers", "routing", "cost", "and", "errors", "while", "a", "careful", "engineer", "measures", "each", "stream", "under", "load", "to", "choose", "where", "to", "ship"]


def synthetic(count: int, input_tokens: int, seed: int = 0) -> list[str]:
    """`count` distinct prompts of about `input_tokens` tokens each (distinct, so no provider cache serves them)."""
    rng = random.Random(seed)
    prompts = []
    for number in range(count):
        words: list[str] = [f"Request {number}:"]
        while sum(len(w) + 1 for w in words) < input_tokens * CHARS_PER_TOKEN:
            words.append(rng.choice(WORDS))
        prompts.append(" ".join(words) + ". Reply with a long story about it.")
    return prompts


def from_jsonl(path: str | Path) -> list[str]:
    """The `prompt` (or `text`) field of each line of a JSONL file; an error names the line that is wrong."""
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"prompts file {str(path)!r} does not exist or is not a file")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"prompts file {file.name} is over {MAX_FILE_BYTES // 2**20} MB")
    prompts: list[str] = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{file.name} line {number} is not JSON ({error.msg})") from None
        text = row.get("prompt", row.get("text")) if isinstance(row, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f'{file.name} line {number} has no "prompt" (or "text") string')
        prompts.append(text)
        if len(prompts) >= MAX_PROMPTS:
            break
    if not prompts:
        raise ValueError(f"{file.name} has no prompts")
    return prompts


def input_tokens_of(prompts: list[str]) -> int:
    """The longest prompt's tokens, estimated: for the worst-case cost."""
    return max(map(estimate_prompt_tokens, prompts)) if prompts else 0
