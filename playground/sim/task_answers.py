"""What each non-chat task answers, in the Hub's task formats (as the hf-inference recordings show them).

Deterministic functions of the input: similar inputs give similar outputs (embeddings are hashed
bags of words, so sentence similarity means something), and a provider's drift changes scores a little.
"""

from __future__ import annotations

import base64
import io
import itertools
import math
import re
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from .answers import stable_hash, topic_of
from .media import audio_seconds, spoken_text

POSITIVE = {"good", "great", "like", "love", "excellent", "happy", "nice", "wonderful", "best", "amazing", "enjoy",
            "fantastic", "easy", "beautiful", "fun", "perfect", "awesome", "glad"}
NEGATIVE = {"bad", "hate", "terrible", "awful", "sad", "worst", "poor", "boring", "difficult", "hard", "ugly",
            "angry", "broken", "wrong", "slow", "never", "not", "struggled"}
IMAGE_LABELS = ["tabby cat", "golden retriever", "sports car", "mountain bike", "seashore", "alp", "daisy", "pizza",
                "laptop", "coffee mug", "lighthouse", "hot-air balloon", "sombrero", "umbrella", "teddy bear"]
DETECTABLE = ["person", "dog", "cat", "car", "bicycle", "umbrella", "chair", "bottle", "laptop", "cup"]
WORDS = re.compile(r"[A-Za-z0-9']+")
TRANSLATIONS: dict[str, dict[str, str]] = {
    "de": {"hello": "hallo", "world": "Welt", "the": "die", "is": "ist", "a": "ein", "and": "und", "good": "gut",
           "morning": "morgen", "thank": "danke", "you": "du", "i": "ich", "love": "liebe", "cat": "Katze",
           "dog": "Hund", "house": "Haus", "sky": "Himmel", "blue": "blau", "tree": "Baum", "green": "grün"},
    "fr": {"hello": "bonjour", "world": "monde", "the": "le", "is": "est", "a": "un", "and": "et", "good": "bon",
           "morning": "matin", "thank": "merci", "you": "vous", "i": "je", "love": "aime", "cat": "chat",
           "dog": "chien", "house": "maison", "sky": "ciel", "blue": "bleu", "tree": "arbre", "green": "vert"},
}


def _score(*key: object, low: float = 0.5, high: float = 0.99) -> float:
    return low + (high - low) * (stable_hash(*key) % 10_000) / 10_000


def _softmax(weights: list[float]) -> list[float]:
    peak = max(weights)
    exps = [math.exp(w - peak) for w in weights]
    total = sum(exps)
    return [e / total for e in exps]


def _ranked(labels: list[str], weights: list[float], key: str = "label") -> list[dict[str, Any]]:
    pairs = sorted(zip(labels, _softmax(weights)), key=lambda p: -p[1])
    return [{key: label, "score": score} for label, score in pairs]


def sentiment(text: str, drift: float = 0.0) -> list[dict[str, Any]]:
    words = [w.lower() for w in WORDS.findall(text)]
    balance = sum(w in POSITIVE for w in words) - sum(w in NEGATIVE for w in words)
    margin = 4.0 * balance + (0.5 if balance == 0 else 0.0) + drift
    return _ranked(["POSITIVE", "NEGATIVE"], [margin, -margin])


def zero_shot(text: str, labels: list[str], multi_label: bool = False, drift: float = 0.0) -> dict[str, Any]:
    words = set(w.lower() for w in WORDS.findall(text))
    weights = [3.0 * len(words & set(WORDS.findall(label.lower()))) + _score(text, label, low=-1, high=1) + drift
               for label in labels]
    if multi_label:
        scores = [1 / (1 + math.exp(-w)) for w in weights]
        ranked = sorted(zip(labels, scores), key=lambda p: -p[1])
    else:
        ranked = sorted(zip(labels, _softmax(weights)), key=lambda p: -p[1])
    return {"sequence": text, "labels": [r[0] for r in ranked], "scores": [r[1] for r in ranked]}


