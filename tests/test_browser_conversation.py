"""Conversations in the browser: three turns continue in every panel, each provider with its own thread."""

from __future__ import annotations

from tests.browsing import checked_providers, expect, needs_chromium, opened, screenshot

pytestmark = needs_chromium

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
PROVIDERS = ["groq", "together", "cerebras"]
FOLLOW_UPS = ["How big can one get?", "Could one swallow the Earth?"]


def test_a_three_turn_conversation_continues_in_every_panel(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0)
    link = f"{launched_app.url}/?task=conversational&model={MODEL}&providers={','.join(PROVIDERS)}&prompt=What%20is%20a%20black%20hole%3F"
    with opened(browser, link) as page:
        expect(checked_providers(page)).to_have_count(len(PROVIDERS), timeout=15_000)
        bar = page.locator("#followup")
        expect(bar).to_be_hidden()
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-done")).to_have_count(len(PROVIDERS), timeout=30_000)
        expect(bar).to_be_visible()
        expect(page.locator(".prose.conversation-line")).to_contain_text("1 turn with")
        box = page.get_by_label("Next message")
        for number, message in enumerate(FOLLOW_UPS, start=2):
            box.fill(message)
            bar.get_by_role("button", name="Send").click()
            expect(page.locator(".prose.conversation-line")).to_contain_text(f"{number} turns with", timeout=30_000)
            expect(page.locator(".card.state-done")).to_have_count(len(PROVIDERS))
            expect(box).to_have_value("")
            for provider in PROVIDERS:
                card = page.locator(f'.card[data-provider="{provider}"]')
                expect(card.locator(".answer")).to_contain_text(f"Turn {number} of our conversation")
                expect(card.locator("details.thread summary")).to_contain_text(f"{number - 1} turn")
                expect(card.locator("> .msg.user")).to_contain_text(message)
                expect(card.locator("details.thread")).not_to_have_attribute("open", "")
        card = page.locator('.card[data-provider="groq"]')
        card.locator("details.thread summary").click()
        expect(card.locator("details.thread .msg.user").first).to_contain_text("What is a black hole?")
        expect(card.locator("details.thread .msg.assistant")).to_have_count(2)
        screenshot(page, "conversation.png", full_page=True)

        bar.get_by_role("button", name="Edit last turn").click()
        expect(box).to_have_value(FOLLOW_UPS[-1])
        expect(page.locator(".prose.conversation-line")).to_contain_text("2 turns with")
        box.fill("Could one swallow the Sun?")
        bar.get_by_role("button", name="Send").click()
        expect(page.locator(".prose.conversation-line")).to_contain_text("3 turns with", timeout=30_000)
        expect(card.locator("> .msg.user")).to_contain_text("Could one swallow the Sun?")

        box.fill("a draft I have not sent")
        bar.get_by_role("button", name="Retry last turn").click()
        expect(page.locator(".card.state-done")).to_have_count(len(PROVIDERS), timeout=30_000)
        expect(page.locator(".prose.conversation-line")).to_contain_text("3 turns with")
        expect(box).to_have_value("a draft I have not sent")  # nothing typed is lost
        bar.get_by_role("button", name="Edit last turn").click()
        expect(page.locator(".toast-body")).to_contain_text("not sent")
        expect(box).to_have_value("a draft I have not sent")

        bar.get_by_role("radio", name="All continue one shared history (one provider's answers)").check()
        expect(page.locator(".prose.conversation-line")).to_contain_text("with groq's answers as the shared history")
        bar.get_by_label("Shared history: whose answers").click()
        page.get_by_role("option", name="together").click()
        expect(page.locator(".prose.conversation-line")).to_contain_text("with together's answers")
        launched_app.sim.clear_records()
        box.fill("One more thing?")
        bar.get_by_role("button", name="Send").click()
        expect(page.locator(".prose.conversation-line")).to_contain_text("4 turns with", timeout=30_000)
        sent = {r["provider"]: r["messages"] for r in launched_app.sim.records() if r.get("messages")}
        assert set(sent) == set(PROVIDERS) and len(sent["groq"]) == 7
        assert sent["groq"] == sent["together"] == sent["cerebras"]  # one shared history: together's
        bar.get_by_role("button", name="Clear conversation").click()
        expect(bar).to_be_hidden()
        expect(page.locator(".card")).to_have_count(0)
