"""Chat messages: the user's turn as sent (text, or text and an image as a data URI) and the earlier turns of a
conversation (`/compare`'s `conversation_json`), checked strictly: a Space visitor is hostile, so every message is
read as data, its size is bounded, and an error names the message and what is wrong with it."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .kinds.media import sniff

if TYPE_CHECKING:
    from .model import Plan, Result

Message = dict[str, Any]
Thread = tuple[Message, ...]

MAX_CONVERSATION_CHARS = 8_000_000  # conversation_json as text (images are base64 in it)
MAX_TURNS = 50  # user/assistant pairs in one thread
MAX_THREAD_CHARS = 200_000  # the text of one thread, with the new prompt and the system prompt
MAX_THREAD_IMAGES = 8
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # one image in a chat message, decoded (an upload or a data URI)
IMAGE_FORMATS = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
_EXAMPLE = '[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]'


class BadConversation(ValueError):
    """conversation_json (or a chat image) is not what the playground takes; the message says what to fix."""


def image_part(data: bytes, name: str = "the image") -> Message:
    """An `image_url` content part carrying `data` as a base64 data URI (PNG, JPEG, GIF or WebP, within the cap)."""
    found = sniff(data)
    if not found or found[0] != "image" or found[1] not in IMAGE_FORMATS:
        raise BadConversation(f"{name} must be a PNG, JPEG, GIF or WebP image for chat, got {found[1] if found else 'an unknown format'}.")
    if len(data) > MAX_IMAGE_BYTES:
        raise BadConversation(f"{name} is {len(data) / 2**20:.1f} MB; chat takes images up to {MAX_IMAGE_BYTES // 2**20} MB.")
    url = f"data:{IMAGE_FORMATS[found[1]]};base64,{base64.b64encode(data).decode('ascii')}"
    return {"type": "image_url", "image_url": {"url": url}}


def user_message(prompt: str, image: bytes | None = None) -> Message:
    """The user's turn: its text, plus the image as a content part when one is attached."""
    if not image:
        return {"role": "user", "content": prompt}
    return {"role": "user", "content": [{"type": "text", "text": prompt}, image_part(image)]}


def text_of(content: Any) -> str:
    """A message's text: the content string, or its text parts joined."""
    if isinstance(content, str):
        return content
    return " ".join(p["text"] for p in content or () if isinstance(p, dict) and p.get("type") == "text")


def images_in(content: Any) -> int:
    return sum(1 for p in content if p.get("type") == "image_url") if isinstance(content, list) else 0


# ---- conversation_json ----


def parse(raw: str | Sequence[Any] | Mapping[str, Any] | None, providers: Sequence[str], extra_chars: int = 0) -> dict[str, Thread]:
    """Each provider's earlier messages: a JSON list goes to every provider, an object `{provider: [messages]}`
    gives each its own thread (every provider of the comparison, no other). `extra_chars`: the new prompt and the
    system prompt, counted in each thread's size. Empty → no earlier turns."""
    value = _loaded(raw)
    if value is None or value in ([], {}):
        return {}
    if isinstance(value, list):
        thread = _thread(value, "conversation_json", extra_chars)
        return {name: thread for name in providers}
    if not isinstance(value, dict):
        raise BadConversation(f"conversation_json must be a list of messages like {_EXAMPLE}, or an object of such lists by provider; got {type(value).__name__}.")
    unknown = [str(name)[:40] for name in value if name not in providers]
    if unknown:
        raise BadConversation(f"conversation_json has threads for {', '.join(unknown)}, not in this comparison (its providers: {', '.join(providers)}).")
    missing = [name for name in providers if name not in value]
    if missing:
        raise BadConversation(f"conversation_json has no thread for {', '.join(missing)}: give each provider its list ([] starts it fresh).")
    return {name: _thread(value[name], f"conversation_json[{name!r}]", extra_chars) for name in providers}


def _loaded(raw: str | Sequence[Any] | Mapping[str, Any] | None) -> Any:
    if raw is None:
        return None
    if not isinstance(raw, str):
        text = json.dumps(raw, default=str)
        value: Any = raw
    else:
        if not raw.strip():
            return None
        text = raw
    if len(text) > MAX_CONVERSATION_CHARS:
        raise BadConversation(f"conversation_json is {len(text):,} characters; the playground takes at most {MAX_CONVERSATION_CHARS:,}.")
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise BadConversation(f"conversation_json is not valid JSON ({error.msg} at position {error.pos}); expected a list like {_EXAMPLE}.") from None
    return value


