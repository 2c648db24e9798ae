"""`crmtui mirror sync` asks the vendor only for what the copy keeps: the records and their
fields' types, not the names their references point at (SharpSpring's owners, accounts and
campaigns take a call each, and a slot each of its 10-a-second window); the fields a user is
shown still name them."""

from __future__ import annotations

import json

import httpx
import pytest

from crmtui.cli.main import main
from crmtui.sandbox import transport

NAMES = {"getUserProfiles", "getAccounts", "getCampaigns"}


class Recording(httpx.AsyncBaseTransport):
    """The demo vendor's transport, noting the method of each call."""

    def __init__(self, inner: httpx.AsyncBaseTransport, methods: list[str]) -> None:
        self.inner = inner
        self.methods = methods

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append(str(json.loads(request.content)["method"]))
        return await self.inner.handle_async_request(request)


@pytest.fixture
def methods(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = transport.in_process_transport
    monkeypatch.setattr(transport, "in_process_transport", lambda app: Recording(real(app), seen))
    return seen


def test_a_mirror_sync_asks_for_no_reference_names(
    methods: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--demo", "-p", "demo-sharpspring", "mirror", "sync", "lead"])
    assert code == 0, capsys.readouterr().err
    assert "mirrored" in capsys.readouterr().err
    assert "getLeads" in methods and "getFields" in methods
    assert not NAMES & set(methods), methods

    methods.clear()
    assert main(["--demo", "-p", "demo-sharpspring", "fields", "lead"]) == 0
    shown = capsys.readouterr().out
    assert set(methods) >= NAMES  # the fields a user reads name the owners
    assert "Owner" in shown
