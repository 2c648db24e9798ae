"""Console history: survives a restart, masks secrets, 0600 atomic file, up/down, search, saved."""

from __future__ import annotations

import stat

from crmtui.http.redact import Redactor
from crmtui.model.raw import RawRequest, RawResponse
from crmtui.services.history import History, history_path

SECRET = "hist-SECRET-c4n4ry-9b1"


def response(status: int = 200) -> RawResponse:
    return RawResponse(status, 0.25, {}, '{"ok": true}', "GET", "https://x.invalid/lead")


def test_history_survives_a_restart_with_saved_requests() -> None:
    history = History("demo")
    history.add(RawRequest("GET", "/lead", {"per_page": "5"}), response())
    history.add(RawRequest("getLeads", body={"where": {}}), response(201))
    history.save_as("five leads", RawRequest("GET", "/lead", {"per_page": "5"}))

    again = History("demo")
    assert [e.label for e in again.entries] == [
        "GET /lead?per_page=5  [200]",
        'getLeads {"where": {}}  [201]',
    ]
    assert again.open_saved("five leads") == RawRequest("GET", "/lead", {"per_page": "5"})
    assert again.entries[0].elapsed == 0.25
    assert History("other").entries == []


def test_history_file_is_private_and_holds_no_secret() -> None:
    history = History("p", redactor=Redactor([SECRET]))
    request = RawRequest(
        "POST",
        f"/lead/{SECRET}",
        query={"secretKey": "typed-by-user", "q": SECRET},
        headers={"x-api-key": "k-typed", "Accept": "json"},
        body={"password": "pw-typed", "note": f"is {SECRET}"},
        form={"rpsKey": "rps-typed"},
    )
    history.add(request, response())
    history.save_as("named", request)
    text = history.path.read_text()
    for leaked in (SECRET, "typed-by-user", "k-typed", "pw-typed", "rps-typed"):
        assert leaked not in text
    assert stat.S_IMODE(history.path.stat().st_mode) == 0o600
    assert '"Accept": "json"' in text
    assert not list(history.path.parent.glob(".console-history-*"))


def test_up_and_down_walk_the_history_like_a_shell() -> None:
    history = History("walk")
    assert history.previous() is None
    for path in ("/a", "/b", "/c"):
        history.add(RawRequest("GET", path))
    assert [history.previous().path for _ in range(3)] == ["/c", "/b", "/a"]  # type: ignore[union-attr]
    assert history.previous() is None
    assert history.following().path == "/b"  # type: ignore[union-attr]
    assert history.following().path == "/c"  # type: ignore[union-attr]
    assert history.following() is None


def test_search_finds_newest_first() -> None:
    history = History("search")
    history.add(RawRequest("GET", "/lead", {"per_page": "5"}))
    history.add(RawRequest("GET", "/contact"))
    history.add(RawRequest("DELETE", "/lead/9"))
    assert [e.request.path for e in history.search("LEAD")] == ["/lead/9", "/lead"]
    assert history.search("nothing-like-it") == []


def test_a_corrupt_file_starts_afresh_with_a_note() -> None:
    path = history_path("broken")
    path.write_text("{not json")
    history = History("broken")
    assert history.entries == [] and history.problem is not None
    history.add(RawRequest("GET", "/lead"))
    assert len(History("broken").entries) == 1


def test_profile_names_become_safe_distinct_files() -> None:
    assert history_path("a/b").parent == history_path("x").parent
    assert history_path("a/b") != history_path("a_b")
    assert "/" not in history_path("../../etc").name


def test_saved_requests_can_be_replaced_and_deleted() -> None:
    history = History("saved")
    history.save_as("x", RawRequest("GET", "/one"))
    history.save_as("x", RawRequest("GET", "/two"))
    assert History("saved").open_saved("x") == RawRequest("GET", "/two")
    assert history.delete_saved("x") and not history.delete_saved("x")
    assert History("saved").open_saved("x") is None
