"""What the simulated Hub and router serve: models, provider mappings, router metadata, provider traits.

Plain data, deterministic. Provider-side ids follow the recordings where one exists
(cerebras `llama-3.3-70b`, together `meta-llama/Llama-3.3-70B-Instruct-Turbo`, ...).

A mapping row is `(provider, provider_id, status, task, router)`; `router` holds what the router's
`/v1/models` knows about that row: `pricing` (USD per million input/output tokens), `tools`,
`structured`, `free` (temporary promo), `probe=False` (no latency/throughput probe yet),
`bare=True` (nothing but provider/status, as the router shows some providers), `thinking` (how a reasoning
model's thinking is sent: sim/reasoning.py).
A mapping with status `error` answers 503 (its last health check failed), `staging` works but
is hidden from `list_models(inference_provider=...)` and from `/v1/models`.
"""

from __future__ import annotations

from typing import Any

LLAMA_TAGS = ["transformers", "safetensors", "llama", "text-generation", "facebook", "meta", "pytorch", "llama-3",
              "conversational", "en", "de", "fr", "it", "pt", "hi", "es", "th", "arxiv:2204.05149",
              "autotrain_compatible", "text-generation-inference", "endpoints_compatible", "region:us"]
CHAT_TAGS = ["transformers", "safetensors", "text-generation", "conversational", "autotrain_compatible",
             "text-generation-inference", "endpoints_compatible", "region:us"]

