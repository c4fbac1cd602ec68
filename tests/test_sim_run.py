"""`python -m playground.sim run -- COMMAND`: the launch post's own code runs unchanged against the simulator.

The examples are those of huggingface.co/blog/inference-providers (Python, JS, the OpenAI clients and the HTTP
call to the routing proxy), with the key read from HF_TOKEN. Node examples use the clients that
`scripts/npm-install.sh` installs (the `js_clients` fixture).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

MESSAGES = '[{"role": "user", "content": "What is the meaning of life if you were a dog?"}]'

PY_CHAT = f"""
import os
from huggingface_hub import InferenceClient

client = InferenceClient(provider="together", api_key=os.environ["HF_TOKEN"])
messages = {MESSAGES}
completion = client.chat.completions.create(model="deepseek-ai/DeepSeek-R1", messages=messages, max_tokens=500)
print(completion.choices[0].message.content)
"""

PY_IMAGE = """
import os
from huggingface_hub import InferenceClient

client = InferenceClient(provider="fal-ai", api_key=os.environ["HF_TOKEN"])
image = client.text_to_image("Labradoodle in a Hawaiian shirt", model="black-forest-labs/FLUX.1-dev")
print("fal-ai", image.size)
client = InferenceClient(provider="replicate", api_key=os.environ["HF_TOKEN"])
image = client.text_to_image("Labradoodle in a Hawaiian shirt", model="black-forest-labs/FLUX.1-dev")
print("replicate", image.size)
"""

PY_OPENAI = f"""
import os
from openai import OpenAI

messages = {MESSAGES}
client = OpenAI(base_url="https://router.huggingface.co/together/v1", api_key=os.environ["HF_TOKEN"])
completion = client.chat.completions.create(model="deepseek-ai/DeepSeek-R1", messages=messages, max_tokens=500)
print("together", completion.model)
client = OpenAI(base_url="https://router.huggingface.co/v1", api_key=os.environ["HF_TOKEN"])
completion = client.chat.completions.create(model="deepseek-ai/DeepSeek-R1:together", messages=messages)
print("router", completion.model)
"""

PY_AUTO_AND_HUB = f"""
from huggingface_hub import HfApi, InferenceClient

info = HfApi().model_info("deepseek-ai/DeepSeek-R1", expand=["inferenceProviderMapping"])
print("providers", sorted(m.provider for m in info.inference_provider_mapping))
completion = InferenceClient().chat.completions.create(model="deepseek-ai/DeepSeek-R1", messages={MESSAGES})
print("auto", completion.model)
"""

CURL_PROXY = f"""curl -s 'https://huggingface.co/api/inference-proxy/together/v1/chat/completions' \\
-H "Authorization: Bearer $HF_TOKEN" \\
-H 'Content-Type: application/json' \\
--data '{{"model": "deepseek-ai/DeepSeek-R1", "messages": {MESSAGES}, "max_tokens": 500, "stream": false}}'
"""

JS_CHAT = f"""
import {{ InferenceClient }} from "@huggingface/inference";

const client = new InferenceClient(process.env.HF_TOKEN);
const chatCompletion = await client.chatCompletion({{
  model: "deepseek-ai/DeepSeek-R1",
  messages: {MESSAGES},
  provider: "together",
  max_tokens: 500,
}});
console.log("chat", chatCompletion.choices[0].message.content.length > 0);
"""

JS_IMAGE = """
import { InferenceClient } from "@huggingface/inference";

const client = new InferenceClient(process.env.HF_TOKEN);
for (const provider of ["fal-ai", "replicate"]) {
  const image = await client.textToImage({
    provider, model: "black-forest-labs/FLUX.1-dev", inputs: "Labradoodle in a Hawaiian shirt",
  });
  console.log(provider, image.type, image.size > 1000);
}
"""

JS_OPENAI = f"""
import OpenAI from "openai";

