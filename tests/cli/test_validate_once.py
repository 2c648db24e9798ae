"""One save runs the validator once; a backend called directly still refuses unchecked values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crmtui.cli.main import main
from crmtui.errors import ValidationFailed
from crmtui.model import Change, Validator
from crmtui.profiles import locations
from crmtui.profiles.loader import get_profile
from crmtui.sandbox.cmdatamanager.app import CMD_NS
from crmtui.services import demo as demo_module
from crmtui.services.demo import Demo, open_demo
from crmtui.services.session import open_session

CMD = "demo-cmdatamanager"
RECORDS = 30


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Demo]:
    seeded = open_demo(data_dir=locations.data_dir(), reset=True, records=RECORDS)
    real = open_demo
    monkeypatch.setattr(demo_module, "open_demo", lambda **kw: real(**{**kw, "records": RECORDS}))
    yield seeded
    seeded.close()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The values each real validation was given (a trusted, already checked set is not one)."""
    seen: list[dict[str, Any]] = []
    real = Validator.run

    def counted(self: Validator, values: Any, creating: bool) -> dict[str, Any]:
        seen.append(dict(values))
        return real(self, values, creating)

    monkeypatch.setattr(Validator, "run", counted)
    return seen


def test_an_update_from_the_cli_is_validated_once(
    demo: Demo, runs: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    rid, _ = demo.stores[CMD].list(CMD_NS, "lead", offset=1, limit=1)[0]
    code = main(["--demo", "-p", CMD, "update", "lead", rid, "JobTitle=Once", "--yes"])
    assert code == 0, capsys.readouterr().err
    assert runs == [{"JobTitle": "Once"}]
    stored = demo.stores[CMD].get(CMD_NS, "lead", rid)
    assert stored is not None and stored["JobTitle"] == "Once"


def test_a_create_from_the_cli_is_validated_once(
    demo: Demo, runs: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--demo", "-p", CMD, "create", "lead", "LastName=Once", "Email=once@example.org", "--yes"]
    )
    assert code == 0, capsys.readouterr().err
    assert len(runs) == 1


async def test_a_backend_called_directly_still_checks_raw_values(demo: Demo) -> None:
    rid, _ = demo.stores[CMD].list(CMD_NS, "lead", offset=2, limit=1)[0]
    profile = get_profile(demo.config, CMD)
    session = await open_session(profile, transport=demo.transports[CMD])
    try:
        await session.backend.fields("lead")  # the field list is read; no request after this
        before = session.log.count
        with pytest.raises(ValidationFailed) as caught:
            await session.backend.update("lead", rid, [Change("Email", None, "not-an-address")])
        assert "Email" in caught.value.field_errors
        with pytest.raises(ValidationFailed):
            await session.backend.create("lead", {"Email": "nobody"})
        assert session.log.count == before  # nothing unchecked was sent
    finally:
        await session.aclose()
