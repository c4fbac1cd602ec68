"""How alike the providers' answers to the same prompt are.

Texts: the similarity of two answers is difflib's SequenceMatcher ratio over their words (runs of
non-whitespace, so "Paris." and "Paris" differ), 2·M / (words in a + words in b) where M is the number
of words in matching blocks: 1.0 for the same words in the same order, 0.0 for nothing in common. Word order
counts, whitespace and line breaks do not. The diff shows exactly those words, so it explains the score.

Embeddings: cosine similarity of the vectors (a (1, d) output is read as d; shapes that differ give NaN).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from .model import Comparison, Result
from .vectors import pairwise

_WORD = re.compile(r"(\S+)(\s*)")


@dataclass(frozen=True)
class Words:
    words: tuple[str, ...]
    spaces: tuple[str, ...]  # the whitespace after each word, to print it back as it was

    @classmethod
    def of(cls, text: str) -> Words:
        found = _WORD.findall(text)
        return cls(tuple(w for w, _ in found), tuple(s for _, s in found))


def _matcher(a: Words, b: Words) -> difflib.SequenceMatcher:
    # autojunk would ignore frequent words in answers over 200 words, and skew the ratio
    return difflib.SequenceMatcher(None, a.words, b.words, autojunk=False)


def similarity(a: str, b: str) -> float:
    """SequenceMatcher ratio over words, 0..1. Two empty answers are alike (1.0)."""
    return _matcher(Words.of(a), Words.of(b)).ratio()


def text_matrix(answers: Mapping[str, str]) -> pd.DataFrame:
    """Provider × provider similarity of their answers (symmetric, 1.0 on the diagonal)."""
    names = list(answers)
    return pairwise(names, {(x, y): similarity(answers[x], answers[y]) for x, y in combinations(names, 2)})


def answers(results: Comparison | Iterable[Result], run: int | None = None) -> dict[str, str]:
    """Each provider's answer text: from `run`, or its first successful run that is not a warm-up."""
    items = results.results if isinstance(results, Comparison) else results
    found: dict[str, str] = {}
    for r in items:
        if r.ok and r.text is not None and not getattr(r, "warmup", False) and (run is None or r.run == run):
            found.setdefault(r.provider, r.text)
    return found


def pairs(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix as (a, b, similarity) pairs, most alike first: readable as a list under the heat map."""
    names = list(matrix.index)
    rows = [{"a": x, "b": y, "similarity": float(matrix.loc[x, y])} for x, y in combinations(names, 2)]
    frame = pd.DataFrame(rows, columns=["a", "b", "similarity"])
    return frame.sort_values("similarity", ascending=False, kind="stable").reset_index(drop=True)


def _chunks(a: Words, b: Words) -> list[tuple[str, str]]:
    """(tag, text) pieces: tag is "equal", "delete" (only in a) or "insert" (only in b)."""
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _matcher(a, b).get_opcodes():
        old = "".join(w + s for w, s in zip(a.words[i1:i2], a.spaces[i1:i2]))
        new = "".join(w + s for w, s in zip(b.words[j1:j2], b.spaces[j1:j2]))
        if tag == "equal":
            pieces.append(("equal", new))
            continue
        if old:  # in a replacement the new words' whitespace follows, once
            pieces.append(("delete", old.rstrip() if new else old))
        if new:
            pieces.append(("insert", new))
    return pieces


def diff_text(a: str, b: str) -> str:
    """An inline word diff in git's --word-diff style: [-only in a-]{+only in b+}."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(_wrap(marks[tag], text) for tag, text in _chunks(Words.of(a), Words.of(b)))


def diff_html(a: str, b: str, label_a: str = "a", label_b: str = "b") -> str:
    """The same diff as HTML, every piece of answer text escaped: <del> only in a, <ins> only in b."""
    marks = {
        "equal": "{}",
        "delete": '<del style="background:#fdd;color:#900">{}</del>',
        "insert": '<ins style="background:#dfd;color:#060;text-decoration:none">{}</ins>',
    }
    body = "".join(_wrap(marks[tag], html.escape(text)) for tag, text in _chunks(Words.of(a), Words.of(b)))
    score = similarity(a, b)
    legend = f"<del>{html.escape(label_a)}</del> · <ins>{html.escape(label_b)}</ins> · similarity {score:.2f}"
    return f'<div class="answer-diff"><p>{legend}</p><div style="white-space:pre-wrap">{body}</div></div>'


def _wrap(mark: str, text: str) -> str:
    """Mark the words only: trailing whitespace stays outside, so line breaks read naturally."""
    stripped = text.rstrip()
    return mark.format(stripped) + text[len(stripped) :] if stripped else text
