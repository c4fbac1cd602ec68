"""The scriptable API: named endpoints callable with gradio_client. Keyword names are part of the contract."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

import gradio as gr

from .. import visitors
from ..model import CompareRequest
from ..planning import InvalidRequest
from ..runner import Alive
from ..service import Playground

# What the UI alone gives: the signed-in visitor's token (never taken from an API caller).
UI_ONLY = ("oauth_token",)
API_FIELDS = tuple(f.name for f in dataclass_fields(CompareRequest) if f.name not in UI_ONLY)


def root_blocks() -> gr.Blocks:
    """The Blocks being built; handlers registered outside one have no queue or uploads to consult."""
    blocks = gr.context.Context.root_block
    if blocks is None:
        raise RuntimeError("called outside `with gr.Blocks():`")
    return blocks


def caller_alive(blocks: gr.Blocks, request: gr.Request | None) -> Alive | None:
    """False once every queued event of this caller's session is gone (tab closed, client disconnected)."""
    session = request.session_hash if request else None
    if session is None:
        return None

    def alive() -> bool:
        return any(event.alive for jobs in blocks._queue.active_jobs if jobs for event in jobs if event.session_hash == session)

    return alive


def register(playground: Playground) -> None:
    """Add `/models`, `/providers`, `/compare`, `/audit` and `/probe` to the Blocks being built."""
    _register_listings(playground)
    _register_compare(playground, root_blocks())
    _register_claims(playground)


def _refused(error: InvalidRequest) -> gr.Error:
    return gr.Error(str(error), print_exception=False)


def _register_listings(playground: Playground) -> None:
    def models(task: str = "conversational", search: str = "") -> list[str]:
        """Ids of models served by at least one provider for `task`, optionally filtered by `search`."""
        try:
            return playground.models(task, search)
        except InvalidRequest as error:
            raise _refused(error) from None

    def providers(model: str, task: str = "conversational", sort: str = "preference") -> list[dict]:
        """One object per provider the Hub lists for `model` and `task`, sorted by `sort`."""
        try:
            return playground.providers(model, task, sort)
        except InvalidRequest as error:
            raise _refused(error) from None

    gr.api(models, api_name="models")
    gr.api(providers, api_name="providers")


def _register_compare(playground: Playground, blocks: gr.Blocks) -> None:
    """`blocks.upload_file_set`: the files uploaded to this app, the only ones `/compare` reads."""

    async def compare(
        task: str,
        model: str,
        providers: list[str] | str,
        prompt: str = "",
        input_file: dict | str | None = None,
        api_key: str = "",
        provider_keys: str = "",
        params_json: str = "",
        runs: int = 1,
        labels: str = "",
        context: str = "",
        warmup: bool = False,
        system: str = "",
        bill_to: str = "",
        conversation_json: str = "",
        profile: gr.OAuthProfile | None = None,
        request: gr.Request | None = None,
    ) -> dict:
        """Send one request to every provider in `providers` at once; one result per provider and run.

        `providers` may also name chat routing policies (`auto`, `:fastest`, `:cheapest`, `:preferred`).
        `labels` (comma-separated) and `context` feed the tasks that need them (zero-shot, question answering,
        sentence similarity); `warmup` adds one uncounted run first. `system` is the chat system prompt; `bill_to`
        an organisation to bill routed calls to (X-HF-Bill-To), shown on each routed result. `conversation_json`
        (chat): the earlier turns, a JSON list of messages sent to every provider or `{provider: [messages]}`; the
        answer's `threads` are each provider's thread after this turn, ready to send back.
        """
        fields = {name: value for name, value in locals().items() if name in API_FIELDS}  # the keywords above
        if isinstance(input_file, dict):
            fields["input_file"] = input_file.get("path")
        try:
            return await playground.compare(CompareRequest(**fields), owner=visitors.owner(playground.settings, profile),
                                            alive=caller_alive(blocks, request), uploaded=blocks.upload_file_set)
        except InvalidRequest as error:
            raise _refused(error) from None

    gr.api(compare, api_name="compare")


def _register_claims(playground: Playground) -> None:
    def audit(model: str, profile: gr.OAuthProfile | None = None) -> list[dict]:
        """Per provider of `model` (chat): what the router advertises (`supports_tools`, `supports_structured_output`,
        `context_length`) beside what was observed in saved comparisons: `tools` and `structured` =
        `{observed: "yes" | "no" | "not tried", passed, tried, why}`, and `holds` (no advertised claim contradicted)."""
        try:
            return playground.audit(model, owner=visitors.owner(playground.settings, profile))
        except InvalidRequest as error:
            raise _refused(error) from None

    async def probe(
        model: str, providers: list[str] | str, api_key: str = "", provider_keys: str = "", dry_run: bool = False, profile: gr.OAuthProfile | None = None
    ) -> dict:
        """One tiny tool request and one tiny json_schema request to each provider, saved to history, then the audit.
        `estimate` is the worst-case cost, worked out before anything is sent; `dry_run` returns only that."""
        try:
            if dry_run:
                names = [n.strip() for n in providers.split(",")] if isinstance(providers, str) else list(providers)
                return {"estimate": playground.probe_estimate(model, names).to_json()}
            return await playground.probe(model=model, providers=providers, api_key=api_key, provider_keys=provider_keys,
                                          owner=visitors.owner(playground.settings, profile))
        except InvalidRequest as error:
            raise _refused(error) from None

    gr.api(audit, api_name="audit")
    gr.api(probe, api_name="probe")
