"""The same attacks on the app as it runs locally (one user, every comparison saved): history, exports, stalls.

Kept apart from test_attacks.py: each launched app points the SDK at its own simulator, one app per module.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from tests.apps import VISITOR_KEY
from tests.test_attacks import ECHOES, GROQ_KEY, MODEL, quote


@pytest.mark.parametrize("form", list(ECHOES))
def test_finding_9_a_key_echoed_in_an_error_is_masked_in_history_and_exports(launched_app, form):
    launched_app.sim.add_fault(provider="groq", status=400, message=ECHOES[form](GROQ_KEY))
    try:
        out = Client(launched_app.url, verbose=False).predict(
            task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY,
            provider_keys=json.dumps({"groq": GROQ_KEY}), api_name="/compare")
    finally:
        launched_app.sim.clear_faults()
    assert not out["results"][0]["ok"]
    history = launched_app.playground.history
    for text in (json.dumps(out), json.dumps(history.load(out["id"]).to_json()), Path(history.export([out["id"]], "csv")).read_text(),
                 Path(history.export([out["id"]], "json")).read_text()):
        lowered = text.lower()
        assert GROQ_KEY[:10].lower() not in lowered and quote(GROQ_KEY, safe="")[:12].lower() not in lowered
        assert GROQ_KEY[-10:].lower() not in lowered


def test_finding_7_a_locked_history_stalls_nobody(launched_app):
    """Locally every comparison is saved: hold the database's write lock elsewhere, and the app must keep answering."""
    local = Client(launched_app.url, verbose=False)
    locker = sqlite3.connect(launched_app.playground.history.path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    answers: list[dict] = []
    try:
        worker = threading.Thread(target=lambda: answers.append(
            local.predict(task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_name="/compare")))
        worker.start()
        deadline = 50
        while deadline and not [r for r in launched_app.sim.records() if r["provider"] == "groq" and r["finished_at"]]:
            worker.join(0.1)
            deadline -= 1
        info = httpx.get(f"{launched_app.url}/gradio_api/info", timeout=3)  # an unrelated visitor, while the save waits
        assert info.status_code == 200
        worker.join(30)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    (out,) = answers
    assert out["results"][0]["ok"]
    assert any("not saved to history" in w for w in out["warnings"]), out["warnings"]
