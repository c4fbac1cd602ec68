"""Point huggingface_hub at a simulator, the way the app does in demo mode (for tests and scripts).

The SDK binds router URLs at import time in several places: `constants.INFERENCE_PROXY_TEMPLATE`,
the auto-router's `base_url`, every provider helper's `base_url` (hf-inference's is a router URL),
the module-level `HfApi` instance; and it caches provider mappings per process. All are redirected
here and restored on exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .providers import ROUTER_HOST, host_of


def clear_sdk_caches() -> None:
    """Forget the provider mappings and model checks the SDK cached for this process."""
    from huggingface_hub.inference._providers import _common, hf_inference

    _common._fetch_inference_provider_mapping.cache_clear()
    hf_inference._check_supported_task.cache_clear()
    hf_inference._fetch_recommended_models.cache_clear()


@contextmanager
def redirect_sdk(base_url: str) -> Iterator[None]:
    from huggingface_hub import constants, hf_api
    from huggingface_hub.inference._providers import CONVERSATIONAL_AUTO_ROUTER, PROVIDERS

    helpers = [helper for tasks in PROVIDERS.values() for helper in tasks.values()]
    saved = (constants.ENDPOINT, constants.INFERENCE_PROXY_TEMPLATE, hf_api.api.endpoint,
             CONVERSATIONAL_AUTO_ROUTER.base_url, [h.base_url for h in helpers])
    router = f"{base_url}/router"
    constants.ENDPOINT = hf_api.api.endpoint = base_url
    constants.INFERENCE_PROXY_TEMPLATE = router + "/{provider}"
    CONVERSATIONAL_AUTO_ROUTER.base_url = router
    for helper in helpers:
        host = host_of(helper.base_url)
        helper.base_url = f"{router}/{helper.provider}" if host == ROUTER_HOST else f"{base_url}/direct/{host}"
    clear_sdk_caches()
    try:
        yield
    finally:
        constants.ENDPOINT, constants.INFERENCE_PROXY_TEMPLATE, hf_api.api.endpoint = saved[:3]
        CONVERSATIONAL_AUTO_ROUTER.base_url = saved[3]
        for helper, url in zip(helpers, saved[4]):
            helper.base_url = url
        clear_sdk_caches()
