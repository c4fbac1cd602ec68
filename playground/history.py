"""Every comparison, saved locally in SQLite under the settings' data folder, without any key.

Safety: WAL journal, one `BEGIN IMMEDIATE` transaction per comparison, a busy timeout so concurrent writers
(threads or processes) wait for each other instead of failing, and a connection per operation (sqlite3
connections are not shared between threads). A process killed mid-write loses at most the comparison in
flight: SQLite discards an uncommitted transaction when the file is next opened. `synchronous=NORMAL` keeps
every commit across a process crash; a power cut may lose the last commits, never the file.

Owners: each row belongs to one owner (the local user, a signed-in Hugging Face account, or one browser; see
`visitors`), and a `History` reads, deletes and exports only its owner's rows, at most `MAX_PER_OWNER` of them.

Keys: `save(comparison, secrets=...)` masks every secret of the request and anything shaped like an HF token,
and the values of fields named like keys, before anything is written; then refuses to write if one remains.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from . import scratch, stats
from .masking import KeyLeak, keyless, keyless_json  # noqa: F401  (KeyLeak re-exported)
from .messages import without_images
from .model import Comparison
from .settings import Settings

FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 5.0  # a writer waits this long for another's lock, in a worker thread, then the save is a warning
PREVIEW_CHARS = 80
MAX_PER_OWNER = 500  # the oldest comparisons of one owner go beyond this (a public Space's disk is shared)
LOCAL = ""  # the owner of everything saved when the app runs locally: its one user
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets run as a formula in a CSV cell

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


def _preview(prompt: str) -> str:
    flat = " ".join(prompt.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def _providers(data: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(r["provider"] for r in data.get("results", [])))


def _flat(value: Any) -> Any:
    """A CSV cell: nested values (params, image, labels…) as JSON; text a spreadsheet would run as a formula is quoted."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


# `History.list` shadows the builtin inside the class body, so its annotations name these instead.
Entries = list[dict[str, Any]]
Names = list[str]
Comparisons = list[Comparison]


class History:
    """One owner's comparisons: every read, delete and export is limited to `owner` (see `visitors.owner`)."""

    def __init__(self, data_dir: Path | str, owner: str = LOCAL) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self.owner = owner
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")  # persistent in the file: set once, here
            db.executescript(SCHEMA)
            if "owner" not in {row[1] for row in db.execute("PRAGMA table_info(comparisons)")}:
                db.execute(f"ALTER TABLE comparisons ADD COLUMN owner TEXT NOT NULL DEFAULT {LOCAL!r}")
            db.execute("CREATE INDEX IF NOT EXISTS comparisons_by_owner ON comparisons (owner, created_at)")

    def of_owner(self, owner: str) -> History:
        """The same store, seen as `owner` (no schema work: the store is already open)."""
        scoped = copy.copy(self)
        scoped.owner = owner
        return scoped

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
        if isinstance(data.get("threads"), dict):  # the turns are kept, not the images sent in them
            data["threads"] = {name: without_images(thread) for name, thread in data["threads"].items()}
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
            self.owner,
        )
        with self._transaction() as db:
            taken = db.execute("SELECT owner FROM comparisons WHERE id = ?", (clean["id"],)).fetchone()
            if taken and taken[0] != self.owner:
                raise KeyError(f"comparison id {clean['id']!r} is taken")
            db.execute("INSERT OR REPLACE INTO comparisons (id, created_at, task, model, providers, prompt_preview, data, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            db.execute(
                "DELETE FROM comparisons WHERE owner = ? AND id NOT IN (SELECT id FROM comparisons WHERE owner = ? ORDER BY created_at DESC LIMIT ?)",
                (self.owner, self.owner, MAX_PER_OWNER),
            )
        return clean["id"]

    def list(self, limit: int = 200, model: str | None = None) -> Entries:
        """The newest comparisons first: id, time, task, model, providers, prompt preview."""
        query = "SELECT id, created_at, task, model, providers, prompt_preview FROM comparisons WHERE owner = ?"
        args: tuple[Any, ...] = (self.owner,)
        if model:
            query, args = query + " AND model = ?", (*args, model)
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

    def models(self) -> Names:
        """Models with at least one saved comparison, for the leaderboard's choice."""
        with self._connect() as db:
            return [m for (m,) in db.execute("SELECT DISTINCT model FROM comparisons WHERE owner = ? ORDER BY model", (self.owner,))]

    def load(self, comparison_id: str) -> Comparison:
        """The comparison saved under this id, as it was saved (keys masked; media files and embedding vectors are not
        kept, so outputs show as their descriptions); KeyError if there is none with this id."""
        with self._connect() as db:
            row = db.execute("SELECT data FROM comparisons WHERE id = ? AND owner = ?", (comparison_id, self.owner)).fetchone()
        if row is None:
            raise KeyError(f"No comparison {comparison_id!r} in history")
        return Comparison.from_json(json.loads(row[0]))

    def delete(self, comparison_id: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM comparisons WHERE id = ? AND owner = ?", (comparison_id, self.owner)).rowcount > 0

    def _all(self, ids: Iterable[str] | None = None, model: str | None = None) -> Entries:
        query, args = "SELECT data FROM comparisons WHERE owner = ?", [self.owner]
        if ids is not None:
            wanted = list(ids)[:MAX_PER_OWNER]
            query += f" AND id IN ({', '.join('?' * len(wanted))})"
            args += wanted
        elif model is not None:
            query, args = query + " AND model = ?", [*args, model]
        with self._connect() as db:
            return [json.loads(data) for (data,) in db.execute(query + " ORDER BY created_at", args)]

    def comparisons(self, model: str) -> Comparisons:
        """Every saved comparison of this model, oldest first."""
        return [Comparison.from_json(data) for data in self._all(model=model)]

    def results_frame(self, ids: Iterable[str] | None = None) -> pd.DataFrame:
        """One row per result of the chosen comparisons (all when `ids` is None), with its comparison's fields."""
        rows: Entries = []
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
    ) -> str:
        """Write the chosen comparisons (all when `ids` is None), one row per result, to a new file; returns its path
        as a string (what `gr.File` takes).

        By default in the app's scratch folder (see `scratch`), which is pruned and removed when the process exits.
        """
        if format not in ("csv", "json"):
            raise ValueError(f"Unknown export format {format!r}; expected 'csv' or 'json'")
        name = f"playground-history-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.{format}"
        path = Path(directory) / name if directory else scratch.new_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = self.results_frame(ids)
        if format == "json":
            frame.to_json(path, orient="records", indent=2, force_ascii=False)
        else:
            frame.map(_flat).to_csv(path, index=False)
        return str(path)

    def leaderboard(self, model: str) -> pd.DataFrame:
        """Per provider, every saved run of this model pooled (see `stats.leaderboard`)."""
        return stats.leaderboard(self._all(model=model), model=model)
