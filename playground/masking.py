"""Key masking, in one place: what keys, errors, history, exports and snippets use so no key is ever shown or stored.

A provider's error body may echo a key whole, URL-encoded, lower-cased, cut short, or in part. `scrub` masks any run
of `FRAGMENT` or more characters of a known secret in any of those forms (case-insensitive), plus anything shaped
like a common provider key, and must run before any truncation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

FRAGMENT = 8  # the shortest piece of a secret that is masked: shorter runs occur by chance in ordinary text
SECRET_FIELDS = frozenset({"api_key", "apikey", "token", "hf_token", "access_token", "authorization", "password", "secret", "provider_keys"})
# hf_…, groq gsk_…, OpenAI-style sk-…, replicate r8_…, nvidia nvapi-…, xai-…, cerebras csk-…, fireworks fw_…
KEY_SHAPES = re.compile(r"(?i)\b(?:hf|gsk|r8|fw)_[A-Za-z0-9]{8,}|\b(?:sk|nvapi|xai|csk)-[A-Za-z0-9_-]{16,}")


class KeyLeak(ValueError):
    """A secret would have reached the database or an export."""


def mask(key: str) -> str:
    """hf_…abcd: enough to tell two keys apart, never enough to use one."""
    if not key:
        return ""
    prefix = "hf_" if key.startswith("hf_") else ""
    return f"{prefix}…{key[-4:]}" if len(key) > 8 else f"{prefix}…"


def _forms(secret: str) -> set[str]:
    return {form.lower() for form in (secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1])}


def _covered(text: str, secrets: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, secret) of each maximal run of text made of FRAGMENT-long pieces of a secret (any form, any case)."""
    lowered, runs = text.lower(), []
    for secret in secrets:
        if len(secret) < FRAGMENT:
            continue
        grams = {form[i : i + FRAGMENT] for form in _forms(secret) for i in range(len(form) - FRAGMENT + 1)}
        start = end = -1
        for i in range(len(lowered) - FRAGMENT + 1):
            if lowered[i : i + FRAGMENT] in grams:
                if i > end:
                    if start >= 0:
                        runs.append((start, end, secret))
                    start = i
                end = i + FRAGMENT
        if start >= 0:
            runs.append((start, end, secret))
    return runs


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (whole or any recognisable fragment) and every key-shaped string masked."""
    if not text:
        return text
    for start, end, secret in sorted(_covered(text, secrets), reverse=True):
        text = text[:start] + mask(secret) + text[end:]
    return KEY_SHAPES.sub(lambda m: mask(m.group(0)), text)


def has_secret(text: str, secrets: Iterable[str]) -> bool:
    return bool(_covered(text, secrets))


def keyless(value: Any, secrets: list[str]) -> Any:
    """A copy of a JSON-like value with secrets and key shapes masked, and the values of key-named fields masked."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, Mapping):
        return {
            keyless(k, secrets): mask(str(v)) if str(k).lower() in SECRET_FIELDS and v else keyless(v, secrets)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [keyless(v, secrets) for v in value]
    return value


def keyless_json(data: Mapping[str, Any], secrets: Iterable[str] = ()) -> str:
    """`data` as JSON with every key masked; raises KeyLeak if a secret is still there."""
    secrets = [s for s in secrets if s]
    text = json.dumps(keyless(data, secrets), ensure_ascii=False)
    for secret in secrets:
        if has_secret(text, [secret]):
            raise KeyLeak(f"a key ({mask(secret)}) would have been written; nothing was saved")
    return text
