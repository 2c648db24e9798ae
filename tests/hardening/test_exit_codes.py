"""Issue 13 "Exit codes" and issue 14 finding 14: a vendor's 400 is a validation problem (2), not
"rate limited or unavailable" (5); a negative `--limit` is refused."""

from __future__ import annotations

import httpx
import pytest

from crmtui.cli.main import main

from .conftest import HostileDemo
from .hostile import rewrite_demo


def _refuse_creates(request: httpx.Request, response: httpx.Response) -> httpx.Response | None:
    if request.method == "POST" and request.url.path.rstrip("/").endswith("/lead"):
        return httpx.Response(400, json={"Message": "The request is invalid."})
    return None


def test_vendor_400_on_create_exits_2(
    hostile_demo: HostileDemo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = rewrite_demo(monkeypatch, _refuse_creates)
    code = main(["--demo", "-p", hostile_demo.profile, "create", "lead", "FirstName=Ada",
                 "LastName=Lovelace", "-y"])  # fmt: skip
    err = capsys.readouterr().err
    assert any(r.method == "POST" for r in seen)  # it did reach the vendor
    assert code == 2, err
    assert "Refused by the vendor" in err and "The request is invalid." in err
    assert "unavailable" not in err.lower()


@pytest.mark.parametrize("value", ["-1", "0", "x"])
def test_limit_must_be_positive(
    hostile_demo: HostileDemo, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--demo", "-p", hostile_demo.profile, "list", "lead", "--limit", value])
    assert raised.value.code == 2
    assert "--limit" in capsys.readouterr().err
