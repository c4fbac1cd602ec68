"""Answer similarity (word SequenceMatcher ratio), word diffs, and cosine similarity of embeddings."""

from __future__ import annotations

import math

import pytest

from playground import agreement, vectors
from playground.model import Comparison, Result


def test_similarity_is_the_ratio_of_matching_words():
    assert agreement.similarity("the cat sat down", "the cat sat down") == 1.0
    assert agreement.similarity("a b c d", "a b x d") == pytest.approx(2 * 3 / 8)
    assert agreement.similarity("Paris", "Paris.") == 0.0
    assert agreement.similarity("one\n\ntwo", "one two") == 1.0  # whitespace does not count
    assert agreement.similarity("", "") == 1.0 and agreement.similarity("", "word") == 0.0


def test_long_answers_are_not_skewed_by_autojunk():
    a = " ".join(["the"] * 150 + [f"w{i}" for i in range(100)])
    assert agreement.similarity(a, a + " end") == pytest.approx(2 * 250 / 501)


def test_text_matrix_is_symmetric_with_ones_on_the_diagonal():
    matrix = agreement.text_matrix({"groq": "a b c d", "together": "a b x d", "novita": "z"})
    assert list(matrix.index) == list(matrix.columns) == ["groq", "together", "novita"]
    assert matrix.loc["groq", "groq"] == 1.0
    assert matrix.loc["groq", "together"] == matrix.loc["together", "groq"] == pytest.approx(0.75)
    assert matrix.loc["novita", "groq"] == 0.0
    pairs = agreement.pairs(matrix)
    assert pairs.iloc[0].to_dict() == {"a": "groq", "b": "together", "similarity": pytest.approx(0.75)}


def test_plain_diff_marks_words_only_in_one_answer():
    diff = agreement.diff_text("The capital is Paris.\nYes.", "The capital is Paris, France.\nYes.")
    assert diff == "The capital is [-Paris.-]{+Paris, France.+}\nYes."
    assert agreement.diff_text("same text", "same text") == "same text"


def test_html_diff_escapes_answers():
    page = agreement.diff_html("<b>bold</b> & more", "<script>alert(1)</script> & more", "groq", "<x>")
    assert "<script>" not in page and "<b>" not in page and "<x>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&amp;" in page
    assert "<del" in page and "<ins" in page and "similarity 0.67" in page


def test_cosine():
    assert vectors.cosine([1, 0], [0, 1]) == pytest.approx(0.0)
    assert vectors.cosine([1, 2], [2, 4]) == pytest.approx(1.0)
    assert vectors.cosine([[1, 2]], [1, 2]) == pytest.approx(1.0)
    assert vectors.cosine([1, -1], [-1, 1]) == pytest.approx(-1.0)
    assert math.isnan(vectors.cosine([1, 2], [1, 2, 3]))
    assert math.isnan(vectors.cosine([0, 0], [1, 2]))


def test_cosine_matrix():
    matrix = vectors.cosine_matrix({"a": [1.0, 0.0], "b": [1.0, 1.0]})
    assert matrix.loc["a", "b"] == pytest.approx(1 / math.sqrt(2))
    assert matrix.loc["b", "b"] == 1.0


def test_answers_take_each_providers_first_counted_success():
    comparison = Comparison(task="conversational", model="m", params={})
    warm = Result("groq", "m", "conversational", run=0, ok=True, text="warm")
    warm.warmup = True
    comparison.results = [
        warm,
        Result("groq", "m", "conversational", run=1, ok=True, text="one"),
        Result("together", "m", "conversational", run=1, ok=False, text=None),
        Result("groq", "m", "conversational", run=2, ok=True, text="two"),
        Result("together", "m", "conversational", run=2, ok=True, text="deux"),
    ]
    assert agreement.answers(comparison) == {"groq": "one", "together": "deux"}
    assert agreement.answers(comparison, run=2) == {"groq": "two", "together": "deux"}