def entities(text: str) -> list[dict[str, Any]]:
    """Runs of capitalised words (not sentence starts), typed by a simple rule."""
    found = []
    for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*", text):
        word = match.group()
        group = "LOC" if word.split()[-1] in {"France", "Paris", "London", "Berlin", "York", "Europe"} else (
            "ORG" if word.split()[-1] in {"Inc", "Corp", "University", "Face", "Labs"} else "PER")
        found.append({"entity_group": group, "score": _score(word, low=0.9, high=0.9995), "word": word,
                      "start": match.start(), "end": match.end()})
    return found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def summary(text: str) -> str:
    parts = sentences(text)
    if not parts:
        return ""
    words = " ".join(parts[:2]).split()
    return " ".join(words[: max(8, len(words) * 2 // 3)]).rstrip(",;") + ("" if words[-1].endswith(".") else ".")


def translation(text: str, target: str = "de") -> str:
    table = TRANSLATIONS.get(target[:2].lower(), TRANSLATIONS["de"])

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        other = table.get(word.lower(), word)
        return other[:1].upper() + other[1:] if word[:1].isupper() else other

    return WORDS.sub(swap, text)


def fill_mask(text: str, mask: str = "[MASK]") -> list[dict[str, Any]]:
    candidates = ["the", "a", "good", "new", "simple", "great"]
    weights = [_score(text, c, low=-2, high=2) for c in candidates]
    return [{"score": r["score"], "token": 1000 + stable_hash(r["label"]) % 29000, "token_str": r["label"],
             "sequence": text.replace(mask, r["label"], 1)} for r in _ranked(candidates, weights)[:5]]


def answer_span(question: str, context: str) -> dict[str, Any]:
    """The context sentence sharing most words with the question (its tail, where answers usually are)."""
    asked = set(w.lower() for w in WORDS.findall(question))
    options = sentences(context) or [context]
    best = max(options, key=lambda s: len(asked & set(w.lower() for w in WORDS.findall(s))))
    fresh = [w for w in WORDS.findall(best) if w.lower() not in asked] or WORDS.findall(best) or [best]
    answer = " ".join(fresh[-3:])
    start = max(context.find(fresh[-3:][0]), 0)
    return {"answer": answer, "score": _score(question, context, low=0.4, high=0.95), "start": start,
            "end": start + len(answer)}


def table_answer(query: str, table: dict[str, list[str]]) -> dict[str, Any]:
    asked = set(w.lower() for w in WORDS.findall(query))
    columns = list(table)
    rows = len(next(iter(table.values()), []))
    best = max(((r, c) for r in range(rows) for c in range(len(columns))),
               key=lambda rc: len(asked & set(WORDS.findall(table[columns[rc[1]]][rc[0]].lower()))), default=(0, 0))
    row = best[0]
    column = len(columns) - 1 if columns else 0
    cell = table[columns[column]][row] if columns and rows else ""
    return {"answer": cell, "coordinates": [[row, column]], "cells": [cell], "aggregator": "NONE"}


def embedding(text: str, dim: int = 384) -> list[float]:
    """A hashed bag of words (and word pairs), L2-normalised: shared words mean nearby vectors."""
    vector = np.zeros(dim, dtype=np.float64)
    words = [w.lower() for w in WORDS.findall(text)] or [""]
    for feature in words + [f"{a} {b}" for a, b in itertools.pairwise(words)]:
        seed = stable_hash("embedding", feature)
        vector[seed % dim] += 1.0 if (seed >> 20) & 1 else -1.0
        vector[(seed >> 32) % dim] += 0.5
    vector += np.random.default_rng(stable_hash(text) % 2**32).normal(0, 0.05, dim)
    return (vector / (np.linalg.norm(vector) or 1.0)).round(6).tolist()


def similarity(source: str, others: list[str], dim: int = 384) -> list[float]:
    base = np.array(embedding(source, dim))
    return [float(np.clip(base @ np.array(embedding(o, dim)), -1, 1)) for o in others]


def image_info(data: bytes) -> tuple[int, int, tuple[int, int, int]]:
    """Width, height and mean colour of an image (a grey 512×512 when it cannot be read)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            rgb = image.convert("RGB")
            mean = tuple(int(v) for v in np.asarray(rgb.resize((16, 16))).reshape(-1, 3).mean(axis=0))
            return rgb.width, rgb.height, mean  # type: ignore[return-value]
    except (OSError, ValueError):
        return 512, 512, (128, 128, 128)


def _colour_name(rgb: tuple[int, int, int]) -> str:
    r, _g, _b = rgb
    if max(rgb) - min(rgb) < 30:
        return "grey" if 60 < r < 200 else ("white" if r >= 200 else "dark")
    return ["red", "green", "blue"][int(np.argmax(rgb))]


def image_labels(data: bytes, top_k: int = 5) -> list[dict[str, Any]]:
    weights = [_score(data[:4096], label, low=-2, high=2) for label in IMAGE_LABELS]
    return _ranked(IMAGE_LABELS, weights)[:top_k]


def image_zero_shot(data: bytes, labels: list[str]) -> list[dict[str, Any]]:
    return _ranked(labels, [_score(data[:4096], label, low=-3, high=3) for label in labels])


def caption(data: bytes) -> str:
    width, height, mean = image_info(data)
    shape = "wide" if width > height * 1.2 else "tall" if height > width * 1.2 else "square"
    return f"a {shape} picture in mostly {_colour_name(mean)} tones"


def detections(data: bytes) -> list[dict[str, Any]]:
    width, height, _ = image_info(data)
    found = []
    for i in range(3):
        seed = stable_hash(data[:4096], i)
        x0, y0 = seed % (width // 2), (seed >> 16) % (height // 2)
        found.append({"score": _score(seed, low=0.5, high=0.99), "label": DETECTABLE[(seed >> 8) % len(DETECTABLE)],
                      "box": {"xmin": x0, "ymin": y0, "xmax": min(width, x0 + width // 3 + i * 10),
                              "ymax": min(height, y0 + height // 3 + i * 10)}})
    return sorted(found, key=lambda d: -d["score"])


def mask_png(width: int, height: int, seed: int) -> str:
    mask = Image.new("L", (width, height), 0)
    x, y = seed % max(1, width // 2), (seed >> 16) % max(1, height // 2)
    ImageDraw.Draw(mask).ellipse((x, y, x + width // 2, y + height // 2), fill=255)
    buffer = io.BytesIO()
    mask.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def segments(data: bytes) -> list[dict[str, Any]]:
    width, height, _ = image_info(data)
    seed = stable_hash(data[:4096])
    return [{"score": _score(seed, label, low=0.8, high=0.99), "label": label,
             "mask": mask_png(width, height, seed >> (8 * i))} for i, label in enumerate(["person", "sky", "wall"])]


def visual_answers(data: bytes, question: str) -> list[dict[str, Any]]:
    _, _, mean = image_info(data)
    options = [_colour_name(mean), topic_of(question).split()[-1] if question.split() else "yes", "yes", "two", "no"]
    return _ranked(list(dict.fromkeys(options)), [3.0, 1.5, 0.5, 0.2, 0.1][: len(dict.fromkeys(options))],
                   key="answer")


def transcript(audio: bytes) -> str:
    said = spoken_text(audio)
    if said is not None:
        return said
    return f"this is a simulated transcript of {audio_seconds(audio):.1f} seconds of audio"


def audio_labels(audio: bytes) -> list[dict[str, Any]]:
    labels = ["speech", "music", "neutral", "happy", "noise"]
    return _ranked(labels, [_score(audio[:4096], label, low=-2, high=2) for label in labels])
