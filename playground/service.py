"""The playground's operations, independent of any UI: what the Gradio handlers and the scriptable API call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import catalog, claims, costs, runner, stats, workers
from .history import LOCAL, History
from .inputs import Inputs
from .keys import keyring
from .model import CompareRequest, Comparison, Plan
from .planning import InvalidRequest, build_plan, check_sizes
from .ranking import sort_providers
from .settings import Settings
from .tasks import CHAT, get_task
from .uploads import read_upload

MAX_SEARCH_CHARS = 200


@dataclass
class Playground:
    settings: Settings
    _saving: dict[str, asyncio.Future[Any]] = field(default_factory=dict, init=False, repr=False)  # stopped, being saved

    def models(self, task: str, search: str = "") -> list[str]:
        return list(self.tagged_models(task, search))

    def tagged_models(self, task: str, search: str = "") -> dict[str, str]:
        """`models`, each with the Hub pipeline tag it was found under (`image-text-to-text`: a vision model)."""
        if len(search or "") > MAX_SEARCH_CHARS:
            raise InvalidRequest(f"search is {len(search):,} characters; the playground takes at most {MAX_SEARCH_CHARS}.")
        try:
            task_id = get_task(task).id
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        return catalog.tagged_models(self.settings, task_id, (search or "").strip())

    def providers(self, model: str, task: str, sort: str = "preference", preference: Sequence[str] = ()) -> list[dict[str, Any]]:
        try:
            task_ = get_task(task)
            found = catalog.providers(self.settings, (model or "").strip(), task_)
            return [p.to_json() for p in sort_providers(found, sort or "preference", preference)]
        except ValueError as error:
            raise InvalidRequest(str(error)) from None

    def plan(self, request: CompareRequest | None = None, /, uploaded: Collection[str] | None = None, **fields: Any) -> Plan:
        """Validate a request (or its fields as keywords) into a Plan; `InvalidRequest` names what is wrong.
        `uploaded`: the paths uploaded to the app (the API's `input_file` must be one of them)."""
        request = request or CompareRequest(**fields)
        check_sizes(prompt=request.prompt, system=request.system, labels=request.labels, context=request.context,
                    providers=request.providers, provider_keys=request.provider_keys, params_json=request.params_json)
        try:
            keys = keyring(self.settings, request.api_key, request.provider_keys, request.oauth_token)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        data, name = read_upload(request.input_file, uploaded)
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
            conversation_json=request.conversation_json,
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

    async def stream(
        self, plan: Plan, throttle_s: float = 0.1, alive: runner.Alive | None = None, owner: str | None = LOCAL
    ) -> AsyncIterator[Comparison]:
        """The comparison as it fills in (see runner.stream), saved to `owner`'s history once all its calls ended;
        stopped (Stop, or the caller gone), what had finished is saved before the cancellation goes on."""
        comparison, saved = None, False
        try:
            async for comparison in runner.stream(plan, throttle_s, alive):
                if comparison.finished_at is not None:  # the last update: every call ended by itself
                    await self.remember(comparison, plan, owner)
                    saved = True
                yield comparison
        except (asyncio.CancelledError, GeneratorExit):
            if comparison is not None and not saved and any(r.state in ("done", "error") for r in comparison.results):
                await self._keep(comparison, plan, owner)
            raise

    async def _keep(self, comparison: Comparison, plan: Plan, owner: str | None) -> None:
        """Save a stopped comparison; shielded, so a second cancellation cannot cut the save short (it finishes alone)."""
        saving = self._saving[comparison.id] = asyncio.ensure_future(self.remember(comparison, plan, owner))
        saving.add_done_callback(lambda _: self._saving.pop(comparison.id, None))
        await asyncio.shield(saving)

    async def saved(self, comparison: Comparison) -> None:
        """Once a stopped comparison's save (if one is under way) is done: what shows history next lists it."""
        if (saving := self._saving.get(comparison.id)) is not None:
            await asyncio.shield(saving)

    async def compare(
        self, request: CompareRequest, owner: str | None = LOCAL, alive: runner.Alive | None = None, uploaded: Collection[str] | None = None
    ) -> dict[str, Any]:
        """`owner`: whose history it goes to (None: nobody's); `alive`: False once the caller went away (then it stops)."""
        plan = self.plan(request, uploaded=uploaded)
        comparison = await runner.run(plan, alive)
        await self.remember(comparison, plan, owner)
        return {**comparison.to_json(), "summary": stats.summary(comparison)}

    def audit(self, model: str, live: Sequence[Comparison] = (), owner: str | None = LOCAL) -> list[dict[str, Any]]:
        """Advertised against observed tools and structured output, per provider, from `owner`'s history and `live`."""
        model = (model or "").strip()
        try:
            infos = catalog.providers(self.settings, model, CHAT)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        saved = self.history_of(owner).comparisons(model) if owner is not None else []
        return claims.audit(infos, [c.to_json() for c in (*saved, *live)])

    def probe_estimate(self, model: str, providers: Sequence[str]) -> costs.Estimate:
        """Worst case of a probe: two requests per provider, each priced as the longer of the two probes."""
        offers = [p for p in self.providers(model, "conversational") if p["provider"] in set(providers)]
        prompt = max((claims.probe_prompt(aspect) for aspect in claims.PROBES), key=len)
        return costs.estimate(offers, max_tokens=claims.PROBE_MAX_TOKENS, runs=len(claims.PROBES), prompt=prompt)

    async def probe(self, *, model: str, providers: str | Sequence[str], owner: str | None = LOCAL, **keys: Any) -> dict[str, Any]:
        """One tiny tool request and one tiny schema request to every provider, saved to history; then the audit."""
        plans = [
            self.plan(task="conversational", model=model, providers=providers, prompt=prompt,
                      params_json={**params, "max_tokens": claims.PROBE_MAX_TOKENS, "temperature": 0}, **keys)
            for prompt, params in claims.PROBES.values()
        ]
        estimate = self.probe_estimate(model, [t.provider for t in plans[0].targets])
        done = await asyncio.gather(*(runner.run(plan) for plan in plans))
        for comparison, plan in zip(done, plans):
            await self.remember(comparison, plan, owner)
        audit = await workers.in_thread(self.audit, model, done if owner is None else (), owner)  # unsaved: count them here
        return {"estimate": estimate.to_json(), "audit": audit, "comparisons": [c.to_json() for c in done]}

    async def remember(self, comparison: Comparison, plan: Plan, owner: str | None = LOCAL) -> str | None:
        """Save to `owner`'s history in a worker thread (a locked or full disk never stalls anyone, nor loses the
        answer on screen: it becomes a warning). `owner` None (an anonymous API client on a Space): not saved."""
        if owner is None:
            return None
        try:
            return await workers.in_thread(lambda: self.history_of(owner).save(comparison, plan.secrets))
        except Exception as error:
            comparison.warnings.append(f"not saved to history: {type(error).__name__}")
            return None

    def history_of(self, owner: str) -> History:
        """The history `owner` may see (see `visitors.owner`)."""
        return self.history.of_owner(owner)

    @cached_property
    def history(self) -> History:
        """The local user's history (the owner of everything when the app runs locally)."""
        return History.of(self.settings)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
