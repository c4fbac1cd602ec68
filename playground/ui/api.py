"""The scriptable API: named endpoints callable with gradio_client. Keyword names are part of the contract."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

import gradio as gr

from ..model import CompareRequest
from ..planning import InvalidRequest
from ..service import Playground

# What the UI alone gives: the signed-in visitor's token (never taken from an API caller).
UI_ONLY = ("oauth_token",)
API_FIELDS = tuple(f.name for f in dataclass_fields(CompareRequest) if f.name not in UI_ONLY)


def register(playground: Playground) -> None:
    """Add `/models`, `/providers`, `/compare`, `/audit` and `/probe` to the Blocks being built."""

    def models(task: str = "conversational", search: str = "") -> list[str]:
        """Ids of models served by at least one provider for `task`, optionally filtered by `search`."""
        try:
            return playground.models(task, search)
        except InvalidRequest as error:
            raise gr.Error(str(error), print_exception=False) from None

    def providers(model: str, task: str = "conversational", sort: str = "preference") -> list[dict]:
        """One object per provider the Hub lists for `model` and `task`, sorted by `sort`."""
        try:
            return playground.providers(model, task, sort)
        except InvalidRequest as error:
            raise gr.Error(str(error), print_exception=False) from None

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
    ) -> dict:
        """Send one request to every provider in `providers` at once; one result per provider and run.

        `providers` may also name chat routing policies (`auto`, `:fastest`, `:cheapest`, `:preferred`).
        `labels` (comma-separated) and `context` feed the tasks that need them (zero-shot, question answering,
        sentence similarity); `warmup` adds one uncounted run first. `system` is the chat system prompt; `bill_to`
        an organisation to bill routed calls to (X-HF-Bill-To), shown on each routed result.
        """
        fields = {name: value for name, value in locals().items() if name in API_FIELDS}  # the keywords above
        if isinstance(input_file, dict):
            fields["input_file"] = input_file.get("path")
        try:
            fields["runs"] = int(runs)
        except (TypeError, ValueError):
            raise gr.Error(f"runs must be a whole number from 1 to 20, got {runs!r}", print_exception=False) from None
        try:
            return await playground.compare(CompareRequest(**{**fields, "warmup": bool(warmup)}))
        except InvalidRequest as error:
            raise gr.Error(str(error), print_exception=False) from None

    def audit(model: str) -> list[dict]:
        """Per provider of `model` (chat): what the router advertises (`supports_tools`, `supports_structured_output`,
        `context_length`) beside what was observed in saved comparisons: `tools` and `structured` =
        `{observed: "yes" | "no" | "not tried", passed, tried, why}`, and `holds` (no advertised claim contradicted)."""
        try:
            return playground.audit(model)
        except InvalidRequest as error:
            raise gr.Error(str(error), print_exception=False) from None

    async def probe(model: str, providers: list[str] | str, api_key: str = "", provider_keys: str = "", dry_run: bool = False) -> dict:
        """One tiny tool request and one tiny json_schema request to each provider, saved to history, then the audit.
        `estimate` is the worst-case cost, worked out before anything is sent; `dry_run` returns only that."""
        try:
            if dry_run:
                names = [n.strip() for n in providers.split(",")] if isinstance(providers, str) else list(providers)
                return {"estimate": playground.probe_estimate(model, names).to_json()}
            return await playground.probe(model=model, providers=providers, api_key=api_key, provider_keys=provider_keys)
        except InvalidRequest as error:
            raise gr.Error(str(error), print_exception=False) from None

    gr.api(models, api_name="models")
    gr.api(providers, api_name="providers")
    gr.api(compare, api_name="compare")
    gr.api(audit, api_name="audit")
    gr.api(probe, api_name="probe")
