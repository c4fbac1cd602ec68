"""`python -m playground.smoke`: skipped without token or network; shape differences reported honestly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from playground import smoke
from playground.sim.config import SimConfig
from playground.sim.server import Simulator

REPO = Path(__file__).resolve().parents[1]


def test_without_a_token_it_says_so_and_exits_0(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    env.update({"HF_HOME": str(tmp_path), "PYTHONPATH": str(REPO)})
    done = subprocess.run([sys.executable, "-m", "playground.smoke"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "no Hugging Face token" in done.stdout


def test_without_network_it_says_so_and_exits_0(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_" + "smoke")
    monkeypatch.setattr(smoke, "online", lambda *args, **kwargs: False)
    assert smoke.main() == 0
    assert "not reachable" in capsys.readouterr().out


def test_two_simulators_answer_in_the_same_shape_and_a_broken_one_differs() -> None:
    lines: list[str] = []
    with Simulator(SimConfig(time_scale=0.0)) as one, Simulator(SimConfig(time_scale=0.0)) as other:
        sides = (one.hub_url, one.router_url), (other.hub_url, other.router_url)
        assert smoke.compare(*sides, "hf_" + "smoke", say=lines.append) == 0
        assert all(line.startswith("same") for line in lines) and len(lines) == len(smoke.PROBES)
        with httpx.Client() as client:
            assert {smoke.call(client, probe, *sides[0], "hf_" + "smoke")[0] for probe in smoke.PROBES} == {200}
        other.add_fault(provider="together", kind="http", status=503)
        lines.clear()
        assert smoke.compare(*sides, "hf_" + "smoke", say=lines.append) == 1
    assert "differs  chat, OpenAI-style provider" in lines
    assert any("status: live 200 / simulator 503" in line for line in lines)


def test_shape_differences_name_the_path() -> None:
    live = smoke.shape({"id": "a", "choices": [{"message": {"content": "x", "role": "assistant"}}], "usage": {"n": 1}})
    sim = smoke.shape({"id": 1, "choices": [{"message": {"content": "x"}}], "extra": True})
    assert smoke.differences(live, sim) == [
        "$.choices[0].message.role: only live", "$.extra: only in the simulator", "$.id: live str / simulator number",
        "$.usage: only live"]
