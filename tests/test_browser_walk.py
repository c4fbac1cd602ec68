"""Issue 14, the walk-through: defects found by using every task and tab as a person would, one test each."""

from __future__ import annotations

import re

import pytest

from tests.browsing import checked_providers, compare_and_wait, needs_chromium, opened, tab, upload_picture

pytestmark = needs_chromium

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

TOAST = "[data-testid=toast-body]"
# Each label of a chart's x axis as the rectangle it really covers on screen (rotated labels included), and
# whether any two of them intersect (separating axis test on the two rectangles' edges).
LABELS_OVERLAP_JS = r"""(svg) => {
  const boxes = [...svg.querySelectorAll('.role-axis[aria-label^="X-axis"] .role-axis-label text')].filter(t => t.textContent.trim()).map(t => {
    const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  });
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % 4], axis = [a[1] - b[1], b[0] - a[0]];
    const span = (r) => r.map(([x, y]) => x * axis[0] + y * axis[1]);
    const [s, t] = [span(p), span(q)];
    return Math.max(...s) <= Math.min(...t) || Math.max(...t) <= Math.min(...s);
  }));
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (!apart(boxes[i], boxes[j])) hits.push([i, j]);
  return {labels: boxes.length, hits};
}"""


def test_sentence_similarity_compares_the_sentences_typed_not_a_hidden_boxs_example(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=sentence-similarity") as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        page.get_by_label("Sentences to compare (one per line)").fill("A kitten naps on a carpet.\nThe stock market fell today.")
        compare_and_wait(page, checked_providers(page).count())
        card = page.locator(".card.state-done").first
        expect(card).to_contain_text("A kitten naps on a carpet.")
        expect(card).to_contain_text("The stock market fell today.")
        expect(card).not_to_contain_text("positive")  # the zero-shot labels' example, in a box this task hides


def test_one_shot_tasks_show_only_the_columns_and_phases_they_measure(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=text-to-speech") as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        compare_and_wait(page, checked_providers(page).count())
        caption = page.locator(".waterfall-caption")
        expect(caption).to_contain_text("Request → result")
        expect(caption).not_to_contain_text("First token")  # no such bar on these panels
        table = tab(page, "Table")
        expect(table.get_by_role("columnheader", name=re.compile("Latency"))).to_be_visible()
        for chat_only in ("Answer TTFT", "Thinking tokens"):
            expect(table.get_by_role("columnheader", name=re.compile(chat_only))).to_have_count(0)


@pytest.mark.parametrize("chart", ["Latency chart", "Statistics"])
def test_at_390px_the_provider_names_under_a_chart_do_not_run_into_each_other(browser, launched_app, chart):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url, width=390, height=844, is_mobile=True) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4)
        svg = tab(page, chart).locator("svg.marks").first
        expect(svg.locator(".role-axis-label text").filter(has_text="featherless-ai")).to_be_attached(timeout=15_000)
        found = svg.evaluate(LABELS_OVERLAP_JS)
        assert found["labels"] >= 4 and not found["hits"], found


def test_segmentation_lays_its_masks_over_the_picture_with_a_colour_key(browser, launched_app, tmp_path):

    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=image-segmentation") as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        upload_picture(page, tmp_path)
        compare_and_wait(page, checked_providers(page).count())
        card = page.locator(".card.state-done").first
        shown = card.locator("img.media.mask")
        expect(shown).to_have_js_property("naturalWidth", 640)
        corner = shown.evaluate("img => { const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;"
                                " const g = c.getContext('2d'); g.drawImage(img, 0, 0); return [...g.getImageData(0, 0, 1, 1).data]; }")
        assert corner == [120, 160, 200, 255], f"the picture is not under the masks: {corner}"
        keys = card.locator(".masks li")
        expect(keys.first.locator(".swatch")).to_be_visible()
        expect(keys.first).to_contain_text("of the image")


def test_identical_answers_are_said_to_agree_not_shown_as_least_alike(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, launched_app.url) as page:
        expect(checked_providers(page)).to_have_count(4, timeout=15_000)
        compare_and_wait(page, 4)
        texts = page.locator(".card .answer").all_inner_texts()
        assert len(set(texts)) == 1, "the simulator's answers differ: this test needs identical ones"
        panel = tab(page, "Agreement")
        expect(panel.get_by_text("All 4 answers are the same, word for word.")).to_be_visible(timeout=15_000)
        expect(panel.get_by_text("Least alike")).to_have_count(0)


def test_at_390px_long_labels_wrap_instead_of_being_cut_off(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    sentences = ["A kitten naps on a warm carpet by the window.", "The stock market fell sharply today."]
    with opened(browser, f"{launched_app.url}/?task=sentence-similarity", width=390, height=844, is_mobile=True) as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        page.get_by_label("Sentences to compare (one per line)").fill("\n".join(sentences))
        compare_and_wait(page, checked_providers(page).count())
        labels = page.locator(".card .bars .bar span")
        expect(labels).to_have_count(2)
        for index in range(2):
            label = labels.nth(index)
            assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), f"cut off: {label.inner_text()}"
            assert label.inner_text() in sentences


def test_a_videos_caption_gives_its_duration_as_the_table_does(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=text-to-video") as page:
        expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
        compare_and_wait(page, checked_providers(page).count(), timeout=60_000)
        caption = page.locator(".card.state-done").first.locator("video + .caption")
        expect(caption).to_have_text(re.compile(r"^\d+\.\d s · mp4 · "))
        seconds = caption.inner_text().split(" s")[0]
        expect(tab(page, "Table").get_by_role("gridcell", name=re.compile(rf"mp4 .*, {re.escape(seconds)} s")).first).to_be_visible()
