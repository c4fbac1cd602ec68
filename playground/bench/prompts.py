"""Prompts for a load test: lines of a JSONL file, a text column of a Hub dataset, or synthetic ones of a chosen length."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from huggingface_hub.utils import get_session

from ..metrics import CHARS_PER_TOKEN, estimate_prompt_tokens

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PROMPTS = 100_000
MAX_DATASET_ROWS = 2_000  # rows read from a Hub dataset, 100 per request (the dataset viewer's page)
DATASET_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?$")
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



def _viewer(base_url: str, path: str, **params: Any) -> dict[str, Any]:
    """One call to the Hub's dataset viewer API (datasets-server); its error message when it refuses."""
    try:
        response = get_session().get(f"{base_url}/{path}", params=params, timeout=30.0)
    except Exception as error:  # a transport failure is the person's to retry, named, not a crash
        raise ValueError(f"could not reach the Hub's dataset viewer ({type(error).__name__})") from None
    if response.status_code == 404:
        raise ValueError(f"no dataset {params['dataset']!r} on the Hub's dataset viewer (it may not exist, or be "
                         f"private or gated)")
    if response.status_code >= 400:
        raise ValueError(f"the Hub's dataset viewer refused {params['dataset']!r}: "
                         f"{str(response.json().get('error', response.status_code))[:200]}")
    return dict(response.json())


def from_hub(base_url: str, dataset: str, column: str, limit: int = MAX_DATASET_ROWS) -> list[str]:
    """Up to `limit` non-empty strings of `column` in the first split of `dataset` (its `train` split if it has one)."""
    if not DATASET_ID.match(dataset or ""):
        raise ValueError(f"{dataset!r} is not a Hub dataset id (like fka/awesome-chatgpt-prompts)")
    splits = _viewer(base_url, "splits", dataset=dataset).get("splits") or []
    if not splits:
        raise ValueError(f"dataset {dataset!r} has no split the dataset viewer can read")
    split = next((s for s in splits if s.get("split") == "train"), splits[0])
    prompts: list[str] = []
    offset, total = 0, None
    while len(prompts) < limit and (total is None or offset < total):
        page = _viewer(base_url, "rows", dataset=dataset, config=split["config"], split=split["split"],
                       offset=offset, length=100)
        names = [f["name"] for f in page.get("features") or []]
        if column not in names:
            raise ValueError(f"dataset {dataset!r} has no column {column!r}; its columns: {', '.join(names) or 'none'}")
        rows = page.get("rows") or []
        prompts.extend(v for r in rows for v in [r.get("row", {}).get(column)] if isinstance(v, str) and v.strip())
        total, offset = page.get("num_rows_total", 0), offset + 100
        if not rows:
            break
    if not prompts:
        raise ValueError(f"column {column!r} of {dataset!r} holds no text")
    return prompts[:limit]
