"""`crmtui upsert`, `groups` and `sent` on the InfluencerSoft sandbox, in process."""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest

from crmtui.backends.influencersoft.profile import InfluencerSoftProfile
from crmtui.cli import upsert as cli
from crmtui.cli.main import main
from crmtui.sandbox.influencersoft.app import DEFAULT_RPS_KEY, GROUPS, NS, create_app
from crmtui.sandbox.store import Store
from crmtui.sandbox.transport import in_process_transport
from crmtui.services.journal import Journal, Op, State
from crmtui.services.session import Session, open_session

FORCED: list[int] = []  # codes the sandbox answers next, in turn


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A sandbox store; every command's session talks to it (profile mode `write`)."""
    store = Store(":memory:")
    app = create_app(store, records=20, seed=1)
    profile = InfluencerSoftProfile.model_validate(
        {
            "name": "is-cli",
            "vendor": "influencersoft",
            "base_url": "https://is.invalid",
            "mode": "write",
            "login": "sandbox",
            "rps_key": DEFAULT_RPS_KEY,
        }
    )

    @asynccontextmanager
    async def fake_session(args: argparse.Namespace) -> AsyncIterator[Session]:
        session = await open_session(profile, transport=in_process_transport(app))
        try:
            yield session
        finally:
            await session.aclose()

    monkeypatch.setattr(cli, "session_from_args", fake_session)
    FORCED.clear()
    app.state.forced = FORCED
    yield store
    store.close()


def test_upsert_with_fields_tags_and_lists(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "upsert",
            "lead",
            "ada@example.org",
            "first_name=Ada",
            "lead_last_name=Lovelace",
            "shipping_country_code=GB",
            "--add-tags",
            "vip, webinar",
            "--add-lists",
            f"{GROUPS[0][1]},{GROUPS[2][1]}",
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["email"] == "ada@example.org"
    lead = store.get(NS, "lead", "ada@example.org")
    assert lead is not None
    assert lead["lead_first_name"] == "Ada" and lead["lead_last_name"] == "Lovelace"
    assert lead["lead_shipping_country_code"] == "GB"
    assert lead["tags"] == ["vip", "webinar"]
    assert lead["lists"] == [GROUPS[0][0], GROUPS[2][0]]

    assert main(["upsert", "lead", "ada@example.org", "--remove-tags", "vip"]) == 0
    lead = store.get(NS, "lead", "ada@example.org")
    assert lead is not None and lead["tags"] == ["webinar"]
    # every upsert is a journaled write, applied
    entries = Journal("is-cli").entries()
    assert [(e.op, e.state) for e in entries] == [(Op.CREATE, State.APPLIED)] * 2


def test_unknown_fields_and_groups_are_refused_before_sending(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["upsert", "lead", "ada@example.org", "nickname=x"]) == 2
    assert "nickname: unknown field" in capsys.readouterr().err
    assert main(["upsert", "lead", "ada@example.org", "--add-lists", "Newsleter"]) == 2
    err = capsys.readouterr().err
    assert "no group named 'Newsleter'" in err and "did you mean Newsletter" in err
    assert main(["upsert", "lead", "not-an-email"]) == 2
    assert "lead_email" in capsys.readouterr().err
    assert store.get(NS, "lead", "ada@example.org") is None


def test_groups_lists_every_group(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["groups", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["title"]) for r in rows] == list(GROUPS)


def test_sent_shows_successes_and_failures_newest_first(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sent"]) == 0
    assert "nothing sent" in capsys.readouterr().out
    assert main(["upsert", "lead", "one@example.org", "--add-tags", "a"]) == 0
    assert main(["upsert", "lead", "two@example.org", "first_name=Two"]) == 0
    capsys.readouterr()
    assert main(["sent", "-v"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "two@example.org" in lines[0] and "OK" in lines[0]
    assert "lead_first_name=Two" in lines[1]
    assert "one@example.org" in lines[2]
    assert DEFAULT_RPS_KEY not in out
    assert main(["sent", "--format", "json", "--limit", "1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["email"] == "two@example.org" and rows[0]["code"] == 0


def test_a_vendor_refusal_is_shown_and_kept_in_the_history(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    FORCED.append(102)
    assert main(["upsert", "lead", "dup@example.org"]) == 5
    assert "the subscriber is already registered (code 102)" in capsys.readouterr().err
    assert store.get(NS, "lead", "dup@example.org") is None
    assert main(["sent"]) == 0
    assert "FAILED (code 102: the subscriber is already registered)" in capsys.readouterr().out


def test_other_vendors_are_told_to_use_create(capsys: pytest.CaptureFixture[str]) -> None:
    # The real path: the embedded demo, whose default profile is not InfluencerSoft.
    code = main(["--demo", "upsert", "lead", "ada@example.org"])
    assert code == 2
    assert "is for InfluencerSoft profiles" in capsys.readouterr().err
