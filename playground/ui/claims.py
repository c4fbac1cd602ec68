"""The Claims tab: what the router advertises per provider against what comparisons observed, and the probe."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gradio as gr

from .. import visitors
from ..planning import InvalidRequest
from ..service import Playground
from . import setup, toolviews
from .page import Page

KEYS = ["api_key", *setup.PROVIDER_KEYS]


def render(page: Page) -> None:
    with gr.Tab("Claims") as tab:
        gr.Markdown(
            "What the router's `/v1/models` advertises (`supports_tools`, `supports_structured_output`, context length) "
            "beside what was observed in your comparisons of this model: ✓ every tried run worked, ✗ one did not "
            "(prose instead of a call, arguments or JSON that do not fit, or the parameter refused)."
        )
        page.add(audit_table=gr.Dataframe(value=toolviews.audit_frame([]), interactive=False, wrap=True, label="Advertised against observed"))
        with gr.Row():
            page.add(probe=gr.Button("Probe the ticked providers", size="sm", scale=1), probe_cost=gr.Markdown())
    page.add(claims_tab=tab)


def show(playground: Playground, model_id: str | None, ticked: Sequence[str] | None) -> dict[str, Any]:
    """The audit of this model and the probe's cost, worked out before it may be pressed."""
    if not model_id:
        return {"audit_table": toolviews.audit_frame([]), "probe_cost": ""}
    try:
        rows = playground.audit(model_id, owner=visitors.owner(playground.settings))  # a Space's visitors: live only
        named = [n for n in ticked or () if n in {r["provider"] for r in rows}]
        cost = playground.probe_estimate(model_id, named).message() if named else "Tick providers to probe them."
    except InvalidRequest:
        return {"audit_table": toolviews.audit_frame([]), "probe_cost": ""}
    return {"audit_table": toolviews.audit_frame(rows), "probe_cost": "One tool and one schema request each. " + cost}


async def probe(playground: Playground, model_id: str, ticked: Sequence[str], keys: Sequence[str], oauth_token: str) -> dict[str, Any]:
    named = [n for n in ticked or () if not n.startswith(":") and n != "auto"]
    if not model_id or not named:
        raise gr.Error("Pick a chat model and tick the providers to probe.", print_exception=False)
    provider_keys = dict(zip(setup.KEYED_PROVIDERS, keys[1:]))
    try:
        found = await playground.probe(model=model_id, providers=named, api_key=keys[0], provider_keys=provider_keys, oauth_token=oauth_token,
                                       owner=visitors.owner(playground.settings))
    except InvalidRequest as error:
        raise gr.Error(str(error), print_exception=False) from None
    return {"audit_table": toolviews.audit_frame(found["audit"]), "probe_cost": f"Probed {', '.join(named)}."}


def wire(page: Page, playground: Playground, running: gr.events.Dependency) -> None:
    p = page
    private: dict[str, Any] = {"api_visibility": "private"}
    outputs = [p.audit_table, p.probe_cost]

    def refresh(model_id: str | None, ticked: list[str] | None) -> dict[Any, Any]:
        return p.keyed(show(playground, model_id, ticked))

    async def on_probe(model_id: str, ticked: list[str], *keys: str, oauth: gr.OAuthToken | None = None) -> dict[Any, Any]:
        return p.keyed(await probe(playground, model_id, ticked, keys, oauth.token if oauth else ""))

    # Worked out when the tab is opened and when the choice changes (a value set by the page's load fires no change).
    gr.on([p.claims_tab.select, p.model.change, p.providers.change], refresh, [p.model, p.providers], outputs, **private)
    running.then(refresh, [p.model, p.providers], outputs, **private)
    p.probe.click(on_probe, [p.model, p.providers, *p.all(KEYS)], outputs, **private)
