"""Issue 14 finding 7, SharpSpring's loops: a server that answers every page with the same full
page (500 objects) no longer keeps `watch` fetching without end."""

from __future__ import annotations

import json

import httpx
import pytest

from crmtui.cli.main import main

from .conftest import HostileDemo
from .hostile import rewrite_demo


def _full_page(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    sent = json.loads(request.content or b"{}")
    if not str(sent.get("method", "")).endswith("DateRange"):
        return None
    body = json.loads(response.content)
    leads = [{"id": str(900000 + n), "firstName": "Same", "lastName": str(n),
              "createTimestamp": "2030-01-01 00:00:00", "updateTimestamp": "2030-01-01 00:00:00"}
             for n in range(500)]  # fmt: skip
    body["result"] = {"lead": leads}
    return httpx.Response(200, json=body)


def test_watch_on_a_server_repeating_a_full_page_stops(
    hostile_demo: HostileDemo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = rewrite_demo(monkeypatch, _full_page)
    code = main(["--demo", "-p", "demo-sharpspring", "watch", "lead", "--polls", "1",
                 "--interval", "0.01", "--format", "jsonl"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    ranged = [r for r in seen if b"DateRange" in r.content]
    assert 0 < len(ranged) <= 8, len(ranged)
