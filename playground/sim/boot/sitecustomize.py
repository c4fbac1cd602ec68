"""Loaded by every Python process `python -m playground.sim run` starts (this folder is on its PYTHONPATH).

It sends the live services to the simulator before user code runs: huggingface_hub through the playground's
own redirection (routed, direct, `provider="auto"`, HfApi), and any other HTTP client (httpx, httpx2,
requests) by rewriting live URLs at the transport, so a script written for the live services runs as it is.
Standard library only at start-up: each client is patched when it is first imported.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

SIM = os.environ.get("PLAYGROUND_SIM_URL", "").rstrip("/")
HOSTS = {"router.huggingface.co": "/router", "huggingface.co": ""}
HOSTS.update({host: f"/direct/{host}" for host in os.environ.get("PLAYGROUND_SIM_HOSTS", "").split(",") if host})
LIVE_URL_HEADER = "x-sim-live-url"


def to_sim(url: str) -> str | None:
    """The simulator URL a live URL stands for; None for hosts the simulator does not play."""
    parts = urlsplit(url)
    prefix = HOSTS.get(parts.hostname or "") if parts.scheme in ("http", "https") else None
    if prefix is None or not SIM:
        return None
    return f"{SIM}{prefix}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _patch_httpx(module: Any) -> None:
    """httpx and httpx2 (huggingface_hub's client) share the transport API."""

    def rewritten(request: Any) -> None:
        target = to_sim(str(request.url))
        if target is not None:
            request.headers[LIVE_URL_HEADER] = str(request.url)
            request.url = module.URL(target)
            request.headers["host"] = request.url.netloc.decode()

    sync_send = module.HTTPTransport.handle_request
    async_send = module.AsyncHTTPTransport.handle_async_request

    def handle_request(self: Any, request: Any) -> Any:
        rewritten(request)
        return sync_send(self, request)

    async def handle_async_request(self: Any, request: Any) -> Any:
        rewritten(request)
        return await async_send(self, request)

    module.HTTPTransport.handle_request = handle_request
    module.AsyncHTTPTransport.handle_async_request = handle_async_request


def _patch_requests(module: Any) -> None:
    send = module.HTTPAdapter.send

    def patched(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        target = to_sim(request.url)
        if target is not None:
            request.headers[LIVE_URL_HEADER] = request.url
            request.url = target
        return send(self, request, *args, **kwargs)

    module.HTTPAdapter.send = patched


def _redirect_huggingface_hub(module: Any) -> None:
    """The playground's one redirection of the SDK, with the settings this process's environment names."""
    root = os.environ.get("PLAYGROUND_SIM_REPO", "")
    added = bool(root) and root not in sys.path
    if added:
        sys.path.append(root)
    try:
        from playground import settings
        from playground.sdk import urls

        urls.apply(settings.load())
    finally:
        if added:
            sys.path.remove(root)


PATCHES: dict[str, Callable[[Any], None]] = {"httpx": _patch_httpx, "httpx2": _patch_httpx,
                                              "requests.adapters": _patch_requests,
                                              "huggingface_hub": _redirect_huggingface_hub}


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Runs a module's patch right after the module itself has run."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in PATCHES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader, patch = spec.loader, PATCHES[name]
        exec_module = loader.exec_module

        def run_then_patch(module: Any) -> None:
            exec_module(module)
            patch(module)

        loader.exec_module = run_then_patch  # type: ignore[method-assign]
        return spec


if SIM:
    sys.meta_path.insert(0, _PatchOnImport())
