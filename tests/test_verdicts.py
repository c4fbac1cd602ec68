"""Judging tool calls and structured answers; assembling streamed tool-call deltas; checking what was asked for."""

from __future__ import annotations

import pytest

from playground import planning, schemas, toolcalls, verdicts
from playground.tasks import CHAT

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["location"],
        },
    },
}
CITY = {"type": "json_schema", "json_schema": {"name": "city", "schema": {
    "type": "object", "properties": {"name": {"type": "string"}, "population": {"type": "integer"}}, "required": ["name", "population"]}}}


def test_a_call_that_fits_its_tool_is_valid_and_matches():
    [verdict] = verdicts.judge_tool_calls([{"id": "c1", "name": "get_weather", "arguments": '{"location": "Paris"}'}], [WEATHER])
    assert verdict == {"id": "c1", "name": "get_weather", "arguments": '{"location": "Paris"}', "arguments_json": {"location": "Paris"},
                       "valid_json": True, "matches_schema": True, "errors": []}


@pytest.mark.parametrize(
    ("name", "arguments", "valid", "reason"),
    [
        ("get_weather", '{"location": "Paris"', False, "not valid JSON"),
        ("get_weather", "", False, "empty"),
        ("get_weather", "{}", True, "'location' is a required property"),
        ("get_weather", '{"location": "Oslo", "unit": "kelvin"}', True, "at $.unit: 'kelvin' is not one of"),
        ("get_time", '{"location": "Oslo"}', True, "no tool named 'get_time' was offered (offered: get_weather)"),
    ],
)
def test_a_call_that_does_not_fit_says_why(name, arguments, valid, reason):
    [verdict] = verdicts.judge_tool_calls([{"id": "c", "name": name, "arguments": arguments}], [WEATHER])
    assert verdict["valid_json"] is valid and verdict["matches_schema"] is False
    assert reason in verdict["errors"][0]


def test_structured_answers_are_judged_against_the_schema_or_as_an_object():
    assert verdicts.judge_structured('{"name": "Lima", "population": 10}', CITY) == {"valid_json": True, "matches_schema": True, "errors": []}
    missing = verdicts.judge_structured('{"name": "Lima"}', CITY)
    assert missing["valid_json"] and not missing["matches_schema"] and missing["errors"] == ["'population' is a required property"]
    prose = verdicts.judge_structured("Lima has about ten million people.", CITY)
    assert not prose["valid_json"] and "not valid JSON" in prose["errors"][0]
    fenced = verdicts.judge_structured('```json\n{"name": "Lima", "population": 10}\n```', CITY)
    assert not fenced["valid_json"] and "fence" in fenced["errors"][0]
    assert verdicts.judge_structured("[1, 2]", {"type": "json_object"})["errors"] == ["expected a JSON object, got an array"]


def test_many_errors_are_cut_to_the_first_few():
    schema = {"type": "object", "required": ["a", "b", "c", "d", "e"]}
    errors = verdicts.schema_errors({}, schema)
    assert len(errors) == verdicts.MAX_ERRORS + 1 and errors[-1] == "and 2 more"


def test_a_remote_ref_is_never_fetched():
    errors = verdicts.schema_errors({"a": 1}, {"$ref": "http://127.0.0.1:9/schema.json"})
    assert errors and "cannot be resolved" in errors[0]


def test_judge_marks_prose_as_no_calls_and_skips_formats_when_not_asked():
    assert verdicts.judge("It is sunny.", [], {"tools": [WEATHER]}) == ([], None)
    assert verdicts.judge("It is sunny.", [], {}) == (None, None)


def test_streamed_deltas_are_joined_per_index_with_several_calls():
    assembler = toolcalls.ToolCallAssembler()
    assert not assembler.add(None) and not assembler.add([])
    assembler.add([{"index": 0, "id": "a", "type": "function", "function": {"name": "get_weather", "arguments": ""}}])
    assembler.add([{"index": 0, "function": {"arguments": '{"loca'}}])
    assembler.add([{"index": 1, "id": "b", "function": {"name": "get_weather", "arguments": '{"location"'}}])
    assembler.add([{"index": 0, "function": {"arguments": 'tion": "Paris"}'}}, {"index": 1, "function": {"arguments": ': "Tokyo"}'}}])
    assert assembler.calls() == [
        {"id": "a", "name": "get_weather", "arguments": '{"location": "Paris"}'},
        {"id": "b", "name": "get_weather", "arguments": '{"location": "Tokyo"}'},
    ]


