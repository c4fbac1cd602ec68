"""History in SQLite: round trip, no key anywhere, exports, concurrent writers, and a writer killed mid-write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from playground.history import History, KeyLeak, keyless_json
from playground.model import Comparison, Result
from playground.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MODEL = "meta-llama/Llama-3.3-70B-Instruct"
GROQ_KEY = "gsk_live_groq_secret_0123456789"
HF_KEY = "hf_" + "S" * 34

# Saves comparisons in a loop and prints each id once committed; argv: folder, count (0: forever), text size.
WRITER = """
import sys
from playground.history import History
from playground.model import Comparison, Result
history, count, size = History(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
i = 0
while count == 0 or i < count:
    comparison = Comparison(task="conversational", model="m", params={"seed": i}, prompt=f"prompt {i}")
    comparison.results = [Result("groq", "m", "conversational", ok=True, state="done", text=str(i) * size)]
    print(history.save(comparison), flush=True)
    i += 1
"""

# Saves three comparisons, then is killed inside the fourth's transaction, after SQLite has spilled part of its
# pages to the WAL (a tiny page cache) and before COMMIT.
DIES_BEFORE_COMMIT = """
import os, signal, sys
from contextlib import contextmanager
from playground.history import History
from playground.model import Comparison, Result

class Dying(History):
    saves = 0

    @contextmanager
    def _transaction(self):
        with super()._transaction() as db:
            db.execute("PRAGMA cache_size = 5")
            yield db
            if self.saves == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            self.saves += 1

history = Dying(sys.argv[1])
for i in range(4):
    comparison = Comparison(task="conversational", model="m", params={"seed": i}, prompt=f"prompt {i}")
    comparison.results = [Result("groq", "m", "conversational", ok=True, state="done", text=str(i) * 400_000)]
    print(history.save(comparison), flush=True)
"""


def comparison(prompt: str = "What is the capital of France?", model: str = MODEL, started_at: float = 1000.0) -> Comparison:
    item = Comparison(task="conversational", model=model, params={"max_tokens": 64, "temperature": 0}, prompt=prompt, started_at=started_at)
    item.results = [
        Result("groq", model, "conversational", run=1, ok=True, state="done", latency_s=1.0, ttft_s=0.2, text="Paris.", cost_usd=0.001),
        Result("together", model, "conversational", run=1, ok=False, state="error", error="429 Too Many Requests", error_kind="rate_limit"),
        Result("groq", model, "conversational", run=2, ok=True, state="done", latency_s=3.0, ttft_s=0.4, text="Paris.", cost_usd=0.002),
    ]
    return item


def writer(folder: Path, count: int, size: int = 10) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(count), str(size)], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def test_round_trip_list_load_delete(tmp_path):
    history = History(tmp_path / "new" / "folder")  # created when missing
    first = comparison()
    second = comparison("Explain\n   recursion " + "very " * 40, started_at=2000.0)
    assert history.save(first) == first.id
    history.save(second)
    assert history.load(first.id) == first  # the same Comparison it saved
    entries = history.list()
    assert [e["id"] for e in entries] == [second.id, first.id]  # newest first
    assert entries[1] | {"time": None} == {
        "id": first.id,
        "time": None,
        "created_at": 1000.0,
        "task": "conversational",
        "model": MODEL,
        "providers": ["groq", "together"],
        "prompt": "What is the capital of France?",
    }
    assert entries[0]["prompt"].startswith("Explain recursion very") and len(entries[0]["prompt"]) == 80
    assert history.models() == [MODEL]
    assert history.delete(first.id) and not history.delete(first.id)
    with pytest.raises(KeyError):
        history.load(first.id)
    assert History(tmp_path / "new" / "folder").load(second.id).id == second.id  # a restart finds it


def test_settings_choose_the_folder(tmp_path):
    history = History.of(Settings(data_dir=tmp_path / "data"))
    assert history.path == tmp_path / "data" / "history.sqlite3" and history.path.exists()
    with sqlite3.connect(history.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def leaky() -> Comparison:
    item = comparison(prompt=f"my key is {GROQ_KEY} and {HF_KEY}")
    item.params["api_key"] = "sk-some-other-secret-value"
    item.results[1].error = f"401 for key {GROQ_KEY}"
    item.results[0].text = f"Echo: {HF_KEY}"
    return item


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_no_key_reaches_the_database_or_exports(tmp_path):
    history = History(tmp_path / "db")
    saved = history.load(history.save(leaky(), secrets=[GROQ_KEY, HF_KEY, ""]))
    text = json.dumps(saved.to_json())
    assert "…6789" in saved.prompt and "hf_…SSSS" in (saved.results[0].text or "")
    exports = [history.export(format=f, directory=tmp_path / "exports") for f in ("csv", "json")]
    for secret in (GROQ_KEY, HF_KEY, "sk-some-other-secret-value"):
        assert secret not in text
        assert secret.encode() not in all_bytes(tmp_path / "db")
        assert all(secret not in Path(path).read_text() for path in exports)


def test_an_hf_token_is_masked_even_when_not_declared(tmp_path):
    history = History(tmp_path)
    saved = history.load(history.save(leaky()))
    assert HF_KEY not in json.dumps(saved.to_json())


def test_the_last_guard_refuses_a_secret_that_was_not_masked(monkeypatch):
    monkeypatch.setattr("playground.masking.scrub", lambda text, secrets: text)
    with pytest.raises(KeyLeak, match="would have been written"):
        keyless_json({"params": {"stop": [GROQ_KEY]}}, secrets=[GROQ_KEY])


def test_export_one_row_per_result(tmp_path):
    history = History(tmp_path)
    first, second = comparison(), comparison("second", started_at=2000.0)
    history.save(first)
    history.save(second)
    csv = pd.read_csv(history.export(format="csv"))
    assert len(csv) == 6 and list(csv["comparison_id"]) == [first.id] * 3 + [second.id] * 3
    assert json.loads(csv.loc[0, "params"]) == {"max_tokens": 64, "temperature": 0}
    assert set(csv["provider"]) == {"groq", "together"} and csv.loc[0, "prompt"] == first.prompt
    records = json.loads(Path(history.export([second.id], format="json")).read_text())
    assert len(records) == 3 and records[0]["params"]["max_tokens"] == 64 and records[1]["error_kind"] == "rate_limit"
    with pytest.raises(ValueError):
        history.export(format="xlsx")  # type: ignore[arg-type]


def test_leaderboard_of_one_model(tmp_path):
    history = History(tmp_path)
    history.save(comparison())
    history.save(comparison(started_at=2000.0))
    history.save(comparison(model="other/model"))
    board = history.leaderboard(MODEL).set_index("provider")
    assert board.loc["groq", "comparisons"] == 2 and board.loc["groq", "runs"] == 4
    assert board.loc["groq", "latency_s_median"] == pytest.approx(2.0)
    assert board.loc["together", "error_rate"] == 1.0


def test_concurrent_writes_from_threads(tmp_path):
    history = History(tmp_path)
    threads, per_thread = 8, 10
    start = threading.Barrier(threads)
    saved: list[str] = []
    failures: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for i in range(per_thread):
                saved.append(history.save(comparison(f"thread prompt {i}")))
        except BaseException as error:  # reported below, with the thread's traceback
            failures.append(error)

    workers = [threading.Thread(target=write) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures
    assert len(history.list(limit=1000)) == threads * per_thread == len(set(saved))
    assert all(history.load(i).results[0].text == "Paris." for i in saved)


def test_concurrent_writes_from_processes(tmp_path):
    processes = [writer(tmp_path, count=15) for _ in range(4)]
    ids = [line.strip() for p in processes for line in p.communicate()[0].splitlines()]
    assert all(p.returncode == 0 for p in processes)
    history = History(tmp_path)
    assert len(ids) == 60 and {e["id"] for e in history.list(limit=1000)} == set(ids)


def test_a_writer_killed_mid_write_loses_at_most_the_comparison_in_flight(tmp_path):
    committed: list[str] = []
    for _ in range(3):  # each round: the writer is killed while it is saving ~400 KB comparisons
        process = writer(tmp_path, count=0, size=400_000)
        assert process.stdout is not None
        for _ in range(5):
            committed.append(process.stdout.readline().strip())
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    history = History(tmp_path)
    stored = {e["id"] for e in history.list(limit=1000)}
    assert set(committed) <= stored and len(stored) <= len(committed) + 3
    for comparison_id in committed:
        saved = history.load(comparison_id)
        assert saved.results[0].text == str(saved.params["seed"]) * 400_000
    history.save(comparison())  # and it still takes writes


def test_a_writer_killed_inside_its_transaction_leaves_earlier_comparisons_intact(tmp_path):
    process = subprocess.run([sys.executable, "-c", DIES_BEFORE_COMMIT, str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert process.returncode == -signal.SIGKILL, process.stderr
    committed = process.stdout.split()
    assert len(committed) == 3
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    history = History(tmp_path)
    assert {e["id"] for e in history.list()} == set(committed)
    assert [history.load(i).results[0].text for i in committed] == [str(i) * 400_000 for i in range(3)]
