"""Chat routing policies: the router's OpenAI-compatible endpoint resolves them server-side (chat only, HF token only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    name: str  # as the app shows it among providers: "auto", ":fastest"
    suffix: str  # what the router's `model` gets after the id: "" (auto follows the account's preference order)
    label: str


POLICIES: dict[str, Policy] = {
    policy.name: policy
    for policy in (
        Policy("auto", "", "auto · the router picks, by your preference order"),
        Policy(":fastest", ":fastest", ":fastest · the router picks the highest throughput"),
        Policy(":cheapest", ":cheapest", ":cheapest · the router picks the lowest price"),
        Policy(":preferred", ":preferred", ":preferred · your first available preferred provider"),
    )
}


def find(provider: str) -> Policy | None:
    """The policy a provider name stands for (`auto`, `:fastest`, also written `fastest`), or None."""
    return POLICIES.get(provider) or POLICIES.get(":" + provider.lstrip(":")) or POLICIES.get(provider.lstrip(":"))


def router_model(model: str, provider: str) -> str:
    """The `model` the router's OpenAI-compatible endpoint takes: `id:provider`, `id:fastest`, or `id` for auto."""
    policy = find(provider)
    return model + policy.suffix if policy else f"{model}:{provider}"
