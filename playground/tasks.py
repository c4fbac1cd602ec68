"""The task registry: one entry per task the playground can compare. Adding a task is adding an entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .inputs import FILE_KINDS, MISSING, InputKind, Inputs
from .kinds import labels
from .kinds.common import Summarise
from .kinds.media import sniff
from .kinds.registry import OutputKind, get_kind

Arguments = Callable[[Inputs], tuple[tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class Task:
    id: str  # the SDK's task name, as in the Hub's provider mapping
    label: str
    method: str  # InferenceClient method
    output: OutputKind
    inputs: tuple[InputKind, ...] = ("prompt",)  # everything the task reads, in the order the UI shows them
    optional: tuple[InputKind, ...] = ()  # those of `inputs` that may be left empty
    pipeline_tags: tuple[str, ...] = ()  # Hub pipeline tags whose models may serve this task
    defaults: dict[str, Any] = field(default_factory=dict)  # every parameter the task accepts; None = the provider's default
    streams: bool = False
    prompt_label: str = "Prompt"  # what the prompt box holds for this task ("Question", "Text to speak"…)
    example: str = ""  # a prompt to start from, shown when the task is chosen
    # Builds (positional args, keyword args) for the SDK method from the inputs; parameters are added after.
    # None: the required inputs positionally, in the order of `inputs`, and the optional ones as keywords.
    arguments: Arguments = None  # type: ignore[assignment]
    summarise: Summarise = None  # type: ignore[assignment]  # None: the output kind's own (kinds/)

    def __post_init__(self) -> None:
        if self.summarise is None:
            object.__setattr__(self, "summarise", get_kind(self.output).summarise)
        if self.arguments is None:
            object.__setattr__(self, "arguments", partial(_by_kind, self.inputs, self.optional))

    @property
    def tags(self) -> tuple[str, ...]:
        return self.pipeline_tags or (self.id,)

    @property
    def file_kind(self) -> InputKind | None:
        """"image" or "audio" when the task takes a file, else None."""
        return next((kind for kind in self.inputs if kind in FILE_KINDS), None)

    def problem(self, inputs: Inputs) -> str | None:
        """What is missing or wrong in the inputs, in words a person can act on; None when they will do."""
        for kind in self.inputs:
            if kind not in self.optional and not inputs.has(kind):
                return MISSING[kind].format(prompt=self.prompt_label.lower())
        if self.file_kind and inputs.file:
            found = sniff(inputs.file)
            if not found or found[0] != self.file_kind:
                name, wanted = f" {inputs.file_name}" if inputs.file_name else "", FILE_KINDS[self.file_kind]
                what = f"{found[0]} ({found[1]})" if found else "not a known image or audio format"
                return f"This task needs {wanted}, but the file{name} is {what}: upload {wanted}."
        return None


def _messages(inputs: Inputs) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """One turn's messages; a conversation's earlier turns go in between (model.Plan.arguments)."""
    messages = [{"role": "system", "content": inputs.system}] if inputs.system.strip() else []
    messages.append({"role": "user", "content": inputs.prompt})
    return (messages,), {}


def _by_kind(kinds: tuple[InputKind, ...], optional: tuple[InputKind, ...], inputs: Inputs) -> tuple[tuple[Any, ...], dict[str, Any]]:
    args = tuple(inputs.value(kind) for kind in kinds if kind not in optional)
    return args, {kind: inputs.value(kind) if inputs.has(kind) else None for kind in optional}


# The same prompt, seed and size go to every provider, so their images can be compared.
_IMAGE_GENERATION = {"seed": 42, "num_inference_steps": None, "guidance_scale": None, "negative_prompt": None}
_VIDEO_GENERATION = {"seed": 42, "num_frames": None, "num_inference_steps": None, "guidance_scale": None}

# Chat parameters huggingface_hub 2.4's chat_completion has no keyword for: sent in the request body as they are
# (the SDK's `extra_body`; the runner builds the body itself, snippets pass them in extra_body).
EXTRA_BODY = frozenset({"reasoning_effort"})

CHAT = Task(
    id="conversational",
    example='Explain in three sentences why the sky is blue.',
    label="Chat",
    method="chat_completion",
    output="text",
    inputs=("system", "prompt", "image"),
    optional=("system", "image"),  # an image goes with the message, for vision-language models (image-text-to-text)
    pipeline_tags=("text-generation", "image-text-to-text"),
    defaults={"max_tokens": 256, "temperature": 0.7, "top_p": None, "seed": None, "stream": True,
              "tools": None, "tool_choice": None, "response_format": None, "reasoning_effort": None},
    streams=True,
    arguments=_messages,
)

TEXT_GENERATION = Task(
    id="text-generation",
    example='The three primary colours are',
    label="Text completion",
    method="text_generation",
    output="text",
    defaults={"max_new_tokens": 256, "temperature": 0.7, "seed": None},
)

TEXT_TO_IMAGE = Task(
    id="text-to-image",
    example='An astronaut riding a horse on the moon, watercolour',
    label="Text to image",
    method="text_to_image",
    output="image",
    defaults={"width": 1024, "height": 1024, **_IMAGE_GENERATION},
)

IMAGE_TO_IMAGE = Task(
    id="image-to-image",
    example='Turn this into a pencil sketch',
    label="Image to image",
    method="image_to_image",
    output="image",
    inputs=("image", "prompt"),
    optional=("prompt",),
    prompt_label="Instruction",
    defaults=dict(_IMAGE_GENERATION),
)

TEXT_TO_VIDEO = Task(
    id="text-to-video",
    example='A red fox running through snow at dawn',
    label="Text to video",
    method="text_to_video",
    output="video",
    defaults=dict(_VIDEO_GENERATION),
)

IMAGE_TO_VIDEO = Task(
    id="image-to-video",
    example='The camera slowly zooms out',
    label="Image to video",
    method="image_to_video",
    output="video",
    inputs=("image", "prompt"),
    optional=("prompt",),
    defaults={**_VIDEO_GENERATION, "negative_prompt": None},
)

TEXT_TO_SPEECH = Task(
    id="text-to-speech",
    example='Hello! This sentence was read aloud by each provider.',
    label="Text to speech",
    method="text_to_speech",
    output="audio",
    prompt_label="Text to speak",
)

SPEECH_RECOGNITION = Task(
    id="automatic-speech-recognition",
    label="Speech recognition",
    method="automatic_speech_recognition",
    output="text",
    inputs=("audio",),
)

AUDIO_CLASSIFICATION = Task(
    id="audio-classification",
    label="Audio classification",
    method="audio_classification",
    output="labels",
    inputs=("audio",),
    defaults={"top_k": None},
)

FEATURE_EXTRACTION = Task(
    id="feature-extraction",
    example='Inference providers differ in speed and price.',
    label="Embeddings",
    method="feature_extraction",
    output="embedding",
    pipeline_tags=("feature-extraction", "sentence-similarity"),
    prompt_label="Text to embed",
    defaults={"normalize": None, "truncate": None},
)

SENTENCE_SIMILARITY = Task(
    id="sentence-similarity",
    example='A cat sits on the mat.',
    label="Sentence similarity",
    method="sentence_similarity",
    output="labels",
    inputs=("prompt", "sentences"),
    prompt_label="Source sentence",
    summarise=labels.similarities,
)

SUMMARIZATION = Task(
    id="summarization",
    example='Hugging Face lets one model be served by many inference providers. They differ in speed, price and reliability, and sometimes in what they answer, because each may run a different quantisation of the same weights.',
    label="Summarization",
    method="summarization",
    output="text",
    prompt_label="Text to summarise",
)

TRANSLATION = Task(
    id="translation",
    example='Providers differ in speed and price.',
    label="Translation",
    method="translation",
    output="text",
    prompt_label="Text to translate",
    defaults={"src_lang": None, "tgt_lang": None},
)

TEXT_CLASSIFICATION = Task(
    id="text-classification",
    example='I loved this film, the acting was wonderful.',
    label="Text classification",
    method="text_classification",
    output="labels",
    prompt_label="Text to classify",
    defaults={"top_k": None},
)

ZERO_SHOT_CLASSIFICATION = Task(
    id="zero-shot-classification",
    example='The new phone has a great camera but the battery is weak.',
    label="Zero-shot classification",
    method="zero_shot_classification",
    output="labels",
    inputs=("prompt", "labels"),
    prompt_label="Text to classify",
    defaults={"multi_label": None, "hypothesis_template": None},
)

TOKEN_CLASSIFICATION = Task(
    id="token-classification",
    example='My name is Sarah and I live in London, where I work for Hugging Face.',
    label="Named entities",
    method="token_classification",
    output="entities",
    prompt_label="Text",
    defaults={"aggregation_strategy": None},
)

QUESTION_ANSWERING = Task(
    id="question-answering",
    example='Where does Sarah live?',
    label="Question answering",
    method="question_answering",
    output="answer",
    inputs=("prompt", "context"),
    prompt_label="Question",
    defaults={"top_k": None},
)

FILL_MASK = Task(
    id="fill-mask",
    example='Paris is the [MASK] of France.',
    label="Fill mask",
    method="fill_mask",
    output="labels",
    prompt_label="Text with a mask token ([MASK] or <mask>, as the model expects)",
    defaults={"top_k": None},
    summarise=labels.fill_mask,
)

IMAGE_CLASSIFICATION = Task(
    id="image-classification",
    label="Image classification",
    method="image_classification",
    output="labels",
    inputs=("image",),
    defaults={"top_k": None},
)

ZERO_SHOT_IMAGE_CLASSIFICATION = Task(
    id="zero-shot-image-classification",
    label="Zero-shot image classification",
    method="zero_shot_image_classification",
    output="labels",
    inputs=("image", "labels"),
    defaults={"hypothesis_template": None},
)

OBJECT_DETECTION = Task(
    id="object-detection",
    label="Object detection",
    method="object_detection",
    output="boxes",
    inputs=("image",),
    defaults={"threshold": None},
)

IMAGE_SEGMENTATION = Task(
    id="image-segmentation",
    label="Image segmentation",
    method="image_segmentation",
    output="masks",
    inputs=("image",),
    defaults={"threshold": None},
)

IMAGE_TO_TEXT = Task(
    id="image-to-text",
    label="Image captioning",
    method="image_to_text",
    output="text",
    inputs=("image",),
)

VISUAL_QUESTION_ANSWERING = Task(
    id="visual-question-answering",
    example='What colour is the main object?',
    label="Visual question answering",
    method="visual_question_answering",
    output="answer",
    inputs=("image", "prompt"),
    prompt_label="Question",
    defaults={"top_k": None},
)

DOCUMENT_QUESTION_ANSWERING = Task(
    id="document-question-answering",
    example='What is the total?',
    label="Document question answering",
    method="document_question_answering",
    output="answer",
    inputs=("image", "prompt"),
    prompt_label="Question",
    defaults={"top_k": None},
)

TASKS: dict[str, Task] = {
    task.id: task
    for task in (
        CHAT,
        TEXT_TO_IMAGE,
        IMAGE_TO_IMAGE,
        TEXT_TO_VIDEO,
        IMAGE_TO_VIDEO,
        TEXT_TO_SPEECH,
        SPEECH_RECOGNITION,
        AUDIO_CLASSIFICATION,
        FEATURE_EXTRACTION,
        SENTENCE_SIMILARITY,
        TEXT_GENERATION,
        SUMMARIZATION,
        TRANSLATION,
        TEXT_CLASSIFICATION,
        ZERO_SHOT_CLASSIFICATION,
        TOKEN_CLASSIFICATION,
        QUESTION_ANSWERING,
        FILL_MASK,
        IMAGE_CLASSIFICATION,
        ZERO_SHOT_IMAGE_CLASSIFICATION,
        OBJECT_DETECTION,
        IMAGE_SEGMENTATION,
        IMAGE_TO_TEXT,
        VISUAL_QUESTION_ANSWERING,
        DOCUMENT_QUESTION_ANSWERING,
    )
}
ALIASES = {
    "chat": "conversational",
    "chat-completion": "conversational",
    "asr": "automatic-speech-recognition",
    "speech-recognition": "automatic-speech-recognition",
    "tts": "text-to-speech",
    "embeddings": "feature-extraction",
    "ner": "token-classification",
}


def get_task(name: str) -> Task:
    """Look a task up by id or alias; the error lists what would be valid."""
    key = ALIASES.get((name or "").strip(), (name or "").strip())
    if key not in TASKS:
        raise ValueError(f"Unknown task {name!r}. Valid tasks: {', '.join(sorted(TASKS))} (or 'chat').")
    return TASKS[key]


def offered(task_ids: set[str] | frozenset[str]) -> list[Task]:
    """The registry's tasks among `task_ids` (e.g. those a model's providers serve), in registry order."""
    return [task for task in TASKS.values() if task.id in task_ids]