# `size` scales speed (bigger is slower); `family` picks the answer style; `context` is the default
# context length the router reports.
MODELS: list[dict[str, Any]] = [
    {
        "id": "meta-llama/Llama-3.3-70B-Instruct", "_id": "6745f28f9333dfcc06268b1e",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*LLAMA_TAGS, "base_model:meta-llama/Llama-3.1-70B", "license:llama3.3"],
        "downloads": 1_203_412, "likes": 2_451, "createdAt": "2024-11-26T16:08:47.000Z",
        "family": "llama", "size": 1.0, "context": 131072,
        "providers": [
            ("cerebras", "llama-3.3-70b", "live", "conversational", {"pricing": (0.85, 1.2), "tools": True}),
            ("groq", "llama-3.3-70b-versatile", "live", "conversational", {"pricing": (0.59, 0.79), "tools": True}),
            ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "live", "conversational",
             {"pricing": (0.88, 0.88), "tools": True, "structured": True}),
            ("fireworks-ai", "accounts/fireworks/models/llama-v3p3-70b-instruct", "live", "conversational",
             {"pricing": (0.9, 0.9), "tools": True, "structured": True}),
            ("sambanova", "Meta-Llama-3.3-70B-Instruct", "live", "conversational", {"pricing": (0.6, 1.2), "tools": True}),
            ("novita", "meta-llama/llama-3.3-70b-instruct", "live", "conversational", {"pricing": (0.13, 0.39), "probe": False}),
            ("nscale", "meta-llama/Llama-3.3-70B-Instruct", "live", "conversational", {"pricing": (0.2, 0.2)}),
            ("hf-inference", "meta-llama/Llama-3.3-70B-Instruct", "live", "conversational", {}),
            ("deepinfra", "meta-llama/Llama-3.3-70B-Instruct", "live", "conversational",
             {"pricing": (0.23, 0.4), "tools": True, "structured": True}),
            ("nebius", "meta-llama/Llama-3.3-70B-Instruct-fast", "live", "conversational", {"pricing": (0.25, 0.75)}),
        ],
    },
    {
        "id": "meta-llama/Llama-3.1-8B-Instruct", "_id": "6698d8a0653e4babe21e1e7d",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*LLAMA_TAGS, "base_model:meta-llama/Llama-3.1-8B", "license:llama3.1"],
        "downloads": 5_795_728, "likes": 3_763, "createdAt": "2024-07-18T08:56:00.000Z",
        "family": "llama", "size": 0.55, "context": 131072,
        "providers": [
            ("cerebras", "llama3.1-8b", "live", "conversational", {"pricing": (0.1, 0.1)}),
            ("groq", "llama-3.1-8b-instant", "live", "conversational", {"pricing": (0.05, 0.08), "tools": True}),
            ("novita", "meta-llama/llama-3.1-8b-instruct", "live", "conversational", {"pricing": (0.02, 0.05)}),
            ("featherless-ai", "meta-llama/Meta-Llama-3.1-8B-Instruct", "live", "conversational", {"bare": True}),
            ("nscale", "meta-llama/Llama-3.1-8B-Instruct", "live", "conversational", {"pricing": (0.03, 0.03)}),
            ("hf-inference", "meta-llama/Llama-3.1-8B-Instruct", "live", "conversational", {}),
            ("scaleway", "llama-3.1-8b-instruct", "live", "conversational", {"pricing": (0.2, 0.2), "context": 128000}),
            ("sambanova", "Meta-Llama-3.1-8B-Instruct", "live", "conversational",
             {"pricing": (0.1, 0.2), "free": True, "tools": True}),
            ("fireworks-ai", "accounts/fireworks/models/llama-v3p1-8b-instruct", "staging", "conversational", {}),
        ],
    },
    {
        "id": "Qwen/Qwen2.5-72B-Instruct", "_id": "66e81cefd1b1391042d0e47e",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "qwen2", "chat", "en", "zh", "arxiv:2309.00071", "base_model:Qwen/Qwen2.5-72B", "license:other"],
        "downloads": 412_887, "likes": 861, "createdAt": "2024-09-16T11:55:40.000Z",
        "family": "qwen", "size": 1.05, "context": 32768,
        "providers": [
            ("together", "Qwen/Qwen2.5-72B-Instruct-Turbo", "live", "conversational",
             {"pricing": (1.2, 1.2), "tools": True, "structured": True}),
            ("novita", "qwen/qwen-2.5-72b-instruct", "live", "conversational", {"pricing": (0.38, 0.4)}),
            ("fireworks-ai", "accounts/fireworks/models/qwen2p5-72b-instruct", "live", "conversational",
             {"pricing": (0.9, 0.9), "tools": True}),
            ("featherless-ai", "Qwen/Qwen2.5-72B-Instruct", "live", "conversational", {"bare": True}),
            ("deepinfra", "Qwen/Qwen2.5-72B-Instruct", "live", "conversational", {"pricing": (0.12, 0.39)}),
            ("nscale", "Qwen/Qwen2.5-72B-Instruct", "live", "conversational", {"pricing": (0.3, 0.3), "probe": False}),
            ("hf-inference", "Qwen/Qwen2.5-72B-Instruct", "error", "conversational", {}),
        ],
    },
    {
        "id": "deepseek-ai/DeepSeek-V3", "_id": "676ea5e8a1ed9e0bb8d6f5dc",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "deepseek_v3", "custom_code", "fp8", "arxiv:2412.19437", "license:mit"],
        "downloads": 690_221, "likes": 3_902, "createdAt": "2024-12-25T12:52:23.000Z",
        "family": "deepseek", "size": 1.25, "context": 163840,
        "providers": [
            ("together", "deepseek-ai/DeepSeek-V3", "live", "conversational",
             {"pricing": (1.25, 1.25), "tools": True, "structured": True}),
            ("fireworks-ai", "accounts/fireworks/models/deepseek-v3", "live", "conversational",
             {"pricing": (0.9, 0.9), "tools": True}),
            ("novita", "deepseek/deepseek-v3-0324", "live", "conversational", {"pricing": (0.28, 1.14), "context": 128000}),
            ("deepinfra", "deepseek-ai/DeepSeek-V3", "live", "conversational",
             {"pricing": (0.38, 0.89), "context": 65536, "tools": True, "structured": True}),
            ("sambanova", "DeepSeek-V3-0324", "live", "conversational", {"pricing": (1.0, 1.5), "context": 32768}),
        ],
    },
    {
        # The launch post's model (huggingface.co/blog/inference-providers).
        "id": "deepseek-ai/DeepSeek-R1", "_id": "678dc6fff905d106be796d8a",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "deepseek_v3", "custom_code", "fp8", "arxiv:2501.12948", "license:mit"],
        "downloads": 1_421_903, "likes": 12_512, "createdAt": "2025-01-20T03:46:07.000Z",
        "family": "deepseek", "size": 1.25, "context": 163840,
        "providers": [
            ("together", "deepseek-ai/DeepSeek-R1", "live", "conversational", {"pricing": (3.0, 7.0), "thinking": "tag"}),
            ("fireworks-ai", "accounts/fireworks/models/deepseek-r1", "live", "conversational",
             {"pricing": (3.0, 8.0), "thinking": "reasoning_content"}),
            ("novita", "deepseek/deepseek-r1-turbo", "live", "conversational",
             {"pricing": (0.7, 2.5), "context": 64000, "thinking": "reasoning"}),
            ("sambanova", "DeepSeek-R1", "live", "conversational", {"pricing": (5.0, 7.0), "context": 16384, "thinking": "tag"}),
        ],
    },
    {
        "id": "google/gemma-3-27b-it", "_id": "67c35b9bb236f0d365bf29d3",
        "pipeline_tag": "image-text-to-text", "library_name": "transformers",
        "tags": ["transformers", "safetensors", "gemma3", "image-text-to-text", "conversational",
                 "arxiv:2503.19786", "base_model:google/gemma-3-27b-pt", "license:gemma",
                 "text-generation-inference", "endpoints_compatible", "region:us"],
        "downloads": 1_020_558, "likes": 1_588, "createdAt": "2025-03-01T19:10:19.000Z",
        "family": "gemma", "size": 0.8, "context": 131072,
        "providers": [
            ("featherless-ai", "google/gemma-3-27b-it", "live", "conversational", {"bare": True, "text_only": True}),
            ("scaleway", "gemma-3-27b-it", "live", "conversational", {"pricing": (0.25, 0.5), "context": 40000}),
            ("nebius", "google/gemma-3-27b-it-fast", "live", "conversational", {"pricing": (0.1, 0.3)}),
            ("deepinfra", "google/gemma-3-27b-it", "live", "conversational", {"pricing": (0.09, 0.17)}),
        ],
    },
    {
        "id": "mistralai/Mistral-7B-Instruct-v0.3", "_id": "664dc170474f2283fa5c8659",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "mistral", "base_model:mistralai/Mistral-7B-v0.3", "license:apache-2.0"],
        "downloads": 884_120, "likes": 2_012, "createdAt": "2024-05-22T09:57:04.000Z",
        "family": "mistral", "size": 0.5, "context": 32768,
        "providers": [
            ("together", "mistralai/Mistral-7B-Instruct-v0.3", "live", "conversational", {"pricing": (0.2, 0.2)}),
            ("novita", "mistralai/mistral-7b-instruct", "live", "conversational", {"pricing": (0.029, 0.059)}),
            ("featherless-ai", "mistralai/Mistral-7B-Instruct-v0.3", "live", "conversational", {"bare": True}),
            ("hf-inference", "mistralai/Mistral-7B-Instruct-v0.3", "live", "conversational", {}),
            ("deepinfra", "mistralai/Mistral-7B-Instruct-v0.3", "live", "conversational",
             {"pricing": (0.03, 0.055), "free": True}),
        ],
    },
    {
        "id": "openai/gpt-oss-120b", "_id": "68913522f16f3c8aa1d5d7ea",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "gpt_oss", "vllm", "arxiv:2508.10925", "license:apache-2.0", "8-bit", "mxfp4"],
        "downloads": 3_415_009, "likes": 3_870, "createdAt": "2025-08-04T22:33:29.000Z",
        "family": "gptoss", "size": 0.7, "context": 131072,
        "providers": [
            ("cerebras", "gpt-oss-120b", "live", "conversational", {"pricing": (0.25, 0.69), "tools": True}),
            ("groq", "openai/gpt-oss-120b", "live", "conversational",
             {"pricing": (0.15, 0.75), "tools": True, "structured": True}),
            ("together", "openai/gpt-oss-120b", "live", "conversational", {"pricing": (0.15, 0.6), "tools": True}),
            ("fireworks-ai", "accounts/fireworks/models/gpt-oss-120b", "live", "conversational",
             {"pricing": (0.15, 0.6), "tools": True, "structured": True}),
            ("novita", "openai/gpt-oss-120b", "live", "conversational", {"pricing": (0.1, 0.5)}),
            ("nscale", "openai/gpt-oss-120b", "live", "conversational", {"pricing": (0.1, 0.4)}),
            ("sambanova", "gpt-oss-120b", "live", "conversational", {"pricing": (0.22, 0.59)}),
            ("ovhcloud", "gpt-oss-120b", "live", "conversational", {"pricing": (0.08, 0.4), "probe": False}),
            ("baseten", "openai/gpt-oss-120b", "live", "conversational", {"pricing": (0.1, 0.5), "tools": True}),
        ],
    },
    {
        "id": "CohereLabs/c4ai-command-a-03-2025", "_id": "67d18e4bd0e6b19d4f3e0a11",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "cohere2", "en", "fr", "de", "ja", "license:cc-by-nc-4.0"],
        "downloads": 28_004, "likes": 402, "createdAt": "2025-03-12T12:01:33.000Z",
        "family": "mistral", "size": 1.1, "context": 256000,
        "providers": [
            ("cohere", "command-a-03-2025", "live", "conversational",
             {"pricing": (2.5, 10.0), "tools": True, "structured": True, "author": True}),
            ("featherless-ai", "CohereLabs/c4ai-command-a-03-2025", "live", "conversational", {"bare": True}),
        ],
    },
    {
        "id": "zai-org/GLM-4.5", "_id": "6882c6c38a4ea7a4bb6de4a9",
        "pipeline_tag": "text-generation", "library_name": "transformers",
        "tags": [*CHAT_TAGS, "glm4_moe", "en", "zh", "license:mit"],
        "downloads": 61_233, "likes": 1_305, "createdAt": "2025-07-20T03:25:55.000Z",
        "family": "qwen", "size": 1.2, "context": 131072,
        "providers": [
            ("zai-org", "glm-4.5", "live", "conversational",
             {"pricing": (0.6, 2.2), "tools": True, "author": True}),
            ("novita", "zai-org/glm-4.5", "live", "conversational", {"pricing": (0.6, 2.2)}),
            ("fireworks-ai", "accounts/fireworks/models/glm-4p5", "live", "conversational", {"pricing": (0.55, 2.19)}),
        ],
    },
]

