"""The worst-case cost of a comparison before it runs, from the router's pricing (USD per million tokens).

Worst case: every request writes `max_tokens` output tokens. Input tokens are estimated as ceil(characters / 4),
the usual rule of thumb for English text and BPE tokenizers (other languages and code use more tokens per
character; the real count comes back in `usage` after the run). Estimates use the router's price for every
provider, also for direct calls that the provider bills itself.

What "free" means, in one place: the router's `is_free` ("currently free of charge on this provider, a temporary
promo"). A free offer is billed $0 on its panel (`billed_pricing`), but the worst case still counts its listed price
when the router gives one, because a promo can end between the estimate and the call: the estimate stays an upper
bound. A free offer without a price counts 0. A provider without a complete price is "unknown", left out of the
total and named, never counted as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd

from . import units
from .metrics import cost, estimate_prompt_tokens

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
        parts = [f"Worst case {bound} {units.usd(self.known_usd)} ({shape}, {each})."]
        if self.free:
            parts.append(f"Free now (a promo: billed $0, counted at its listed price when it has one): {', '.join(self.free)}.")
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
    input_tokens = estimate_prompt_tokens(prompt)
    found = []
    for offer in map(Offer.of, offers):
        status: Status = "free" if offer.is_free else "priced" if offer.priced else "unknown"
        if status == "free" and not offer.priced:
            usd: float | None = 0.0
        else:
            per_request = cost(input_tokens, max_tokens, dict(offer.pricing or {}))
            usd = per_request * requests if per_request is not None else None
        found.append(ProviderEstimate(offer.provider, status, requests, input_tokens, max_tokens, usd))
    return Estimate(tuple(found))


FREE = {"input": 0.0, "output": 0.0}


def billed_pricing(pricing: Mapping[str, float] | None, is_free: bool | None) -> dict[str, float] | None:
    """The price a call is billed at: nothing for a free offer, else the router's listed price (None: unknown)."""
    return dict(FREE) if is_free else (dict(pricing) if pricing else None)


def policy_offer(name: str, offers: Iterable[Offer | Mapping[str, Any]]) -> Offer:
    """A routing policy (`auto`, `:fastest`, `:cheapest`…) may pick any of the model's providers: price it at the
    dearest input and output prices among them (free ones at their listed price: a promo can end); free when every
    one is free; unknown if any provider with neither a price nor a promo could be picked."""
    known = [Offer.of(o) for o in offers]
    if not known:
        return Offer(name)
    free = all(o.is_free for o in known)
    priced = [o for o in known if o.priced]
    if any(not o.priced and not o.is_free for o in known) or not priced:
        return Offer(name, None, is_free=free)
    return Offer(name, {k: max(float(o.pricing[k]) for o in priced) for k in ("input", "output")}, is_free=free)  # type: ignore[index]
