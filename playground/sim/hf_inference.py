"""hf-inference's own tasks (`/models/{id}`, `/models/{id}/pipeline/{task}`): raw pipeline task_answers.

JSON inputs are `{"inputs": ..., "parameters": {...}}`; binary tasks send the file itself, or its
base64 in `inputs` when there are parameters. Answers follow huggingface_hub 2.4.0's parsers (e.g.
zero-shot classification is a list of `{label, score}`, not the older `{sequence, labels, scores}`).
Generated images are JPEG as recorded; speech is WAV (the recording's FLAC has no encoder here).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from . import served, task_answers
from .generation import produce
from .inputs import decoded, first, new_media
from .responses import Chunk, Deferred, Plan, json_plan
from .state import Call
from .timing import work_done_at

BINARY_OUTPUT = {"text-to-image", "image-to-image", "text-to-speech"}


def _text(call: Call) -> str:
    value = call.body.get("inputs") if isinstance(call.body, dict) else None
    return value if isinstance(value, str) else ""


def _file(call: Call) -> bytes:
    if isinstance(call.body, bytes):
        return call.body
    return decoded(first(call.body, "inputs", "image")) or b""


def _param(call: Call, name: str, default: Any = None) -> Any:
    value = first(call.body, name)
    return default if value is None else value


def _fields(call: Call) -> dict[str, Any]:
    """Structured inputs: in `inputs` (current SDK) or at the top level (older clients)."""
    body = call.body if isinstance(call.body, dict) else {}
    inputs = body.get("inputs")
    return {**body, **inputs} if isinstance(inputs, dict) else body


def _top_k(call: Call, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    top_k = _param(call, "top_k")
    return items[:top_k] if isinstance(top_k, int) and top_k > 0 else items


def _embed(call: Call) -> Any:
    value = _fields(call).get("inputs", _text(call))
    dim = served.embedding_dim(call.model_id)
    return [task_answers.embedding(str(v), dim) for v in (value if isinstance(value, list) else [value])]


def _similarity(call: Call) -> list[float]:
    fields = _fields(call)
    return task_answers.similarity(str(fields.get("source_sentence", "")), list(fields.get("sentences") or []),
                              served.embedding_dim(call.model_id))


def _audio_to_audio(call: Call) -> list[dict[str, Any]]:
    clip = new_media(call, "audio", "wav", task_answers.transcript(_file(call)))
    return [{"label": "label_0", "blob": base64.b64encode(clip.render()).decode(), "content-type": "audio/wav"}]


ANSWERS: dict[str, Callable[[Call], Any]] = {
    "text-classification": lambda c: [task_answers.sentiment(_text(c))],
    "token-classification": lambda c: task_answers.entities(_text(c)),
    "summarization": lambda c: [{"summary_text": task_answers.summary(_text(c))}],
    "translation": lambda c: [{"translation_text": task_answers.translation(_text(c), str(_param(c, "tgt_lang", "de")))}],
    "fill-mask": lambda c: _top_k(c, task_answers.fill_mask(_text(c))),
    "zero-shot-classification": lambda c: [
        {"label": label, "score": score} for label, score in (lambda r: zip(r["labels"], r["scores"]))(
            task_answers.zero_shot(_text(c), list(_param(c, "candidate_labels", [])), bool(_param(c, "multi_label"))))],
    "question-answering": lambda c: task_answers.answer_span(str(_fields(c).get("question", "")),
                                                        str(_fields(c).get("context", ""))),
    "table-question-answering": lambda c: task_answers.table_answer(str(_fields(c).get("query", "")),
                                                               dict(_fields(c).get("table") or {})),
    "sentence-similarity": _similarity,
    "feature-extraction": _embed,
    "image-classification": lambda c: _top_k(c, task_answers.image_labels(_file(c))),
    "zero-shot-image-classification": lambda c: task_answers.image_zero_shot(
        _file(c), list(_param(c, "candidate_labels", ["photo", "drawing"]))),
    "object-detection": lambda c: task_answers.detections(_file(c)),
    "image-segmentation": lambda c: task_answers.segments(_file(c)),
    "image-to-text": lambda c: [{"generated_text": task_answers.caption(_file(c))}],
    "visual-question-answering": lambda c: _top_k(c, task_answers.visual_answers(_file(c), str(_fields(c).get("question", "")))),
    "document-question-answering": lambda c: _top_k(c, [{**task_answers.answer_span(str(_fields(c).get("question", "")),
                                                                                  task_answers.caption(_file(c))),
                                                         "words": [0]}]),
    "automatic-speech-recognition": lambda c: {"text": task_answers.transcript(_file(c))},
    "audio-classification": lambda c: _top_k(c, task_answers.audio_labels(_file(c))),
    "audio-to-audio": _audio_to_audio,
    "tabular-classification": lambda c: [0] * len(next(iter((_fields(c).get("data") or {"x": [0]}).values()), [0])),
}
EMPTY: dict[str, Any] = {"question-answering": {"answer": "", "score": 0.0, "start": 0, "end": 0},
                         "automatic-speech-recognition": {"text": ""},
                         "table-question-answering": {"answer": "", "coordinates": [], "cells": [], "aggregator": "NONE"}}


def hf_task(call: Call, empty: bool) -> Plan:
    if call.task in BINARY_OUTPUT:
        produced = produce(call, empty)
        media = produced.media
        payload = Deferred(media.render) if media else b""
        return Plan(status=200, chunks=[Chunk(produced.done, payload, text=True)],
                    media_type=media.content_type if media else "application/octet-stream")
    answer = ANSWERS.get(call.task)
    done = work_done_at(call.speed, call.task, call.rng)
    if answer is None:
        return json_plan({"error": f"Task {call.task} is not supported by the simulator"}, status=400, at=done)
    payload = EMPTY.get(call.task, []) if empty else Deferred(lambda: answer(call))
    return Plan(status=200, chunks=[Chunk(done, payload, text=True)])