LIBRARY = {"text-to-image": "diffusers", "image-to-image": "diffusers", "text-to-video": "diffusers",
           "image-to-video": "diffusers", "sentence-similarity": "sentence-transformers"}


def _model(model_id: str, task: str, providers: list[tuple[str, str, str]], tags: tuple[str, ...] = (),
           **extra: Any) -> dict[str, Any]:
    """A non-chat model: rows `(provider, provider_id, status)` all serving `task`; hf-inference's id is the Hub id."""
    seed = sum(ord(c) * (i + 1) for i, c in enumerate(model_id))
    library = extra.pop("library_name", LIBRARY.get(task, "transformers"))
    return {
        "id": model_id, "_id": f"{seed * 2654435761 % 16**24:024x}", "pipeline_tag": extra.pop("pipeline_tag", task),
        "library_name": library, "tags": [library, "safetensors", task, *tags, "endpoints_compatible", "region:us"],
        "downloads": 10_000 + seed * 37 % 2_000_000, "likes": 50 + seed % 4_000,
        "createdAt": extra.pop("createdAt", "2024-06-01T12:00:00.000Z"), "family": "mistral", "size": 1.0,
        "context": 0, "providers": [(p, pid, status, task, {}) for p, pid, status in providers], **extra,
    }


def _hf(model_id: str, task: str, *tags: str, **extra: Any) -> dict[str, Any]:
    return _model(model_id, task, [("hf-inference", model_id, "live")], tags, **extra)


