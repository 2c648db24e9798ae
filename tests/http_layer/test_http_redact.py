"""Redactor: secrets masked by value (plain, URL- and JSON-encoded) and by name."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote, quote_plus

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmtui.http import SECRET_NAMES, Redactor, install_log_filter, is_secret_name

CANARY = 'Zq9!"canary/se cret+value'


def test_text_masks_registered_value_in_every_encoding() -> None:
    redactor = Redactor([CANARY])
    query = str(httpx.QueryParams({"k": CANARY}))[2:]  # as httpx sends it: spaces as "+"
    path = httpx.URL("https://h.test/").copy_with(path=f"/{CANARY}").raw_path.decode()[1:]
    text = f"raw {CANARY} query {query} path {path} json {json.dumps({'k': CANARY})}"
    assert len({CANARY, query, path}) == 3
    masked = redactor.text(text)
    assert "canary" not in masked
    assert masked.count("***") == 4


def test_short_and_empty_values_are_ignored() -> None:
    redactor = Redactor(["", "ab"])
    redactor.add(None)
    assert redactor.text("ab cab about") == "ab cab about"


def test_secret_added_later_is_masked() -> None:
    redactor = Redactor()
    assert redactor.text("token abcd1234") == "token abcd1234"
    redactor.add("abcd1234")
    assert redactor.text("token abcd1234") == "token ***"


def test_url_masks_secret_named_params_without_registration() -> None:
    redactor = Redactor()
    url = "https://api.test/v1/?accountID=42&secretKey=zzzsecret&x=1"
    assert redactor.url(url) == "https://api.test/v1/?accountID=42&secretKey=***&x=1"
    assert redactor.url(httpx.URL("https://u:pa55word@h.test/a?rpsKey=k123")) == (
        "https://u:***@h.test/a?rpsKey=***"
    )


def test_headers_masked_by_name_and_value() -> None:
    redactor = Redactor(["tok-1234"])
    masked = redactor.headers(
        httpx.Headers(
            {
                "Authorization": "Bearer anything",
                "x-api-key": "k-5678",
                "Cookie": "sid=1",
                "X-Note": "see tok-1234",
                "Accept": "application/json",
            }
        )
    )
    assert masked == {
        "authorization": "***",
        "x-api-key": "***",
        "cookie": "***",
        "x-note": "see ***",
        "accept": "application/json",
    }


def test_obj_masks_deeply_by_key_and_value_without_touching_the_original() -> None:
    redactor = Redactor([CANARY])
    original = {
        "params": [{"client_secret": "abc12345", "name": f"hi {CANARY}", "n": 3}],
        "password": "p4ssw0rd",
        "refreshToken": "r-1",
        "empty_token": None,
    }
    masked = redactor.obj(original)
    assert masked == {
        "params": [{"client_secret": "***", "name": "hi ***", "n": 3}],
        "password": "***",
        "refreshToken": "***",
        "empty_token": None,
    }
    assert original["password"] == "p4ssw0rd"


@pytest.mark.parametrize(
    "name", ["secretKey", "secret_key", "x-api-key", "rpsKey", "client_secret", "Authorization"]
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


def test_documented_names_are_all_secret() -> None:
    assert {"secretkey", "accesskey", "rpskey", "password", "x-api-key", "token"} <= SECRET_NAMES
    assert all(is_secret_name(name) for name in SECRET_NAMES)


@pytest.mark.parametrize("name", ["accountID", "x-rate-limit-reset", "x-token-reset", "limit"])
def test_ordinary_names_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


def test_repr_reveals_nothing() -> None:
    assert CANARY not in repr(Redactor([CANARY]))


def test_log_filter_masks_httpx_records(caplog: pytest.LogCaptureFixture) -> None:
    redactor = Redactor(["value-9876"])
    install_log_filter(redactor)
    install_log_filter(redactor)  # idempotent
    assert (
        sum(1 for f in logging.getLogger("httpx").filters if type(f).__name__ == "_RedactingFilter")
        == 1
    )
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx").info("HTTP Request: GET %s", "https://h/?secretKey=q1w2e3r4")
        logging.getLogger("httpcore.http11").debug("header value-9876")
    assert "q1w2e3r4" not in caplog.text
    assert "value-9876" not in caplog.text
    assert "secretKey=***" in caplog.text


def test_log_filter_masks_secret_headers_in_httpcore_tuples(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_log_filter(Redactor())
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpcore.http11").debug(
            "receive_response_headers.complete return_value=%r",
            (b"HTTP/1.1", 200, [(b"Set-Cookie", b"sid=zz81sess"), (b"Content-Length", b"2")]),
        )
    assert "zz81sess" not in caplog.text
    assert "(b'Content-Length', b'2')" in caplog.text


def test_masks_cannot_reform_a_secret() -> None:
    redactor = Redactor(["**x*"])
    assert "**x*" not in redactor.text("**x**x*")


@settings(max_examples=200, deadline=None)
@given(
    secret=st.text(min_size=4, max_size=30),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_registered_secret_never_survives(secret: str, before: str, after: str) -> None:
    redactor = Redactor([secret])
    for form in (secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]):
        assert secret not in redactor.text(before + form + after)
        assert form not in redactor.text(before + form + after)


def test_learn_registers_values_sent_under_secret_names() -> None:
    redactor = Redactor()
    redactor.learn(
        {"secretKey": "sk-11111", "accountID": "acct-2222"},
        {"Authorization": "Bearer tok-33333"},
        body={"params": [{"client_secret": "cs-44444", "name": "Ada Lovelace"}]},
    )
    text = "sk-11111 acct-2222 tok-33333 cs-44444 Ada Lovelace"
    assert redactor.text(text) == "*** acct-2222 *** *** Ada Lovelace"
