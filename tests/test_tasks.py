"""The task registry against the installed SDK, and input validation (pure, no network)."""

from __future__ import annotations

import inspect

import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.inference._providers import PROVIDERS

from playground.inputs import Inputs
from playground.keys import Keyring
from playground.planning import PARAMETERS, InvalidRequest, build_plan, parse_params
from playground.settings import Settings
from playground.tasks import EXTRA_BODY, TASKS, get_task, offered

from .test_kinds import png, wav

REQUIRED = {
    "text-to-image", "image-to-image", "text-to-video", "image-to-video", "text-to-speech",
    "automatic-speech-recognition", "feature-extraction", "text-generation", "summarization", "translation",
    "text-classification", "token-classification", "zero-shot-classification", "question-answering", "fill-mask",
    "sentence-similarity", "image-classification", "object-detection", "image-segmentation", "image-to-text",
}  # fmt: skip
SDK_TASKS = {task for tasks in PROVIDERS.values() for task in tasks}


def full_inputs(task_id: str) -> Inputs:
    """Inputs that satisfy the task: a real file of the right kind, labels, context."""
    task = TASKS[task_id]
    file = {"image": png(), "audio": wav()}.get(task.file_kind or "")
    return Inputs(prompt="A red square", file=file, file_name="input", labels=("red", "blue"), context="The square is red.")


def test_every_required_task_is_registered_under_the_sdks_name() -> None:
    assert set(TASKS) >= REQUIRED
    assert set(TASKS) <= SDK_TASKS


@pytest.mark.parametrize("task_id", sorted(TASKS))
def test_arguments_and_defaults_fit_the_sdk_method(task_id: str) -> None:
    task = TASKS[task_id]
    method = getattr(InferenceClient, task.method)
    signature = inspect.signature(method)
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    for name in task.defaults:
        assert name in PARAMETERS, f"{task_id}: {name} has no type/range in planning.PARAMETERS"
        sent = name == "stream" or takes_kwargs or name in signature.parameters or name in EXTRA_BODY
        assert sent, f"{task_id}: {task.method} has no {name}"
    assert not EXTRA_BODY & set(inspect.signature(InferenceClient.chat_completion).parameters), "now a keyword: send it as one"
    args, kwargs = task.arguments(full_inputs(task_id))
    params = {k: v for k, v in task.defaults.items() if k != "stream" and k not in EXTRA_BODY}
    signature.bind(object(), *args, model="org/model", **kwargs, **params)  # raises TypeError if the call would


@pytest.mark.parametrize("task_id", sorted(TASKS))
def test_every_task_has_what_the_ui_needs(task_id: str) -> None:
    task = TASKS[task_id]
    assert task.label and task.tags and callable(task.summarise)
    assert set(task.optional) <= set(task.inputs)
    assert task.problem(full_inputs(task_id)) is None


def test_media_generation_sends_the_same_size_and_seed_to_everyone() -> None:
    params = parse_params(get_task("text-to-image"), '{"width": 768}')
    assert params["width"] == 768 and params["height"] == 1024 and params["seed"] == 42
    with pytest.raises(InvalidRequest, match="width must be between"):
        parse_params(get_task("text-to-image"), {"width": 10})
    with pytest.raises(InvalidRequest, match="Unknown parameter 'max_tokens'"):
        parse_params(get_task("text-to-image"), {"max_tokens": 10})


@pytest.mark.parametrize(
    ("task_id", "inputs", "message"),
    [
        ("image-classification", Inputs(), "This task needs an image: upload one."),
        ("automatic-speech-recognition", Inputs(), "This task needs an audio file"),
        ("zero-shot-classification", Inputs(prompt="I love it"), "candidate labels"),
        ("question-answering", Inputs(prompt="Where?"), "needs a context"),
        ("question-answering", Inputs(context="Paris."), "The question is empty"),
        ("sentence-similarity", Inputs(prompt="a"), "sentences to compare"),
        ("conversational", Inputs(system="be brief"), "The prompt is empty: type what to send to the providers."),
        ("image-classification", Inputs(file=wav(), file_name="speech.wav"), "needs an image, but the file speech.wav is audio (wav)"),
        ("automatic-speech-recognition", Inputs(file=png()), "needs an audio file, but the file is image (png)"),
    ],
)
def test_missing_or_wrong_inputs_are_named(task_id: str, inputs: Inputs, message: str) -> None:
    assert message in (TASKS[task_id].problem(inputs) or "")
    with pytest.raises(InvalidRequest, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_plan(Settings(), task=task_id, model="org/model", providers="hf-inference", inputs=inputs, params_json=None, keys=Keyring())


def test_optional_inputs_may_be_empty() -> None:
    assert TASKS["image-to-video"].problem(Inputs(file=png())) is None
    assert TASKS["image-to-image"].arguments(Inputs(file=b"x"))[1] == {"prompt": None}
    assert TASKS["conversational"].problem(Inputs(prompt="hi")) is None


def test_unknown_file_types_are_refused_and_rarer_images_accepted() -> None:
    import io

    from PIL import Image

    assert "not a known image or audio format" in TASKS["image-classification"].problem(Inputs(file=b"\x00\x01 something"))
    bmp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(bmp, format="BMP")
    assert TASKS["image-classification"].problem(Inputs(file=bmp.getvalue())) is None


def test_sentences_come_from_labels_or_context_lines() -> None:
    args, _ = TASKS["sentence-similarity"].arguments(Inputs(prompt="a", context="b\n\n c \n"))
    assert args == ("a", ["b", "c"])
    args, _ = TASKS["sentence-similarity"].arguments(Inputs(prompt="a", labels=(" x ", ""), context="ignored"))
    assert args == ("a", ["x"])


def test_aliases_and_unknown_tasks() -> None:
    assert get_task("asr").id == "automatic-speech-recognition"
    assert get_task("chat").id == "conversational"
    with pytest.raises(ValueError, match=r"Valid tasks: .*text-to-image"):
        get_task("paint")


def test_offered_keeps_registry_order() -> None:
    assert [t.id for t in offered({"fill-mask", "text-to-image", "not-a-task"})] == ["text-to-image", "fill-mask"]

