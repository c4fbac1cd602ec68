"""The playground's operations, independent of any UI: what the Gradio handlers and the scriptable API call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import catalog, runner, stats
from .history import LOCAL, History
from .keys import keyring
from .planning import InvalidRequest, build_plan, check_sizes
from .ranking import sort_providers
from .results import Comparison
from .runner import Plan
from .settings import Settings
from .tasks import Inputs, get_task
from .uploads import read_upload


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

    def plan(
        self,
        *,
        task: str,
        model: str,
        providers: str | Sequence[str] | None,
        prompt: str = "",
        system: str = "",
        input_file: str | Path | None = None,
        uploaded: Collection[str] | None = None,
        api_key: str = "",
        provider_keys: str | Mapping[str, str] | None = None,
        oauth_token: str = "",
        params_json: str | Mapping[str, Any] | None = None,
        runs: int = 1,
        warmup: bool = False,
        labels: str | Sequence[str] = "",
        context: str = "",
    ) -> Plan:
        check_sizes(prompt=prompt, system=system, labels=labels, context=context, providers=providers, provider_keys=provider_keys, params_json=params_json)
        try:
            keys = keyring(self.settings, api_key, provider_keys, oauth_token)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        data, name = read_upload(input_file, uploaded)
        if isinstance(labels, str):
            labels = labels.split(",")
        inputs = Inputs(
            prompt=prompt or "", system=system or "", file=data, file_name=name, labels=tuple(labels), context=context or ""
        )
        return build_plan(
            self.settings,
            task=task,
            model=model,
            providers=providers,
            inputs=inputs,
            params_json=params_json,
            keys=keys,
            runs=runs,
            warmup=warmup,
        )

    def stream(self, plan: Plan, throttle_s: float = 0.1, alive: runner.Alive | None = None) -> AsyncIterator[Comparison]:
        return runner.stream(plan, throttle_s, alive)

    async def compare(self, owner: str | None = LOCAL, alive: runner.Alive | None = None, **request: Any) -> dict[str, Any]:
        """`owner`: whose history it goes to (None: nobody's); `alive`: False once the caller went away (then it stops)."""
        plan = self.plan(**request)
        comparison = await runner.run(plan, alive)
        await self.remember(comparison, plan, owner)
        return {**comparison.to_json(), "summary": stats.summary(comparison)}

    async def remember(self, comparison: Comparison, plan: Plan, owner: str | None = LOCAL) -> str | None:
        """Save to `owner`'s history in a worker thread (a locked or full disk never stalls anyone, nor loses the
        answer on screen: it becomes a warning). `owner` None (an anonymous API client on a Space): not saved."""
        if owner is None:
            return None
        try:
            return await runner.in_thread(lambda: self.history_of(owner).save(comparison, plan.secrets))
        except Exception as error:  # noqa: BLE001
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
