"""Issue 14 finding 7: paging is bounded whatever the vendor claims. A CMDataManager answer saying
"Total Page": 12345 no longer makes `load_fields` fetch without end; a listing whose pages never
move on stops with a clear message."""

from __future__ import annotations

import json

import httpx
import pytest

from crmtui.cli.main import main

from .conftest import HostileDemo
from .hostile import rewrite_demo


def _claim(body: bytes, **changes: str) -> bytes:
    data = json.loads(body)
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize("repeat", [False, True], ids=["empty-pages", "same-page-again"])
def test_fields_claiming_12345_pages_cost_a_few_requests(
    hostile_demo: HostileDemo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    repeat: bool,
) -> None:
    first: dict[str, bytes] = {}

    def lie(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
        if not request.url.path.endswith("/lead/fields"):
            return None
        body = first.setdefault("body", response.content) if repeat else response.content
        return httpx.Response(200, content=_claim(body, **{"Total Page": "12345"}),
                              headers={"content-type": "application/json"})  # fmt: skip

    seen = rewrite_demo(monkeypatch, lie)
    code = main(["--demo", "-p", hostile_demo.profile, "fields", "lead"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "FirstName" in out
    assert len([r for r in seen if r.url.path.endswith("/lead/fields")]) <= 3
    assert out.count("\nFirstName ") + out.startswith("FirstName ") == 1  # no field twice


def test_a_listing_whose_pages_never_move_on_stops(
    hostile_demo: HostileDemo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first: dict[str, bytes] = {}

    def stuck(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
        if not request.url.path.endswith("/lead") or request.method != "GET":
            return None
        body = first.setdefault("body", response.content)  # page 1, whatever was asked
        claimed = _claim(body, **{"Total Records": "1000000000", "Total Pages": "100000000"})
        return httpx.Response(200, content=claimed, headers={"content-type": "application/json"})

    seen = rewrite_demo(monkeypatch, stuck)
    code = main(["--demo", "-p", hostile_demo.profile, "list", "lead", "--all", "--format",
                 "jsonl"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 5, err
    assert "sent the same page of lead records again" in err
    assert len([r for r in seen if r.url.path.endswith("/lead")]) < 20
