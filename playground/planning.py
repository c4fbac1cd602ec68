"""Turn what a person (or a script) asked for into a validated Plan, or a clear error saying what to fix."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import catalog, costs, messages, routing, schemas
from .catalog import ProviderInfo
from .inputs import Inputs
from .jsonargs import json_object
from .keys import Keyring
from .model import Plan, Target
from .settings import Settings
from .tasks import Task, get_task

MAX_PROMPT_CHARS = 100_000
MAX_RUNS = 20
MAX_PROVIDERS = 32
MAX_LABELS = 50
MAX_LABELS_CHARS = 10_000
MAX_JSON_CHARS = 20_000
# Checked before anything else is done with a request, so an oversized one costs nothing (see check_sizes).
TEXT_LIMITS = {"prompt": MAX_PROMPT_CHARS, "system": MAX_PROMPT_CHARS, "context": MAX_PROMPT_CHARS, "labels": MAX_LABELS_CHARS,
               "providers": MAX_JSON_CHARS, "provider_keys": MAX_JSON_CHARS, "params_json": MAX_JSON_CHARS}

# name → (type, minimum, maximum); None means unbounded. Shared by every task; a task accepts those in its defaults.
PARAMETERS: dict[str, tuple[type, float | None, float | None]] = {
    "max_tokens": (int, 1, 32_768),
    "max_new_tokens": (int, 1, 32_768),
    "temperature": (float, 0.0, 2.0),
    "top_p": (float, 0.0, 1.0),
    "seed": (int, 0, 2**63 - 1),
    "stream": (bool, None, None),
    # Chat with tools or structured output: checked as a whole by schemas.CHECKS.
    "tools": (list, None, None),
    "tool_choice": (object, None, None),
    "response_format": (dict, None, None),
    "reasoning_effort": (str, None, None),  # low, medium or high: checked by schemas.CHECKS
    # Images and video: the same size, seed and steps go to every provider.
    "width": (int, 64, 4096),
    "height": (int, 64, 4096),
    "num_inference_steps": (int, 1, 500),
    "guidance_scale": (float, 0.0, 100.0),
    "negative_prompt": (str, None, None),
    "num_frames": (int, 1, 1000),
    # Classic tasks.
    "top_k": (int, 1, 1000),
    "threshold": (float, 0.0, 1.0),
    "multi_label": (bool, None, None),
    "hypothesis_template": (str, None, None),
    "aggregation_strategy": (str, None, None),
    "src_lang": (str, None, None),
    "tgt_lang": (str, None, None),
    "normalize": (bool, None, None),
    "truncate": (bool, None, None),
}


class InvalidRequest(ValueError):
    """The request itself is wrong (not a provider's failure): shown to the person as is."""


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    return len(json.dumps(value, default=str)) if isinstance(value, (list, tuple, dict)) else 0


def check_sizes(**given: Any) -> None:
    """Every input within its limit (TEXT_LIMITS), before any work is done on it; a clear error names the first that is not."""
    for name, value in given.items():
        if value is None:
            continue
        if name in ("prompt", "system", "context") and not isinstance(value, str):
            raise InvalidRequest(f"{name} must be text, got {type(value).__name__}")
        if _size(value) > TEXT_LIMITS[name]:
            raise InvalidRequest(f"{name} is {_size(value):,} characters; the playground takes at most {TEXT_LIMITS[name]:,}. Shorten it.")
    labels = given.get("labels")
    count = len(labels.split(",")) if isinstance(labels, str) else len(labels or ())
    if count > MAX_LABELS:
        raise InvalidRequest(f"{count:,} labels given; the playground takes at most {MAX_LABELS}.")


def parse_params(task: Task, raw: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """Task defaults overlaid with the given JSON object, each value checked for type and range."""
    try:
        given = json_object(raw, "params_json", '{"max_tokens": 256, "temperature": 0}')
    except ValueError as error:
        raise InvalidRequest(str(error)) from None
    params = dict(task.defaults)
    for name, value in given.items():
        if name not in task.defaults:
            valid = f"Valid parameters: {', '.join(task.defaults)}." if task.defaults else f"{task.label} takes no parameters."
            raise InvalidRequest(f"Unknown parameter {name!r} for {task.label}. {valid}")
        params[name] = _check_value(name, value)
    try:
        schemas.check_together(params)
    except ValueError as error:
        raise InvalidRequest(str(error)) from None
    return params


def _check_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in schemas.CHECKS:
        try:
            return schemas.CHECKS[name](value)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
    kind, low, high = PARAMETERS.get(name, (object, None, None))
    if kind is bool:
        if not isinstance(value, bool):
            raise InvalidRequest(f"{name} must be true or false, got {value!r}")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise InvalidRequest(f"{name} must be a string, got {value!r}")
        return value
    if kind in (int, float):
        # JSON's NaN/Infinity parse in Python: refuse them here, before int() raises or a NaN slips past the range check.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or (kind is int and float(value) != int(value)):
            raise InvalidRequest(f"{name} must be {'an integer' if kind is int else 'a number'}, got {value!r}")
        value = kind(value)
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidRequest(f"{name} must be between {low:g} and {high:g}, got {value:g}" if kind is float else f"{name} must be between {low:.0f} and {high:.0f}, got {value}")
    return value


def _provider_names(providers: str | Sequence[str] | None) -> list[str]:
    if providers is None:
        return []
    if isinstance(providers, str):
        text = providers.strip()
        if text.startswith("["):
            try:
                providers = json.loads(text)
            except json.JSONDecodeError:
                raise InvalidRequest(f"providers is not a valid JSON list: {text[:80]!r}") from None
        else:
            providers = text.split(",")
    if len(providers) > MAX_PROVIDERS:
        raise InvalidRequest(f"{len(providers):,} providers given; a comparison takes at most {MAX_PROVIDERS}.")
    names: list[str] = []
    for name in providers:
        if not isinstance(name, str):
            raise InvalidRequest(f"providers must be names (strings), got {name!r}")
        if name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def chat_params(max_tokens: float, temperature: float, top_p: float, seed: Any, stream: bool) -> dict[str, Any]:
    """Chat's parameters as the UI's sliders give them; `seed` is text, empty for none."""
    params: dict[str, Any] = {"max_tokens": int(max_tokens), "temperature": float(temperature), "top_p": float(top_p), "stream": bool(stream)}
    if str(seed or "").strip():
        try:
            params["seed"] = int(str(seed).strip())
        except ValueError:
            raise InvalidRequest(f"seed must be a whole number, got {seed!r}") from None
    return params


_ORGANISATION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


def build_plan(
    settings: Settings,
    *,
    task: str,
    model: str,
    providers: str | Sequence[str] | None,
    inputs: Inputs,
    params_json: str | Mapping[str, Any] | None,
    keys: Keyring,
    runs: int = 1,
    warmup: bool = False,
    bill_to: str | None = "",
    conversation_json: str | Sequence[Any] | Mapping[str, Any] | None = None,
) -> Plan:
    bill_to = check_bill_to(bill_to)
    task_, model = _task_and_model(task, model)
    _check_inputs(task_, inputs, runs, warmup)
    params = parse_params(task_, params_json)
    names = _provider_names(providers)
    if not names:
        raise InvalidRequest("No provider chosen: tick at least one provider to compare.")
    serving, pricing = _contenders(settings, model, task_, names)
    turn, history = _conversation(task_, inputs, names, conversation_json)
    targets = tuple(_target(name, serving[name], keys) for name in names)
    if all(t.credential is None for t in targets):
        raise InvalidRequest(
            "No key to call providers with: paste an HF token (hf_…) or a provider's own key, sign in with Hugging Face, or set HF_TOKEN."
        )
    return Plan(
        task=task_,
        model=model,
        inputs=inputs,
        params=params,
        targets=targets,
        runs=runs,
        warmup=bool(warmup),
        timeout_s=settings.timeout_s,
        secrets=tuple(keys.secrets()),
        pricing=pricing,
        bill_to=bill_to,
        turn=turn,
        history=history,
    )


def _task_and_model(task: str, model: str) -> tuple[Task, str]:
    try:
        task_ = get_task(task)
    except ValueError as error:
        raise InvalidRequest(str(error)) from None
    model = (model or "").strip()
    if not model:
        raise InvalidRequest("No model chosen: pick a model from the list or type a Hub id like meta-llama/Llama-3.3-70B-Instruct.")
    return task_, model


def _check_inputs(task: Task, inputs: Inputs, runs: int, warmup: bool) -> None:
    problem = task.problem(inputs)
    if problem:
        raise InvalidRequest(problem)
    if len(inputs.prompt) + len(inputs.system) > MAX_PROMPT_CHARS:
        raise InvalidRequest(
            f"The prompt is {len(inputs.prompt) + len(inputs.system):,} characters; the playground sends at most "
            f"{MAX_PROMPT_CHARS:,} (about {MAX_PROMPT_CHARS // 4:,} tokens). Shorten it."
        )
    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise InvalidRequest(f"runs must be a whole number from 1 to {MAX_RUNS}, got {runs!r}")
    if not isinstance(warmup, bool):
        raise InvalidRequest(f"warmup must be true or false, got {warmup!r}")


def _contenders(settings: Settings, model: str, task: Task, names: Sequence[str]
                ) -> tuple[dict[str, ProviderInfo], dict[str, dict[str, float] | None]]:
    """Who may be asked (the Hub's providers of the model for the task, and for chat the routing policies), checked
    against the names asked for; and each provider's billed pricing."""
    try:
        serving = {info.provider: info for info in catalog.providers(settings, model, task)}
    except catalog.UnknownModel as error:
        raise InvalidRequest(str(error)) from None
    if not serving:
        raise InvalidRequest(f"No provider serves {model} for {task.label}. Pick another model or task.")
    pricing = {name: costs.billed_pricing(info.pricing, info.is_free) for name, info in serving.items()}
    contenders = dict(serving)
    if task.id == "conversational":
        contenders.update({info.provider: info for info in catalog.policies()})
    unknown = [name for name in names if name not in contenders]
    if unknown:
        policies = f" (routing policies also work: {', '.join(routing.POLICIES)})" if task.id == "conversational" else ""
        raise InvalidRequest(
            f"{', '.join(unknown)} {'does' if len(unknown) == 1 else 'do'} not serve {model} for {task.label}{policies}. "
            f"Providers that do: {', '.join(serving)}."
        )
    blocked = [name for name in names if not contenders[name].callable]
    if blocked:
        raise InvalidRequest(f"{blocked[0]} cannot be called: {contenders[blocked[0]].reason}.")
    return contenders, pricing


def _conversation(task: Task, inputs: Inputs, names: list[str], raw: Any) -> tuple[dict[str, Any] | None, dict[str, messages.Thread]]:
    """Chat: the user's message as sent, and each provider's earlier turns (conversation_json); other tasks: neither."""
    if task.id != "conversational":
        if raw not in (None, "", [], {}) and not (isinstance(raw, str) and not raw.strip()):
            raise InvalidRequest(f"conversation_json is for chat only; {task.label} takes one input at a time.")
        return None, {}
    try:
        turn = messages.user_message(inputs.prompt, inputs.file if "image" in task.inputs else None)
        return turn, messages.parse(raw, names, extra_chars=len(inputs.prompt) + len(inputs.system))
    except messages.BadConversation as error:
        raise InvalidRequest(str(error)) from None


def check_bill_to(value: str | None) -> str | None:
    """An organisation name for X-HF-Bill-To (routed calls only), or None; anything else is refused, not sent."""
    name = (value or "").strip()
    if not name:
        return None
    if not _ORGANISATION.fullmatch(name):
        raise InvalidRequest(f"bill_to must be a Hugging Face organisation name (letters, digits, - . _), got {name[:40]!r}")
    return name


def _target(name: str, info: catalog.ProviderInfo, keys: Keyring) -> Target:
    if info.via == "router":
        credential = keys.hf_credential()
        problem = None if credential and credential.is_hf_token else f"{name} is reachable only through the router: it needs an HF token (hf_…)"
        return Target(name, info, credential, problem)
    credential = keys.for_provider(name)
    problem = None if credential else "no key for this provider: paste an HF token or this provider's key"
    return Target(name, info, credential, problem)
