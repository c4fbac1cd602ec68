"""Labels with scores, best first: classification, and the variants whose rows are answers, candidate tokens or
compared sentences. Shown as bars. Question answering is its own kind (`ANSWER`): labels, plus the best as text."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..errors import BadResponse
from .common import Kind, by_score, elements, get, score

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result


def _top(rows: list[dict[str, Any]]) -> str:
    best, label = rows[0], str(rows[0]["label"])[:60]
    return label if best["score"] is None else f"{label} ({best['score']:.2f})"


def _labelled(rows: list[dict[str, Any]], result: Result, what: str) -> None:
    if not rows:
        raise BadResponse(f"the provider answered with no {what}")
    result.labels = by_score(rows)
    result.summary = _top(result.labels)


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Classification: [{"label", "score"}], best first."""
    items = [item for item in elements(output) if get(item, "label") is not None]
    _labelled([{"label": str(get(item, "label")), "score": score(get(item, "score"))} for item in items], result, "labels")


def answers(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Question answering (text, visual, document): the best answer as text, every answer with its score as labels."""
    rows = []
    for item in elements(output):
        answer = get(item, "answer")
        if isinstance(answer, str) and answer.strip():
            row = {"label": answer, "score": score(get(item, "score"))}
            row.update({key: get(item, key) for key in ("start", "end") if get(item, key) is not None})
            rows.append(row)
    _labelled(rows, result, "answer")
    result.text = result.labels[0]["label"]  # type: ignore[index]


def fill_mask(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Candidate tokens as labels (with the completed sentence), the best sentence as text."""
    rows = [
        {"label": str(get(item, "token_str")).strip(), "score": score(get(item, "score")), "sequence": get(item, "sequence")}
        for item in elements(output)
        if get(item, "token_str") is not None
    ]
    _labelled(rows, result, "candidates")
    result.text = result.labels[0]["sequence"]  # type: ignore[index]


def similarities(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """Sentence similarity: one score per compared sentence, labelled with that sentence, best first."""
    scores = elements(output)
    sentences = inputs.sentences() if inputs is not None else []
    if not scores or not all(isinstance(value, (int, float)) for value in scores):
        raise BadResponse(f"expected one similarity score per sentence, got {str(output)[:80]}")
    if sentences and len(sentences) != len(scores):
        raise BadResponse(f"{len(scores)} scores for {len(sentences)} sentences")
    names = sentences or [f"sentence {i + 1}" for i in range(len(scores))]
    rows = [{"label": name, "score": float(value), "index": i} for i, (name, value) in enumerate(zip(names, scores))]
    _labelled(rows, result, "scores")


def _bar(row: dict[str, Any]) -> str:
    value = float(row.get("score") or 0)
    return (f'<div class="bar"><span>{html.escape(str(row.get("label")))}</span>'
            f'<i style="width:{max(0.0, min(1.0, value)) * 100:.1f}%"></i><b>{value:.3f}</b></div>')


def show(result: Result) -> str:
    return f'<div class="bars">{"".join(map(_bar, result.labels[:10]))}</div>' if result.labels else ""


KIND = Kind("labels", summarise, show)
ANSWER = Kind("answer", answers, None)  # shown through its labels and its text
