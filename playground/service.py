"""The playground's operations, independent of any UI: what the Gradio handlers and the scriptable API call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import catalog, claims, costs, runner, stats
from .history import History
from .keys import keyring
from .model import CompareRequest, Comparison, Plan
from .planning import InvalidRequest, build_plan
from .ranking import sort_providers
from .settings import Settings
from .tasks import CHAT, Inputs, get_task


def read_input_file(path: str | Path | None) -> tuple[bytes | None, str]:
    if not path:
        return None, ""
    file = Path(path)
    if not file.is_file():
        raise InvalidRequest(f"input_file {str(path)!r} does not exist or is not a file.")
    return file.read_bytes(), file.name


@dataclass
class Playground:
    settings: Settings

    def models(self, task: str, search: str = "") -> list[str]:
        try:
            task_id = get_task(task).id
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        return catalog.list_models(self.settings, task_id, (search or "").strip())

    def providers(self, model: str, task: str, sort: str = "preference", preference: Sequence[str] = ()) -> list[dict[str, Any]]:
        try:
            task_ = get_task(task)
            found = catalog.providers(self.settings, (model or "").strip(), task_)
            return [p.to_json() for p in sort_providers(found, sort or "preference", preference)]
        except ValueError as error:
            raise InvalidRequest(str(error)) from None

    def plan(self, request: CompareRequest | None = None, /, **fields: Any) -> Plan:
        """Validate a request (or its fields as keywords) into a Plan; `InvalidRequest` names what is wrong."""
        request = request or CompareRequest(**fields)
        try:
            keys = keyring(self.settings, request.api_key, request.provider_keys, request.oauth_token)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        data, name = read_input_file(request.input_file)
        labels = request.labels.split(",") if isinstance(request.labels, str) else request.labels
        inputs = Inputs(
            prompt=request.prompt or "",
            system=request.system or "",
            file=data,
            file_name=name,
            labels=tuple(labels),
            context=request.context or "",
        )
        return build_plan(
            self.settings,
            task=request.task,
            model=request.model,
            providers=request.providers,
            inputs=inputs,
            params_json=request.params_json,
            keys=keys,
            runs=request.runs,
            warmup=request.warmup,
            bill_to=request.bill_to,
        )

    def cost_estimate(
        self, model: str, task: str, providers: Sequence[str], max_tokens: int, runs: int, prompt: str, warmup: bool
    ) -> costs.Estimate | None:
        """What a chat comparison would cost before it is sent; None when the model's providers are unknown."""
        try:
            offers = [p for p in self.providers(model, task) if p["provider"] in providers]
        except InvalidRequest:
            return None
        return costs.estimate(offers, max_tokens=max_tokens, runs=runs, prompt=prompt, warmup=warmup)

    def stream(self, plan: Plan, throttle_s: float = 0.1) -> AsyncIterator[Comparison]:
        return runner.stream(plan, throttle_s)

    async def compare(self, request: CompareRequest) -> dict[str, Any]:
        plan = self.plan(request)
        comparison = await runner.run(plan)
        await runner.in_thread(self.remember, comparison, plan)  # a disk write must not hold up other streams
        return {**comparison.to_json(), "summary": stats.summary(comparison)}

    def audit(self, model: str, live: Sequence[Comparison] = ()) -> list[dict[str, Any]]:
        """Advertised against observed tools and structured output, per provider, from history and `live`."""
        model = (model or "").strip()
        try:
            infos = catalog.providers(self.settings, model, CHAT)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        return claims.audit(infos, [*self.history.comparisons(model), *(c.to_json() for c in live)])

    def probe_estimate(self, model: str, providers: Sequence[str]) -> costs.Estimate:
        """Worst case of a probe: two requests per provider, each priced as the longer of the two probes."""
        offers = [p for p in self.providers(model, "conversational") if p["provider"] in set(providers)]
        prompt = max((claims.probe_prompt(aspect) for aspect in claims.PROBES), key=len)
        return costs.estimate(offers, max_tokens=claims.PROBE_MAX_TOKENS, runs=len(claims.PROBES), prompt=prompt)

    async def probe(self, *, model: str, providers: str | Sequence[str], **keys: Any) -> dict[str, Any]:
        """One tiny tool request and one tiny schema request to every provider, saved to history; then the audit."""
        plans = [
            self.plan(task="conversational", model=model, providers=providers, prompt=prompt,
                      params_json={**params, "max_tokens": claims.PROBE_MAX_TOKENS, "temperature": 0}, **keys)
            for prompt, params in claims.PROBES.values()
        ]
        estimate = self.probe_estimate(model, [t.provider for t in plans[0].targets])
        done = await asyncio.gather(*(runner.run(plan) for plan in plans))
        for comparison, plan in zip(done, plans):
            await runner.in_thread(self.remember, comparison, plan)
        audit = await runner.in_thread(self.audit, model)
        return {"estimate": estimate.to_json(), "audit": audit, "comparisons": [c.to_json() for c in done]}

    def remember(self, comparison: Comparison, plan: Plan) -> str | None:
        """Save to history (keys refused by the store); a full disk never loses the answer on screen."""
        try:
            return self.history.save(comparison, secrets=plan.secrets)
        except Exception as error:
            comparison.warnings.append(f"not saved to history: {type(error).__name__}")
            return None

    @cached_property
    def history(self) -> History:
        return History.of(self.settings)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
