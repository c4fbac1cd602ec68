"""The catalog on the simulator: tasks offered, providers merged with the router's metadata, policies."""

from __future__ import annotations

from playground import catalog
from playground.tasks import get_task


def test_a_task_no_model_is_served_for_is_not_offered(sim_playground, monkeypatch):
    settings = sim_playground.playground.settings
    assert {"conversational", "text-to-image", "automatic-speech-recognition"} <= catalog.served_tasks(settings)
    real = catalog.list_models
    monkeypatch.setattr(catalog, "list_models", lambda s, task_id, search="": [] if task_id == "text-to-video" else real(s, task_id, search))
    offered = catalog.served_tasks(settings)
    assert "text-to-video" not in offered and "conversational" in offered


def test_providers_carry_the_routers_sparse_metadata(sim_playground):
    settings = sim_playground.playground.settings
    found = catalog.providers(settings, "meta-llama/Llama-3.3-70B-Instruct", get_task("conversational"))
    by_name = {p.provider: p for p in found}
    assert any(p.pricing for p in found) and any(p.pricing is None for p in found)
    assert by_name["sambanova"].via == "router" and by_name["sambanova"].callable
    assert all(p.via == "sdk" for name, p in by_name.items() if name != "sambanova" and name != "nebius")


def test_policies_reach_the_router_as_model_suffixes():
    names = {p.provider: p for p in catalog.policies()}
    assert names["auto"].router_model("org/m") == "org/m"
    assert names[":fastest"].router_model("org/m") == "org/m:fastest"
    assert all(p.via == "router" and p.is_policy for p in names.values())
