"""What the Hub and the router say: models per task, the providers serving a model, the router's metadata."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import wraps
from typing import Any, Literal, ParamSpec, TypeVar

import huggingface_hub
from huggingface_hub import HfApi
from huggingface_hub.errors import RepositoryNotFoundError
from huggingface_hub.inference._providers import PROVIDERS
from huggingface_hub.utils import get_session

from . import routing
from .sdk import internals
from .settings import Settings
from .tasks import TASKS, Task, get_task

P = ParamSpec("P")
R = TypeVar("R")
CACHE_SECONDS = 600.0
CACHE_ENTRIES = 512
MODEL_LIST_LIMIT = 200


def ttl_cache(seconds: float) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Memoise on the arguments for `seconds`; errors are not cached."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        entries: dict[Any, tuple[float, R]] = {}
        lock = threading.Lock()

        @wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (args, tuple(sorted(kwargs.items())))
            with lock:
                hit = entries.get(key)
            if hit and time.monotonic() - hit[0] < seconds:
                return hit[1]
            value = fn(*args, **kwargs)
            with lock:
                entries[key] = (time.monotonic(), value)
                while len(entries) > CACHE_ENTRIES:  # visitors choose the keys (searches): memory stays bounded
                    entries.pop(next(iter(entries)))
            return value

        cached.cache_clear = entries.clear  # type: ignore[attr-defined]
        return cached

    return decorate


class UnknownModel(ValueError):
    pass


Via = Literal["sdk", "router"]


@dataclass(frozen=True)
class ProviderInfo:
    provider: str
    provider_id: str
    status: str
    callable: bool
    reason: str | None = None
    via: Via = "sdk"  # "router": only reachable through the router's OpenAI-compatible endpoint
    pricing: dict[str, float] | None = None
    first_token_latency_ms: float | None = None
    throughput: float | None = None
    context_length: int | None = None
    is_free: bool | None = None
    supports_tools: bool | None = None  # as the router advertises it (None: it does not say)
    supports_structured_output: bool | None = None
    hub_rank: int = 0

    @property
    def is_policy(self) -> bool:
        return self.provider in routing.POLICIES

    def router_model(self, model: str) -> str:
        """The `model` the router's OpenAI-compatible endpoint takes for this contender: `id:provider` or `id:policy`."""
        return routing.router_model(model, self.provider)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("hub_rank")
        return data


def policies() -> list[ProviderInfo]:
    """Routing policies as contenders beside explicit providers (chat only, HF token only)."""
    return [
        ProviderInfo(provider=name, provider_id=name, status="live", callable=True, via="router", reason="routing policy: the router picks the provider")
        for name in routing.POLICIES
    ]


def sdk_can_call(provider: str, task: str) -> bool:
    return task in PROVIDERS.get(provider, {})  # type: ignore[call-overload]


@ttl_cache(CACHE_SECONDS)
def list_models(settings: Settings, task_id: str, search: str = "") -> list[str]:
    """Ids of models that at least one provider serves for this task, most downloaded first."""
    return list(tagged_models(settings, task_id, search))


def tagged_models(settings: Settings, task_id: str, search: str = "") -> dict[str, str]:
    """The same models, each with the Hub pipeline tag it was listed under (chat: `image-text-to-text` = vision)."""
    task = get_task(task_id)
    api = HfApi(endpoint=settings.hub_url)
    found: dict[str, str] = {}
    for tag in task.tags:
        for info in api.list_models(
            inference_provider="all",
            pipeline_tag=tag,
            search=search or None,
            sort="downloads",
            limit=MODEL_LIST_LIMIT,
            expand=["inferenceProviderMapping"],
        ):
            mapping = info.inference_provider_mapping or []
            if any(entry.task == task.id for entry in mapping) and info.id not in found:
                found[info.id] = tag
    return found


def served_tasks(settings: Settings) -> set[str]:
    """Tasks with at least one model a provider serves (looked up in parallel; each list is cached for later)."""

    def has_models(task_id: str) -> bool:
        try:
            return bool(list_models(settings, task_id))
        except Exception:  # a failed lookup hides nothing: the task stays offered
            return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        return {task_id for task_id, found in zip(TASKS, pool.map(has_models, TASKS)) if found}


def mapping(model: str) -> list[Any]:
    """The Hub's provider mapping for a model, through the SDK's own per-process cache (so calls reuse it)."""
    try:
        return internals.provider_mapping(model)
    except RepositoryNotFoundError:
        raise UnknownModel(f"Model {model!r} was not found on the Hub. Check the id (owner/name) or pick one from the list.") from None
    except ValueError:
        return []


@ttl_cache(CACHE_SECONDS)
def router_metadata(settings: Settings) -> dict[str, dict[str, dict[str, Any]]]:
    """`GET {router}/v1/models` as {model: {provider: entry}}; empty when the router cannot be reached."""
    try:
        response = get_session().get(f"{settings.router_url}/v1/models", timeout=10)
        response.raise_for_status()
        data = response.json().get("data", [])
    except Exception:  # metadata is optional decoration: a missing list never blocks a comparison
        return {}
    return {
        item["id"]: {entry["provider"]: entry for entry in item.get("providers", []) if "provider" in entry}
        for item in data
        if isinstance(item, dict) and "id" in item
    }


def _not_callable_reason(provider: str, task: Task) -> str:
    if provider in PROVIDERS:
        return f"{provider} does not offer {task.id} in huggingface_hub {huggingface_hub.__version__}"
    return f"not supported by huggingface_hub {huggingface_hub.__version__} for {task.id}"


def providers(settings: Settings, model: str, task: Task) -> list[ProviderInfo]:
    """Every provider the Hub lists for this model and task, in the Hub's order, with what we know of each."""
    meta = router_metadata(settings).get(model, {})
    found: list[ProviderInfo] = []
    via: Via
    for rank, entry in enumerate(e for e in mapping(model) if e.task == task.id):
        extra = meta.get(entry.provider, {})
        if sdk_can_call(entry.provider, task.id):
            callable_, reason, via = True, None, "sdk"
        elif task.id == "conversational":
            callable_, via = True, "router"
            reason = f"not in huggingface_hub {huggingface_hub.__version__}: called through the router's OpenAI-compatible endpoint (HF token only)"
        else:
            callable_, reason, via = False, _not_callable_reason(entry.provider, task), "sdk"
        found.append(
            ProviderInfo(
                provider=entry.provider,
                provider_id=entry.provider_id,
                status=entry.status,
                callable=callable_,
                reason=reason,
                via=via,
                pricing=extra.get("pricing"),
                first_token_latency_ms=extra.get("first_token_latency_ms"),
                throughput=extra.get("throughput"),
                context_length=extra.get("context_length"),
                is_free=extra.get("is_free"),
                supports_tools=extra.get("supports_tools"),
                supports_structured_output=extra.get("supports_structured_output"),
                hub_rank=rank,
            )
        )
    return found


def hub_reachable(settings: Settings, timeout: float = 3.0) -> bool:
    try:
        response = get_session().get(f"{settings.hub_url}/api/models", params={"limit": 1}, timeout=timeout)
        return response.status_code < 500
    except Exception:
        return False


def clear_caches() -> None:
    list_models.cache_clear()  # type: ignore[attr-defined]
    router_metadata.cache_clear()  # type: ignore[attr-defined]
    internals.clear_caches()

