"""The UI in a real browser (Debian's Chromium through Playwright), on the simulator. Retrying assertions only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.appfixtures import launched_app  # noqa: F401  (fixture)

CHROMIUM = os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "assets"
pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() or shutil.which("chromium")), reason="Chromium is not installed")

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, launched_app):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1100})
    page = context.new_page()
    page.goto(launched_app.url)
    yield page
    context.close()


def test_chat_comparison_streams_into_panels(page, launched_app):  # noqa: F811
    launched_app.sim.configure(time_scale=0.3)
    expect(page.get_by_text("Demo mode")).to_be_visible()
    expect(page.locator(".setup").get_by_role("checkbox").first).to_be_checked(timeout=15_000)
    page.get_by_role("button", name="Compare").click()
    cards = page.locator(".card")
    expect(cards).to_have_count(4, timeout=15_000)
    expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
    expect(page.get_by_text("Finished in")).to_be_visible()
    expect(cards.first.locator(".answer")).not_to_be_empty()
    page.screenshot(path=str(SCREENSHOTS / "screenshot.png"), full_page=True)


def test_failing_provider_shows_its_error_and_the_others_finish(page, launched_app):  # noqa: F811
    sim = launched_app.sim
    sim.configure(time_scale=0.0)
    first = page.locator(".setup").get_by_role("checkbox").first
    expect(first).to_be_checked(timeout=15_000)
    chosen = page.locator(".setup input[type=checkbox]:checked")
    expect(chosen).to_have_count(4)
    sim.add_fault(provider=None, kind="http", status=402, times=1)
    try:
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-error")).to_have_count(1, timeout=30_000)
        expect(page.locator(".card.state-done")).to_have_count(3, timeout=30_000)
        expect(page.locator(".card.state-error")).to_contain_text("credits exhausted")
    finally:
        sim.clear_faults()


def test_deep_link_opens_the_app_preset(browser, launched_app):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(f"{launched_app.url}/?task=conversational&model=meta-llama/Llama-3.3-70B-Instruct&providers=groq,together")
    setup = page.locator(".setup")
    expect(setup.get_by_role("combobox", name="Model")).to_have_value("meta-llama/Llama-3.3-70B-Instruct", timeout=15_000)
    expect(setup.locator("input[type=checkbox]:checked")).to_have_count(2)
    context.close()


def test_preferences_survive_a_reload(page):
    box = page.locator(".setup").get_by_label("Your provider preference (comma-separated, Enter to apply)")
    expect(box).to_be_visible(timeout=15_000)
    stored = "() => localStorage.getItem('inference-playground-preferences')"
    before = page.evaluate(stored)
    box.fill("groq, cerebras")
    box.press("Enter")
    page.wait_for_function(f"(before) => ({stored})() !== before", arg=before)  # saved (encrypted) before reloading
    page.reload()
    expect(page.locator(".setup").get_by_label("Your provider preference (comma-separated, Enter to apply)")).to_have_value("groq, cerebras", timeout=15_000)


def test_mobile_width_compares_and_stays_legible(browser, launched_app):  # noqa: F811
    launched_app.sim.configure(time_scale=0.0)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(launched_app.url)
    expect(page.locator(".setup").get_by_role("checkbox").first).to_be_checked(timeout=15_000)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
    page.screenshot(path=str(SCREENSHOTS / "screenshot-mobile.png"))
    context.close()
