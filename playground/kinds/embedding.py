"""Embeddings: one vector per provider. The full vector stays in `result.vector`, out of the JSON (hundreds to
thousands of floats per provider and run); the JSON carries dimensions, norm and a preview, and the comparison
carries the provider × provider cosine-similarity matrix instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BadResponse
from .common import Kind

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..model import Result

PREVIEW_VALUES = 8


def summarise(output: Any, result: Result, inputs: Inputs | None = None) -> None:
    """A batch of one is unwrapped, per-token vectors are mean-pooled (and marked so)."""
    try:
        array = np.asarray(output, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise BadResponse(f"the embedding is not a numeric array ({error})") from None
    if array.size == 0:
        raise BadResponse("the provider answered with an empty embedding")
    shape = list(array.shape)
    vector, pooled = array, None
    while vector.ndim > 1 and vector.shape[0] == 1:
        vector = vector[0]
    if vector.ndim == 2:
        vector, pooled = vector.mean(axis=0), "mean"
    if vector.ndim != 1 or not np.all(np.isfinite(vector)):
        raise BadResponse(f"unusable embedding of shape {shape}")
    norm = float(np.linalg.norm(vector))
    result.vector = vector.tolist()
    result.embedding = {
        "dimensions": int(vector.shape[0]),
        "norm": norm,
        "preview": [float(v) for v in vector[:PREVIEW_VALUES]],
        "shape": shape,
        "pooled": pooled,
    }
    result.summary = f"{vector.shape[0]} dimensions, norm {norm:.3f}" + (" (mean of token vectors)" if pooled else "")


def show(result: Result) -> str:
    if not result.embedding:
        return ""
    e = result.embedding
    return f'<div class="caption">{e.get("dimensions")} dimensions · norm {float(e.get("norm") or 0):.4f}</div>'


KIND = Kind("embedding", summarise, show)
