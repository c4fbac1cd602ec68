"""The worst-case cost of a comparison before it runs, from the router's pricing (USD per million tokens).

Worst case: every request writes `max_tokens` output tokens. Input tokens are estimated as ceil(characters / 4),
the usual rule of thumb for English text and BPE tokenizers (other languages and code use more tokens per
character; the real count comes back in `usage` after the run). Estimates use the router's price for every
provider, also for direct calls that the provider bills itself.

A free offer (`is_free`) counts 0 and is marked; a provider without a complete price is "unknown", left out of
the total and named, never counted as 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd

from .metrics import cost

CHARS_PER_TOKEN = 4
Status = Literal["priced", "free", "unknown"]


@dataclass(frozen=True)
class Offer:
    """What the router says a provider charges for one model (a `/providers` entry has these fields)."""

    provider: str
    pricing: Mapping[str, float] | None = None
    is_free: bool = False

    @classmethod
    def of(cls, entry: Offer | Mapping[str, Any]) -> Offer:
        if isinstance(entry, Offer):
            return entry
        return cls(entry["provider"], entry.get("pricing"), bool(entry.get("is_free")))

    @property
    def priced(self) -> bool:
        return bool(self.pricing) and all(self.pricing.get(k) is not None for k in ("input", "output"))  # type: ignore[union-attr]


@dataclass(frozen=True)
class ProviderEstimate:
    provider: str
    status: Status
    requests: int
    input_tokens: int  # per request, estimated
    max_output_tokens: int | None  # per request
    usd: float | None  # all requests; 0 when free, None when unknown


@dataclass(frozen=True)
class Estimate:
    providers: tuple[ProviderEstimate, ...]

    @property
    def known_usd(self) -> float:
        return sum(p.usd for p in self.providers if p.usd is not None)

    @property
    def total_usd(self) -> float | None:
        """The whole worst case, or None when any provider's cost is unknown."""
        return None if self.unknown else self.known_usd

    @property
    def free(self) -> list[str]:
        return [p.provider for p in self.providers if p.status == "free"]

    @property
    def unknown(self) -> list[str]:
        return [p.provider for p in self.providers if p.usd is None]

    def message(self) -> str:
        """One line for the UI, above the Compare button."""
        if not self.providers:
            return "No providers selected."
        first = self.providers[0]
        shape = f"{len(self.providers)} provider{'s' * (len(self.providers) != 1)} × {first.requests} run{'s' * (first.requests != 1)}"
        if first.max_output_tokens is None:
            return f"Worst case unknown: set max_tokens to bound the cost ({shape})."
        bound = "at least" if self.unknown else "up to"
        each = f"{first.max_output_tokens} output + ~{first.input_tokens} input tokens each"
        parts = [f"Worst case {bound} {format_usd(self.known_usd)} ({shape}, {each})."]
        if self.free:
            parts.append(f"Free: {', '.join(self.free)}.")
        if self.unknown:
            parts.append(f"Unknown pricing, not included: {', '.join(self.unknown)}.")
        return " ".join(parts)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(p) for p in self.providers], columns=[*ProviderEstimate.__dataclass_fields__])

    def to_json(self) -> dict[str, Any]:
        return {
            "providers": [asdict(p) for p in self.providers],
            "total_usd": self.total_usd,
            "known_usd": self.known_usd,
            "free": self.free,
            "unknown": self.unknown,
            "message": self.message(),
        }


def format_usd(usd: float) -> str:
    if usd >= 1:
        return f"${usd:,.2f}"
    if usd >= 0.0001 or usd == 0:
        return f"${usd:.4f}"
    return f"${usd:.8f}".rstrip("0")  # tiny amounts in plain decimals: people misread 6.09e-05


def estimate_tokens(text: str) -> int:
    """Prompt tokens estimated as ceil(characters / 4)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate(
    offers: Iterable[Offer | Mapping[str, Any]],
    *,
    max_tokens: int | None,
    runs: int,
    prompt: str,
    warmup: bool = False,
) -> Estimate:
    """Worst case per provider: (input tokens × input price + max_tokens × output price) × requests.

    `prompt` is all the text sent (system prompt and user prompt); `warmup` adds the uncounted warm-up run,
    which is billed all the same.
    """
    requests = runs + (1 if warmup else 0)
    input_tokens = estimate_tokens(prompt)
    found = []
    for offer in map(Offer.of, offers):
        status: Status = "free" if offer.is_free else "priced" if offer.priced else "unknown"
        if status == "free":
            usd: float | None = 0.0
        else:
            per_request = cost(input_tokens, max_tokens, dict(offer.pricing or {}))
            usd = per_request * requests if per_request is not None else None
        found.append(ProviderEstimate(offer.provider, status, requests, input_tokens, max_tokens, usd))
    return Estimate(tuple(found))


def policy_offer(name: str, offers: Iterable[Offer | Mapping[str, Any]]) -> Offer:
    """A routing policy (`auto`, `:fastest`, `:cheapest`…) may pick any of the model's providers: price it at the
    dearest input and output prices among them; unknown if any provider that is not free has no price."""
    known = [Offer.of(o) for o in offers]
    paid = [o for o in known if not o.is_free]
    if not known:
        return Offer(name)
    if not paid:
        return Offer(name, None, is_free=True)
    if not all(o.priced for o in paid):
        return Offer(name, None)
    return Offer(name, {k: max(float(o.pricing[k]) for o in paid) for k in ("input", "output")})  # type: ignore[index]
