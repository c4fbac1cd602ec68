"""A public Space attacked the way a visitor would: through gradio_client, in Space mode, on the simulator."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from gradio_client import Client, handle_file

from tests.apps import OWNER_TOKEN, VISITOR_KEY

MODEL = "meta-llama/Llama-3.3-70B-Instruct"


@pytest.fixture
def visitor(space_app):
    return Client(space_app.url, verbose=False)


def raw_call(url: str, api: str, **data: Any) -> tuple[str, Any]:
    """POST /gradio_api/call/<api> as any HTTP client can (no gradio_client upload step): ("complete"|"error", data)."""
    order = {"compare": ["task", "model", "providers", "prompt", "input_file", "api_key", "provider_keys", "params_json", "runs", "labels", "context", "warmup", "system", "bill_to", "conversation_json"]}
    payload = [data.get(name) for name in order[api]] if api in order else list(data.values())
    if api == "compare":
        defaults = {"prompt": "", "api_key": "", "provider_keys": "", "params_json": "", "runs": 1, "labels": "", "context": "", "warmup": False,
                    "system": "", "bill_to": "", "conversation_json": ""}
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
def test_finding_1_server_files_are_never_read(visitor, space_app, path):
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


def test_finding_3_visitors_look_ups_never_carry_the_owners_token(visitor, space_app):
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
def test_finding_9_a_key_echoed_in_an_error_is_masked_everywhere(visitor, space_app, form):
    """On a Space, the result (test_attacks_local.py: locally, also the history and its exports)."""
    space_app.sim.add_fault(provider="groq", status=400, message=ECHOES[form](GROQ_KEY))
    try:
        out = visitor.predict(task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY,
                              provider_keys=json.dumps({"groq": GROQ_KEY}), api_name="/compare")
    finally:
        space_app.sim.clear_faults()
    row = out["results"][0]
    assert not row["ok"] and row["error"], row
    lowered = json.dumps(out).lower()
    assert GROQ_KEY[:10].lower() not in lowered and quote(GROQ_KEY, safe="")[:12].lower() not in lowered
    assert GROQ_KEY[-10:].lower() not in lowered


@pytest.mark.parametrize(
    "field, value",
    [("labels", ",".join(["x"] * 100_000)), ("context", "c" * 200_001), ("prompt", "p" * 200_001), ("providers", ["groq"] * 100_000)],
)
def test_finding_8_oversized_inputs_are_refused_with_the_limit(visitor, space_app, field, value):
    space_app.sim.clear_records()
    request = {"task": "zero-shot-classification", "model": MODEL, "providers": ["hf-inference"], "prompt": "hi", field: value}
    kind, body = raw_call(visitor.src.rstrip("/"), "compare", api_key=VISITOR_KEY, **request)
    assert kind == "error" and "at most" in body["error"] and field in body["error"], body
    assert not [r for r in space_app.sim.records() if "telemetry" not in r["path"]], "refused before any look-up"


def test_finding_8_a_long_streamed_answer_costs_constant_work_per_chunk(visitor, monkeypatch):
    from playground import model, runner

    joined = [0]

    class Counting(model.Result):
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "text" and value:
                joined[0] += len(value)
            super().__setattr__(name, value)

    real = runner.sse.chunks

    async def long_answer(lines, arrived):
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
    with pytest.raises(Exception, match=r"(?i)size|large|MB"):
        visitor.predict(task="image-classification", model=model, providers=providers, input_file=handle_file(str(big)), api_key=VISITOR_KEY, api_name="/compare")


@pytest.mark.parametrize("runs", [1.5, True, "3"])
def test_finding_12_runs_must_be_a_whole_number(visitor, space_app, runs):
    kind, body = raw_call(visitor.src.rstrip("/"), "compare", task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY, runs=runs)
    assert kind == "error" and "runs must be a whole number" in body["error"], body


def test_finding_12_warmup_must_be_true_or_false(visitor):
    kind, body = raw_call(visitor.src.rstrip("/"), "compare", task="conversational", model=MODEL, providers=["groq"], prompt="hi", api_key=VISITOR_KEY, warmup="false")
    assert kind == "error" and "warmup must be true or false" in body["error"], body


def test_finding_12_a_text_file_is_refused_for_an_image_task(visitor, space_app, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    model, providers = _image_model(visitor)
    space_app.sim.clear_records()
    with pytest.raises(Exception, match="needs an image"):
        visitor.predict(task="image-classification", model=model, providers=providers, input_file=handle_file(str(text)), api_key=VISITOR_KEY, api_name="/compare")
    assert not [r for r in space_app.sim.records() if r["provider"]]


def _fn_index(url: str, api_name: str) -> int:
    config = httpx.get(f"{url}/config", timeout=10).json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == api_name)


def test_finding_10_a_caller_that_went_away_spends_nothing_more(space_app):
    """A raw queue client joins /compare, reads until it started, and hangs up: the provider call is cancelled."""
    url = space_app.url
    space_app.sim.configure(time_scale=1.0)
    space_app.sim.set_profile("groq", ttft_s=60.0, tokens_per_s=1.0)
    space_app.sim.clear_records()
    try:
        session = "attacker" + "0" * 8
        data = ["conversational", MODEL, ["groq"], "hi", None, VISITOR_KEY, "", "", 1, "", "", False, "", "", ""]
        joined = httpx.post(f"{url}/gradio_api/queue/join", json={"data": data, "fn_index": _fn_index(url, "compare"), "session_hash": session}, timeout=10)
        assert joined.status_code == 200, joined.text
        with httpx.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=30) as response:
            for line in response.iter_lines():
                if "process_starts" in line:
                    break
            calls = []
            for _ in range(200):  # until the provider call reached the simulator
                calls = [r for r in space_app.sim.records() if r["provider"] == "groq"]
                if calls:
                    break
                time.sleep(0.05)
        assert calls, "the call should have started"
        for _ in range(160):  # Gradio notices a hang-up at its next heartbeat (15 s); the answer would take 60 s
            (call,) = [r for r in space_app.sim.records() if r["provider"] == "groq"]
            if call["finished_at"] is not None:
                break
            time.sleep(0.25)
        assert call["finished_at"] is not None and call["first_text_at"] is None, call
        assert call["finished_at"] - call["received_at"] < 45
    finally:
        space_app.sim.configure(time_scale=0.0)
        space_app.sim.configure(profiles={})


def test_finding_6_the_browser_state_secret_is_stable_and_the_sealing_secret_stays_on_the_server(space_app):
    from playground.vault import FILE_NAME, Vault

    settings = space_app.playground.settings
    config = httpx.get(f"{space_app.url}/config", timeout=10).text
    sealing = (settings.data_dir / FILE_NAME).read_text().strip()
    assert sealing not in config  # what seals remembered keys is never sent to a page
    restarted = Vault.of(settings)  # a restart reads the same secret: browsers keep what they stored
    assert restarted.browser_secret in config
    sealed = restarted.seal({"hf": VISITOR_KEY})
    assert VISITOR_KEY not in sealed and Vault.of(settings).open(sealed) == {"hf": VISITOR_KEY}
    assert Vault(b"another server" * 2).open(sealed, {}) == {}  # forged or foreign: nothing


def test_finding_11_temporary_files_stay_in_one_pruned_folder(visitor, monkeypatch):
    import tempfile

    from playground import scratch

    scratch.root()
    made: list[str] = []
    real = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: made.append(k.get("prefix", "")) or real(*a, **k))
    model = visitor.predict(task="text-to-image", search="", api_name="/models")[0]
    providers = [r["provider"] for r in visitor.predict(model=model, task="text-to-image", sort="name", api_name="/providers") if r["callable"]][:2]
    out = visitor.predict(task="text-to-image", model=model, providers=providers, prompt="a cat", api_key=VISITOR_KEY, api_name="/compare")
    assert all(r["ok"] for r in out["results"]), out["results"]
    exported = scratch.new_path("export.csv")
    exported.write_text("x")
    assert not [prefix for prefix in made if prefix.startswith("playground")], made  # no folder of its own per output
    assert any(scratch.root().rglob("*.png")) or any(scratch.root().rglob("*.jpeg")) or any(scratch.root().rglob("*.webp"))
    assert scratch.prune(now=time.time() + scratch.KEEP_S + 1) >= 2 and not exported.exists()


def test_review_model_search_is_bounded_and_its_cache_too(visitor):
    from playground import catalog

    with pytest.raises(Exception, match="search is 10,000 characters; the playground takes at most 200"):
        visitor.predict(task="conversational", search="x" * 10_000, api_name="/models")
    calls = []
    cached = catalog.ttl_cache(60)(lambda key: calls.append(key) or key)
    for key in range(catalog.CACHE_ENTRIES + 50):
        cached(key)
    cached(catalog.CACHE_ENTRIES + 49)
    assert len(calls) == catalog.CACHE_ENTRIES + 50  # the newest is still cached ...
    cached(0)
    assert len(calls) == catalog.CACHE_ENTRIES + 51  # ... the oldest was let go


def test_review_csv_exports_quote_formula_cells(tmp_path):
    from playground.history import History

    history = History(tmp_path)
    history.save({"id": "c1", "task": "conversational", "model": "m", "prompt": '=HYPERLINK("http://x","y")',
                  "results": [{"provider": "groq", "text": "@SUM(1+1)", "error": "-2+3"}]})
    csv = Path(history.export(format="csv", directory=tmp_path / "out")).read_text()
    assert "'=HYPERLINK" in csv and "'@SUM" in csv and "'-2+3" in csv
