"""Which provider a direct host belongs to, read from the SDK's own provider table."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlparse

ROUTER_HOST = "router.huggingface.co"
DIRECT_PREFIX = "/direct/"


def host_of(base_url: str) -> str:
    """The provider host of a helper's base URL, also once it points at the simulator's `/direct/{host}` or router."""
    parsed = urlparse(base_url)
    if DIRECT_PREFIX in parsed.path:
        return parsed.path.split(DIRECT_PREFIX, 1)[1].split("/", 1)[0]
    if "/router/" in f"{parsed.path}/":
        return ROUTER_HOST
    return parsed.netloc


@lru_cache(maxsize=1)
def direct_hosts() -> dict[str, str]:
    from huggingface_hub.inference._providers import PROVIDERS

    return {host_of(helper.base_url): provider
            for provider, helpers in PROVIDERS.items() if provider != "hf-inference"
            for helper in helpers.values()}


def sdk_providers() -> list[str]:
    from huggingface_hub.inference._providers import PROVIDERS

    return list(PROVIDERS)
