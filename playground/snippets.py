"""Code that reproduces one provider's call, and a script that reruns a whole comparison.

Languages: Python with huggingface_hub (routed with HF_TOKEN, or direct with the provider's own key), Python with
the openai client and cURL against the router's OpenAI-compatible endpoint (chat), JavaScript with
@huggingface/inference. Keys are never written: snippets read HF_TOKEN or <PROVIDER>_API_KEY (GROQ_API_KEY,
FIREWORKS_AI_API_KEY…) from the environment, and the request's secrets are masked in the prompt and parameters.

Demo mode: snippets reach the simulator the app talks to. openai and cURL take its router URL as base URL.
huggingface_hub and @huggingface/inference have no setting for the router, so a marked block redirects them, for
this call only: Python sets HF_ENDPOINT before importing huggingface_hub, then the router proxy template and the
provider helper's base URL (as `sdk.urls.apply` does for the app); JavaScript gets a `fetch` that rewrites the
live URLs. Live snippets have no such block.
"""

from __future__ import annotations

import inspect
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from huggingface_hub import InferenceClient
from huggingface_hub.inference._providers import get_provider_helper

from . import routing
from .kinds.registry import get_kind
from .masking import keyless
from .model import Plan, Target
from .sdk.urls import rewrite
from .settings import LIVE_HUB_URL, LIVE_ROUTER_URL, Settings
from .snippetimages import marked_images, with_images
from .tasks import Task

# key: (label, gr.Code language)
LANGUAGES: dict[str, tuple[str, Literal["python", "javascript", "shell"]]] = {
    "python": ("Python · huggingface_hub", "python"),
    "openai": ("Python · openai", "python"),
    "javascript": ("JavaScript · @huggingface/inference", "javascript"),
    "curl": ("cURL", "shell"),
}
HUB_CHAT_PARAMS = frozenset(inspect.signature(InferenceClient.chat_completion).parameters) - {"self", "messages", "model"}
OPENAI_CHAT_PARAMS = frozenset(
    {"frequency_penalty", "logit_bias", "logprobs", "max_completion_tokens", "max_tokens", "n", "presence_penalty",
     "reasoning_effort", "response_format", "seed", "stop", "stream", "stream_options", "temperature", "tool_choice", "tools",
     "top_logprobs", "top_p", "user"}
)  # fmt: skip


@dataclass(frozen=True)
class Call:
    """One provider's call, as the runner makes it."""

    provider: str  # as the app shows it: a provider, or a routing policy ("auto", ":fastest")
    model: str
    task: Task
    routing: str  # "routed" or "direct"
    sdk_provider: str  # what InferenceClient gets
    sdk_model: str
    args: tuple[Any, ...]  # the SDK method's inputs: (messages,) for chat
    kwargs: Mapping[str, Any]
    params: Mapping[str, Any]
    file_name: str = ""
    bill_to: str | None = None  # X-HF-Bill-To, on routed calls only
    images: tuple[tuple[str, str], ...] = ()  # chat: (file, MIME type) of each image, marked IMAGE_MARK in args

    @classmethod
    def of(cls, plan: Plan, target: Target) -> Call:
        args, kwargs = plan.arguments(target.provider)
        args, images = marked_images(args, plan.inputs.file_name)
        params = {k: v for k, v in plan.params.items() if v is not None and k != "stream"}
        if plan.task.streams:
            params["stream"] = bool(plan.params.get("stream", True))
        sdk_provider, sdk_model = (("auto", routing.router_model(plan.model, target.provider)) if routing.find(target.provider)
                                   else target.sdk_call(plan.model))
        secrets = list(plan.secrets)
        return cls(
            provider=target.provider,
            model=plan.model,
            task=plan.task,
            routing=target.routing,
            sdk_provider=sdk_provider,
            sdk_model=sdk_model,
            args=tuple(keyless(list(args), secrets)),
            kwargs=keyless(kwargs, secrets),
            params=keyless(params, secrets),
            file_name=plan.inputs.file_name,
            bill_to=plan.bill_to if target.routing == "routed" else None,
            images=images,
        )

    @property
    def chat(self) -> bool:
        return self.task.id == "conversational"

    @property
    def stream(self) -> bool:
        return bool(self.params.get("stream"))

    @property
    def key_variable(self) -> str:
        return "HF_TOKEN" if self.routing == "routed" else key_variable(self.provider)

    @property
    def router_model(self) -> str:
        """The model for the router's OpenAI-compatible endpoint: `id:provider`, `id:fastest`, or `id` for auto."""
        return self.sdk_model if self.sdk_provider == "auto" else f"{self.model}:{self.provider}"