MODELS += [
    _model("black-forest-labs/FLUX.1-dev", "text-to-image", [
        ("fal-ai", "fal-ai/flux/dev", "live"), ("replicate", "black-forest-labs/flux-dev", "live"),
        ("together", "black-forest-labs/FLUX.1-dev", "live"), ("hf-inference", "black-forest-labs/FLUX.1-dev", "live"),
        ("wavespeed", "wavespeed-ai/flux-dev", "live"), ("nebius", "black-forest-labs/flux-dev", "staging"),
    ], ("flux", "image-generation", "en", "license:other"), _id="66aaa908fc35e079a941470d",
        createdAt="2024-07-31T21:13:44.000Z"),
    _model("black-forest-labs/FLUX.1-schnell", "text-to-image", [
        ("fal-ai", "fal-ai/flux/schnell", "live"), ("together", "black-forest-labs/FLUX.1-schnell", "live"),
        ("nscale", "black-forest-labs/FLUX.1-schnell", "live"), ("replicate", "black-forest-labs/flux-schnell", "live"),
        ("hf-inference", "black-forest-labs/FLUX.1-schnell", "live"), ("wavespeed", "wavespeed-ai/flux-schnell", "live"),
    ], ("flux", "image-generation", "en", "license:apache-2.0")),
    _model("stabilityai/stable-diffusion-xl-base-1.0", "text-to-image", [
        ("hf-inference", "stabilityai/stable-diffusion-xl-base-1.0", "live"),
        ("together", "stabilityai/stable-diffusion-xl-base-1.0", "live"),
        ("nscale", "stabilityai/stable-diffusion-xl-base-1.0", "live"),
        ("replicate", "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc", "live"),
    ], ("stable-diffusion-xl", "license:openrail++")),
    _model("ByteDance/SDXL-Lightning", "text-to-image", [
        ("fal-ai", "fal-ai/lightning-models", "live"),
        ("replicate", "bytedance/sdxl-lightning-4step:5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637",
         "live"),
    ], ("stable-diffusion", "license:openrail++"), _id="65d505951e2597ff935d1be2"),
    _model("zai-org/CogView4-6B", "text-to-image", [
        ("zai-org", "cogview-4-250304", "live"), ("fal-ai", "fal-ai/cogview4", "live"),
    ], ("cogview", "license:apache-2.0")),
    _model("black-forest-labs/FLUX.1-Kontext-dev", "image-to-image", [
        ("fal-ai", "fal-ai/flux-kontext/dev", "live"), ("replicate", "black-forest-labs/flux-kontext-dev", "live"),
        ("together", "black-forest-labs/FLUX.1-kontext-dev", "live"), ("wavespeed", "wavespeed-ai/flux-kontext-dev", "live"),
    ], ("flux", "image-editing", "license:other")),
    _model("Wan-AI/Wan2.1-T2V-14B", "text-to-video", [
        ("fal-ai", "fal-ai/wan-t2v", "live"), ("replicate", "wavespeedai/wan-2.1-t2v-480p", "live"),
        ("novita", "wan-t2v", "live"), ("wavespeed", "wavespeed-ai/wan-2.1/t2v-480p", "live"),
        ("together", "Wan-AI/Wan2.1-T2V-14B", "live"),
    ], ("wan", "video-generation", "license:apache-2.0")),
    _model("Lightricks/LTX-Video", "text-to-video", [
        ("fal-ai", "fal-ai/ltx-video", "live"),
        ("replicate", "lightricks/ltx-video:8c47da666861d081eeb4d1261853087de23923a268a69b63febdf5dc1dee08e4", "live"),
    ], ("ltx-video", "license:other")),
    _model("Wan-AI/Wan2.1-I2V-14B-720P", "image-to-video", [
        ("fal-ai", "fal-ai/wan-i2v", "live"), ("wavespeed", "wavespeed-ai/wan-2.1/i2v-720p", "live"),
        ("together", "Wan-AI/Wan2.1-I2V-14B-720P", "live"),
    ], ("wan", "video-generation", "license:apache-2.0")),
    _model("hexgrad/Kokoro-82M", "text-to-speech", [
        ("fal-ai", "fal-ai/kokoro/american-english", "live"),
        ("replicate", "jaaari/kokoro-82m:f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13", "live"),
        ("together", "hexgrad/Kokoro-82M", "live"), ("deepinfra", "hexgrad/Kokoro-82M", "live"),
    ], ("en", "license:apache-2.0"), library_name="pytorch"),
    _hf("espnet/kan-bayashi_ljspeech_vits", "text-to-speech", "espnet", "audio", "en", library_name="espnet"),
    _model("openai/whisper-large-v3", "automatic-speech-recognition", [
        ("fal-ai", "fal-ai/whisper", "live"), ("hf-inference", "openai/whisper-large-v3", "live"),
        ("replicate", "vaibhavs10/incredibly-fast-whisper:3ab86df6c8f54c11309d4d1f930ac292bad43ace52d10c80d87eb258b3c9f79c",
         "live"),
        ("deepinfra", "openai/whisper-large-v3", "live"),
    ], ("whisper", "audio", "license:apache-2.0"), _id="654a84cadff2f49007ce6c37"),
    _model("openai/whisper-large-v3-turbo", "automatic-speech-recognition", [
        ("hf-inference", "openai/whisper-large-v3-turbo", "live"), ("deepinfra", "openai/whisper-large-v3-turbo", "live"),
    ], ("whisper", "audio", "license:mit")),
    _model("intfloat/multilingual-e5-large-instruct", "feature-extraction", [
        ("hf-inference", "intfloat/multilingual-e5-large-instruct", "live"),
        ("together", "intfloat/multilingual-e5-large-instruct", "live"),
        ("scaleway", "multilingual-e5-large-instruct", "live"),
        ("nebius", "intfloat/multilingual-e5-large-instruct", "live"),
        ("deepinfra", "intfloat/multilingual-e5-large-instruct", "live"),
    ], ("sentence-transformers", "xlm-roberta", "mteb", "license:mit"), dim=1024),
    _model("Qwen/Qwen3-Embedding-8B", "feature-extraction", [
        ("scaleway", "qwen3-embedding-8b", "live"), ("nebius", "Qwen/Qwen3-Embedding-8B", "live"),
        ("deepinfra", "Qwen/Qwen3-Embedding-8B", "live"),
    ], ("sentence-transformers", "qwen3", "license:apache-2.0"), dim=4096),
    _hf("sentence-transformers/all-MiniLM-L6-v2", "sentence-similarity", "feature-extraction", "bert",
        "license:apache-2.0", dim=384),
    _model("meta-llama/Llama-3.1-8B", "text-generation", [
        ("featherless-ai", "meta-llama/Meta-Llama-3.1-8B", "live"), ("novita", "meta-llama/llama-3.1-8b", "live"),
        ("deepinfra", "meta-llama/Meta-Llama-3.1-8B", "live"), ("hf-inference", "meta-llama/Llama-3.1-8B", "live"),
        ("together", "meta-llama/Meta-Llama-3.1-8B-Reference", "live"),
    ], ("llama", "llama-3", "license:llama3.1"), family="llama", size=0.55),
    _hf("openai-community/gpt2", "text-generation", "gpt2", "license:mit", family="mistral", size=0.2),
    _hf("distilbert/distilbert-base-uncased-finetuned-sst-2-english", "text-classification", "distilbert", "en"),
    _hf("dbmdz/bert-large-cased-finetuned-conll03-english", "token-classification", "bert", "en"),
    _hf("facebook/bart-large-cnn", "summarization", "bart", "en", "license:mit"),
    _hf("google-t5/t5-small", "translation", "t5", "en", "de", "fr", "license:apache-2.0"),
    _hf("google-bert/bert-base-uncased", "fill-mask", "bert", "en", "license:apache-2.0"),
    _hf("facebook/bart-large-mnli", "zero-shot-classification", "bart", "license:mit"),
    _hf("deepset/roberta-base-squad2", "question-answering", "roberta", "en", "license:cc-by-4.0"),
    _hf("google/tapas-base-finetuned-wtq", "table-question-answering", "tapas", "en", "license:apache-2.0"),
    _hf("google/vit-base-patch16-224", "image-classification", "vit", "license:apache-2.0"),
    _hf("openai/clip-vit-large-patch14", "zero-shot-image-classification", "clip", "vision"),
    _hf("facebook/detr-resnet-50", "object-detection", "detr", "license:apache-2.0"),
    _hf("facebook/detr-resnet-50-panoptic", "image-segmentation", "detr", "license:apache-2.0"),
    _model("briaai/RMBG-2.0", "image-segmentation", [("fal-ai", "fal-ai/bria/background/remove", "live")],
           ("background-removal", "license:other")),
    _hf("Salesforce/blip-image-captioning-large", "image-to-text", "blip", "license:bsd-3-clause"),
    _hf("dandelin/vilt-b32-finetuned-vqa", "visual-question-answering", "vilt", "license:apache-2.0"),
    _hf("impira/layoutlm-document-qa", "document-question-answering", "layoutlm", "license:mit"),
    _hf("superb/hubert-large-superb-er", "audio-classification", "hubert", "audio", "license:apache-2.0"),
    _hf("speechbrain/sepformer-wham", "audio-to-audio", "speechbrain", "audio", library_name="speechbrain"),
]

