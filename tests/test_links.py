"""Deep links: what a link may set, checked and bounded, and the query that reads back the same."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from playground import links


def test_a_link_sets_prompt_and_parameters_and_reads_back_the_same():
    values = {"task": "conversational", "model": "m/x", "providers": ["groq", "together"], "prompt": "Hi & bye?",
              "max_tokens": 77, "temperature": 0.0, "top_p": 0.5, "seed": "5", "stream": False, "runs": 3, "warmup": True}
    query = links.query(values)
    parsed = links.parse(dict(parse_qsl(urlsplit(query).query)))
    assert parsed.problems == []
    assert parsed.values == values


def test_what_does_not_fit_is_named_and_left_out():
    parsed = links.parse({"max_tokens": "99999", "temperature": "hot", "seed": "1.5", "params": "[1]", "prompt": "x" * 30_000})
    assert set(parsed.values) == {"task", "prompt"} and len(parsed.values["prompt"]) == links.MAX_TEXT
    assert len(parsed.problems) == 5
    assert any("max_tokens must be between 1 and 4096" in p for p in parsed.problems)


def test_other_tasks_carry_their_json_parameters():
    parsed = links.parse({"task": "text-to-image", "params": '{"width": 512}'})
    assert parsed.values["params"] == '{\n  "width": 512\n}'
    assert links.query({"task": "t", "model": "", "providers": [], "params": ""}) == "?task=t"


def test_an_unknown_task_falls_back_to_chat_and_says_so():
    link = links.parse({"task": "nonsense", "model": "foo/bar"})
    assert (link.task, link.model) == ("conversational", "foo/bar")
    assert link.warning == "In the link: unknown task 'nonsense', showing chat."