def key_variable(provider: str) -> str:
    """The environment variable that holds a provider's own key: fireworks-ai → FIREWORKS_AI_API_KEY."""
    return re.sub(r"[^A-Z0-9]+", "_", provider.upper()).strip("_") + "_API_KEY"


# ---- Python ----


def py_literal(value: Any, width: int = 88) -> str:
    """A Python literal in the style of the code around it: double quotes, one item a line when long."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's string escapes are all valid in Python
    if isinstance(value, Mapping):
        items = [f"{py_literal(k)}: {py_literal(v, width - 4)}" for k, v in value.items()]
        return _bracketed("{", items, "}", width)
    if isinstance(value, (list, tuple)):
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        return _bracketed(opening, [py_literal(v, width - 4) for v in value], closing, width)
    return repr(value)


def _bracketed(opening: str, items: list[str], closing: str, width: int) -> str:
    flat = opening + ", ".join(items) + ("," if opening == "(" and len(items) == 1 else "") + closing
    if len(flat) <= width and "\n" not in flat:
        return flat
    return f"{opening}\n{py_lines(items)}{closing}"


def py_input(value: Any, file_name: str) -> str:
    return f'open({py_literal(file_name or "input.bin")}, "rb").read()' if isinstance(value, bytes) else py_literal(value)


def py_lines(items: Sequence[str]) -> str:
    return "".join(textwrap.indent(item, "    ") + ",\n" for item in items)


def _py_call(function: str, arguments: Sequence[str]) -> str:
    return f"{function}(\n{py_lines(arguments)})"


def _keywords(values: Mapping[str, Any]) -> list[str]:
    return [f"{name}={py_literal(value)}" for name, value in values.items()]


def _split(params: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """Parameters the client takes by name, the others in `extra_body` (sent in the request body as they are)."""
    named = {k: v for k, v in params.items() if k in known}
    extra = {k: v for k, v in params.items() if k not in known}
    return {**named, "extra_body": extra} if extra else named


def hub_params(call: Call) -> dict[str, Any]:
    return _split(call.params, HUB_CHAT_PARAMS) if call.chat else {**call.kwargs, **call.params}


_PRINT_STREAM = """\
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="", flush=True)
print()"""
_PRINT_COMPLETION = "print(completion.choices[0].message.content)"
# With tools the answer may be calls instead of text: their name and arguments are printed as they come.
_PRINT_STREAM_TOOLS = """\
for chunk in stream:
    delta = chunk.choices[0].delta if chunk.choices else None
    if delta and delta.content:
        print(delta.content, end="", flush=True)
    for call in (delta.tool_calls or []) if delta else []:
        name = f"\\n{call.function.name} " if call.function.name else ""
        print(name + (call.function.arguments or ""), end="", flush=True)
print()"""
_PRINT_COMPLETION_TOOLS = """\
message = completion.choices[0].message
for call in message.tool_calls or []:
    print(call.function.name, call.function.arguments)
