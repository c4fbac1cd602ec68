"""The Load test tab in Chromium, on the instant simulator: estimate, confirm, run, figures, saved run."""

from __future__ import annotations

import re

from tests.browsing import expect, needs_chromium

pytestmark = needs_chromium


def test_a_load_test_runs_only_after_its_worst_case_cost_is_confirmed(page):
    page.get_by_role("tab", name="Load test").click()
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
    table = page.get_by_label("Figures per provider")
    expect(table.get_by_text("TTFT (s) p50")).to_be_visible()
    expect(table.get_by_text("TTFT (s) p99")).to_be_visible()
    expect(page.get_by_label("Saved run")).to_have_value(re.compile(r"[0-9a-f]{12}"))
