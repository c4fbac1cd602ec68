"""The Load test tab in Chromium, on the simulator: estimate, confirm, run, figures, throttling, saved run."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager

from playground.sim.config import rate_limit
from playground.sim.server import Simulator
from tests.apps import VISITOR_KEY
from tests.browsing import expect, needs_chromium, opened
from tests.test_browser_fixes import tab

pytestmark = needs_chromium


def open_tab(page) -> None:
    expect(page.get_by_role("tab", name="History")).to_be_attached(timeout=20_000)  # the tab bar is there
    tab(page, "Load test")
    expect(page.get_by_label("Providers (comma-separated)")).to_be_visible()


def start_load_test(page, providers: str, requests: int, numbers: dict[str, int]) -> None:
    open_tab(page)
    panel = page
    panel.get_by_label("Providers (comma-separated)").fill(providers)
    panel.get_by_label("Requests per provider").fill(str(requests))
    for label, value in numbers.items():
        panel.get_by_label(label, exact=True).fill(str(value))
    panel.get_by_role("button", name="Estimate worst-case cost").click()
    expect(panel.get_by_text(re.compile(rf"Worst-case cost: .*{requests} requests per provider"))).to_be_visible(timeout=20_000)
    panel.get_by_label("I accept this worst-case cost").check()
    panel.get_by_role("button", name="Start load test").click()


@contextmanager
def throttled(sim: Simulator, provider: str, above: int) -> Iterator[None]:
    """Realistic speeds with `provider`'s first token at 1 s (so 32 requests overlap), 429 above `above` in flight."""
    sim.configure(time_scale=1.0, profiles={provider: {"ttft_s": 1.0, "jitter": 0.0}})
    sim.add_fault(**{k: v for k, v in dataclasses.asdict(rate_limit(above, provider)).items() if k != "kind"})
    try:
        yield
    finally:
        sim.clear_faults()
        sim.configure(time_scale=0.0)


def test_a_load_test_runs_only_after_its_worst_case_cost_is_confirmed(page):
    open_tab(page)
    page.get_by_label("Providers (comma-separated)").fill("groq, together")
    page.get_by_label("Requests per provider").fill("10")
    page.get_by_role("button", name="Estimate worst-case cost").click()
    expect(page.get_by_text(re.compile(r"Worst-case cost: \$[0-9.]+ \(10 requests per provider"))).to_be_visible(timeout=20_000)
    confirm = page.get_by_label("I accept this worst-case cost")
    confirm.check()
    page.get_by_label("Requests per provider").fill("12")  # a changed setting needs a fresh confirmation
    expect(confirm).not_to_be_checked()
    page.get_by_role("button", name="Estimate worst-case cost").click()
    expect(page.get_by_text(re.compile(r"\(12 requests per provider"))).to_be_visible(timeout=20_000)
    confirm.check()
    page.get_by_role("button", name="Start load test").click()
    expect(page.get_by_text("done — 24/24 requests, 0 failed")).to_be_visible(timeout=60_000)
    timings = page.get_by_label("Timings per provider")
    expect(timings.get_by_role("row").filter(has_text="groq").filter(has_text="TTFT ms")).to_be_visible()
    expect(timings.get_by_role("columnheader", name="p99")).to_be_visible()
    expect(page.get_by_label("Saved run")).to_have_value(re.compile(r"[0-9a-f]{12}"))


def test_429s_of_a_provider_throttled_above_20_concurrent_show_in_the_latency_over_time_plot(page, launched_app):
    with throttled(launched_app.sim, "groq", 20):
        start_load_test(page, "groq", 40, {"Concurrent requests": 32, "max_tokens": 4})
        expect(page.get_by_text(re.compile(r"done — 40/40 requests, [1-9][0-9]* failed"))).to_be_visible(timeout=60_000)
    plot = page.locator(".gradio-container .block", has_text="Latency over time")
    expect(plot.locator("svg text", has_text="groq · 429")).to_be_visible()  # the legend names the throttled series
    expect(plot.locator("svg text", has_text="groq · ok")).to_be_visible()
    throttled_points = plot.locator('svg [role="graphics-symbol"][aria-label*="outcome: 429"]')
    expect(throttled_points.first).to_have_attribute("stroke", "#dc2626")  # its points, in red
    totals = page.get_by_label("Throughput, goodput and errors per provider")
    expect(totals.get_by_role("columnheader", name="Retry-After p50 (s)")).to_be_visible()
    expect(totals.get_by_role("row").filter(has_text="groq")).to_contain_text(re.compile(r"rate_limit [1-9]"))


def test_on_a_space_a_visitor_never_sees_another_visitors_saved_runs(browser, space_app):
    with opened(browser, space_app.url) as alice:
        open_tab(alice)
        alice.get_by_label("HF token (empty: your local token)").fill(VISITOR_KEY)
        start_load_test(alice, "groq", 2, {})
        expect(alice.get_by_text("done — 2/2 requests, 0 failed")).to_be_visible(timeout=60_000)
        expect(alice.get_by_label("Saved run")).to_have_value(re.compile(r"[0-9a-f]{12}"))
        alices = re.search(r"[0-9a-f]{12}", alice.get_by_label("Saved run").input_value())
        assert alices
        with opened(browser, space_app.url) as bob:
            open_tab(bob)
            bob.get_by_label("Saved run").click()  # focusing lists this visitor's runs
            expect(bob.get_by_role("option")).to_have_count(0)
            bob.get_by_role("button", name="Export JSON").click()
            expect(bob.get_by_text("Pick a saved run.").first).to_be_visible()
        alice.reload()
        open_tab(alice)
        alice.get_by_label("Saved run").click()
        expect(alice.get_by_role("option", name=re.compile(alices.group(0)))).to_have_count(1)  # still hers
