"""Statistics against values computed by hand (linear interpolation: rank h = (n - 1) * q / 100)."""

from __future__ import annotations

import json
import math

import pytest

from playground import stats
from playground.model import Comparison, Result

MODEL = "org/model"


def result(provider: str, run: int, latency: float | None, **fields) -> Result:
    values = {"ok": True, "state": "done", "latency_s": latency, **fields}
    if not values["ok"]:
        values["state"] = "error"
    item = Result(provider=provider, model=MODEL, task="conversational", run=run)
    for name, value in values.items():
        setattr(item, name, value)
    return item


def sample() -> Comparison:
    comparison = Comparison(task="conversational", model=MODEL, params={})
    warmup = result("alpha", 0, 100.0, ttft_s=50.0, tokens_per_s=1.0, output_tokens=9, cost_usd=1.0)
    warmup.warmup = True  # the runner's flag; statistics read it with getattr
    comparison.results = [
        warmup,
        result("alpha", 1, 1.0, ttft_s=0.1, tokens_per_s=50.0, output_tokens=100, cost_usd=0.001),
        result("beta", 1, 3.0, ttft_s=1.0, output_tokens=10, cost_usd=None),
        result("alpha", 2, 2.0, ttft_s=0.2, tokens_per_s=60.0, output_tokens=120, cost_usd=0.002),
        result("beta", 2, 1.0, ttft_s=1.0, output_tokens=20, cost_usd=0.5),
        result("alpha", 3, 4.0, ttft_s=0.5, tokens_per_s=None, output_tokens=80, cost_usd=0.0015),
        result("beta", 3, 2.0, ttft_s=1.0, output_tokens=30, cost_usd=0.5),
        result("alpha", 4, 3.0, ttft_s=0.3, tokens_per_s=40.0, output_tokens=100, cost_usd=0.001),
        result("alpha", 5, None, ok=False, error_kind="rate_limit"),
        result("alpha", 6, None, state="cancelled"),
    ]
    return comparison


def by_provider(comparison) -> dict[str, dict]:
    return {row["provider"]: row for row in stats.summary(comparison)["providers"]}


def test_percentile_is_linear_interpolation():
    assert stats.percentile([1, 2, 3, 4], 90) == pytest.approx(3.7)
    assert stats.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert stats.percentile([3, 1, 2], 90) == pytest.approx(2.8)
    assert stats.percentile([7.5], 90) == 7.5
    assert stats.percentile([], 50) is None


def test_counts_and_error_rate_exclude_warmup_and_unfinished_runs():
    alpha = by_provider(sample())["alpha"]
    assert (alpha["runs"], alpha["ok"], alpha["errors"]) == (5, 4, 1)
    assert alpha["error_rate"] == pytest.approx(0.2)
    assert alpha["error_kinds"] == {"rate_limit": 1}
    assert stats.summary(sample())["warmup_runs_excluded"] == 1


def test_timings_over_successful_runs():
    alpha = by_provider(sample())["alpha"]
    assert alpha["latency_s_median"] == pytest.approx(2.5)
    assert alpha["latency_s_p90"] == pytest.approx(3.7)
    assert (alpha["latency_s_min"], alpha["latency_s_max"]) == (1.0, 4.0)
    assert alpha["ttft_s_median"] == pytest.approx(0.25)
    assert alpha["ttft_s_p90"] == pytest.approx(0.44)  # 0.3 + 0.7 × (0.5 − 0.3)
    # one run has no speed: [40, 50, 60] → median 50, p90 at rank 1.8 = 58
    assert alpha["tokens_per_s_median"] == pytest.approx(50.0)
    assert alpha["tokens_per_s_p90"] == pytest.approx(58.0)
    assert alpha["output_tokens_mean"] == pytest.approx(100.0)


def test_cost_totals_and_unknown_is_never_zero():
    rows = by_provider(sample())
    assert rows["alpha"]["cost_total_usd"] == pytest.approx(0.0055)
    assert rows["alpha"]["cost_per_request_usd"] == pytest.approx(0.001375)
    assert rows["beta"]["cost_total_usd"] is None
    assert rows["beta"]["cost_per_request_usd"] is None
    assert rows["beta"]["tokens_per_s_median"] is None


def test_no_success_leaves_everything_unknown():
    comparison = Comparison(task="conversational", model=MODEL, params={})
    comparison.results = [result("gamma", 1, None, ok=False, error_kind="auth")]
    gamma = by_provider(comparison)["gamma"]
    assert gamma["error_rate"] == 1.0
    assert gamma["latency_s_median"] is None and gamma["cost_total_usd"] is None


def test_summary_is_json_and_matches_the_frame():
    comparison = sample()
    summary = stats.summary(comparison)
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary
    frame = stats.summary_frame(comparison)
    assert list(frame["provider"]) == ["alpha", "beta"]
    assert frame.loc[0, "latency_s_p90"] == pytest.approx(3.7)
    assert frame.loc[0, "error_kinds"] == "rate_limit ×1"
    assert math.isnan(frame.loc[1, "cost_total_usd"])


def test_same_figures_from_a_history_dict():
    comparison = sample()
    saved = comparison.to_json()
    saved["results"][0]["warmup"] = True  # asdict carries the field once Result has it
    assert stats.summary(saved) == stats.summary(comparison)


def test_runs_and_medians_frames_for_plots():
    runs = stats.runs_frame(sample())
    assert len(runs) == 7 and 100.0 not in list(runs["latency_s"])
    medians = stats.medians_frame(sample())
    assert medians.set_index(["provider", "metric"]).loc[("alpha", "latency_s"), "median"] == pytest.approx(2.5)


def test_measured_next_to_advertised():
    frame = stats.measured_vs_advertised(sample(), {"alpha": {"first_token_latency_ms": 300, "throughput": None}})
    alpha = frame.set_index("provider").loc["alpha"]
    assert alpha["ttft_ms_measured"] == pytest.approx(250.0)
    assert alpha["ttft_ms_advertised"] == 300
    assert math.isnan(frame.set_index("provider").loc["beta", "ttft_ms_advertised"])


def test_leaderboard_pools_runs_of_one_model():
    first = sample().to_json()
    first["results"][0]["warmup"] = True
    first["started_at"] = 1000.0
    second = Comparison(task="conversational", model=MODEL, params={}, started_at=2000.0)
    second.results = [result("alpha", 1, 5.0, ttft_s=0.1, output_tokens=100, cost_usd=0.001), result("delta", 1, 0.5, cost_usd=None)]
    other = Comparison(task="conversational", model="other/model", params={})
    other.results = [result("alpha", 1, 0.01)]
    board = stats.leaderboard([first, second.to_json(), other.to_json()], model=MODEL)
    assert list(board["provider"]) == ["delta", "beta", "alpha"]  # by median latency
    alpha = board.set_index("provider").loc["alpha"]
    assert alpha["comparisons"] == 2 and alpha["runs"] == 6
    assert alpha["latency_s_median"] == pytest.approx(3.0)  # [1, 2, 3, 4, 5]
    assert alpha["last_run_at"] == 2000.0
