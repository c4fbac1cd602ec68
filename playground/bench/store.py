"""Load-test runs kept where history is (the settings' data folder, `bench/`), one JSON file per run, without keys.

A run is its settings, every raw sample, the figures and why it stopped; exports are the samples as Parquet (the
settings and figures in the file's metadata) or the whole run as JSON. Runs are scoped as history is: each has an
owner (`visitors.owner`), kept in the file and in its folder (the local user's at `bench/`, anyone else's under
`bench/owners/<sha-256 of the owner>/`), and a store reads, lists and exports only its owner's runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import scratch
from ..history import LOCAL, MAX_PER_OWNER, keyless_json
from ..settings import Settings
from .config import BenchConfig
from .metrics import Sample, figures

FOLDER = "bench"
RUN_ID = re.compile(r"^[0-9a-f]{12}$")
FORMATS = ("parquet", "json")


@dataclass
class BenchRun:
    config: BenchConfig
    samples: list[Sample]
    stop_reason: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started_at: float = field(default_factory=time.time)
    workers: int = 1
    owner: str = LOCAL

    def figures(self) -> list[dict[str, Any]]:
        return figures(self.samples, self.config.slo, self.config.offered_rps, self.config.duration_s)

    def frame(self) -> pd.DataFrame:
        rows = [{**s.to_json(), "tpot_s": s.tpot_s, "tokens_per_s": s.tokens_per_s} for s in self.samples]
        return pd.DataFrame(rows, columns=[*Sample.__dataclass_fields__, "tpot_s", "tokens_per_s"])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "owner": self.owner, "started_at": self.started_at, "workers": self.workers, "stop_reason": self.stop_reason,
                "config": self.config.to_json(), "figures": self.figures(), "samples": [s.to_json() for s in self.samples]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BenchRun:
        return cls(config=BenchConfig.from_json(data["config"]), samples=[Sample.from_json(s) for s in data["samples"]],
                   stop_reason=data.get("stop_reason"), id=data["id"], started_at=data["started_at"],
                   workers=data.get("workers", 1), owner=data.get("owner", LOCAL))


class BenchStore:
    """One owner's saved runs (see `visitors.owner`): the local user's by default."""

    def __init__(self, data_dir: Path | str, owner: str = LOCAL) -> None:
        self.owner = owner
        root = Path(data_dir) / FOLDER
        self.folder = root if owner == LOCAL else root / "owners" / hashlib.sha256(owner.encode()).hexdigest()

    @classmethod
    def of(cls, settings: Settings, owner: str = LOCAL) -> BenchStore:
        return cls(settings.data_dir, owner)

    def _path(self, run_id: str) -> Path:
        if not RUN_ID.match(run_id or ""):
            raise ValueError(f"{run_id!r} is not a load-test run id (12 hex digits)")
        return self.folder / f"{run_id}.json"

    def save(self, run: BenchRun, secrets: list[str] | tuple[str, ...] = ()) -> str:
        """Kept as this store's owner's run; beyond `MAX_PER_OWNER` the oldest go (a public Space's disk is shared)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        run.owner = self.owner
        path = self._path(run.id)
        partial = path.with_suffix(".part")
        partial.write_text(keyless_json(run.to_json(), secrets), encoding="utf-8")
        partial.replace(path)
        for old in self._files()[MAX_PER_OWNER:]:
            old.unlink(missing_ok=True)
        return run.id

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)

    def _read(self, path: Path) -> dict[str, Any] | None:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if data.get("owner", LOCAL) == self.owner else None

    def load(self, run_id: str) -> BenchRun:
        path = self._path(run_id)
        data = self._read(path) if path.is_file() else None
        if data is None:
            raise ValueError(f"no saved load test {run_id} among yours")
        return BenchRun.from_json(data)

    def list(self) -> list[dict[str, Any]]:
        """Newest first: id, when, model, providers, shape, requests."""
        rows = []
        for path in self._files():
            data = self._read(path)
            if data is None:
                continue
            config = data["config"]
            load = f"{config['concurrency']} concurrent" if config["shape"] == "concurrency" else f"{config['rate']:g}/s {config['arrivals']}"
            rows.append({"id": data["id"], "started_at": data["started_at"], "model": config["model"],
                         "providers": ", ".join(config["providers"]), "load": load, "samples": len(data["samples"]),
                         "stop_reason": data.get("stop_reason")})
        return rows

    def export(self, run_id: str, format: str = "parquet", directory: Path | str | None = None) -> Path:
        if format not in FORMATS:
            raise ValueError(f"Unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
        run = self.load(run_id)
        name = f"loadtest-{run.id}.{format}"
        return export(run, Path(directory) / name if directory else scratch.new_path(name))


def export(run: BenchRun, path: Path) -> Path:
    """Parquet: one row per sample, the settings and figures in the file's metadata; JSON: the whole run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(run.frame(), preserve_index=False)
        meta = {b"loadtest": json.dumps({k: v for k, v in run.to_json().items() if k != "samples"}).encode()}
        pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), **meta}), path)
    elif path.suffix == ".json":
        path.write_text(json.dumps(run.to_json(), indent=1), encoding="utf-8")
    else:
        raise ValueError(f"export to .parquet or .json, not {path.name!r}")
    return path
