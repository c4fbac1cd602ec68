"""Tools, structured output and the claims audit in a real browser, on the simulator. Retrying assertions only."""

from __future__ import annotations

import re

import pytest

from tests.browsing import assert_legible, expect, needs_chromium, opened, screenshot

pytestmark = needs_chromium

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
VERDICTS = [".verdict", ".tool-name", ".tool-args", ".structured", ".caption"]


def _link(app, theme: str = "light") -> str:
    return f"{app.url}/?task=conversational&model={MODEL}&providers=cerebras,groq,together,nscale&__theme={theme}"


def _open_editors(page) -> None:
    page.get_by_text("Parameters", exact=True).click()
    page.get_by_text("Tools and structured output", exact=True).click()
    expect(page.get_by_label("send tools")).to_be_visible()


def _audit_row(page, provider: str):
    return page.get_by_role("grid", name="Advertised against observed").get_by_role("row", name=re.compile(f"^{re.escape(provider)} "))


def _card(page, provider: str):
    return page.locator(f'.card[data-provider="{provider}"]')


@pytest.mark.parametrize(("width", "theme"), [(1440, "light"), (390, "dark")])
def test_tools_and_schema_comparisons_show_calls_arguments_and_verdicts(browser, launched_app, width, theme):
    launched_app.sim.configure(time_scale=0.0, behaviours={
        "cerebras": {"tools": "calls", "structured": "fits"}, "groq": {"tools": "bad_json", "structured": "missing_field"},
        "together": {"tools": "prose", "structured": "prose"}, "nscale": {"tools": "missing_field", "structured": "rejects"}})
    with opened(browser, _link(launched_app, theme), width=width, height=1000, color_scheme=theme) as page:
        expect(page.locator(".setup input[type=checkbox]:checked")).to_have_count(4, timeout=15_000)
        _open_editors(page)
        page.get_by_label("send tools").check()
        page.get_by_role("button", name="Compare").click()
        expect(page.locator(".card.state-done")).to_have_count(4, timeout=30_000)
        expect(_card(page, "cerebras").locator(".tool-name")).to_have_text("get_weather")
        expect(_card(page, "cerebras").locator(".tool-args")).to_contain_text('"location": "Paris"')
        expect(_card(page, "cerebras")).to_contain_text("✓ valid JSON, fits the tool's schema")
        expect(_card(page, "groq")).to_contain_text("✗ arguments are not valid JSON")
        expect(_card(page, "together")).to_contain_text("No tool call: answered in prose")
        expect(_card(page, "nscale")).to_contain_text("✗ 'location' is a required property")
        assert_legible(page, VERDICTS)
        screenshot(page, f"tools-{width}-{theme}.png", full_page=True)

        page.get_by_label("send tools").uncheck()
        page.get_by_label("json_schema").check()
        page.get_by_role("button", name="Compare").click()
        expect(_card(page, "cerebras")).to_contain_text("Structured output: ✓ valid JSON, fits the schema", timeout=30_000)
        expect(_card(page, "groq")).to_contain_text("✗ valid JSON, but 'city' is a required property")
        expect(_card(page, "together")).to_contain_text("✗ invalid: the answer is not valid JSON")
        expect(_card(page, "nscale")).to_contain_text("xgrammar")
        assert_legible(page, VERDICTS)
        screenshot(page, f"schema-{width}-{theme}.png", full_page=True)

        if width < 500:
            return  # phones fold the tabs into a menu; the audit is checked at desktop width
        page.get_by_role("tab", name="Claims").click()
        expect(_audit_row(page, "cerebras")).to_contain_text("✓ 1/1 · called get_weather")
        expect(_audit_row(page, "groq")).to_contain_text("✗ 0/1")
        expect(_audit_row(page, "novita")).to_contain_text("not tried")
        screenshot(page, f"claims-{width}-{theme}.png", full_page=True)


def test_the_probe_says_its_cost_first_then_fills_the_audit(browser, launched_app):
    launched_app.sim.configure(time_scale=0.0, behaviours={"sambanova": {"tools": "bad_json"}})
    link = f"{launched_app.url}/?task=conversational&model={MODEL}&providers=sambanova,fireworks-ai"
    with opened(browser, link) as page:
        expect(page.locator(".setup input[type=checkbox]:checked")).to_have_count(2, timeout=15_000)
        page.get_by_role("tab", name="Claims").click()
        expect(page.get_by_text(re.compile(r"One tool and one schema request each\. Worst case up to \$"))).to_be_visible()
        row = _audit_row(page, "sambanova")
        expect(row).to_contain_text("not tried")
        page.get_by_role("button", name="Probe the ticked providers").click()
        expect(page.get_by_text("Probed sambanova, fireworks-ai.")).to_be_visible(timeout=30_000)
        expect(row).to_contain_text("✗ 0/1")
        expect(row).to_contain_text("✗ no")  # advertised tools, observed broken arguments: the claim does not hold
        fireworks = _audit_row(page, "fireworks-ai")
        expect(fireworks).to_contain_text("✓ 1/1")
        screenshot(page, "probe.png", full_page=True)
