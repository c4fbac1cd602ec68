"""The playground's operations, independent of any UI: what the Gradio handlers and the scriptable API call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import catalog, runner, stats
from .history import History
from .keys import keyring
from .planning import InvalidRequest, build_plan
from .ranking import sort_providers
from .results import Comparison
from .runner import Plan
from .settings import Settings
from .tasks import Inputs, get_task


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

    def plan(
        self,
        *,
        task: str,
        model: str,
        providers: str | Sequence[str] | None,
        prompt: str = "",
        system: str = "",
        input_file: str | Path | None = None,
        api_key: str = "",
        provider_keys: str | Mapping[str, str] | None = None,
        oauth_token: str = "",
        params_json: str | Mapping[str, Any] | None = None,
        runs: int = 1,
        warmup: bool = False,
        labels: str | Sequence[str] = "",
        context: str = "",
    ) -> Plan:
        try:
            keys = keyring(self.settings, api_key, provider_keys, oauth_token)
        except ValueError as error:
            raise InvalidRequest(str(error)) from None
        data, name = read_input_file(input_file)
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

    def stream(self, plan: Plan, throttle_s: float = 0.1) -> AsyncIterator[Comparison]:
        return runner.stream(plan, throttle_s)

    async def compare(self, **request: Any) -> dict[str, Any]:
        plan = self.plan(**request)
        comparison = await runner.run(plan)
        await runner.in_thread(self.remember, comparison, plan)  # a disk write must not hold up other streams
        return {**comparison.to_json(), "summary": stats.summary(comparison)}

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