const client = new OpenAI({{ baseURL: "https://router.huggingface.co/v1", apiKey: process.env.HF_TOKEN }});
const completion = await client.chat.completions.create({{
  model: "deepseek-ai/DeepSeek-R1:together",
  messages: {MESSAGES},
}});
console.log("openai", completion.model);
"""


def sim_run(tmp_path: Path, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "OPENAI_API_KEY", "OPENAI_BASE_URL")}
    environ.update({"PYTHONPATH": str(REPO), "HF_HOME": str(tmp_path / "hf"), **(env or {})})
    return subprocess.run([sys.executable, "-m", "playground.sim", "run", "--time-scale", "0", "--", *command],
                          cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=120)


def script(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text)
    return name


def test_python_chat_example_runs_unchanged(tmp_path: Path) -> None:
    done = sim_run(tmp_path, sys.executable, script(tmp_path, "chat.py", PY_CHAT))
    assert done.returncode == 0, done.stderr
    assert "dog" in done.stdout.lower()


def test_python_text_to_image_on_fal_then_replicate(tmp_path: Path) -> None:
    done = sim_run(tmp_path, sys.executable, script(tmp_path, "image.py", PY_IMAGE))
    assert done.returncode == 0, done.stderr
    assert "fal-ai (1024, 768)" in done.stdout and "replicate (1024, 1024)" in done.stdout


def test_openai_python_client_with_live_base_urls(tmp_path: Path) -> None:
    done = sim_run(tmp_path, sys.executable, script(tmp_path, "oai.py", PY_OPENAI))
    assert done.returncode == 0, done.stderr
    assert "together deepseek-ai/DeepSeek-R1\n" in done.stdout
    assert "router deepseek-ai/DeepSeek-R1:together" in done.stdout


def test_hub_api_and_auto_provider_are_redirected(tmp_path: Path) -> None:
    done = sim_run(tmp_path, sys.executable, script(tmp_path, "auto.py", PY_AUTO_AND_HUB))
    assert done.returncode == 0, done.stderr
    assert "providers ['fireworks-ai', 'novita', 'sambanova', 'together']" in done.stdout
    assert "auto deepseek-ai/DeepSeek-R1:" in done.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_to_the_routing_proxy_on_the_hub_domain(tmp_path: Path) -> None:
    done = sim_run(tmp_path, "sh", script(tmp_path, "proxy.sh", CURL_PROXY))
    assert done.returncode == 0, done.stderr
    assert '"object":"chat.completion"' in done.stdout and '"model":"deepseek-ai/DeepSeek-R1"' in done.stdout


def test_exit_code_is_passed_through_and_a_demo_token_is_set(tmp_path: Path) -> None:
    probe = "import os, sys; print(os.environ['HF_TOKEN'][:3], os.environ['OPENAI_BASE_URL']); sys.exit(7)"
    done = sim_run(tmp_path, sys.executable, "-c", probe)
    assert done.returncode == 7
    token, base = done.stdout.split()
    assert token == "hf_" and base.endswith("/router/v1")


def test_the_simulator_is_stopped_afterwards(tmp_path: Path) -> None:
    done = sim_run(tmp_path, sys.executable, "-c", "import os; print(os.environ['PLAYGROUND_SIM_URL'])")
    host, port = done.stdout.strip().removeprefix("http://").rsplit(":", 1)
    with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=2):
        pass


def test_a_missing_command_is_a_clear_error(tmp_path: Path) -> None:
    done = sim_run(tmp_path, "no-such-command-here")
    assert done.returncode != 0 and "cannot run no-such-command-here" in done.stderr


@pytest.mark.parametrize(("name", "source", "expected"), [
    ("chat.mjs", JS_CHAT, ["chat true"]),
    ("image.mjs", JS_IMAGE, ["fal-ai image/jpeg true", "replicate image/png true"]),
    ("openai.mjs", JS_OPENAI, ["openai deepseek-ai/DeepSeek-R1:together"]),
])
def test_js_examples_run_unchanged(tmp_path: Path, js_clients: Path, name: str, source: str,
                                   expected: list[str]) -> None:
    (tmp_path / "node_modules").symlink_to(js_clients / "node_modules", target_is_directory=True)
    done = sim_run(tmp_path, "node", script(tmp_path, name, source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[: len(expected)] == expected