print(message.content or "")"""


def _print_chat(invocation: str, stream: bool, tools: bool = False) -> str:
    if stream:
        return f"stream = {invocation}\n{_PRINT_STREAM_TOOLS if tools else _PRINT_STREAM}"
    return f"completion = {invocation}\n{_PRINT_COMPLETION_TOOLS if tools else _PRINT_COMPLETION}"


def redirected(settings: Settings) -> bool:
    """Whether the app talks to a simulator or custom URLs rather than the live services."""
    return settings.demo or bool(settings.direct_url) or (settings.hub_url, settings.router_url) != (LIVE_HUB_URL, LIVE_ROUTER_URL)


DEMO_KEY = "demo"  # the simulator accepts any key; a snippet in demo mode runs without one set


def _demo_keys(calls: Sequence[Call]) -> list[str]:
    return [f"os.environ.setdefault({py_literal(name)}, {py_literal(DEMO_KEY)})" for name in dict.fromkeys(c.key_variable for c in calls)]


def python_demo(calls: Sequence[Call], settings: Settings) -> str:
    if not redirected(settings):
        return ""
    lines = [
        "# Demo mode: the playground answers from a simulator (or custom URLs), not the live services. These lines send",
        "# huggingface_hub there (they must run before anything else imports it); delete them to call the real providers.",
        f"# The simulator runs while the app does (`python app.py --demo`, at {settings.hub_url}) and takes any key.",
        *_demo_keys(calls),
        f'os.environ["HF_ENDPOINT"] = {py_literal(settings.hub_url)}',
        "from huggingface_hub import constants",
        "from huggingface_hub.inference._providers import get_provider_helper",
        "",
        f"constants.INFERENCE_PROXY_TEMPLATE = {py_literal(settings.router_url + '/{provider}')}",
    ]
    for call in {(c.sdk_provider, c.task.id, c.sdk_model): c for c in calls}.values():
        helper = get_provider_helper(call.sdk_provider, task=call.task.id, model=call.sdk_model)  # type: ignore[arg-type]
        lines.append(
            f"get_provider_helper({py_literal(call.sdk_provider)}, task={py_literal(call.task.id)}, model={py_literal(call.sdk_model)}).base_url = "
            f"{py_literal(rewrite(helper.base_url, settings))}"
        )
    return "\n".join(lines) + "\n\n"


def python_hub(call: Call, settings: Settings) -> str:
    """Python with huggingface_hub's InferenceClient: the same provider, route and parameters as the app."""
    head = f"import os\n\n{python_demo([call], settings)}from huggingface_hub import InferenceClient\n\n"
    billing = f", bill_to={py_literal(call.bill_to)}" if call.bill_to else ""
    client = f"client = InferenceClient(provider={py_literal(call.sdk_provider)}, api_key=os.environ[{py_literal(call.key_variable)}]{billing})\n\n"
    if call.chat:
        invocation = _py_call("client.chat_completion", [f"model={py_literal(call.sdk_model)}", "messages=messages", *_keywords(hub_params(call))])
        return f"{head}{client}messages = {py_literal(call.args[0])}\n\n{_print_chat(invocation, call.stream, 'tools' in call.params)}\n"
    arguments = [py_input(a, call.file_name) for a in call.args]
    invocation = _py_call(f"client.{call.task.method}", [*arguments, f"model={py_literal(call.sdk_model)}", *_keywords(hub_params(call))])
    return f"{head}{client}output = {invocation}\n{get_kind(call.task.output).snippet}\n"


def _routed_note(call: Call, comment: str) -> str:
    if call.routing == "routed":
        return ""
    return f"{comment} Routed through Hugging Face with HF_TOKEN; the playground called {call.provider} directly with {call.key_variable}.\n"


def python_openai(call: Call, settings: Settings) -> str | None:
    """Python with the openai client against the router's OpenAI-compatible endpoint (chat only)."""
    if not call.chat:
        return None
    arguments = [f"model={py_literal(call.router_model)}", "messages=messages", *_keywords(_split(call.params, OPENAI_CHAT_PARAMS))]
    invocation = _py_call("client.chat.completions.create", arguments)
    return (
        f"{_routed_note(call, '#')}import os\n\nfrom openai import OpenAI\n\n"
        + (f"# Demo mode: the simulator answers at this base URL and takes any key.\nos.environ.setdefault('HF_TOKEN', {py_literal(DEMO_KEY)})\n\n" if redirected(settings) else "")
        + f'client = OpenAI(base_url={py_literal(settings.router_url + "/v1")}, api_key=os.environ["HF_TOKEN"]'
        + (f', default_headers={{"X-HF-Bill-To": {py_literal(call.bill_to)}}}' if call.bill_to else "")
        + ")\n\n"
        f"messages = {py_literal(call.args[0])}\n\n{_print_chat(invocation, call.stream, 'tools' in call.params)}\n"
    )


# ---- JavaScript and cURL ----


