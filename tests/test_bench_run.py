"""Load tests end to end on the simulator: the app's runner under load, the 429 fault, the CLI, saved runs, Ray."""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from playground import catalog
from playground.bench import sending
from playground.bench.cli import main
from playground.bench.config import BenchConfig, InvalidBench
from playground.bench.metrics import figures
from playground.bench.report import compare_frame, router_frame, significant, timings_frame
from playground.bench.store import BenchRun, BenchStore
from playground.sdk import urls
from playground.service import Playground
from playground.settings import Settings
from playground.sim.config import FaultSpec, LatencyProfile, SimConfig
from playground.sim.server import Simulator

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
KEY = "hf_" + "bench" * 6


@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Playground]:
    """Realistic speeds, groq's first token slowed to 1.5 s so 30 concurrent requests overlap however loaded the
    machine is; groq answers 429 (Retry-After: 1) above 20 requests in flight."""
    fault = FaultSpec(kind="http", status=429, provider="groq", above_concurrent=20, retry_after=1.0)
    slow = {"groq": LatencyProfile(ttft_s=1.5)}
    with Simulator(SimConfig(faults=[fault], profiles=slow)) as sim:
        settings = Settings(timeout_s=20.0, data_dir=tmp_path).with_simulator(sim.hub_url, sim.router_url, sim.direct_url)
        urls.apply(settings)
        catalog.clear_caches()
        try:
            yield Playground(settings)
        finally:
            urls.apply(Settings())
            catalog.clear_caches()


def run_bench(playground: Playground, config: BenchConfig) -> BenchRun:
    prompts = sending.load_prompts(config, playground.settings.datasets_url)
    lanes = sending.build_lanes(playground, config, prompts, api_key=KEY)
    samples, reason = asyncio.run(sending.run_local(lanes, config, prompts))
    return BenchRun(config, samples, reason)


def test_above_twenty_concurrent_the_provider_throttles_and_the_run_shows_it(throttled):
    config = BenchConfig(model=MODEL, providers=("groq", "together"), concurrency=30, requests=60, max_tokens=16,
                         max_error_rate=None)
    run = run_bench(throttled, config)
    by_provider = {f["provider"]: f for f in run.figures()}  # in the run's own order, which the catalog decides
    groq, together = by_provider["groq"], by_provider["together"]
    assert groq["rate_limited"] > 0 and groq["retry_after_s"]["p50"] == 1.0
    assert groq["ok"] > 0 and groq["ok"] + groq["rate_limited"] == 60
    assert together["rate_limited"] == 0 and together["ok"] == 60
    assert groq["ttft_s"]["p50"] is not None and groq["itl_s"]["mean"] is not None


def test_saved_runs_reload_export_and_compare(throttled, tmp_path):
    config = BenchConfig(model=MODEL, providers=("together",), concurrency=2, requests=4, max_tokens=8)
    store = BenchStore.of(throttled.settings)
    first, second = run_bench(throttled, config), run_bench(throttled, config)
    for run in (first, second):
        store.save(run, secrets=[KEY])
    assert [row["id"] for row in store.list()] == [second.id, first.id]
    again = store.load(first.id)
    assert again.figures() == first.figures() and again.config == config
    assert KEY not in (tmp_path / "bench" / f"{first.id}.json").read_text()
    import pyarrow.parquet as pq

    path = store.export(first.id, "parquet", tmp_path / "out")
    table = pq.read_table(path)
    assert table.num_rows == 4 and json.loads(table.schema.metadata[b"loadtest"])["config"]["model"] == MODEL
    assert json.loads(store.export(first.id, "json", tmp_path / "out").read_text())["id"] == first.id
    side = compare_frame([(run.id, run.figures()) for run in (first, second)])
    assert list(side["Run"]) == [first.id, second.id]
    with pytest.raises(ValueError, match="not a load-test run id"):
        store.load("../../etc/passwd")