# Renamed repositories answer 307 with a text body, as the Hub does (recorded for t5-small).
ALIASES: dict[str, str] = {
    "meta-llama/Meta-Llama-3.1-8B-Instruct": "meta-llama/Llama-3.1-8B-Instruct",
    "t5-small": "google-t5/t5-small", "gpt2": "openai-community/gpt2", "bert-base-uncased": "google-bert/bert-base-uncased",
}

_BY_ID: dict[str, dict[str, Any]] = {m["id"]: m for m in MODELS}


def model(model_id: str) -> dict[str, Any] | None:
    return _BY_ID.get(model_id)


def mappings(model_id: str) -> list[dict[str, Any]]:
    """The model's provider mapping in Hub order (the preference order), list form."""
    found = _BY_ID.get(model_id)
    if found is None:
        return []
    return [
        {"provider": provider, "providerId": provider_id, "status": status, "task": task}
        for provider, provider_id, status, task, _ in found["providers"]
    ]


def mapping(model_id: str, provider: str, task: str) -> dict[str, Any] | None:
    return next((m for m in mappings(model_id) if m["provider"] == provider and m["task"] == task), None)


def embedding_dim(model_id: str) -> int:
    return (_BY_ID.get(model_id) or {}).get("dim", 768)


def mapping_status(model_id: str, provider: str) -> str | None:
    return next((m["status"] for m in mappings(model_id) if m["provider"] == provider), None)


def find(provider: str, provider_id: str, tasks: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The (Hub model, task) a provider-side id stands for, among `tasks` (any when empty).

    A replicate id may be given as `:version` alone (its `/v1/predictions` route names only the version).
    """
    for found in MODELS:
        for row in found["providers"]:
            same = row[1] == provider_id or (provider_id.startswith(":") and row[1].endswith(provider_id))
            if row[0] == provider and same and (not tasks or row[3] in tasks):
                return found["id"], row[3]
    return None


def router_meta(model_id: str, provider: str) -> dict[str, Any]:
    found = _BY_ID.get(model_id) or {"providers": []}
    return next((row[4] for row in found["providers"] if row[0] == provider), {})


def providers() -> list[str]:
    """Every provider named anywhere in the catalog, in first-seen order."""
    seen = dict.fromkeys(row[0] for m in MODELS for row in m["providers"])
    return list(seen)
