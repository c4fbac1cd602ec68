"""Real answers for the playground's example prompts and common questions; templates for the rest."""

from __future__ import annotations

from playground.sim.answers import compose
from playground.sim.known_answers import ANSWERS, known_answer, normalise
from playground.sim.traits import PROVIDER_TRAITS
from playground.tasks import TASKS

LLAMA = "meta-llama/Llama-3.3-70B-Instruct"


def answer(prompt: str, provider: str, family: str = "llama", model: str = LLAMA) -> str:
    return compose(prompt, model, family, provider, drift=PROVIDER_TRAITS[provider]["drift"], temperature=0, seed=None)


def test_the_text_examples_the_playground_offers_have_real_answers() -> None:
    for task in ("conversational", "text-generation"):
        example = TASKS[task].example
        assert known_answer(example), example
        assert "Rayleigh" in answer(example, "hf-inference") or "red" in answer(example, "hf-inference")


def test_questions_are_found_by_their_words() -> None:
    assert known_answer("What is the capital of France?") == known_answer("what is the capital of france, please")
    assert normalise("  Why is the SKY blue?! ") == "why is the sky blue"
    assert len(ANSWERS) >= 30


def test_providers_vary_slightly_and_reproducibly() -> None:
    prompt = "What is deep learning?"
    texts = {p: answer(prompt, p) for p in ("hf-inference", "novita", "featherless-ai", "together")}
    assert texts["hf-inference"] == known_answer(prompt, "llama")  # no drift: the reference wording
    assert len(set(texts.values())) > 1 and answer(prompt, "novita") == texts["novita"]
    reference = set(texts["hf-inference"].split())
    assert all(len(set(t.split()) & reference) > 0.8 * len(reference) for t in texts.values())


def test_other_prompts_keep_the_templates() -> None:
    text = answer("Describe the migration of arctic terns", "together")
    assert known_answer("Describe the migration of arctic terns") is None and "arctic terns" in text.lower()
