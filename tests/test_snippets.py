"""Snippets: valid code, exact parameters, keys only from the environment, and the same answer as the app on the simulator."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys

import pytest

from playground import rerun, runner, snippets
from playground.catalog import ProviderInfo
from playground.inputs import Inputs
from playground.keys import DEMO_TOKEN, Credential
from playground.model import Plan, Target
from playground.settings import Settings
from playground.tasks import get_task

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
HF_KEY = "hf_" + "K" * 34
GROQ_KEY = "gsk_groq_secret_key_0123456789"
DEMO = Settings(demo=True, hub_url="http://127.0.0.1:9", router_url="http://127.0.0.1:9/router", direct_url="http://127.0.0.1:9/direct")
PARAMS = {"max_tokens": 40, "temperature": 0.0, "seed": 7, "top_p": None, "stream": True}


def target(provider: str, key: str = HF_KEY, via: str = "sdk") -> Target:
    info = ProviderInfo(provider=provider, provider_id=f"{provider}/model", status="live", callable=True, via=via)  # type: ignore[arg-type]
    return Target(provider, info, Credential(key, "typed"))


def plan(*targets: Target, task: str = "chat", params: dict | None = None, prompt: str = "What's the capital of France?", **inputs) -> Plan:
    return Plan(
        task=get_task(task),
        model=MODEL,
        inputs=Inputs(prompt=prompt, **{"system": "Be brief.", **inputs} if task == "chat" else inputs),
        params=PARAMS if params is None else params,
        targets=targets,
        runs=2,
        secrets=(HF_KEY, GROQ_KEY),
    )


def all_snippets(item: Plan, settings: Settings | None = None) -> list[str]:
    settings = settings or Settings()
    found = [code for per_provider in snippets.for_plan(item, settings).values() for code in per_provider.values() if code]
    return [*found, rerun.comparison_script(item, settings)]


def test_routed_python_reads_hf_token_and_sends_the_exact_parameters():
    code = snippets.for_plan(plan(target("together")), Settings())["together"]["python"]
    compile(code, "snippet.py", "exec")
    assert 'InferenceClient(provider="together", api_key=os.environ["HF_TOKEN"])' in code
    assert '{"role": "system", "content": "Be brief."}' in code
    assert '{"role": "user", "content": "What\'s the capital of France?"}' in code
    for line in ("max_tokens=40,", "temperature=0.0,", "seed=7,", "stream=True,"):
        assert line in code
    assert "top_p" not in code  # unset parameters are not sent
    assert "Demo mode" not in code and "router.huggingface.co" not in code  # live: the SDK's own URLs


def test_direct_calls_read_the_providers_own_key():
    code = snippets.for_plan(plan(target("groq", GROQ_KEY)), Settings())["groq"]
    assert 'api_key=os.environ["GROQ_API_KEY"]' in code["python"]
    assert "process.env.GROQ_API_KEY" in code["javascript"]
    assert "called groq directly with GROQ_API_KEY" in code["openai"] and "$HF_TOKEN" in code["curl"]
    assert snippets.key_variable("fireworks-ai") == "FIREWORKS_AI_API_KEY"


def test_router_only_providers_and_policies_go_through_the_router_as_model_suffixes():
    code = snippets.for_plan(plan(target("sambanova", via="router"), target(":fastest"), target("auto")), Settings())
    assert 'InferenceClient(provider="auto"' in code["sambanova"]["python"]
    assert f'model="{MODEL}:sambanova"' in code["sambanova"]["python"]
    assert f'model="{MODEL}:fastest"' in code[":fastest"]["python"] and f'"model": "{MODEL}:fastest"' in code[":fastest"]["curl"]
    assert f'model="{MODEL}",' in code["auto"]["openai"]
    assert f'model="{MODEL}:sambanova"' in code["sambanova"]["openai"]


def test_openai_and_curl_use_the_router_url_from_settings():
    live = snippets.for_plan(plan(target("novita")), Settings())["novita"]
    assert 'base_url="https://router.huggingface.co/v1"' in live["openai"]
    assert "curl https://router.huggingface.co/v1/chat/completions --no-buffer" in live["curl"]
    custom = Settings(router_url="http://127.0.0.1:9/router")
    code = snippets.for_plan(plan(target("novita")), custom)["novita"]
    assert 'base_url="http://127.0.0.1:9/router/v1"' in code["openai"]
    assert 'constants.INFERENCE_PROXY_TEMPLATE = "http://127.0.0.1:9/router/{provider}"' in code["python"]


def test_parameters_the_client_does_not_name_go_in_extra_body():
    code = snippets.for_plan(plan(target("novita"), params={**PARAMS, "repetition_penalty": 1.1}), Settings())["novita"]
    assert 'extra_body={"repetition_penalty": 1.1},' in code["python"]
    assert 'extra_body={"repetition_penalty": 1.1},' in code["openai"]
    assert '"repetition_penalty": 1.1' in code["curl"] and '"repetition_penalty": 1.1' in code["javascript"]


def test_non_chat_tasks_have_python_and_javascript_only():
    code = snippets.for_plan(plan(target("fal-ai"), task="text-to-image", params={"width": 512}, prompt="a red fox"), Settings())["fal-ai"]
    compile(code["python"], "snippet.py", "exec")
    assert "client.text_to_image(" in code["python"] and "width=512," in code["python"] and 'output.save("output.png")' in code["python"]
    assert "client.textToImage(" in code["javascript"]
    assert code["openai"] is None and code["curl"] is None
    image = snippets.for_plan(plan(target("hf-inference"), task="image-classification", params={}, file=b"\x89PNG", file_name="cat.png"), Settings())
    assert 'open("cat.png", "rb").read(),' in image["hf-inference"]["python"] and image["hf-inference"]["javascript"] is None


def test_no_key_in_any_snippet_even_when_pasted_into_the_prompt():
    item = plan(target("together"), target("groq", GROQ_KEY), target("sambanova", via="router"), prompt=f"my keys: {HF_KEY} {GROQ_KEY}")
    for settings in (Settings(), DEMO):
        for code in all_snippets(item, settings):
            assert HF_KEY not in code and GROQ_KEY not in code
        assert "my keys: hf_…KKKK …6789" in snippets.for_plan(item, settings)["together"]["python"]


def test_python_snippets_and_script_compile():
    item = plan(target("together"), target("groq", GROQ_KEY), target(":cheapest"), prompt='quotes \' " and \\ and\nnew lines')
    for settings in (Settings(), DEMO):
        for name, code in snippets.for_plan(item, settings)["together"].items():
            if name in ("python", "openai"):
                compile(code, f"{name}.py", "exec")
        compile(rerun.comparison_script(item, settings), "rerun.py", "exec")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_is_valid_syntax(tmp_path):
    for i, settings in enumerate((Settings(), DEMO)):
        for stream in (True, False):
            item = plan(target("together"), prompt="quotes ' \" ` ${x} and\nnew lines", params={**PARAMS, "stream": stream})
            path = tmp_path / f"snippet{i}{stream}.mjs"
            path.write_text(snippets.for_plan(item, settings)["together"]["javascript"])
            checked = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr


def test_curl_quotes_survive_the_shell():
    prompt = "it's \"quoted\" $HOME `date`"
    code = snippets.for_plan(plan(target("together"), prompt=prompt), Settings())["together"]["curl"]
    show_arguments = f"{sys.executable} -c 'import sys, json; print(json.dumps(sys.argv[1:]))' "
    done = subprocess.run(["bash", "-c", code.replace("curl ", show_arguments, 1)], capture_output=True, text=True, env={"HF_TOKEN": "hf_from_env"})
    sent = json.loads(done.stdout)
    assert json.loads(sent[sent.index("-d") + 1])["messages"][1]["content"] == prompt
    assert "Authorization: Bearer hf_from_env" in sent


def test_write_script(tmp_path):
    path = rerun.write_script(plan(target("together")), Settings(), tmp_path)
    assert path.parent == tmp_path and path.name == "rerun_meta_llama_llama_3_3_70b_instruct.py"
    compile(path.read_text(), str(path), "exec")


# ---- against the simulator: the snippet prints what the app got ----


def _run_python(*codes: str) -> list[str]:
    """Run each code in its own interpreter, all at once; their outputs."""
    processes = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment())
        for code in codes
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (_, error) in zip(processes, outputs):
        assert process.returncode == 0, error[-2000:]
    return [out for out, _ in outputs]


def _environment() -> dict[str, str]:
    return {**os.environ, "HF_TOKEN": DEMO_TOKEN, "GROQ_API_KEY": GROQ_KEY}


def _app_run(sim_playground, providers: list[str], stream: bool):
    app = sim_playground.playground
    item = app.plan(
        task="chat",
        model=MODEL,
        providers=providers,
        prompt="What's the capital of France?",
        system="Be brief.",
        params_json={**PARAMS, "stream": stream},
        provider_keys={"groq": GROQ_KEY},
    )
    comparison = asyncio.run(runner.run(item))
    assert all(r.ok for r in comparison.results), [r.error for r in comparison.results]
    return item, comparison


@pytest.mark.parametrize("stream", [True, False])
def test_python_snippets_print_the_apps_answer_on_the_simulator(sim_playground, stream):
    item, comparison = _app_run(sim_playground, ["cerebras", "groq", "sambanova"], stream)
    assert {r.provider: r.routing for r in comparison.results}["groq"] == "direct"
    code = snippets.for_plan(item, sim_playground.playground.settings)
    printed = _run_python(*(code[r.provider]["python"] for r in comparison.results))
    assert printed == [r.text + "\n" for r in comparison.results]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_gets_the_apps_answer_on_the_simulator(sim_playground):
    item, comparison = _app_run(sim_playground, ["together"], stream=True)
    code = snippets.for_plan(item, sim_playground.playground.settings)["together"]["curl"]
    done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, env=_environment(), timeout=60)
    chunks = [json.loads(line[6:]) for line in done.stdout.splitlines() if line.startswith("data: {")]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c.get("choices"))
    assert text == comparison.results[0].text


def test_the_script_reruns_the_comparison_on_the_simulator(sim_playground):
    item, comparison = _app_run(sim_playground, ["cerebras", "groq", "together"], stream=True)
    (output,) = _run_python(rerun.comparison_script(item, sim_playground.playground.settings))
    table, summary = output.split("\n\n", 1)
    rows = table.splitlines()[1:]
    assert len(rows) == 3 and all(" True " in row for row in rows)
    for result in comparison.results:
        preview = result.text[:60].replace("\n", "\\n")
        assert any(result.provider in row and preview[:40] in row for row in rows), (result.provider, preview, rows)
    assert "latency_median_s" in summary


def test_javascript_prints_the_apps_answer_on_the_simulator(sim_playground, js_clients):
    item, comparison = _app_run(sim_playground, ["cerebras", "groq", "sambanova"], stream=True)
    code = snippets.for_plan(item, sim_playground.playground.settings)
    for result in comparison.results:
        script = js_clients / f"snippet-{os.getpid()}-{result.provider}.mjs"
        script.write_text(code[result.provider]["javascript"])
        try:
            done = subprocess.run(["node", script.name], cwd=js_clients, capture_output=True, text=True, env=_environment(), timeout=60)
        finally:
            script.unlink()
        assert done.stdout == result.text + "\n", done.stderr[-2000:]


def test_openai_prints_the_apps_answer_on_the_simulator(sim_playground):
    item, comparison = _app_run(sim_playground, ["cerebras", "sambanova"], stream=True)
    code = snippets.for_plan(item, sim_playground.playground.settings)
    printed = _run_python(*(code[r.provider]["openai"] for r in comparison.results))
    assert printed == [r.text + "\n" for r in comparison.results]


@pytest.mark.parametrize("task_id", sorted(__import__("playground.tasks", fromlist=["TASKS"]).TASKS))
def test_every_task_gets_python_snippets_and_a_script_that_compile(task_id: str) -> None:
    task = get_task(task_id)
    inputs = {"file": b"\x89PNG", "file_name": "input.png", "labels": ("a", "b"), "context": "Some context.\nAnother line."}
    item = plan(target("hf-inference"), task=task_id, params={k: v for k, v in task.defaults.items() if v is not None}, prompt="Hello", **inputs)
    found = snippets.for_plan(item, Settings())["hf-inference"]
    compile(found["python"], f"{task_id}.py", "exec")
    compile(rerun.comparison_script(item, Settings()), f"rerun-{task_id}.py", "exec")


def test_demo_snippets_run_with_no_key_in_the_environment(sim_playground):
    item, comparison = _app_run(sim_playground, ["together"], stream=False)
    code = snippets.for_plan(item, sim_playground.playground.settings)["together"]
    bare = {k: v for k, v in os.environ.items() if not k.endswith(("_TOKEN", "_API_KEY"))}
    done = subprocess.run([sys.executable, "-c", code["python"]], capture_output=True, text=True, env=bare, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == comparison.results[0].text + "\n"
    assert "takes any key" in code["python"] and "${HF_TOKEN:-demo}" in code["curl"]


def test_snippets_bill_the_organisation_on_routed_calls():
    from playground import snippets
    from playground.catalog import ProviderInfo
    from playground.inputs import Inputs
    from playground.keys import Credential
    from playground.model import Plan, Target
    from playground.settings import Settings
    from playground.tasks import get_task

    info = ProviderInfo(provider="together", provider_id="m", status="live", callable=True)
    plan = Plan(task=get_task("conversational"), model="org/model", inputs=Inputs(prompt="hi"), params={"stream": True},
                targets=(Target("together", info, Credential("hf_" + "k" * 30, "typed")),), bill_to="my-org")
    code = snippets.for_plan(plan, Settings())["together"]
    assert 'bill_to="my-org"' in code["python"] or "bill_to='my-org'" in code["python"]
    assert "X-HF-Bill-To" in code["curl"] and "my-org" in code["curl"]
    assert "billTo" in code["javascript"]
    assert "X-HF-Bill-To" in code["openai"]


def test_multi_turn_snippets_and_script_send_each_providers_own_thread(sim_playground):
    app = sim_playground.playground
    providers = ["cerebras", "together"]
    first = asyncio.run(runner.run(app.plan(task="conversational", model=MODEL, providers=providers, prompt="What is rain?", params_json=PARAMS)))
    item = app.plan(task="conversational", model=MODEL, providers=providers, prompt="And snow?", params_json=PARAMS,
                    conversation_json=json.dumps(first.threads))
    second = asyncio.run(runner.run(item))
    code = snippets.for_plan(item, app.settings)
    for result in second.results:
        own = first.threads[result.provider][1]["content"]
        assert json.dumps(own, ensure_ascii=False) in code[result.provider]["python"]
        assert json.dumps(own, ensure_ascii=False)[1:-1] in code[result.provider]["curl"]
    printed = _run_python(*(code[r.provider]["python"] for r in second.results))
    assert printed == [r.text + "\n" for r in second.results]
    sim_playground.sim.clear_records()
    _run_python(rerun.comparison_script(item, app.settings))
    sent = {r["provider"]: r["messages"] for r in sim_playground.sim.records() if r.get("messages")}
    assert {p: m[1]["content"] for p, m in sent.items()} == {p: first.threads[p][1]["content"] for p in providers}
