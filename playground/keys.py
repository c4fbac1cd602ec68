"""Which credential each provider call gets, and whether it is routed through Hugging Face or direct.

A key lives only in the memory of the request that uses it: it is never logged, stored, exported or echoed.
Order, first match wins: a provider's own key typed for this request, an HF token typed for this request,
the signed-in visitor's OAuth token, then the local user's token (never the Space's own token for visitors,
unless its owner opts in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .jsonargs import json_object
from .masking import mask, scrub  # noqa: F401  (re-exported: keys are masked in one place)
from .settings import Settings

Source = Literal["provider_key", "typed", "oauth", "local", "demo"]
DEMO_TOKEN = "hf_playground_simulator_demo"


@dataclass(frozen=True)
class Credential:
    key: str = field(repr=False)
    source: Source

    @property
    def is_hf_token(self) -> bool:
        return self.key.startswith("hf_")

    @property
    def masked(self) -> str:
        return mask(self.key)


def parse_provider_keys(raw: str | Mapping[str, str] | None) -> dict[str, str]:
    """`{"provider": "key"}` as JSON (or a dict); empty values mean "no key for this provider"."""
    raw = json_object(raw, "provider_keys", '{"groq": "gsk_…"}')
    if not all(isinstance(k, str) and isinstance(v, (str, type(None))) for k, v in raw.items()):
        raise ValueError('provider_keys must be a JSON object mapping provider names to key strings, like {"groq": "gsk_…"}')
    return {name.strip(): (value or "").strip() for name, value in raw.items() if (value or "").strip()}


@dataclass(frozen=True)
class Keyring:
    """The credentials one request may use. Built per request; never shared or cached."""

    typed: str = field(default="", repr=False)
    provider_keys: Mapping[str, str] = field(default_factory=dict, repr=False)
    oauth_token: str = field(default="", repr=False)
    fallback: Credential | None = None

    def for_provider(self, provider: str) -> Credential | None:
        if self.provider_keys.get(provider):
            return Credential(self.provider_keys[provider], "provider_key")
        return self.hf_credential()

    def hf_credential(self) -> Credential | None:
        """The credential for routed calls (the OpenAI-compatible endpoint, routing policies)."""
        if self.typed:
            return Credential(self.typed, "typed")
        if self.oauth_token:
            return Credential(self.oauth_token, "oauth")
        return self.fallback

    def secrets(self) -> list[str]:
        found = [self.typed, self.oauth_token, *self.provider_keys.values()]
        if self.fallback:
            found.append(self.fallback.key)
        return [s for s in found if s]


def server_fallback(settings: Settings) -> Credential | None:
    """The key used when a person typed none: the local token, the simulator's demo token, or nothing on a Space."""
    if settings.server_token and (not settings.on_space or settings.share_server_token):
        return Credential(settings.server_token, "local")
    if settings.demo:
        return Credential(DEMO_TOKEN, "demo")
    return None


def keyring(
    settings: Settings, api_key: str = "", provider_keys: str | Mapping[str, str] | None = None, oauth_token: str = ""
) -> Keyring:
    return Keyring(
        typed=(api_key or "").strip(),
        provider_keys=parse_provider_keys(provider_keys),
        oauth_token=(oauth_token or "").strip(),
        fallback=server_fallback(settings),
    )
