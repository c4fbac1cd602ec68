"""A public Space attacked the way a visitor would: through gradio_client, in Space mode, on the simulator."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
from urllib.parse import quote

import pytest
from gradio_client import Client, handle_file

from tests.appfixtures import OWNER_TOKEN, VISITOR_KEY, launched_app, space_app  # noqa: F401  (fixtures)

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


@pytest.fixture
def visitor(space_app):  # noqa: F811
    return Client(space_app.url, verbose=False)


def raw_call(url: str, api: str, **data: Any) -> tuple[str, Any]:
    """POST /gradio_api/call/<api> as any HTTP client can (no gradio_client upload step): ("complete"|"error", data)."""
    order = {"compare": ["task", "model", "providers", "prompt", "input_file", "api_key", "provider_keys", "params_json", "runs", "labels", "context", "warmup"]}
    payload = [data.get(name) for name in order[api]] if api in order else list(data.values())
    if api == "compare":
        defaults = {"prompt": "", "api_key": "", "provider_keys": "", "params_json": "", "runs": 1, "labels": "", "context": "", "warmup": False}
        payload = [data[name] if name in data else defaults.get(name) for name in order[api]]
    event = httpx.post(f"{url}/gradio_api/call/{api}", json={"data": payload}, timeout=30).json()["event_id"]
    kind, body = "", None
    with httpx.stream("GET", f"{url}/gradio_api/call/{api}/{event}", timeout=60) as response:
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: ") and kind in ("complete", "error"):
                body = json.loads(line[6:])
                break
    return kind, body


def _sha(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _image_model(client: Client) -> tuple[str, list[str]]:
    model = client.predict(task="image-classification", search="", api_name="/models")[0]
    rows = client.predict(model=model, task="image-classification", sort="name", api_name="/providers")
    return model, [r["provider"] for r in rows if r["callable"]][:1]


@pytest.mark.parametrize("path", ["/proc/self/environ", "/etc/passwd", "/no/such/file"])
def test_finding_1_server_files_are_never_read(visitor, space_app, path):  # noqa: F811
    model, providers = _image_model(visitor)
    space_app.sim.clear_records()
    for given in (path, {"path": path, "meta": {"_type": "gradio.FileData"}}):
        kind, body = raw_call(visitor.src.rstrip("/"), "compare", task="image-classification", model=model, providers=providers, input_file=given, api_key=VISITOR_KEY)
        assert kind == "error", body
        assert path not in str(body) and "exist" not in str(body)
        assert isinstance(given, dict) or "input_file must be a file uploaded" in str(body)  # Gradio itself refuses the dict form
    assert not [r for r in space_app.sim.records() if r["provider"]], "nothing may be sent to a provider"


def test_finding_1_an_uploaded_file_is_read(visitor, tmp_path):
    from PIL import Image

    picture = tmp_path / "cat.png"
    Image.new("RGB", (32, 32), (10, 200, 30)).save(picture)
    model, providers = _image_model(visitor)
    out = visitor.predict(task="image-classification", model=model, providers=providers, input_file=handle_file(str(picture)), api_key=VISITOR_KEY, api_name="/compare")
    assert all(row["ok"] for row in out["results"]), out["results"]


def test_finding_3_visitors_look_ups_never_carry_the_owners_token(visitor, space_app):  # noqa: F811
    from playground import catalog

    catalog.clear_caches()  # fresh look-ups, as a visitor after a restart causes them
    space_app.sim.clear_records()
    visitor.predict(task="conversational", search="llama", api_name="/models")
    visitor.predict(model=MODEL, task="conversational", sort="name", api_name="/providers")
    out = visitor.predict(task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY, api_name="/compare")
    assert out["results"][0]["ok"], out["results"]
    records = space_app.sim.records()
    assert any(r["path"].startswith("/api/models") for r in records)
    assert _sha(OWNER_TOKEN) not in {r["key_sha256"] for r in records}
    assert _sha(VISITOR_KEY) in {r["key_sha256"] for r in records if r["provider"]}  # the visitor's own key pays their call


GROQ_KEY = "gsk_" + "Visitor/Key+" * 3  # a provider key with characters URL-encoding changes
ECHOES = {
    "cut by the one-line limit": lambda key: "x" * 150 + " your key " + key,
    "URL-encoded": lambda key: "key=" + quote(key, safe=""),
    "lower-cased": lambda key: "bad key " + key.lower(),
    "in part": lambda key: "key starting " + key[:14] + " is wrong",
}


@pytest.mark.parametrize("form", list(ECHOES))
@pytest.mark.parametrize("where", ["space_app", "launched_app"])
def test_finding_9_a_key_echoed_in_an_error_is_masked_everywhere(request, where, form):
    """On a Space the result; locally (where the comparison is saved) the result, the history and its exports."""
    app = request.getfixturevalue(where)
    app.sim.add_fault(provider="groq", status=400, message=ECHOES[form](GROQ_KEY))
    try:
        out = Client(app.url, verbose=False).predict(
            task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY,
            provider_keys=json.dumps({"groq": GROQ_KEY}), api_name="/compare")
    finally:
        app.sim.clear_faults()
    row = out["results"][0]
    assert not row["ok"] and row["error"], row
    shown = [json.dumps(out)]
    if where == "launched_app":
        history = app.playground.history
        shown += [json.dumps(history.load(out["id"])), history.export([out["id"]], "csv").read_text(), history.export([out["id"]], "json").read_text()]
    for text in shown:
        lowered = text.lower()
        assert GROQ_KEY[:10].lower() not in lowered and quote(GROQ_KEY, safe="")[:12].lower() not in lowered
        assert GROQ_KEY[-10:].lower() not in lowered


@pytest.mark.parametrize(
    "field, value",
    [("labels", ",".join(["x"] * 100_000)), ("context", "c" * 200_001), ("prompt", "p" * 200_001), ("providers", ["groq"] * 100_000)],
)
def test_finding_8_oversized_inputs_are_refused_with_the_limit(visitor, space_app, field, value):  # noqa: F811
    space_app.sim.clear_records()
    request = {"task": "zero-shot-classification", "model": MODEL, "providers": ["hf-inference"], "prompt": "hi", field: value}
    kind, body = raw_call(visitor.src.rstrip("/"), "compare", api_key=VISITOR_KEY, **request)
    assert kind == "error" and "at most" in body["error"] and field in body["error"], body
    assert not [r for r in space_app.sim.records() if "telemetry" not in r["path"]], "refused before any look-up"


def test_finding_8_a_long_streamed_answer_costs_constant_work_per_chunk(visitor, monkeypatch):
    from playground import results, runner

    joined = [0]

    class Counting(results.Result):
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "text" and value:
                joined[0] += len(value)
            super().__setattr__(name, value)

    real = runner.sse.chunks

    async def long_answer(lines, arrived):  # noqa: ANN001, ANN202  (the simulator's stream, its first text chunk 32,000 times)
        repeated = False
        async for now, chunk in real(lines, arrived):
            if not repeated and any(runner.sse.text_of(c) for c in chunk.get("choices") or ()):
                repeated = True
                for _ in range(32_000):
                    yield now, {"choices": [{"index": 0, "delta": {"content": "ab "}}]}
            yield now, chunk

    monkeypatch.setattr(runner, "Result", Counting)
    monkeypatch.setattr(runner.sse, "chunks", long_answer)
    out = visitor.predict(task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY, api_name="/compare")
    text = out["results"][0]["text"]
    assert len(text) > 96_000
    assert joined[0] < 20 * len(text), f"{joined[0]:,} characters joined for a {len(text):,}-character answer"


def test_finding_8_an_upload_over_the_limit_is_refused(visitor, tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (21 * 2**20))
    model, providers = _image_model(visitor)
    with pytest.raises(Exception, match="(?i)size|large|MB"):
        visitor.predict(task="image-classification", model=model, providers=providers, input_file=handle_file(str(big)), api_key=VISITOR_KEY, api_name="/compare")


@pytest.mark.parametrize("runs", [1.5, True, "3"])
def test_finding_12_runs_must_be_a_whole_number(visitor, space_app, runs):  # noqa: F811
    kind, body = raw_call(visitor.src.rstrip("/"), "compare", task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY, runs=runs)
    assert kind == "error" and "runs must be a whole number" in body["error"], body


def test_finding_12_warmup_must_be_true_or_false(visitor):
    kind, body = raw_call(visitor.src.rstrip("/"), "compare", task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY, warmup="false")
    assert kind == "error" and "warmup must be true or false" in body["error"], body


def test_finding_12_a_text_file_is_refused_for_an_image_task(visitor, space_app, tmp_path):  # noqa: F811
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    model, providers = _image_model(visitor)
    space_app.sim.clear_records()
    with pytest.raises(Exception, match="needs an image"):
        visitor.predict(task="image-classification", model=model, providers=providers, input_file=handle_file(str(text)), api_key=VISITOR_KEY, api_name="/compare")
    assert not [r for r in space_app.sim.records() if r["provider"]]


def test_finding_7_a_locked_history_stalls_nobody(launched_app):  # noqa: F811
    """Locally every comparison is saved: hold the database's write lock elsewhere, and the app must keep answering."""
    import sqlite3
    import threading

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
