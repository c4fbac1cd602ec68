"""A public Space attacked from the browser (Space mode, on the simulator): other visitors' history, deep-link
markup, remote images in answers. Retrying assertions only."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from tests.apps import VISITOR_KEY
from tests.browsing import checked_providers, expect, needs_chromium, opened

pytestmark = needs_chromium


def _compare(page, prompt: str) -> None:
    expect(checked_providers(page)).not_to_have_count(0, timeout=15_000)
    page.get_by_text("Keys (optional)").click()
    page.get_by_label("HF token").fill(VISITOR_KEY)
    page.get_by_label("Prompt", exact=True).fill(prompt)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".card.state-done").first).to_be_visible(timeout=30_000)


def _history(page):
    page.get_by_role("tab", name="History").click()
    page.get_by_role("button", name="Refresh").click()
    return page.get_by_role("tabpanel")


def test_finding_2_a_visitor_never_sees_another_visitors_history(browser, space_app):
    space_app.sim.configure(time_scale=0.0)
    secret_prompt = f"My private question {uuid.uuid4().hex[:8]}"
    with opened(browser, space_app.url) as alice:
        _compare(alice, secret_prompt)
        expect(_history(alice).get_by_text(secret_prompt).last).to_be_visible(timeout=15_000)  # her own, in her browser
        with opened(browser, space_app.url) as bob:
            expect(checked_providers(bob)).not_to_have_count(0, timeout=15_000)
            panel = _history(bob)
            expect(panel.locator("table")).to_be_visible(timeout=15_000)
            expect(panel.get_by_text(secret_prompt)).to_have_count(0)
            bob.get_by_role("button", name="Export all (JSON)").click()
            expect(bob.get_by_text(secret_prompt)).to_have_count(0)
        alice.reload()  # the same browser later: still hers
        expect(checked_providers(alice)).not_to_have_count(0, timeout=15_000)
        expect(_history(alice).get_by_text(secret_prompt).last).to_be_visible(timeout=15_000)


def test_finding_4_deep_link_values_are_shown_as_text(browser, space_app):
    bait = '<img src="http://127.0.0.1:9/x.png"><h1>Session expired</h1><form><input name="password"></form>'
    fetched: list[str] = []
    with opened(browser, f"{space_app.url}/?task={quote(bait)}") as page:
        page.on("request", lambda request: fetched.append(request.url))
        expect(page.get_by_text("Session expired", exact=False).first).to_be_visible(timeout=15_000)
        expect(page.locator("h1", has_text="Session expired")).to_have_count(0)
        expect(page.locator("input[name=password]")).to_have_count(0)
    assert not [url for url in fetched if "127.0.0.1:9/" in url]


def test_finding_5_remote_images_in_an_answer_are_not_loaded(browser, space_app):
    space_app.sim.configure(time_scale=0.0)
    fetched: list[str] = []
    with opened(browser, space_app.url) as page:
        page.on("request", lambda request: fetched.append(request.url))
        _compare(page, "about ![leak](http://127.0.0.1:9/p.png?q=conversation)")
        link = page.locator(".card .answer a.remote-image").first
        expect(link).to_be_visible()
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
        expect(page.locator(".card .answer img")).to_have_count(0)
    assert not [url for url in fetched if "127.0.0.1:9/" in url]
