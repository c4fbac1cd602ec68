"""Cosine similarity of embeddings, and provider × provider matrices of any pairwise score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd


def pairwise(names: Sequence[str], score: dict[tuple[str, str], float]) -> pd.DataFrame:
    """A symmetric provider × provider matrix from the scores of each pair, 1.0 on the diagonal."""
    values = [[1.0 if x == y else score[(x, y) if (x, y) in score else (y, x)] for y in names] for x in names]
    return pd.DataFrame(values, index=list(names), columns=list(names), dtype=float)


def _vector(values: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array.reshape(-1) if array.ndim > 1 and array.shape[0] == 1 else array


def cosine(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Cosine similarity, -1..1; NaN when the shapes differ or a vector is zero."""
    x, y = _vector(a), _vector(b)
    if x.shape != y.shape:
        return float("nan")
    norm = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(np.sum(x * y) / norm) if norm else float("nan")


def cosine_matrix(vectors: Mapping[str, Sequence[float] | np.ndarray]) -> pd.DataFrame:
    """Provider × provider cosine similarity of their embeddings of the same input."""
    names = list(vectors)
    return pairwise(names, {(x, y): cosine(vectors[x], vectors[y]) for x, y in combinations(names, 2)})


def matrix_json(frame: pd.DataFrame) -> dict[str, Any] | None:
    """A matrix as JSON ({"providers": [...], "matrix": [[...]]}, null where not comparable); None when empty."""
    if frame.empty:
        return None
    matrix = [[None if pd.isna(value) else round(float(value), 6) for value in row] for row in frame.to_numpy()]
    return {"providers": list(frame.columns), "matrix": matrix}
