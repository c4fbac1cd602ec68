"""Issue 14: features as a person uses them, in Chromium on the simulator. One test per finding, retrying expect()."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browsing import checked_providers, compare_and_wait, needs_chromium, opened, screenshot, tab, upload_picture

pytestmark = needs_chromium

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHAT_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
FREE_MODEL = "mistralai/Mistral-7B-Instruct-v0.3"  # deepinfra: is_free with a listed price
OVERLAY = "[data-testid=status-tracker] .error"  # Gradio's red "Error" over a component
TOAST = "[data-testid=toast-body]"


def test_1_history_exports_reach_the_person_as_files(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url, accept_downloads=True) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4)
        panel = tab(page, "History")
        panel.get_by_role("button", name="Refresh").click()
        for button, suffix in (("Export it (CSV)", ".csv"), ("Export all (CSV)", ".csv"), ("Export all (JSON)", ".json")):
            panel.get_by_role("button", name=button).click()
            row = panel.get_by_role("row").filter(has_text=re.compile(r"playground-history-[\w-]+\s*" + re.escape(suffix)))
            expect(row).to_have_count(1, timeout=15_000)
            expect(page.locator(OVERLAY)).to_have_count(0)
            with page.expect_download() as download:
                row.locator("a").first.click()
            assert download.value.suggested_filename.endswith(suffix)
            assert Path(download.value.path()).read_text().strip(), f"{button}: an empty file"


def test_2_stop_keeps_finished_work_in_panels_table_and_history(browser, launched_app):
    sim, model = launched_app.sim, "deepseek-ai/DeepSeek-V3"
    sim.configure(time_scale=1.0, profiles={f"together:{model}": {"ttft_s": 0.01, "tokens_per_s": 2000.0}, f"novita:{model}": {"ttft_s": 60.0}})
    prompt = f"Stop check {uuid.uuid4().hex[:8]}"
    try:
        with opened(browser, f"{launched_app.url}/?task=conversational&model={model}&providers=together,novita") as page:
            expect(checked_providers(page)).to_have_count(2, timeout=15_000)
            page.get_by_label("Prompt", exact=True).fill(prompt)
            page.get_by_role("button", name="Compare").click()
            expect(page.locator('.card.state-done[data-provider="together"]')).to_be_visible(timeout=15_000)
            page.get_by_role("button", name="Stop").click()
            expect(page.locator(".block.status")).to_contain_text("Stopped: 1 of 2 calls had finished", timeout=15_000)
            expect(page.locator('.card.state-done[data-provider="together"] .answer')).not_to_be_empty()
            table = tab(page, "Table")
            expect(table.get_by_role("gridcell", name="together", exact=True)).to_be_visible(timeout=15_000)
            expect(table.get_by_role("gridcell", name="stopped", exact=True)).to_be_visible()
            from tests.browsing import eventually

            eventually(lambda: any(row["prompt"] == prompt for row in launched_app.playground.history.list()))
            panel = tab(page, "History")
            expect(panel.get_by_role("gridcell", name=prompt, exact=True)).to_be_visible(timeout=15_000)
    finally:
        sim.configure(time_scale=0.0)


def test_2_stop_after_some_runs_shows_the_last_finished_run(browser, launched_app):
    sim, model = launched_app.sim, "deepseek-ai/DeepSeek-V3"
    sim.configure(time_scale=1.0, profiles={f"together:{model}": {"ttft_s": 0.01, "tokens_per_s": 2000.0}, f"novita:{model}": {"ttft_s": 60.0}})
    try:
        with opened(browser, f"{launched_app.url}/?task=conversational&model={model}&providers=together") as page:
            expect(checked_providers(page)).to_have_count(1, timeout=15_000)
            page.get_by_text("Parameters", exact=True).click()
            page.get_by_label("runs (each a full fan-out)").fill("3")
            page.get_by_label("novita").check()  # run 1 waits for novita: together's later runs never start
            page.get_by_role("button", name="Compare").click()
            expect(page.locator('.card.state-done[data-provider="together"]')).to_be_visible(timeout=15_000)
            page.get_by_role("button", name="Stop").click()
            expect(page.locator(".block.status")).to_contain_text("Stopped: 1 of 6 calls had finished", timeout=15_000)
            expect(page.locator('.card[data-provider="together"]')).to_have_class(re.compile(r"state-done"))
            expect(page.locator('.card[data-provider="together"] .answer')).not_to_be_empty()
    finally:
        sim.configure(time_scale=0.0)


@pytest.mark.parametrize("link", ["/?model=foo/bar", "/?task=nonsense&model=foo/bar&providers=nobody"])
def test_3_a_bad_deep_link_gives_one_message_and_a_working_page(browser, launched_app, link):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url + link) as page:
        expect(page.locator(TOAST).filter(has_text="foo/bar")).to_be_visible(timeout=15_000)
        expect(page.locator(OVERLAY)).to_have_count(0)
        setup = page.locator(".setup")
        setup.get_by_role("combobox", name="Task").click()
        page.get_by_role("option", name="Text classification").click()
        expect(setup.get_by_role("combobox", name="Model")).not_to_have_value("foo/bar", timeout=15_000)
        expect(checked_providers(page)).not_to_have_count(0)
        expect(page.locator(OVERLAY)).to_have_count(0)
        expect(page.locator(TOAST).filter(has_text="AttributeError")).to_have_count(0)
        compare_and_wait(page, checked_providers(page).count())


def test_3_typing_an_unknown_model_says_so_and_keeps_the_page_working(browser, launched_app):
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        model = page.locator(".setup").get_by_role("combobox", name="Model")
        model.fill("nobody/nothing")
        model.press("Enter")
        expect(page.locator(TOAST).filter(has_text="nobody/nothing")).to_be_visible(timeout=15_000)
        expect(page.locator(OVERLAY)).to_have_count(0)
        expect(page.locator(".setup").get_by_text(re.compile("No provider serves nobody/nothing"))).to_be_visible()


def test_5_a_free_offer_reads_the_same_in_the_list_the_estimate_and_its_panel(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=conversational&model={FREE_MODEL}&providers=deepinfra,together") as page:
        expect(checked_providers(page)).to_have_count(2, timeout=15_000)
        expect(page.locator(".setup label").filter(has_text="deepinfra")).to_contain_text("free now")
        estimate = page.locator(".block.estimate")
        expect(estimate).to_contain_text("Free now", timeout=15_000)
        worst = float(re.search(r"up to \$([\d.]+)", estimate.inner_text()).group(1))
        compare_and_wait(page, 2)
        expect(page.locator('.card[data-provider="deepinfra"] .metric').filter(has_text="Cost")).to_contain_text("$0")
        costs = [float(t.split("$")[1]) for t in page.locator(".card .metric").filter(has_text="Cost").all_inner_texts()]
        assert sum(costs) <= worst, (costs, worst)


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(pixel[:3], colour))


def test_6_the_latency_chart_draws_time_to_first_token_at_the_bottom_as_its_caption_says(browser, launched_app, tmp_path):
    from PIL import Image

    from playground.ui.views import PHASE_COLOURS, REST_PHASE, TTFT_PHASE

    launched_app.sim.configure(time_scale=1.0)  # real-looking latencies: both phases have a visible height
    try:
        with opened(browser, f"{launched_app.url}/?task=conversational&model={CHAT_MODEL}&providers=groq,novita") as page:
            expect(checked_providers(page)).to_have_count(2, timeout=15_000)
            compare_and_wait(page, 2, timeout=60_000)
            panel = tab(page, "Latency chart")
            expect(panel.get_by_text("the lower part is the time to first token", exact=False)).to_be_visible()
            canvas = panel.locator("canvas, svg.marks").first
            expect(canvas).to_be_visible()
            canvas.screenshot(path=str(tmp_path / "chart.png"))
    finally:
        launched_app.sim.configure(time_scale=0.0)
    picture = Image.open(tmp_path / "chart.png").convert("RGB")
    ttft, rest = (tuple(int(PHASE_COLOURS[p][i : i + 2], 16) for i in (1, 3, 5)) for p in (TTFT_PHASE, REST_PHASE))
    pixels, (width, height) = picture.load(), picture.size
    bottoms = []
    for x in range(width):
        coloured = [_near(pixels[x, y], ttft) or _near(pixels[x, y], rest) for y in range(height)]
        if True not in coloured:
            continue
        column, gap = [], 0
        for y in range(coloured.index(True), height):  # one bar, down to the axis (a 1-2 px seam between its phases), not the legend
            gap = 0 if coloured[y] else gap + 1
            if gap > 3:
                break
            if coloured[y]:
                column.append(y)
        tops = {_near(pixels[x, y], ttft) for y in column}
        if len(tops) == 2:  # a bar with both phases in this column: which one touches the axis
            bottoms.append(_near(pixels[x, max(column)], ttft))
    assert bottoms and all(bottoms), f"{len(bottoms)} columns, TTFT at the bottom in {sum(bottoms)}"


def test_7_the_leaderboard_shows_dates_and_unrounded_costs(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4)
        panel = tab(page, "History")
        panel.get_by_role("button", name="Refresh").click()
        board = panel.locator(".block").filter(has_text="Leaderboard of this model")
        expect(board.get_by_role("columnheader", name=re.compile("Last run"))).to_be_visible(timeout=15_000)
        expect(board.get_by_role("gridcell", name=re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")).first).to_be_visible()
        expect(board.get_by_role("gridcell", name=re.compile(r"^\$0\.0*[1-9]")).first).to_be_visible()  # a billed cost, not 0


def test_8_statistics_headers_are_readable_and_other_tasks_say_why_nothing_is_advertised(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4)
        panel = tab(page, "Statistics")
        expect(panel.get_by_role("columnheader", name="TTFT ms (advertised)")).to_be_visible()
        expect(panel.get_by_role("columnheader", name=re.compile("_"))).to_have_count(0)
    with opened(browser, f"{launched_app.url}/?task=text-classification") as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        compare_and_wait(page, checked_providers(page).count())
        panel = tab(page, "Statistics")
        expect(panel.get_by_text(re.compile("advertises time to first token and throughput for chat models only"))).to_be_visible()


def test_9_the_table_names_the_warmup_and_reads_like_the_panels(browser, launched_app):
    sim = launched_app.sim
    sim.configure(time_scale=0.0)
    link = f"{launched_app.url}/?task=text-to-image&model=black-forest-labs/FLUX.1-dev&providers=fal-ai,replicate"
    with opened(browser, link) as page:
        expect(checked_providers(page)).to_have_count(2, timeout=15_000)
        page.get_by_text("Parameters", exact=True).click()
        page.get_by_label("one uncounted warm-up run first").check()
        sim.add_fault(provider="replicate", kind="http", status=500)
        try:
            page.get_by_role("button", name="Compare").click()
            expect(page.locator(".block.status")).to_contain_text("Finished", timeout=30_000)
        finally:
            sim.clear_faults()
        expect(page.locator('.card[data-provider="replicate"] .badge.state')).to_have_text("failed")
        table = tab(page, "Table")
        expect(table.get_by_role("gridcell", name="warm-up (not counted)", exact=True).first).to_be_visible()
        expect(table.get_by_role("gridcell", name="failed", exact=True).first).to_be_visible()
        expect(table.get_by_role("gridcell", name="false", exact=True)).to_have_count(0)
        expect(table.get_by_role("gridcell", name="error", exact=True)).to_have_count(0)


def test_10_searching_for_no_model_says_so(browser, launched_app):
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        search = page.get_by_label("Search models")
        search.fill("zzzz-no-such-model")
        search.press("Enter")
        expect(page.locator(".setup").get_by_text(re.compile("No model matches “zzzz-no-such-model”"))).to_be_visible(timeout=15_000)
        expect(page.locator(".setup").get_by_text("try another task")).to_have_count(0)


def test_11_a_heading_in_an_answer_is_not_page_title_size(browser, launched_app):
    from playground.model import Comparison, Result
    from playground.ui import views

    answer = Result("groq", CHAT_MODEL, "conversational", state="done", ok=True, text="# A heading in the answer\n\nThe answer's text.")
    saved = Comparison("conversational", CHAT_MODEL, {}, prompt=f"Heading check {uuid.uuid4().hex[:8]}", results=[answer])
    launched_app.playground.history.save(saved)
    row = next(r for r in launched_app.playground.history.list() if r["id"] == saved.id)
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        panel = tab(page, "History")
        panel.get_by_role("button", name="Refresh").click()
        page.get_by_role("combobox", name="Comparison").click()
        page.get_by_role("option", name=views.history_label(row), exact=True).click()
        panel.get_by_role("button", name="Show it").click()
        heading = page.locator(".card .answer h1")
        expect(heading).to_have_text("A heading in the answer", timeout=15_000)
        size = lambda el: float(el.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))  # noqa: E731
        text, title = size(page.locator(".card .answer p").first), size(page.locator("h1").first)
        assert size(heading) <= 1.25 * text < title, (size(heading), text, title)


def test_12_object_detection_draws_the_boxes_on_the_image(browser, launched_app, tmp_path):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=object-detection") as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        expect(page.locator("[data-testid=image]")).to_be_visible()
        upload_picture(page, tmp_path)
        compare_and_wait(page, checked_providers(page).count())
        card = page.locator(".card.state-done").first
        expect(card.locator("img.media.boxed")).to_be_visible()
        expect(card.locator("img.media.boxed")).to_have_js_property("naturalWidth", 640)
        expect(card.locator(".boxes li").first).to_contain_text("%")
        expect(card).not_to_contain_text("xmin")
        screenshot(page, "object-detection.png", full_page=True)


def test_13_a_stream_that_fails_midway_keeps_its_text(browser, launched_app):
    sim = launched_app.sim
    sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=conversational&model={CHAT_MODEL}&providers=groq,cerebras") as page:
        expect(checked_providers(page)).to_have_count(2, timeout=15_000)
        sim.add_fault(provider="groq", kind="stream_error", after_chunks=3)
        try:
            page.get_by_role("button", name="Compare").click()
            failed = page.locator('.card.state-error[data-provider="groq"]')
            expect(failed).to_be_visible(timeout=30_000)
        finally:
            sim.clear_faults()
        expect(failed.locator(".error")).to_be_visible()
        expect(failed.locator(".answer")).not_to_be_empty()


def test_14_snippets_in_demo_mode_say_what_to_set_and_run_without_a_key(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4)
        panel = tab(page, "Reproduce")
        expect(panel.locator(".cm-content")).to_contain_text('os.environ.setdefault("HF_TOKEN", "demo")')
        expect(panel.locator(".cm-content")).to_contain_text("takes any key")


def test_15_images_say_why_there_is_no_price(browser, launched_app):
    with opened(browser, f"{launched_app.url}/?task=text-to-image&model=black-forest-labs/FLUX.1-dev&providers=fal-ai") as page:
        expect(checked_providers(page)).to_have_count(1, timeout=15_000)
        expect(page.locator(".block.estimate")).to_contain_text("for chat models only", timeout=15_000)


def test_16_a_link_carries_the_prompt_and_parameters(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    link = f"{launched_app.url}/?task=conversational&model={CHAT_MODEL}&providers=groq&prompt=Name%20a%20colour.&max_tokens=77&temperature=0&seed=5"
    with opened(browser, link) as page:
        expect(checked_providers(page)).to_have_count(1, timeout=15_000)
        expect(page.get_by_label("Prompt", exact=True)).to_have_value("Name a colour.")
        page.get_by_text("Parameters", exact=True).click()
        expect(page.get_by_label("seed (empty: none; set with temperature 0 to compare answers)")).to_have_value("5")
        expect(page.locator("input[aria-label='number input for max_tokens']")).to_have_value("77")
        page.get_by_role("button", name="Copy link").click()
        shared = page.locator(".share-link input, .share-link textarea")
        expect(shared).to_have_value(re.compile(r"prompt=Name(\+|%20)a(\+|%20)colour\."))
        expect(shared).to_have_value(re.compile(r"max_tokens=77"))


def test_16_show_it_restores_the_controls_of_the_saved_comparison(browser, launched_app):
    from playground.ui import views

    launched_app.sim.configure(time_scale=0.0)
    prompt = f"Restore check {uuid.uuid4().hex[:8]}"
    with opened(browser, f"{launched_app.url}/?task=conversational&model={CHAT_MODEL}&providers=groq,novita") as page:
        expect(checked_providers(page)).to_have_count(2, timeout=15_000)
        page.get_by_label("Prompt", exact=True).fill(prompt)
        compare_and_wait(page, 2)
        saved = next(row for row in launched_app.playground.history.list() if row["prompt"] == prompt)
        page.get_by_label("Prompt", exact=True).fill("something else")
        panel = tab(page, "History")
        panel.get_by_role("button", name="Refresh").click()
        page.get_by_role("combobox", name="Comparison").click()
        page.get_by_role("option", name=views.history_label(saved), exact=True).click()
        panel.get_by_role("button", name="Show it").click()
        expect(page.get_by_label("Prompt", exact=True)).to_have_value(prompt, timeout=15_000)
        expect(checked_providers(page)).to_have_count(2)


def test_17_at_390px_the_setup_comes_before_the_results(browser, launched_app):
    with opened(browser, launched_app.url, width=390, height=844, is_mobile=True) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        top = lambda locator: locator.bounding_box()["y"]  # noqa: E731
        task = page.locator(".setup").get_by_role("combobox", name="Task")
        assert top(task) < top(page.get_by_role("button", name="Compare")) < top(page.locator(".block.panels"))
        assert top(checked_providers(page).first) < top(page.locator(".block.panels"))


def test_11_the_live_banner_says_where_calls_go(tmp_path):
    """Live mode needs the real Hub, so the banner's text is checked where it is made."""
    from playground.service import Playground
    from playground.settings import Settings
    from playground.ui.header import mode_banner

    banner = mode_banner(Playground(Settings(data_dir=tmp_path)))
    assert "<b>Live:</b> calls go to the real providers." in banner and "live." not in banner