def test_deltas_without_index_start_a_call_at_each_new_id_and_objects_are_written_as_json():
    assembler = toolcalls.ToolCallAssembler()
    assembler.add([{"id": "a", "function": {"name": "f", "arguments": {"x": 1}}}])
    assembler.add([{"id": "a", "function": {"arguments": ""}}])
    assembler.add([{"id": "b", "function": {"name": "g", "arguments": "{}"}}])
    assert [(c["id"], c["name"], c["arguments"]) for c in assembler.calls()] == [("a", "f", '{"x": 1}'), ("b", "g", "{}")]
    assert toolcalls.from_message({"content": None, "tool_calls": [{"id": "z", "function": {"name": "f", "arguments": {"y": 2}}}]}) == [
        {"id": "z", "name": "f", "arguments": '{"y": 2}'}]


def test_tools_tool_choice_and_response_format_are_checked_before_sending():
    params = planning.parse_params(CHAT, {"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}, "response_format": CITY})
    assert params["tools"][0]["function"]["name"] == "get_weather" and params["response_format"]["json_schema"]["name"] == "city"
    cases = {
        '{"tools": {"name": "x"}}': "tools must be a non-empty JSON list",
        '{"tools": [{"function": {"name": "has space"}}]}': "tools[0].function.name",
        '{"tools": [{"function": {"name": "f", "parameters": {"type": "objekt"}}}]}': "tools[0].function.parameters is not a valid JSON Schema",
        '{"tools": [{"function": {"name": "f", "parameters": {"$ref": "https://example.com/s.json"}}}]}': "only references inside the schema",
        '{"tools": [{"function": {"name": "f"}}, {"function": {"name": "f"}}]}': "more than once",
        '{"tool_choice": "always"}': "tool_choice must be one of auto, none, required",
        '{"tool_choice": "required"}': "tool_choice needs tools",
        '{"tools": [{"function": {"name": "f"}}], "tool_choice": {"function": {"name": "g"}}}': "not among the tools",
        '{"response_format": {"type": "xml"}}': "response_format must be",
        '{"response_format": {"type": "json_schema", "json_schema": {"name": "a"}}}': "must hold a name and a schema",
    }
    for raw, message in cases.items():
        with pytest.raises(planning.InvalidRequest) as caught:
            planning.parse_params(CHAT, raw)
        assert message in str(caught.value), (raw, str(caught.value))
    with pytest.raises(planning.InvalidRequest, match="longer than"):
        planning.parse_params(CHAT, {"tools": [{"function": {"name": "f", "description": "x" * schemas.MAX_CHARS}}]})


def test_panels_show_each_call_its_arguments_and_verdict_escaped():
    from playground.model import Result
    from playground.ui import toolviews, views

    result = Result(provider="groq", model="m", task="conversational", state="done", ok=True, tool_calls=verdicts.judge_tool_calls(
        [{"id": "a", "name": "get_weather", "arguments": '{"location": "<b>Paris</b>"}'}, {"id": "b", "name": "get_weather", "arguments": "{"}], [WEATHER]))
    shown = views.panels_html(type("C", (), {"results": [result]})())  # panels read only .results
    assert "2 tool calls" in shown and "get_weather" in shown and "&lt;b&gt;Paris&lt;/b&gt;" in shown and "<b>Paris" not in shown
    assert "✓ valid JSON, fits the tool&#x27;s schema" in shown and "✗ arguments are not valid JSON" in shown
    prose = Result(provider="novita", model="m", task="conversational", state="done", ok=True, text="Sunny.", tool_calls=[])
    assert "No tool call: answered in prose" in toolviews.verdicts_html(prose)
    missing = Result(provider="x", model="m", task="conversational", ok=True, text="{}", structured=verdicts.judge_structured("{}", CITY))
    assert "✗ valid JSON, but &#x27;name&#x27; is a required property" in toolviews.structured_html(missing)


def test_the_statistics_table_shows_the_rates_only_when_there_was_something_to_judge():
    from playground import stats
    from playground.model import Comparison, Result
    from playground.ui import views

    calls = verdicts.judge_tool_calls([{"id": "a", "name": "get_weather", "arguments": '{"location": "Oslo"}'}, {"id": "b", "name": "get_weather", "arguments": "{"}], [WEATHER])
    rows = [Result(provider="groq", model="m", task="conversational", state="done", ok=True, tool_calls=calls),
            Result(provider="novita", model="m", task="conversational", state="done", ok=True, text="hi", tool_calls=[])]
    shown = views.statistics_frame(stats.summary_frame(Comparison(task="conversational", model="m", params={}, results=rows)))
    assert list(shown["Valid tool calls"]) == ["50% of 2", "—"] and "Schema match" not in shown
    plain = views.statistics_frame(stats.summary_frame(Comparison(task="conversational", model="m", params={}, results=rows[1:])))
    assert "Valid tool calls" not in plain