def _js(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _js_demo(settings: Settings) -> tuple[str, str]:
    """(a `fetch` that sends the live URLs to the simulator, the client option that uses it); nothing when live."""
    if not redirected(settings):
        return "", ""
    rules = [("^https:\\/\\/router\\.huggingface\\.co", settings.router_url), ("^https:\\/\\/huggingface\\.co", settings.hub_url)]
    if settings.direct_url:
        rules.append(("^https:\\/\\/([^/]+)", settings.direct_url + "/$1"))
    replaces = "".join(f"\n      .replace(/{pattern}/, {_js(target)})" for pattern, target in rules)
    block = (
        "// Demo mode: the playground answers from a simulator (or custom URLs), not the live services. This fetch sends\n"
        "// the live URLs there (polls of queued jobs too); delete it to call the real providers.\n"
        "const liveFetch = globalThis.fetch;\n"
        f"globalThis.fetch = (url, init) =>\n  liveFetch(\n    String(url instanceof Request ? url.url : url){replaces},\n"
        "    url instanceof Request ? url : init,\n  );\n\n"
    )
    return block, ""


def javascript(call: Call, settings: Settings) -> str | None:
    """JavaScript with @huggingface/inference; None for tasks whose input is not one text."""
    if not call.chat and not (len(call.args) == 1 and isinstance(call.args[0], str)):
        return None
    demo, option = _js_demo(settings)
    if call.bill_to:
        option += f", {{ billTo: {_js(call.bill_to)} }}"
    head = (
        f'import {{ InferenceClient }} from "@huggingface/inference";\n\n{demo}'
        f"const client = new InferenceClient(process.env.{call.key_variable}{f' ?? {_js(DEMO_KEY)}' if option else ''}{option});\n\n"
    )
    request = {"provider": call.sdk_provider, "model": call.sdk_model}
    if call.chat:
        body = _js({**request, "messages": call.args[0], **{k: v for k, v in call.params.items() if k != "stream"}})
        if call.stream:
            return (
                f"{head}const stream = client.chatCompletionStream({body});\n\n"
                "for await (const chunk of stream) {\n  const text = chunk.choices?.[0]?.delta?.content;\n"
                '  if (text) process.stdout.write(text);\n}\nprocess.stdout.write("\\n");\n'
            )
        return f"{head}const completion = await client.chatCompletion({body});\n\nconsole.log(completion.choices[0].message.content);\n"
    method = re.sub(r"_(\w)", lambda m: m.group(1).upper(), call.task.method)
    body = _js({**request, "inputs": call.args[0], "parameters": {**call.kwargs, **call.params}})
    return f"{head}const output = await client.{method}({body});\n\nconsole.log(output);\n"


def curl(call: Call, settings: Settings) -> str | None:
    """cURL against the router's OpenAI-compatible endpoint (chat only); the shell expands $HF_TOKEN."""
    if not call.chat:
        return None
    body = _js({"model": call.router_model, "messages": call.args[0], **call.params}).replace("'", "'\\''")
    return (
        f"{_routed_note(call, '#')}curl {settings.router_url}/v1/chat/completions{' --no-buffer' if call.stream else ''} \\\n"
        f'    -H "Authorization: Bearer {"${HF_TOKEN:-" + DEMO_KEY + "}" if redirected(settings) else "$HF_TOKEN"}" \\\n'
        + (f"    -H 'X-HF-Bill-To: {call.bill_to}' \\\n" if call.bill_to else "")
        + '    -H "Content-Type: application/json" \\\n'
        f"    -d '{body}'\n"
    )


def for_call(call: Call, settings: Settings) -> dict[str, str | None]:
    """Every snippet for one call, keyed like LANGUAGES; None where a language cannot express it."""
    found = {
        "python": python_hub(call, settings),
        "openai": python_openai(call, settings),
        "javascript": javascript(call, settings),
        "curl": curl(call, settings),
    }
    return {language: with_images(code, call.images, language) for language, code in found.items()}


def for_plan(plan: Plan, settings: Settings) -> dict[str, dict[str, str | None]]:
    """Snippets per provider of a plan: {provider: {language: code or None}}."""
    return {target.provider: for_call(Call.of(plan, target), settings) for target in plan.targets}
