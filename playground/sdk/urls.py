"""Point huggingface_hub at the Hub, router and provider hosts the settings name.

The SDK binds router URLs at import time in several places (the proxy template, the auto-router's and the
hf-inference helpers' `base_url`), so redirecting only HF_ENDPOINT is not enough. Everything is rewritten here,
in one place, and the live code path stays the same: only base URLs differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from huggingface_hub import constants, hf_api
from huggingface_hub.inference._providers import CONVERSATIONAL_AUTO_ROUTER, PROVIDERS
from huggingface_hub.inference._providers._common import TaskProviderHelper

from ..settings import LIVE_HUB_URL, LIVE_ROUTER_URL, Settings
from .internals import clear_caches

_ORIGINAL_IMPLICIT_TOKEN_OFF = constants.HF_HUB_DISABLE_IMPLICIT_TOKEN
_original_base_urls: dict[int, str] = {}


def helpers() -> Iterator[TaskProviderHelper]:
    """Every provider helper the installed SDK has, plus the chat auto-router."""
    yield CONVERSATIONAL_AUTO_ROUTER
    for tasks in PROVIDERS.values():
        yield from tasks.values()


def rewrite(url: str, settings: Settings) -> str:
    """Map a live URL the SDK knows to where these settings send it."""
    if url.startswith(LIVE_ROUTER_URL):
        return settings.router_url + url[len(LIVE_ROUTER_URL) :]
    if url.startswith(LIVE_HUB_URL):
        return settings.hub_url + url[len(LIVE_HUB_URL) :]
    if settings.direct_url and url.startswith("https://"):
        parts = urlsplit(url)
        return f"{settings.direct_url}/{parts.netloc}{parts.path}"
    return url


def apply(settings: Settings) -> None:
    """Redirect the SDK. Idempotent; `apply(Settings())` restores the live URLs."""
    constants.ENDPOINT = hf_api.api.endpoint = settings.hub_url
    constants.INFERENCE_PROXY_TEMPLATE = settings.router_url + "/{provider}"
    # The SDK's own Hub look-ups (provider mappings, model lists) send HF_TOKEN unless told not to: on a Space that is
    # the owner's token, spent on every visitor. Public data needs none; a call's own key is always passed explicitly.
    constants.HF_HUB_DISABLE_IMPLICIT_TOKEN = _ORIGINAL_IMPLICIT_TOKEN_OFF or (settings.on_space and not settings.share_server_token)
    for helper in helpers():
        original = _original_base_urls.setdefault(id(helper), helper.base_url)
        helper.base_url = rewrite(original, settings)
    clear_caches()


@contextmanager
def redirected(settings: Settings) -> Iterator[None]:
    """`apply(settings)` for a while (a test, a script), then every URL back as it was before."""
    helpers_ = list(helpers())
    saved = (constants.ENDPOINT, constants.INFERENCE_PROXY_TEMPLATE, hf_api.api.endpoint,
             constants.HF_HUB_DISABLE_IMPLICIT_TOKEN, [h.base_url for h in helpers_])
    apply(settings)
    try:
        yield
    finally:
        (constants.ENDPOINT, constants.INFERENCE_PROXY_TEMPLATE, hf_api.api.endpoint,
         constants.HF_HUB_DISABLE_IMPLICIT_TOKEN) = saved[:4]
        for helper, url in zip(helpers_, saved[4]):
            helper.base_url = url
        clear_caches()
