"""The README's pictures of chat, statistics and history, each taken by a test that checks what the picture shows.

`python scripts/screenshots.py` runs these (with the other tests that take README pictures) to regenerate assets/;
on their own they keep their pictures in a temporary folder like every other browser test."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from tests.browsing import SCREENSHOTS, checked_providers, compare_and_wait, expect, needs_chromium, opened, tab

pytestmark = needs_chromium

R1 = "deepseek-ai/DeepSeek-R1"
CHAT = "meta-llama/Llama-3.1-8B-Instruct"


@contextmanager
def real_time(sim) -> Iterator[None]:
    """The simulator at the catalog's own latencies, so a picture shows real-looking figures."""
    sim.configure(time_scale=1.0)
    try:
        yield
    finally:
        sim.configure(time_scale=0.0)


def picture(locator, name: str) -> None:
    locator.page.mouse.move(0, 0)  # no hover colour on the last button pressed
    locator.screenshot(path=str(SCREENSHOTS / name))


def test_a_reasoning_model_shows_its_thinking_collapsed_above_each_answer(browser, launched_app):
    providers = ["together", "novita", "sambanova"]
    with real_time(launched_app.sim), opened(browser, f"{launched_app.url}/?task=conversational&model={R1}&providers={','.join(providers)}") as page:
        expect(checked_providers(page)).to_have_count(3, timeout=15_000)
        compare_and_wait(page, 3, timeout=90_000)
        thinking = page.locator(".card details.thinking")
        expect(thinking).to_have_count(3)
        for index in range(3):
            expect(thinking.nth(index)).not_to_have_attribute("open", "")
            expect(thinking.nth(index).locator("summary")).to_contain_text(re.compile(r"Thinking.*tokens"))
        expect(page.locator(".card .answer").first).not_to_be_empty()
        picture(page.locator(".block.panels"), "screenshot-reasoning.png")


def test_statistics_of_three_runs_per_provider(browser, launched_app):
    with real_time(launched_app.sim), opened(browser, f"{launched_app.url}/?task=conversational&model={CHAT}&runs=3") as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4, timeout=120_000)
        panel = tab(page, "Statistics")
        summary = panel.locator(".block").filter(has_text="Per provider over counted runs").first
        expect(summary.get_by_role("row")).to_have_count(5)  # the header and one row per provider
        for provider in page.locator(".card").evaluate_all("cards => cards.map(c => c.dataset.provider)"):
            row = summary.get_by_role("row").filter(has=page.get_by_role("gridcell", name=provider, exact=True))
            expect(row.get_by_role("gridcell", name="3", exact=True).first).to_be_visible()  # its runs
        expect(panel.locator("svg.marks").first).to_be_visible()
        picture(panel, "screenshot-statistics.png")


def test_history_lists_what_was_compared_with_a_leaderboard(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    prompt = f"What makes a good cup of tea? ({uuid.uuid4().hex[:6]})"
    with opened(browser, f"{launched_app.url}/?{urlencode({'task': 'conversational', 'model': CHAT, 'prompt': prompt})}") as page:
        expect(page.get_by_label("Prompt", exact=True)).to_have_value(prompt, timeout=15_000)
        expect(checked_providers(page)).to_have_count(4)
        compare_and_wait(page, 4)
        panel = tab(page, "History")
        panel.get_by_role("button", name="Refresh").click()
        expect(panel.get_by_role("gridcell", name=prompt, exact=True)).to_be_visible(timeout=15_000)
        board = panel.locator(".block").filter(has_text="Leaderboard of this model")
        expect(board.get_by_role("row")).to_have_count(5)
        picture(panel, "screenshot-history.png")


def test_a_three_turn_conversation_continues_each_providers_own_thread(browser, launched_app):
    providers, follow_ups = ["groq", "together", "cerebras"], ["How big can one get?", "Could one swallow the Earth?"]
    link = f"{launched_app.url}/?{urlencode({'task': 'conversational', 'model': 'meta-llama/Llama-3.3-70B-Instruct', 'providers': ','.join(providers), 'prompt': 'What is a black hole?'})}"
    with real_time(launched_app.sim), opened(browser, link) as page:
        expect(checked_providers(page)).to_have_count(3, timeout=15_000)
        compare_and_wait(page, 3, timeout=60_000)
        bar, line = page.locator("#followup"), page.locator(".prose.conversation-line")
        for number, message in enumerate(follow_ups, start=2):
            page.get_by_label("Next message").fill(message)
            bar.get_by_role("button", name="Send").click()
            expect(line).to_contain_text(f"{number} turns with", timeout=60_000)
            expect(page.locator(".card.state-done")).to_have_count(3, timeout=60_000)
        for provider in providers:
            card = page.locator(f'.card[data-provider="{provider}"]')
            expect(card.locator("details.thread summary")).to_contain_text("2 turn")
            expect(card.locator("> .msg.user")).to_contain_text(follow_ups[-1])
        page.mouse.move(0, 0)
        scrolled = page.evaluate("window.scrollY")  # boxes are in the viewport, a full-page clip in the page
        top, bottom = page.locator(".block.panels").bounding_box(), bar.bounding_box()
        page.screenshot(path=str(SCREENSHOTS / "screenshot-conversation.png"), full_page=True,
                        clip={"x": top["x"], "y": top["y"] + scrolled, "width": top["width"], "height": bottom["y"] + bottom["height"] - top["y"]})


def test_every_readme_picture_is_taken_by_a_test_that_exists():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("screenshots", root / "scripts" / "screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = (root / "README.md").read_text()
    shown = set(re.findall(r"assets/(screenshot[\w-]*\.png)", readme))
    others = {"screenshot-loadtest.png"}  # the load test's picture, which the Load test section keeps up to date itself
    assert shown - others == set(script.PICTURES), "the README and scripts/screenshots.py disagree"
    for test in script.PICTURES.values():
        path, name = test.split("::")
        assert f"def {name}(" in (root / path).read_text(), test