def test_cli_runs_on_the_simulator_and_exports(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    out = tmp_path / "run.json"
    code = main(["--demo", "--model", MODEL, "--providers", "groq,together", "--rate", "20", "--arrivals", "constant",
                 "--requests", "6", "--max-tokens", "8", "--warmup", "1", "--yes", "--json", "--export", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Worst-case cost: $" in printed.err
    shown = json.loads(printed.out[: printed.out.rindex("]") + 1])
    assert [f["provider"] for f in shown] == ["groq", "together"] and all(f["ok"] == 6 for f in shown)
    assert json.loads(out.read_text())["config"]["rate"] == 20.0
    assert len(list((tmp_path / "bench").glob("*.json"))) == 1


def test_cli_refuses_without_confirmation_and_explains_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--demo", "--model", MODEL, "--providers", "groq", "--requests", "2"]) == 1  # stdin is no terminal
    assert "pass --yes" in capsys.readouterr().err
    assert main(["--demo", "--model", MODEL, "--providers", "nobody", "--yes"]) == 2
    assert "nobody does not serve" in capsys.readouterr().err
    assert main(["--demo", "--model", MODEL, "--providers", "groq", "--concurrency", "0", "--yes"]) == 2
    assert "concurrency must be" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0 and "--rate" in capsys.readouterr().out


def test_ray_two_local_workers_merge_every_sample(throttled):
    ray = pytest.importorskip("ray")
    from playground.bench.distributed import connect, run_on_ray

    config = BenchConfig(model=MODEL, providers=("together",), shape="rate", rate=20.0, arrivals="constant",
                         requests=20, max_tokens=8)
    prompts = sending.load_prompts(config)
    connect("local", 2)  # its own, never a cluster another program on this machine runs
    try:
        samples, reason = run_on_ray(throttled.settings, config, prompts, 2, {"api_key": KEY})
    finally:
        ray.shutdown()
    assert reason is None and len(samples) == 20 and {s.worker for s in samples} == {0, 1}
    assert sorted(s.index for s in samples) == list(range(20))
    (together,) = figures(samples, offered_rps=20.0)
    assert together["ok"] == 20  # rates over wall time are a benchmark (benchmarks/loadtest.py), not a unit test


def test_saved_runs_are_scoped_per_owner_as_history_is(tmp_path):
    from playground.history import LOCAL

    config = BenchConfig(model=MODEL, providers=("groq",), requests=1)
    alice, bob = BenchStore(tmp_path, "hf:alice"), BenchStore(tmp_path, "browser:" + "b" * 64)
    theirs = BenchRun(config, [])
    alice.save(theirs)
    assert [r["id"] for r in alice.list()] == [theirs.id] and alice.load(theirs.id).owner == "hf:alice"
    assert bob.list() == [] and BenchStore(tmp_path, LOCAL).list() == []
    for attempt in (lambda: bob.load(theirs.id), lambda: bob.export(theirs.id, "json", tmp_path / "out")):
        with pytest.raises(ValueError, match="no saved load test"):
            attempt()
    moved = next((tmp_path / "bench").rglob(f"{theirs.id}.json"))  # a run copied into another's folder stays theirs
    (bob.folder).mkdir(parents=True)
    (bob.folder / moved.name).write_bytes(moved.read_bytes())
    assert bob.list() == []
    with pytest.raises(ValueError, match="no saved load test"):
        bob.load(theirs.id)


def test_ray_actors_are_made_without_a_key_in_their_arguments(tmp_path, monkeypatch):
    import pickle

    monkeypatch.delenv("PLAYGROUND_SECRET", raising=False)
    from playground.bench.distributed import LoadWorker, actor_arguments

    owner_token = "hf_" + "localuser" * 4
    settings = Settings(data_dir=tmp_path, server_token=owner_token, secret="s" * 32)
    bare, sealed = actor_arguments(settings, {"api_key": "", "provider_keys": {"groq": "gsk_" + "g" * 40}})
    shipped = pickle.dumps((bare, sealed))
    for secret in (owner_token, "gsk_" + "g" * 40, "s" * 32):
        assert secret.encode() not in shipped
    assert bare.server_token is None and bare.secret == ""
    with pytest.raises(RuntimeError, match="cannot open the keys"):  # a worker without the driver's secret
        LoadWorker(bare, BenchConfig(model=MODEL, providers=("groq",)).to_json(), ["hi"], (0, 1), sealed)


@pytest.mark.parametrize(("task", "model", "providers"), [
    ("text-to-image", "black-forest-labs/FLUX.1-schnell", ("fal-ai", "together")),
    ("feature-extraction", "intfloat/multilingual-e5-large-instruct", ("hf-inference",)),
])
def test_one_shot_tasks_are_load_tested_by_latency_only(sim_playground, task, model, providers):
    config = BenchConfig(model=model, providers=providers, task=task, concurrency=3, requests=4)
    run = run_bench(sim_playground.playground, config)
    for figures_ in run.figures():
        assert figures_["ok"] == 4, figures_["errors"]
        assert figures_["latency_s"]["p50"] is not None and figures_["ttft_s"]["p50"] is None
    shown = timings_frame(run.figures())
    assert set(shown["Figure"]) == {"Latency ms"}  # no TTFT, ITL, TPOT or tokens/s where tokens do not apply
    assert "max_tokens" not in config.params() and "stream" not in config.params()


def test_a_task_that_needs_a_file_is_refused_with_the_tasks_that_qualify():
    with pytest.raises(ValueError, match=r"task must be one of conversational, text-to-image.*not 'image-classification'"):
        BenchConfig(model=MODEL, providers=("groq",), task="image-classification")


def test_prompts_come_from_a_hub_datasets_text_column_through_the_dataset_viewer(sim_playground):
    url = sim_playground.playground.settings.datasets_url
    config = BenchConfig(model=MODEL, providers=("together",), requests=3, dataset="fka/awesome-chatgpt-prompts",
                         dataset_column="prompt")
    prompts = sending.load_prompts(config, url)
    assert len(prompts) == 60 and prompts[0].startswith("I want you to act as a linux terminal")
    run = run_bench(sim_playground.playground, config)
    assert run.figures()[0]["ok"] == 3
    for dataset, column, error in (("nobody/no-such-dataset", "text", "no dataset 'nobody/no-such-dataset'"),
                                   ("fka/awesome-chatgpt-prompts", "text", "has no column 'text'; its columns: act, prompt"),
                                   ("../etc", "text", "is not a Hub dataset id")):
        with pytest.raises(InvalidBench, match=re.escape(error)):
            sending.load_prompts(replace(config, dataset=dataset, dataset_column=column), url)


def test_the_cli_reads_prompts_from_a_hub_dataset(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    args = ["--demo", "--model", MODEL, "--providers", "together", "--requests", "2", "--yes", "--no-save",
            "--dataset", "fka/awesome-chatgpt-prompts"]
    assert main(args) == 2
    assert "has no column 'text'; its columns: act, prompt" in capsys.readouterr().err
    assert main([*args, "--dataset-column", "prompt"]) == 0


def test_a_provider_with_its_own_key_and_an_hf_token_runs_routed_against_direct(sim_playground):
    config = BenchConfig(model=MODEL, providers=("groq", "together"), concurrency=2, requests=3, max_tokens=8)
    prompts = sending.load_prompts(config)
    lanes = sending.build_lanes(sim_playground.playground, config, prompts, api_key=KEY, provider_keys={"groq": "gsk_" + "d" * 20})
    assert list(lanes) == ["groq · direct", "groq · routed", "together"]
    samples, _ = asyncio.run(sending.run_local(lanes, config, prompts))
    by_lane = {f["provider"]: f for f in figures(samples)}
    assert {lane: f["ok"] for lane, f in by_lane.items()} == {"groq · direct": 3, "groq · routed": 3, "together": 3}
    assert {s.routing for s in samples if s.provider == "groq · direct"} == {"direct"}
    assert {s.routing for s in samples if s.provider == "groq · routed"} == {"routed"}
    keys = {r["key_sha256"] for r in sim_playground.sim.records() if r.get("provider") == "groq"}
    assert len(keys) == 2  # the provider's key and the HF token each reached the simulator
    added = router_frame(list(by_lane.values())).set_index("Figure")
    direct, routed = by_lane["groq · direct"]["ttft_s"]["p50"], by_lane["groq · routed"]["ttft_s"]["p50"]
    assert added.loc["TTFT p50 ms", "Router adds"] == significant((routed - direct) * 1000)
    unroutable = sending.build_lanes(sim_playground.playground, config, prompts, api_key=KEY, provider_keys={"together": "tgp_x"})
    assert list(unroutable) == ["groq", "together · direct", "together · routed"]


def test_the_cli_runs_a_keyed_provider_both_ways_and_prints_what_the_router_adds(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAYGROUND_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GROQ_API_KEY", "gsk_" + "c" * 20)
    assert main(["--demo", "--model", MODEL, "--providers", "groq", "--requests", "2", "--max-tokens", "4", "--yes",
                 "--no-save", "--direct", "groq"]) == 0
    out = capsys.readouterr().out
    assert "groq · direct" in out and "groq · routed" in out and "What the router adds (routed − direct)" in out
    assert "gsk_" not in out
