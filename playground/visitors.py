"""Who a request comes from, for what belongs to them (history): never taken from what the visitor claims.

Locally there is one user, who owns everything. On a Space a signed-in visitor is their Hugging Face account (from
Gradio's OAuth session, set by the server); an anonymous visitor is one browser, known by a random id that only
that browser holds (in its storage, sealed by the server). Anyone else, e.g. an API client that did not sign in,
owns nothing: their comparisons are not saved.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from typing import Any

from .history import LOCAL
from .settings import Settings

BROWSER_ID = re.compile(r"[0-9a-f]{32}")


def new_browser_id() -> str:
    return secrets.token_hex(16)


def owner(settings: Settings, profile: Mapping[str, Any] | None = None, browser_id: str | None = None) -> str | None:
    """The owner of this request's history, or None when it has none (anonymous, no browser id, on a Space)."""
    if not settings.on_space:
        return LOCAL
    if profile and (profile.get("sub") or profile.get("preferred_username")):
        return "hf:" + str(profile.get("sub") or profile.get("preferred_username"))
    if browser_id and BROWSER_ID.fullmatch(browser_id):
        return "browser:" + hashlib.sha256(browser_id.encode()).hexdigest()
    return None
