"""`crmtui capture lead ... --async` then `crmtui jobs --watch`, on the embedded demo."""

from __future__ import annotations

import functools
import json

import pytest

from crmtui.cli.main import main
from crmtui.sandbox.leadsquared.app import DEFAULT_KEYS
from crmtui.services import demo
from crmtui.services.jobs import JobsFile


@pytest.fixture(autouse=True)
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo with 100 leads per vendor, so each command starts quickly."""
    monkeypatch.setattr(demo, "open_demo", functools.partial(demo.open_demo, records=100))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--demo", "-p", "demo-leadsquared", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_async_capture_then_watch_until_success(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "capture", "lead", "cli.buyer@example.com", "--event-code", "12231",
        "--note", "from the CLI", "--field", "mx_Custom_1=2", "--async", "--yes",
    )  # fmt: skip
    assert code == 0, err
    request_id = out.strip()
    assert "jobs --watch" in err
    (job,) = JobsFile().load()
    assert job.request_id == request_id and job.status == "pending"
    assert DEFAULT_KEYS.secret_key not in JobsFile().path.read_text()

    code, out, err = run(capsys, "jobs", "--watch", "--interval", "0.5")
    assert code == 0, err
    assert f"{request_id}: succeeded" in out
    assert "RelatedProspectId" in out

    code, out, _ = run(capsys, "jobs", "--offline", "--format", "json")
    (shown,) = json.loads(out)
    assert shown["status"] == "succeeded" and shown["final"] is True
    assert shown["request"]["Opportunity"]["OpportunityNote"] == "from the CLI"


def test_sync_capture_prints_the_opportunity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "capture", "lead", "sync@example.com", "--event-code", "12231", "--sync", "--yes"
    )
    assert code == 0, err
    assert out.startswith("opportunity ") and "on lead" in out
    assert JobsFile().load() == []


def test_capture_refuses_a_bad_date_and_unknown_event_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys, "capture", "lead", "x@example.com", "--event-code", "1", "--date", "tomorrow"
    )
    assert code == 2 and "--date" in err
    code, _, err = run(
        capsys, "capture", "lead", "x@example.com", "--event-code", "77", "--sync", "--yes"
    )
    assert code != 0 and "event code 77" in err
