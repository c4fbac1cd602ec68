"""What the UI shows for a comparison: panels, agreement, snippets (pure functions, no browser)."""

from __future__ import annotations

from playground.model import Comparison, Result
from playground.ui import views


def _comparison(*results: Result) -> Comparison:
    comparison = Comparison(task="conversational", model="org/model", params={})
    comparison.results.extend(results)
    return comparison


def test_a_failed_panel_shows_kind_message_and_fix_and_escapes_html():
    failed = Result("groq", "org/model", "conversational", state="error", error="HTTP 402: <b>credits</b>", error_kind="payment", fix="Add credits.")
    done = Result("together", "org/model", "conversational", state="done", ok=True, text="<script>x</script>", ttft_s=0.25, latency_s=1.5, output_tokens=10, tokens_estimated=True)
    page = views.panels_html(_comparison(failed, done))
    assert "payment" in page and "Add credits." in page and "&lt;b&gt;credits" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "250 ms" in page and "1.50 s" in page and "~10" in page


def test_a_policy_panel_names_the_provider_that_answered():
    result = Result(":fastest", "org/model", "conversational", state="done", ok=True, text="hi", answered_by="cerebras", served_model="org/model:cerebras")
    assert "answered by cerebras" in views.panels_html(_comparison(result))


def test_media_outputs_get_players_and_downloads():
    image = Result("fal-ai", "m", "text-to-image", state="done", ok=True, file="/tmp/a.png", image={"width": 768, "height": 512, "format": "png", "bytes": 2048})
    audio = Result("replicate", "m", "text-to-speech", state="done", ok=True, file="/tmp/a.wav", audio={"format": "wav", "bytes": 1000, "duration_s": 1.5})
    page = views.panels_html(_comparison(image, audio))
    assert '<img class="media" src="/gradio_api/file=/tmp/a.png"' in page and "768×512" in page and "download" in page
    assert '<audio controls src="/gradio_api/file=/tmp/a.wav">' in page and "1.5 s" in page


def test_agreement_diffs_the_two_least_alike_answers():
    texts = {"a": "the sky is blue because of scattering", "b": "the sky is blue because of scattering", "c": "the sea is green"}
    comparison = _comparison(*(Result(p, "m", "conversational", state="done", ok=True, text=t) for p, t in texts.items()))
    matrix, diff = views.agreement_view(comparison)
    assert matrix is not None and float(matrix.set_index("provider").loc["a", "b"]) == 1.0
    assert "Least alike" in diff and "<del" in diff and "<ins" in diff and "c" in diff


def test_snippets_are_shown_per_provider_in_the_chosen_language():
    found = {"groq": {"python": "print('groq')", "curl": None}, "together": {"python": "print('together')", "curl": "curl x"}}
    python = views.snippets_code(found, "python").value
    assert "# groq\nprint('groq')" in python and "# together" in python
    curl = views.snippets_code(found, "curl").value
    assert "not expressible" in curl and "curl x" in curl
    assert "Run a comparison first" in views.snippets_code(None, "python").value


def test_statistics_are_shown_in_ms_and_rounded_with_unknowns_blank():
    from playground import stats

    results = [Result("a", "m", "conversational", run=i, state="done", ok=True, ttft_s=0.1 * i, latency_s=0.5 * i, tokens_per_s=100.0, output_tokens=10) for i in (1, 2, 3)]
    results.append(Result("b", "m", "conversational", state="error", error_kind="timeout", error="slow"))
    shown = views.statistics_frame(stats.summary_frame(_comparison(*results))).set_index("Provider")
    assert shown.loc["a", "TTFT ms median"] == 200 and shown.loc["a", "Latency ms p90"] == 1400
    assert shown.loc["b", "Error rate"] == "100%" and shown.loc["b", "Error kinds"] == "timeout ×1"
    assert (shown["Cost total"] == "").all()  # no pricing known: blank, never zero
