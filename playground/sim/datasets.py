"""`GET /datasets-server/splits` and `/datasets-server/rows`: the Hub's dataset viewer API
(datasets-server.huggingface.co), for load tests that take their prompts from a dataset.

Shapes as the public API documents them: `/splits?dataset=` → `{"splits": [{"dataset", "config", "split"}]}`;
`/rows?dataset=&config=&split=&offset=&length=` (length ≤ 100) → `{"features": [{"feature_idx", "name", "type"}],
"rows": [{"row_idx", "row", "truncated_cells"}], "num_rows_total", "num_rows_per_page", "partial"}`; an unknown
dataset, config or split → 404 `{"error": …}`. One small dataset is served, `fka/awesome-chatgpt-prompts`
(columns `act`, `prompt`), made up here rather than copied.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ACTS = ["Linux Terminal", "English Translator", "Interviewer", "JavaScript Console", "Travel Guide", "Storyteller",
        "Math Teacher", "Poet", "Debate Coach", "Screenwriter", "Tech Reviewer", "Chef", "Historian", "Doctor",
        "Career Counselor", "Etymologist", "Philosopher", "Magician", "Football Commentator", "Stand-up Comedian"]
ROWS = [{"act": act, "prompt": f"I want you to act as a {act.lower()}. Answer my first request in character: "
                               f"explain, in a few paragraphs, what a day in your work looks like (request {number})."}
        for number, act in enumerate(ACTS * 3)]
DATASETS: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {"fka/awesome-chatgpt-prompts": {("default", "train"): ROWS}}
FEATURES = [{"feature_idx": i, "name": name, "type": {"dtype": "string", "_type": "Value"}} for i, name in enumerate(("act", "prompt"))]
MAX_LENGTH = 100
MISSING = ("The dataset does not exist, or is not accessible without authentication (private or gated). "
           "Please check the spelling of the dataset name or retry with authentication.")


def _not_found(message: str = MISSING) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=404, headers={"X-Error-Code": "DatasetNotFoundError"})


async def splits(request: Request) -> JSONResponse:
    name = request.query_params.get("dataset", "")
    if name not in DATASETS:
        return _not_found()
    return JSONResponse({"splits": [{"dataset": name, "config": c, "split": s} for c, s in DATASETS[name]], "pending": [], "failed": []})


async def rows(request: Request) -> JSONResponse:
    q = request.query_params
    table = DATASETS.get(q.get("dataset", ""), {}).get((q.get("config", ""), q.get("split", "")))
    if table is None:
        return _not_found()
    try:
        offset, length = int(q.get("offset", "0")), int(q.get("length", str(MAX_LENGTH)))
    except ValueError:
        return JSONResponse({"error": "Parameters 'offset' and 'length' must be integers"}, status_code=422)
    if offset < 0 or not 0 <= length <= MAX_LENGTH:
        return JSONResponse({"error": f"Parameter 'length' must be between 0 and {MAX_LENGTH}"}, status_code=422)
    page = [{"row_idx": offset + i, "row": row, "truncated_cells": []} for i, row in enumerate(table[offset:offset + length])]
    return JSONResponse({"features": FEATURES, "rows": page, "num_rows_total": len(table),
                         "num_rows_per_page": MAX_LENGTH, "partial": False})


ROUTES = [Route("/datasets-server/splits", splits, methods=["GET"]), Route("/datasets-server/rows", rows, methods=["GET"])]
