"""Each provider's timing waterfall in a real browser: one row per phase, the caption saying where each starts/ends."""

from __future__ import annotations

import re

import pytest

from tests.browsing import LEGIBLE, assert_legible, checked_providers, expect, opened, screenshot

PHASES = ["Queued", "Connect", "Waiting", "First token", "Answer"]
WATERFALL_TEXT = [*LEGIBLE, ".wf-name", ".wf-value", ".waterfall-caption"]


@pytest.mark.parametrize(("width", "theme"), [(1440, "light"), (390, "dark")])
def test_every_provider_shows_its_waterfall(browser, launched_app, width, theme):
    launched_app.sim.configure(time_scale=0.2)
    url = launched_app.url + ("/?__theme=dark" if theme == "dark" else "")
    with opened(browser, url, width=width, height=1100, color_scheme=theme) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
        waterfalls = page.locator(".card .waterfall")
        expect(waterfalls).to_have_count(4)
        for index in range(4):
            expect(waterfalls.nth(index).locator(".wf-name")).to_have_text(PHASES)
            expect(waterfalls.nth(index).locator(".wf-value").first).to_have_text(re.compile(r"^\d[\d,]* ms$|^\d+\.\d s$"))
        caption = page.locator(".waterfall-caption")
        expect(caption).to_contain_text("request's last byte handed to the kernel")
        expect(caption).to_contain_text("0 when a connection was reused")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_legible(page, WATERFALL_TEXT)
        screenshot(page, f"waterfall-{width}-{theme}.png", full_page=True)
