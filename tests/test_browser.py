"""The UI in a real browser (Debian's Chromium through Playwright), on the simulator. Retrying assertions only."""

from __future__ import annotations

import re
import uuid

from tests.browsing import assert_legible, checked_providers, eventually, expect, needs_chromium, opened, screenshot

pytestmark = needs_chromium


def test_chat_comparison_streams_into_panels(page, launched_app):
    launched_app.sim.configure(time_scale=1.0)  # the catalog's own latencies: the README's screenshot shows real-looking numbers
    expect(page.get_by_text("Demo mode")).to_be_visible()
    expect(page.locator(".setup").get_by_role("checkbox").first).to_be_checked(timeout=15_000)
    page.get_by_role("button", name="Compare").click()
    cards = page.locator(".card")
    expect(cards).to_have_count(4, timeout=15_000)
    expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
    expect(page.get_by_text("Finished in")).to_be_visible()
    expect(cards.first.locator(".answer")).not_to_be_empty()
    assert_legible(page)
    screenshot(page, "screenshot.png", full_page=True)


def test_failing_provider_shows_its_error_and_the_others_finish(page, launched_app):
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


def test_deep_link_opens_the_app_preset(browser, launched_app):
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


def test_mobile_width_compares_and_stays_legible(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(launched_app.url)
    expect(page.locator(".setup").get_by_role("checkbox").first).to_be_checked(timeout=15_000)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
    screenshot(page, "screenshot-mobile.png")
    context.close()


def test_image_comparison_shows_each_providers_image_at_one_size(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    providers = ["fal-ai", "replicate", "together"]
    link = f"{launched_app.url}/?task=text-to-image&model=black-forest-labs/FLUX.1-dev&providers={','.join(providers)}"
    with opened(browser, link) as page:
        setup = page.locator(".setup")
        expect(setup.get_by_role("combobox", name="Task")).to_have_value("Text to image", timeout=15_000)
        expect(setup.get_by_role("combobox", name="Model")).to_have_value("black-forest-labs/FLUX.1-dev")
        expect(checked_providers(page)).to_have_count(3)
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-done")).to_have_count(3, timeout=30_000)
        for provider in providers:
            card = page.locator(f'.card[data-provider="{provider}"]')
            image = card.locator("img.media")
            expect(image).to_be_visible()
            expect(image).to_have_js_property("naturalWidth", 1024)  # loaded from the app, at the size asked for
            expect(card.locator(".caption")).to_contain_text(re.compile(r"\b1024×1024\b"))
            expect(card.get_by_role("link", name="download")).to_be_visible()
        sizes = {re.search(r"\d+×\d+", text).group(0) for text in page.locator(".card .caption").all_inner_texts()}
        assert sizes == {"1024×1024"}
        tops = {round(box["y"]) for box in (page.locator(f'.card[data-provider="{p}"]').bounding_box() for p in providers)}
        assert len(tops) == 1, "the three images are not side by side at 1440 px"
        assert_legible(page)
        screenshot(page, "screenshot-images.png", full_page=True)


def test_history_lists_a_comparison_and_shows_it_again(browser, launched_app):
    from playground.ui import views

    launched_app.sim.configure(time_scale=0.0)
    prompt = f"Why is the sea salty? (history check {uuid.uuid4().hex[:8]})"
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        page.get_by_label("Prompt", exact=True).fill(prompt)
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
        answers = page.locator(".card .answer").all_inner_texts()
        saved = next(row for row in launched_app.playground.history.list() if row["prompt"] == prompt)

        page.reload()  # a new session: nothing on screen
        expect(page.locator(".empty")).to_be_visible(timeout=15_000)
        page.get_by_role("tab", name="History").click()
        page.get_by_role("button", name="Refresh").click()
        expect(page.get_by_role("tabpanel").get_by_text(prompt).filter(visible=True)).to_be_visible(timeout=15_000)  # the cell, not its hidden twin
        page.get_by_role("combobox", name="Comparison").click()
        page.get_by_role("option", name=views.history_label(saved), exact=True).click()
        expect(page.get_by_role("combobox", name="Comparison")).to_have_value(views.history_label(saved))
        page.get_by_role("button", name="Show it").click()
        expect(page.locator(".block.status")).to_contain_text("Saved comparison of", timeout=15_000)
        expect(page.locator(".card.state-done")).to_have_count(4)
        expect(page.locator(".card .answer")).to_have_text(answers)
        expect(page.locator(".prose.conversation-line")).to_contain_text("1 turn with")  # and Send goes on with it


def test_stop_cancels_the_calls_and_the_next_comparison_runs(browser, launched_app):
    sim, model = launched_app.sim, "deepseek-ai/DeepSeek-V3"
    sim.configure(
        time_scale=1.0,
        profiles={f"together:{model}": {"ttft_s": 0.05, "tokens_per_s": 4.0}, f"novita:{model}": {"ttft_s": 60.0}},
    )
    try:
        link = f"{launched_app.url}/?task=conversational&model={model}&providers=together,novita&__theme=dark"
        with opened(browser, link, color_scheme="dark") as page:
            expect(checked_providers(page)).to_have_count(2, timeout=15_000)
            sim.clear_records()
            page.get_by_role("button", name="Compare").click()
            streaming = page.locator('.card.state-streaming[data-provider="together"]')
            expect(streaming.locator(".answer")).not_to_be_empty(timeout=15_000)
            expect(page.locator('.card[data-provider="novita"]')).to_contain_text("waiting for the first token")
            assert_legible(page)  # the badges of calls still running, in dark mode
            page.get_by_role("button", name="Stop").click()

            expect(page.locator(".card.state-cancelled")).to_have_count(2, timeout=15_000)
            expect(page.locator(".card .badge.state")).to_have_text(["stopped", "stopped"])
            expect(page.locator(".block.status")).to_contain_text("Stopped: 0 of 2 calls had finished")
            expect(page.locator('.card[data-provider="together"] .answer')).not_to_be_empty()  # what came before Stop stays
            assert_legible(page)
            # The app hung up on the provider that was streaming (the simulator notices at its next chunk; a call
            # still waiting for its first byte is only noticed when that byte is due, so it is not waited for here).
            streamed = lambda: [r for r in sim.records() if r.get("provider") == "together" and r["finished_at"]]  # noqa: E731
            eventually(lambda: bool(streamed()))
            assert streamed()[0]["status"] == 499, "the streaming call was not closed by the app"

            sim.configure(time_scale=0.0)
            page.get_by_role("button", name="Compare").click()
            expect(page.locator(".card.state-done")).to_have_count(2, timeout=30_000)
            expect(page.locator(".block.status")).to_contain_text("Finished")
    finally:
        sim.configure(time_scale=0.0)


def test_keyboard_alone_picks_providers_and_starts_a_comparison(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url) as page:
        boxes = page.locator(".setup").get_by_role("checkbox")
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        preference = page.get_by_label("Your provider preference (comma-separated, Enter to apply)")
        preference.focus()
        page.keyboard.press("Tab")
        expect(boxes.first).to_be_focused()
        expect(boxes.first.locator("xpath=ancestor::label[1]")).to_have_css("outline-style", "solid")  # focus is visible
        page.keyboard.press("Space")  # untick the first provider
        expect(boxes.first).not_to_be_checked()
        expect(checked_providers(page)).to_have_count(3)

        prompt = page.get_by_label("Prompt", exact=True)
        prompt.focus()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type("Name three blue things.")
        compare = page.get_by_role("button", name="Compare")
        for _ in range(8):  # the hidden inputs of other tasks are skipped; the Parameters accordion is on the way
            page.keyboard.press("Tab")
            if compare.evaluate("button => button === document.activeElement"):
                break
        expect(compare).to_be_focused()
        expect(compare).to_have_css("outline-style", "solid")
        page.keyboard.press("Enter")
        expect(page.locator(".card")).to_have_count(3, timeout=15_000)
        expect(page.locator(".card.state-done")).to_have_count(3, timeout=30_000)


def test_dark_mode_keeps_text_badges_and_errors_legible(browser, launched_app):
    sim = launched_app.sim
    sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?__theme=dark", color_scheme="dark") as page:
        expect(page.locator("body")).to_have_class(re.compile(r"\bdark\b"))
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        expect(page.locator(".empty")).to_be_visible()
        assert_legible(page)
        sim.add_fault(provider=None, kind="http", status=402, times=1)
        try:
            page.get_by_role("button", name="Compare").click()
            expect(page.locator(".card.state-done")).to_have_count(3, timeout=30_000)
            expect(page.locator(".card.state-error .error")).to_contain_text("credits exhausted")
        finally:
            sim.clear_faults()
        expect(page.locator(".card.state-error .error .fix")).to_be_visible()
        assert_legible(page)
        screenshot(page, "screenshot-dark.png", full_page=True)


def test_classification_shows_label_bars(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=text-classification&__theme=dark", color_scheme="dark") as page:
        expect(page.locator(".setup").get_by_role("combobox", name="Task")).to_have_value("Text classification", timeout=15_000)
        expect(checked_providers(page)).not_to_have_count(0)
        page.get_by_label("Text to classify").fill("What a wonderful, moving film.")
        page.get_by_role("button", name="Compare").click()
        card = page.locator(".card.state-done").first
        expect(card).to_be_visible(timeout=30_000)
        bars = card.locator(".bars .bar")
        expect(bars.first.locator("span")).to_have_text(re.compile(r"\S"))
        expect(bars.first.locator("b")).to_have_text(re.compile(r"^[01]\.\d{3}$"))
        assert bars.count() >= 2
        widths = [bar.locator("i").evaluate("i => i.getBoundingClientRect().width") for bar in bars.all()]
        assert widths[0] > 0 and widths == sorted(widths, reverse=True), widths  # best first, bar length follows the score
        assert_legible(page)
