"""Which credential each provider gets, and that keys are never shown whole."""

from __future__ import annotations

import pytest

from playground.keys import DEMO_TOKEN, Credential, Keyring, keyring, mask, parse_provider_keys, scrub, server_fallback
from playground.settings import Settings, load

LOCAL = "hf_local_owner_token_0000LOCL"
TYPED = "hf_typed_by_the_visitor_00TYPD"
OAUTH = "hf_oauth_of_the_visitor_00OATH"
GROQ = "gsk_provider_key_of_groq_00GROQ"


def source(ring: Keyring, provider: str) -> tuple[str, str] | None:
    credential = ring.for_provider(provider)
    return (credential.source, credential.key) if credential else None


@pytest.mark.parametrize(
    ("typed", "provider_keys", "oauth", "expected"),
    [
        (TYPED, {"groq": GROQ}, OAUTH, ("provider_key", GROQ)),
        (TYPED, {}, OAUTH, ("typed", TYPED)),
        ("", {}, OAUTH, ("oauth", OAUTH)),
        ("", {}, "", ("local", LOCAL)),
        ("", {"groq": ""}, "", ("local", LOCAL)),  # an empty provider key means "no key for this provider"
        ("  ", {}, "  ", ("local", LOCAL)),
    ],
)
def test_first_match_wins(typed: str, provider_keys: dict[str, str], oauth: str, expected: tuple[str, str]) -> None:
    ring = keyring(Settings(server_token=LOCAL), typed, provider_keys, oauth)

    assert source(ring, "groq") == expected


def test_a_provider_key_is_only_for_its_provider() -> None:
    ring = keyring(Settings(server_token=LOCAL), TYPED, {"groq": GROQ})

    assert source(ring, "together") == ("typed", TYPED)
    assert ring.hf_credential() == Credential(TYPED, "typed")  # routed calls (router endpoint, policies) never get it


def test_typed_keys_are_trimmed() -> None:
    ring = keyring(Settings(), f"  {TYPED}\n", f'{{" groq ": " {GROQ} "}}')

    assert source(ring, "groq") == ("provider_key", GROQ)
    assert ring.hf_credential() == Credential(TYPED, "typed")


def test_a_space_never_spends_its_own_token_on_visitors() -> None:
    on_space = Settings(space_id="owner/playground", server_token=LOCAL)

    assert server_fallback(on_space) is None
    assert source(keyring(on_space), "together") is None
    assert source(keyring(on_space, oauth_token=OAUTH), "together") == ("oauth", OAUTH)


def test_a_space_owner_can_opt_in_to_sharing_its_token() -> None:
    shared = Settings(space_id="owner/playground", share_server_token=True, server_token=LOCAL)

    assert source(keyring(shared), "together") == ("local", LOCAL)
    assert source(keyring(shared, oauth_token=OAUTH), "together") == ("oauth", OAUTH)


def test_the_environment_decides_space_and_sharing() -> None:
    space = load({"SPACE_ID": "owner/playground", "HF_TOKEN": LOCAL})
    shared = load({"SPACE_ID": "owner/playground", "HF_TOKEN": LOCAL, "PLAYGROUND_SHARE_SERVER_TOKEN": "1"})
    local = load({"HF_TOKEN": LOCAL})

    assert (space.on_space, server_fallback(space)) == (True, None)
    assert server_fallback(shared) == Credential(LOCAL, "local")
    assert server_fallback(local) == Credential(LOCAL, "local")
    assert server_fallback(load({})) is None


def test_the_simulator_demo_token_is_the_last_resort_and_never_replaces_a_real_one() -> None:
    assert server_fallback(Settings(demo=True)) == Credential(DEMO_TOKEN, "demo")
    assert server_fallback(Settings(demo=True, server_token=LOCAL)) == Credential(LOCAL, "local")
    assert server_fallback(Settings(demo=True, space_id="o/s", server_token=LOCAL)) == Credential(DEMO_TOKEN, "demo")


def test_secrets_lists_every_key_the_request_holds() -> None:
    ring = keyring(Settings(server_token=LOCAL), TYPED, {"groq": GROQ}, OAUTH)

    assert sorted(ring.secrets()) == sorted([TYPED, GROQ, OAUTH, LOCAL])


def test_keys_are_kept_out_of_reprs() -> None:
    ring = keyring(Settings(server_token=LOCAL), TYPED, {"groq": GROQ}, OAUTH)

    shown = repr(ring) + repr(ring.for_provider("groq")) + repr(Settings(server_token=LOCAL))
    assert not any(key in shown for key in (LOCAL, TYPED, OAUTH, GROQ))


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("hf_" + "abcdefghijklmnopqrstuvwxyz1234", "hf_…1234"),
        ("gsk_0123456789abcdef", "…cdef"),
        ("hf_short", "hf_…"),  # too short to show any of it
        ("sk-12345", "…"),
        ("", ""),
    ],
)
def test_mask(key: str, masked: str) -> None:
    assert mask(key) == masked


def test_scrub_masks_given_secrets_and_anything_shaped_like_an_hf_token() -> None:
    stranger = "hf_NotPassedInButStillSecret9876"
    text = f"key {GROQ} refused; also saw {stranger} and {TYPED}."

    scrubbed = scrub(text, [GROQ, TYPED])

    assert scrubbed == f"key {mask(GROQ)} refused; also saw hf_…9876 and {mask(TYPED)}."


def test_scrub_leaves_short_secrets_and_ordinary_words_alone() -> None:
    assert scrub("the hf_ prefix and key abc", ["abc", ""]) == "the hf_ prefix and key abc"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, {}),
        ("", {}),
        ("  ", {}),
        ('{"groq": "gsk_1", "together": ""}', {"groq": "gsk_1"}),
        ({"groq": "gsk_1", "cerebras": None}, {"groq": "gsk_1"}),
    ],
)
def test_parse_provider_keys(raw: object, expected: dict[str, str]) -> None:
    assert parse_provider_keys(raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('{"groq": "gsk_1"', ["provider_keys is not valid JSON", "position", 'expected an object like {"groq": "gsk_…"}']),
        ("groq=gsk_1", ["provider_keys is not valid JSON", "expected an object like"]),
        ('["gsk_1"]', ['provider_keys must be a JSON object like {"groq": "gsk_…"}, got list']),
        ('{"groq": 123}', ["provider_keys must be a JSON object mapping provider names to key strings"]),
    ],
)
def test_parse_provider_keys_explains_what_is_wrong(raw: str, words: list[str]) -> None:
    with pytest.raises(ValueError) as caught:
        parse_provider_keys(raw)

    assert all(word in str(caught.value) for word in words)
    assert "gsk_1" not in str(caught.value)  # the message never repeats the key it could not read
