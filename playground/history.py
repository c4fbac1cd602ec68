"""Every comparison, saved locally in SQLite under the settings' data folder, without any key.

Safety: WAL journal, one `BEGIN IMMEDIATE` transaction per comparison, a busy timeout so concurrent writers
(threads or processes) wait for each other instead of failing, and a connection per operation (sqlite3
connections are not shared between threads). A process killed mid-write loses at most the comparison in
flight: SQLite discards an uncommitted transaction when the file is next opened. `synchronous=NORMAL` keeps
every commit across a process crash; a power cut may lose the last commits, never the file.

Keys: `save(comparison, secrets=...)` masks every secret of the request and anything shaped like an HF token,
and the values of fields named like keys, before anything is written; then refuses to write if one remains.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from . import stats
from .keys import mask, scrub
from .model import Comparison
from .settings import Settings

FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 30.0
PREVIEW_CHARS = 80
SECRET_FIELDS = frozenset({"api_key", "apikey", "token", "hf_token", "access_token", "authorization", "password", "secret", "provider_keys"})

SCHEMA = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS comparisons (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    task TEXT NOT NULL,
    model TEXT NOT NULL,
    providers TEXT NOT NULL,
    prompt_preview TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comparisons_by_model ON comparisons (model, created_at);
CREATE INDEX IF NOT EXISTS comparisons_by_time ON comparisons (created_at);
COMMIT;
"""


class KeyLeak(ValueError):
    """A secret would have reached the database or an export."""


def keyless(value: Any, secrets: list[str]) -> Any:
    """A copy of a JSON-like value with secrets and HF-token shapes masked, and key-named fields' values masked."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, Mapping):
        return {
            keyless(k, secrets): mask(str(v)) if str(k).lower() in SECRET_FIELDS and v else keyless(v, secrets)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [keyless(v, secrets) for v in value]
    return value


def keyless_json(data: Mapping[str, Any], secrets: Iterable[str] = ()) -> str:
    """`data` as JSON with every key masked; raises KeyLeak if a secret is still there."""
    secrets = [s for s in secrets if s]
    text = json.dumps(keyless(data, secrets), ensure_ascii=False)
    for secret in secrets:
        if len(secret) >= 6 and (secret in text or json.dumps(secret, ensure_ascii=False)[1:-1] in text):
            raise KeyLeak(f"a key ({mask(secret)}) would have been written; nothing was saved")
    return text


def _preview(prompt: str) -> str:
    flat = " ".join(prompt.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def _providers(data: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(r["provider"] for r in data.get("results", [])))


def _flat(value: Any) -> Any:
    """A CSV cell: nested values (params, image, labels…) as JSON."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


class History:
    def __init__(self, data_dir: Path | str) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")  # persistent in the file: set once, here
            db.executescript(SCHEMA)

    @classmethod
    def of(cls, settings: Settings) -> History:
        return cls(settings.data_dir)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            db.execute("PRAGMA synchronous = NORMAL")
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so a busy writer waits (busy_timeout) instead of failing later
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def save(self, comparison: Comparison | Mapping[str, Any], secrets: Iterable[str] = ()) -> str:
        """Store one comparison (replacing one with the same id) in one transaction; returns its id."""
        data = {"prompt": comparison.prompt, **comparison.to_json()} if isinstance(comparison, Comparison) else dict(comparison)
        text = keyless_json(data, secrets)
        clean = json.loads(text)
        row = (
            clean["id"],
            float(clean.get("started_at") or 0.0),
            clean.get("task", ""),
            clean.get("model", ""),
            json.dumps(_providers(clean)),
            _preview(clean.get("prompt") or ""),
            text,
        )
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO comparisons VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        return clean["id"]

    def list(self, limit: int = 200, model: str | None = None) -> list[dict[str, Any]]:
        """The newest comparisons first: id, time, task, model, providers, prompt preview."""
        query = "SELECT id, created_at, task, model, providers, prompt_preview FROM comparisons"
        args: tuple[Any, ...] = ()
        if model:
            query, args = query + " WHERE model = ?", (model,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY created_at DESC LIMIT ?", (*args, limit)).fetchall()
        return [
            {
                "id": id_,
                "time": datetime.fromtimestamp(created).isoformat(sep=" ", timespec="seconds"),
                "created_at": created,
                "task": task,
                "model": model_,
                "providers": json.loads(providers),
                "prompt": preview,
            }
            for id_, created, task, model_, providers, preview in rows
        ]

    def models(self) -> list[str]:
        """Models with at least one saved comparison, for the leaderboard's choice."""
        with self._connect() as db:
            return [m for (m,) in db.execute("SELECT DISTINCT model FROM comparisons ORDER BY model")]

    def load(self, comparison_id: str) -> dict[str, Any]:
        """The saved `Comparison.to_json()` (plus `prompt`); KeyError if there is none with this id."""
        with self._connect() as db:
            row = db.execute("SELECT data FROM comparisons WHERE id = ?", (comparison_id,)).fetchone()
        if row is None:
            raise KeyError(f"No comparison {comparison_id!r} in history")
        return json.loads(row[0])

    def delete(self, comparison_id: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM comparisons WHERE id = ?", (comparison_id,)).rowcount > 0

    def _all(self, ids: Iterable[str] | None = None, model: str | None = None) -> list[dict[str, Any]]:
        query, args = "SELECT data FROM comparisons", []
        if ids is not None:
            wanted = list(ids)
            query += f" WHERE id IN ({', '.join('?' * len(wanted))})"
            args = wanted
        elif model is not None:
            query, args = query + " WHERE model = ?", [model]
        with self._connect() as db:
            return [json.loads(data) for (data,) in db.execute(query + " ORDER BY created_at", args)]

    def comparisons(self, model: str) -> list[dict[str, Any]]:
        """Every saved comparison of this model, oldest first, as `Comparison.to_json()`."""
        return self._all(model=model)

    def results_frame(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        """One row per result of the chosen comparisons (all when `ids` is None), with its comparison's fields."""
        rows = []
        for data in self._all(ids):
            context = {
                "comparison_id": data["id"],
                "comparison_started_at": data.get("started_at"),
                "task": data.get("task"),
                "model": data.get("model"),
                "prompt": data.get("prompt", ""),
                "params": data.get("params", {}),
            }
            rows.extend({**context, **{k: v for k, v in r.items() if k not in ("model", "task")}} for r in data.get("results", []))
        return pd.DataFrame(rows)

    def export(
        self, ids: Iterable[str] | None = None, format: Literal["csv", "json"] = "csv", directory: Path | str | None = None
    ) -> Path:
        """Write the chosen comparisons (all when `ids` is None), one row per result, to a new file; returns its path.

        The default folder is a fresh one under the system temp folder, which Gradio serves without `allowed_paths`.
        """
        if format not in ("csv", "json"):
            raise ValueError(f"Unknown export format {format!r}; expected 'csv' or 'json'")
        folder = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="playground-export-"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"playground-history-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.{format}"
        frame = self.results_frame(ids)
        if format == "json":
            frame.to_json(path, orient="records", indent=2, force_ascii=False)
        else:
            frame.map(_flat).to_csv(path, index=False)
        return path

    def leaderboard(self, model: str) -> pd.DataFrame:
        """Per provider, every saved run of this model pooled (see `stats.leaderboard`)."""
        return stats.leaderboard(self._all(model=model), model=model)
