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


def test_reasoning_effort_from_the_parameters_reaches_the_provider(browser, launched_app):
    import re

    launched_app.sim.configure(time_scale=0.0)
    with opened(browser, f"{launched_app.url}/?task=conversational&model=deepseek-ai/DeepSeek-R1&providers=together&max_tokens=2000") as page:
        expect(checked_providers(page)).to_have_count(1, timeout=15_000)
        summary = page.locator('.card[data-provider="together"] details.thinking summary')

        def thinking_tokens(than: int | None = None) -> int:
            page.get_by_role("button", name="Compare").click()
            expect(page.locator(".card.state-done")).to_have_count(1, timeout=30_000)
            expect(summary).to_contain_text(" tokens")
            if than is not None:  # the new comparison's panel, not the last one's
                expect(summary).not_to_contain_text(f" {than} tokens", timeout=15_000)
            found = re.search(r"(\d+) tokens", summary.inner_text())
            assert found
            return int(found.group(1))

        default = thinking_tokens()
        page.get_by_text("Parameters", exact=True).click()
        page.get_by_role("radio", name="low").check()
        low = thinking_tokens(than=default)
        assert low < default, (low, default)
