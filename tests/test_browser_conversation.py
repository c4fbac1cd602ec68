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


def test_an_image_attached_in_chat_goes_to_a_vision_model_and_a_text_only_provider_says_why(browser, launched_app, tmp_path):
    from PIL import Image

    picture, second = tmp_path / "sky.png", tmp_path / "sea.png"
    Image.new("RGB", (40, 30), (90, 150, 230)).save(picture)
    Image.new("RGB", (20, 10), (10, 60, 120)).save(second)
    launched_app.sim.configure(time_scale=0.0)
    providers = ["nebius", "featherless-ai"]
    link = f"{launched_app.url}/?task=conversational&model=google/gemma-3-27b-it&providers={','.join(providers)}&prompt=What%20is%20this%3F"
    with opened(browser, link) as page:
        expect(checked_providers(page)).to_have_count(len(providers), timeout=15_000)
        page.get_by_role("combobox", name="Model").click()
        expect(page.get_by_role("option", name="google/gemma-3-27b-it · vision (image + text)")).to_be_visible()
        page.keyboard.press("Escape")
        page.locator("#main-row input[type=file]").first.set_input_files(str(picture))
        expect(page.locator("#main-row img").first).to_be_visible(timeout=10_000)
        page.get_by_role("button", name="Compare").click()
        nebius, text_only = (page.locator(f'.card[data-provider="{p}"]') for p in providers)
        expect(nebius.locator(".answer")).to_contain_text("40×30 png", timeout=30_000)
        expect(text_only.locator(".error")).to_contain_text("does not support image inputs")
        bar = page.locator("#followup")
        page.get_by_label("Next message").fill("And this one?")
        bar.locator("input[type=file]").set_input_files(str(second))
        expect(bar.locator("img")).to_be_visible(timeout=10_000)
        bar.get_by_role("button", name="Send").click()
        expect(page.locator(".prose.conversation-line")).to_contain_text("2 turns with", timeout=30_000)
        expect(nebius.locator(".answer")).to_contain_text("20×10 png")
        expect(nebius.locator("details.thread .msg.user")).to_contain_text("[1 image]")
        expect(bar.locator("img")).to_have_count(0)  # sent: the box is ready for the next one
        screenshot(page, "chat-image.png", full_page=True)
