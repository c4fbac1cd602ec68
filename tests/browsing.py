"""Helpers for the browser tests (Debian's Chromium through Playwright); the `browser` and `page` fixtures are in
conftest.py. A module of browser tests sets `pytestmark = needs_chromium`."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
# Screenshots go to a temporary folder removed at exit; scripts/screenshots.py names its own and copies the README's to assets/.
SCREENSHOTS = Path(os.environ.get("PLAYGROUND_SCREENSHOTS") or tempfile.mkdtemp(prefix="screenshots-"))
if not os.environ.get("PLAYGROUND_SCREENSHOTS"):
    atexit.register(shutil.rmtree, SCREENSHOTS, ignore_errors=True)
needs_chromium = pytest.mark.skipif(not (Path(CHROMIUM).exists() or shutil.which("chromium")), reason="Chromium is not installed")

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@contextmanager
def opened(browser, url: str, width: int = 1440, height: int = 1100, **options) -> Iterator:
    """A page in a fresh browser context (its own storage), at `url`."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


def eventually(check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Wait for a condition outside the page (the simulator's records); expect() covers everything on screen."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def checked_providers(page):
    return page.locator(".setup input[type=checkbox]:checked")


def compare_and_wait(page, cards: int, timeout: float = 30_000) -> None:
    """Press Compare and wait until `cards` panels are done and the status line says it finished."""
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".card.state-done")).to_have_count(cards, timeout=timeout)
    expect(page.locator(".block.status")).to_contain_text("Finished")


def tab(page, name: str):
    """Open a tab as a person would: from the tab bar, or from Gradio's overflow menu when the bar is full."""
    shown = page.get_by_role("tab", name=name)
    if shown.count() and shown.first.is_visible():
        shown.first.click()
    else:
        page.locator(".overflow-menu button").first.click()
        page.locator(".overflow-dropdown button", has_text=name).click()
    return page.get_by_role("tabpanel")


def upload_picture(page, folder: Path, size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (120, 160, 200)) -> None:
    """A plain picture of `size` and `colour`, put in the page's image input as a person drops one, until it shows."""
    from PIL import Image

    picture = folder / "picture.png"
    Image.new("RGB", size, colour).save(picture)
    upload = page.locator("[data-testid=image]")
    upload.locator("input[type=file]").set_input_files(str(picture))
    expect(upload.locator("img")).to_be_visible(timeout=15_000)


def screenshot(page, name: str, **options) -> None:
    page.mouse.move(0, 0)  # no hover colour on the last button pressed
    page.screenshot(path=str(SCREENSHOTS / name), **options)


# WCAG contrast of each visible element's text against what is really behind it (ancestor backgrounds
# composited, opacity applied); returns the ones below `minimum`.
LOW_CONTRAST_JS = r"""([selectors, minimum]) => {
  const parse = (c) => {
    const m = c.match(/^rgba?\(([^)]+)\)$/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, base) => ({r: top.r * top.a + base.r * (1 - top.a), g: top.g * top.a + base.g * (1 - top.a),
                                b: top.b * top.a + base.b * (1 - top.a), a: 1});
  const luminance = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c === null) return null;
      if (c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    return layers.reverse().reduce((base, layer) => over(layer, base), {r: 255, g: 255, b: 255, a: 1});
  };
  const found = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.checkVisibility() || !el.innerText.trim()) continue;
      let fg = parse(getComputedStyle(el).color);
      const bg = behind(el);
      if (fg === null || bg === null) { found.push({selector, text: el.innerText.slice(0, 40), ratio: null}); continue; }
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      fg = over({...fg, a: fg.a * opacity}, bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < minimum) found.push({selector, text: el.innerText.slice(0, 40), ratio: Math.round(ratio * 100) / 100});
    }
  }
  return found;
}"""
LEGIBLE = [".banner", ".lede", ".block.status", ".card .name", ".badge", ".metric span", ".metric b", ".answer",
           ".error", ".error .fix", ".caption", ".bars .bar span", ".bars .bar b", ".empty", "[data-testid=block-info]"]


def assert_legible(page, selectors: list[str] = LEGIBLE, minimum: float = 4.5) -> None:
    low = page.evaluate(LOW_CONTRAST_JS, [selectors, minimum])
    assert not low, f"text below {minimum}:1 contrast: {low}"