def _thread(messages: Any, where: str, extra_chars: int) -> Thread:
    """One thread: user and assistant messages in turn, from a user message to an assistant answer (the prompt is the next user message)."""
    if not isinstance(messages, list):
        raise BadConversation(f"{where} must be a list of messages like {_EXAMPLE}, got {type(messages).__name__}.")
    if len(messages) > 2 * MAX_TURNS:
        raise BadConversation(f"{where} has {len(messages):,} messages; a thread takes at most {2 * MAX_TURNS} ({MAX_TURNS} turns).")
    thread = tuple(_message(m, f"{where}[{i}]", "user" if i % 2 == 0 else "assistant") for i, m in enumerate(messages))
    if thread and thread[-1]["role"] != "assistant":
        raise BadConversation(f"{where} must end with an assistant answer: the prompt is the next user message.")
    chars = extra_chars + sum(len(text_of(m["content"])) for m in thread)
    if chars > MAX_THREAD_CHARS:
        raise BadConversation(f"{where} holds {chars:,} characters with the prompt and system prompt; a thread takes at most {MAX_THREAD_CHARS:,}.")
    images = sum(images_in(m["content"]) for m in thread)
    if images > MAX_THREAD_IMAGES:
        raise BadConversation(f"{where} has {images} images; a thread takes at most {MAX_THREAD_IMAGES}.")
    return thread


def _message(message: Any, where: str, role: str) -> Message:
    if not isinstance(message, dict):
        raise BadConversation(f"{where} must be an object {{\"role\", \"content\"}}, got {type(message).__name__}.")
    extra = sorted(set(message) - {"role", "content"})
    if extra:
        raise BadConversation(f"{where} has fields the playground does not send: {', '.join(map(str, extra))[:80]} (only role and content).")
    given = message.get("role")
    if given == "system":
        raise BadConversation(f"{where} is a system message: give the system prompt as `system`, not in conversation_json.")
    if given not in ("user", "assistant"):
        raise BadConversation(f"{where}.role must be 'user' or 'assistant', got {str(given)[:40]!r}.")
    if given != role:
        raise BadConversation(f"{where} should be a {role} message (turns go user, assistant, user, …), got {given!r}.")
    content = message.get("content")
    if role == "assistant":
        if not isinstance(content, str) or not content.strip():
            raise BadConversation(f"{where}.content must be the answer's text (a non-empty string).")
        return {"role": role, "content": content}
    return {"role": role, "content": _user_content(content, where)}


def _user_content(content: Any, where: str) -> str | list[Message]:
    if isinstance(content, str):
        if not content.strip():
            raise BadConversation(f"{where}.content is empty.")
        return content
    if not isinstance(content, list) or not content:
        raise BadConversation(f"{where}.content must be text, or a list of text and image_url parts.")
    parts = [_part(part, f"{where}.content[{i}]") for i, part in enumerate(content)]
    if not any(p["type"] == "text" and p["text"].strip() for p in parts):
        raise BadConversation(f"{where}.content has no text part: say something with the image.")
    return parts


def _part(part: Any, where: str) -> Message:
    kind = part.get("type") if isinstance(part, dict) else None
    if kind == "text" and set(part) == {"type", "text"} and isinstance(part["text"], str):
        return {"type": "text", "text": part["text"]}
    if kind == "image_url" and set(part) == {"type", "image_url"}:
        holder = part["image_url"]
        url = holder.get("url") if isinstance(holder, dict) else None
        if isinstance(url, str):
            return image_part(_decoded(url, where), where)
    raise BadConversation(f"{where} must be {{\"type\": \"text\", \"text\": …}} or {{\"type\": \"image_url\", \"image_url\": {{\"url\": \"data:image/png;base64,…\"}}}}.")


def _decoded(url: str, where: str) -> bytes:
    head, sep, data = url.partition(";base64,")
    if not sep or head not in {f"data:{mime}" for mime in IMAGE_FORMATS.values()}:
        raise BadConversation(f"{where}: an image must be a base64 data URI (data:image/png;base64,…); the playground sends no links.")
    if len(data) > (MAX_IMAGE_BYTES * 4) // 3 + 4:
        raise BadConversation(f"{where}: the image is over {MAX_IMAGE_BYTES // 2**20} MB; chat takes images up to that.")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise BadConversation(f"{where}: the image's base64 does not decode.") from None


def threads_after(plan: Plan, results: Sequence[Result]) -> dict[str, list[Message]]:
    """Each provider's thread once this turn is over: its earlier turns, the message and the answer of its first
    counted run that gave one; a provider with no answer keeps its thread as it was (the failed turn is left out)."""
    if plan.turn is None:
        return {}
    threads = {t.provider: list(plan.history.get(t.provider, ())) for t in plan.targets}
    answered: set[str] = set()
    for result in results:
        if result.ok and not result.warmup and (result.text or "").strip() and result.provider not in answered:
            answered.add(result.provider)
            threads[result.provider] += [plan.turn, {"role": "assistant", "content": result.text}]
    return threads


def without_images(messages: Sequence[Message]) -> list[Message]:
    """The messages with each image part's data replaced by what it was (for history: images are not kept)."""
    kept = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            content = [_described(p) if p.get("type") == "image_url" else p for p in content]
        kept.append({**message, "content": content})
    return kept


def _described(part: Message) -> Message:
    url = str((part.get("image_url") or {}).get("url", ""))
    kind = url[5 : url.find(";")] if url.startswith("data:") and ";" in url else "image"
    size = len(url.partition(";base64,")[2]) * 3 // 4
    return {"type": "text", "text": f"[image not kept in history: {kind}, about {size:,} bytes]"}
