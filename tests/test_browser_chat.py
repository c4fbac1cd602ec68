"""Reasoning models in the browser: thinking collapsed with its length and duration, both first-token times."""

from __future__ import annotations

from tests.browsing import checked_providers, expect, needs_chromium, opened, screenshot

pytestmark = needs_chromium

R1_PROVIDERS = ["together", "fireworks-ai", "novita", "sambanova"]


def test_a_deepseek_r1_comparison_shows_thinking_collapsed_and_both_times(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    link = f"{launched_app.url}/?task=conversational&model=deepseek-ai/DeepSeek-R1&providers={','.join(R1_PROVIDERS)}"
    with opened(browser, link) as page:
        expect(checked_providers(page)).to_have_count(len(R1_PROVIDERS), timeout=15_000)
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-done")).to_have_count(len(R1_PROVIDERS), timeout=30_000)
        for provider in R1_PROVIDERS:
            card = page.locator(f'.card[data-provider="{provider}"]')
            thinking = card.locator("details.thinking")
            expect(thinking).to_have_count(1)
            expect(thinking).not_to_have_attribute("open", "")
            expect(thinking.locator("summary")).to_contain_text("Thinking")
            expect(thinking.locator("summary")).to_contain_text(" tokens")
            expect(thinking.locator("summary")).to_contain_text(" s")
            expect(thinking.locator(".reasoning")).to_be_hidden()
            expect(card.locator(".metrics")).to_contain_text("TTFT")
            expect(card.locator(".metrics")).to_contain_text("Answer")
            expect(card.locator(".answer")).not_to_contain_text("<think>")
        first = page.locator(f'.card[data-provider="{R1_PROVIDERS[0]}"] details.thinking')
        first.locator("summary").click()
        expect(first.locator(".reasoning")).to_be_visible()
        expect(first.locator(".reasoning")).to_contain_text("the sky is blue")
        screenshot(page, "reasoning.png", full_page=True)
